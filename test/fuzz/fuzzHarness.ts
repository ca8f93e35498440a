/**
 * Shared by the fuzz tests (test/fuzz/*.test.ts): how many cases to run and a checker that records
 * what ran. `make test` runs FUZZ_RUNS (default 300) cases per property; `npm run bench`
 * (bench/fuzz.ts) sets FUZZ_RUNS=10000 and FUZZ_REPORT=<file>, and every property then appends one
 * JSON line `{ property, runs, failed, ms, counterexample? }` to that file for the report.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

const DEFAULT_RUNS = 300;

/** Cases per property: FUZZ_RUNS when set to a positive integer, else 300. */
export const FUZZ_RUNS = (() => {
  const value = Number(process.env.FUZZ_RUNS);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_RUNS;
})();

/** A vitest timeout that grows with the case count (`perCaseMs` is a generous bound, not a measurement). */
export function fuzzTimeout(perCaseMs: number, minimumMs = 60_000): number {
  return Math.max(minimumMs, Math.ceil(FUZZ_RUNS * perCaseMs));
}

export interface FuzzRecord {
  property: string;
  runs: number;
  failed: boolean;
  ms: number;
  counterexample?: string;
}

function record(entry: FuzzRecord): void {
  const file = process.env.FUZZ_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/**
 * Runs `property` FUZZ_RUNS times (or `runs`), records the outcome and throws fast-check's report
 * (seed, path and the shrunk counterexample) when a case fails.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  parameters: fc.Parameters<Ts> = {},
): Promise<void> {
  const started = performance.now();
  const details = await fc.check(property, { numRuns: FUZZ_RUNS, ...parameters });
  const ms = Math.round(performance.now() - started);
  const entry: FuzzRecord = { property: name, runs: details.numRuns, failed: details.failed, ms };
  if (details.failed) entry.counterexample = fc.stringify(details.counterexample).slice(0, 500);
  record(entry);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance : undefined;
    throw new Error(
      `${name}: ${cause ? `${cause.name}: ${cause.message}\n` : ''}${fc.defaultReportMessage(details) ?? 'failed'}`,
      { cause },
    );
  }
}
