/** One line of the `npm run bench` table. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same quantity measured for the baseline in the same run. */
  baseline?: number;
  baselineName?: string;
  /** How many times better than the baseline (baseline/value for costs). */
  ratio?: number;
  /** The goal, in words (e.g. `≥ 10× faster`). */
  target?: string;
}
