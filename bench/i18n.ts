/**
 * What localisation costs: a message looked up in the catalogue (i18next: key, plural form,
 * placeholders) against the template literal the code held before, in the same process; and the
 * catalogue's load at start-up (import + i18next init of every locale, in a fresh process) against
 * loading an empty module the same way.
 *
 *   npx tsx bench/i18n.ts        prints the table
 *   import { benchI18n }         returns the rows (bench/run.ts)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { translatorFor } from '../src/i18n/index.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const CALLS = 200_000;
const LOADS = 15;

/** ns per call of `format`, median of 5 rounds of CALLS calls (after a warm-up round). */
function nsPerCall(format: (i: number) => string): number {
  let sink = 0;
  const rounds: number[] = [];
  for (let round = 0; round < 6; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) sink += format(i).length;
    const ns = Number(process.hrtime.bigint() - start) / CALLS;
    if (round > 0) rounds.push(ns);
  }
  if (sink === 0) throw new Error('nothing formatted');
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

/** Median ms to import `file` in a fresh node process (measured inside it, around the import). */
function importMs(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const times = Array.from({ length: LOADS }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })),
  ).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchI18n(): Promise<BenchRow[]> {
  const german = translatorFor('de');
  const quiz = '"Planets"';
  // The question footer: a plural (points) and two more placeholders.
  const catalogue = nsPerCall((i) =>
    german('session.question.footer', { quiz, count: 1 + (i & 7), score: i & 255 }),
  );
  const literal = nsPerCall((i) => `${quiz} · up to ${1 + (i & 7)} points · score so far ${i & 255}`);

  // The catalogue as the bot bundles it: src/i18n with i18next and every locale's JSON.
  const dir = mkdtempSync(join(tmpdir(), 'badgey-bench-i18n-'));
  try {
    const bundle = join(dir, 'i18n.mjs');
    const empty = join(dir, 'empty.mjs');
    buildSync({
      entryPoints: [resolve(THIS_FILE, '../../src/i18n/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'error',
    });
    writeFileSync(empty, 'export {};\n');
    const load = importMs(bundle);
    const baseLoad = importMs(empty);
    return [
      {
        name: 'a message from the catalogue (German question footer: plural + 3 placeholders)',
        value: round(catalogue, 0),
        unit: 'ns',
        baseline: round(literal, 0),
        baselineName: 'the template literal it replaced',
        target: '≤ 10000 ns',
        note: 'a reply holds a few dozen messages; a reply takes milliseconds',
      },
      {
        name: 'start-up: load the catalogue (i18next + every locale, fresh process)',
        value: round(load),
        unit: 'ms',
        baseline: round(baseLoad),
        baselineName: 'an empty module, loaded the same way',
        target: '≤ 50 ms',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) console.log(formatRows(await benchI18n()));
