/**
 * The fuzz volume of `npm run bench`: runs the property tests in test/fuzz with FUZZ_RUNS=10000
 * (vitest, as `make test` runs them with the default 300) and reports, per input family, the cases
 * run, cases/s and failures. Each property appends a line to FUZZ_REPORT (test/fuzz/fuzzHarness.ts).
 *
 *   npx tsx bench/fuzz.ts        prints the rows
 *   import { benchFuzz }         returns the rows (bench/run.ts)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FuzzRecord } from '../test/fuzz/fuzzHarness.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(import.meta.dirname, '..');
const FUZZ_RUNS = 10_000;
/** Properties are named `<family>: <what>`; the issue asks ≥ 10,000 cases per family. */
const FAMILIES: { prefix: string; name: string }[] = [
  { prefix: 'quiz file:', name: 'quiz files (YAML/JSON)' },
  { prefix: 'modal:', name: 'modal inputs' },
  { prefix: 'config:', name: 'config files and environment' },
  { prefix: 'custom id:', name: 'custom ids' },
  { prefix: 'health HTTP:', name: 'raw HTTP to the health port' },
];

function runVitest(reportFile: string): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', 'test/fuzz', '--reporter=dot'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, FUZZ_RUNS: String(FUZZ_RUNS), FUZZ_REPORT: reportFile },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('exit', (code) => done(code));
  });
}

export async function benchFuzz(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'badgey-fuzz-'));
  const reportFile = join(dir, 'fuzz.jsonl');
  try {
    const exitCode = await runVitest(reportFile);
    let records: FuzzRecord[] = [];
    try {
      records = readFileSync(reportFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as FuzzRecord);
    } catch {
      records = [];
    }
    return FAMILIES.map(({ prefix, name }) => {
      const mine = records.filter((record) => record.property.startsWith(prefix));
      const cases = mine.reduce((sum, record) => sum + record.runs, 0);
      const ms = mine.reduce((sum, record) => sum + record.ms, 0);
      const failures = mine.filter((record) => record.failed);
      const perProperty = mine
        .map(
          (record) =>
            `${record.property.slice(prefix.length).trim()} ${record.runs}${record.failed ? ' FAILED' : ''}`,
        )
        .join(', ');
      const noteParts = [
        `${ms > 0 ? Math.round((cases / ms) * 1000) : 0} cases/s; ${perProperty || 'no property reported'}`,
      ];
      if (failures.length > 0) noteParts.push(`counterexample: ${failures[0]?.counterexample ?? '?'}`);
      if (mine.length === 0 && exitCode !== 0) noteParts.push(`vitest exited ${exitCode} before reporting`);
      return {
        name: `fuzz: ${name} — ${failures.length} failures`,
        value: cases,
        unit: 'cases',
        target: `≥ ${FUZZ_RUNS} cases, 0 failures`,
        met: cases >= FUZZ_RUNS && failures.length === 0 && mine.length > 0,
        note: noteParts.join('; '),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) {
  for (const row of await benchFuzz()) console.log(`${row.name}: ${row.value} ${row.unit} (${row.note})`);
}
