/** One line of the `npm run bench` table. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same quantity measured for the baseline in the same run. */
  baseline?: number;
  baselineName?: string;
  /** The goal, in words (e.g. `≥ 10× faster`). */
  target?: string;
  /**
   * Whether the target was met, when the module can tell. Absent: bench/run.ts derives it from a
   * target of the form `≤ N <unit>` / `≥ N <unit>` (against value) or `≥ N×` (against ratio).
   */
  met?: boolean;
  /** Why a target was missed, or what the number means (shown under the table). */
  note?: string;
}
