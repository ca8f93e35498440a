/**
 * `npm run bench -- scores`: `/scores export` of 100,000 attempts — time and peak memory of the
 * real path (ScoresRepository keyset pages → csv-stringify → byte limit → file) beside the obvious
 * in-memory way (one query for every row, the whole CSV built as one string, then written), on
 * the same SQLite file. Each run is its own child process, so peak RSS (`maxRSS`) belongs to that
 * run alone; the memory figure is peak RSS minus RSS just before the export. Flatness: the same
 * streamed export of 10,000 attempts, whose peak should be about the same.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { pino } from 'pino';
import { EXPORT_COLUMNS, toRecord, writeExport } from '../src/scores/exportWriter.js';
import { openDatabase } from '../src/store/openDatabase.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(import.meta.dirname, '..');
const GUILD = '100000000000000001';
const SMALL_GUILD = '100000000000000002';
const NAMES = ['Capitals, rivers & "mountains"', '漢字クイズ：第１回', 'Line one\nline two', 'Planets'];

interface ChildResult {
  ms: number;
  rows: number;
  bytes: number;
  /** Peak RSS of the run minus RSS before the export, MB. */
  peakMb: number;
}

/** A SQLite file with `large` attempts in GUILD and `small` in SMALL_GUILD, over four quizzes each. */
export async function seed(dir: string, large: number, small: number): Promise<string> {
  const url = `sqlite:${join(dir, 'bench.sqlite')}`;
  const db = await openDatabase({ url, logger: pino({ level: 'silent' }) });
  const quizIds: Record<string, number[]> = { [GUILD]: [], [SMALL_GUILD]: [] };
  try {
    await db.migrate();
    for (const guild of [GUILD, SMALL_GUILD])
      for (const name of NAMES)
        quizIds[guild]?.push(
          (
            await db.quizzes.create(guild, '1', {
              name,
              description: null,
              timerSeconds: 30,
              questionLimit: null,
              shuffle: false,
              opensAt: null,
              closesAt: null,
            })
          ).id,
        );
  } finally {
    await db.close();
  }
  // Bulk rows straight into the file: one transaction, one prepared statement.
  const file = new BetterSqlite3(url.slice('sqlite:'.length));
  const insert = file.prepare(
    `insert into attempts (guild_id, user_id, quiz_id, score, max_score, correct_count, question_count,
       started_at, completed_at, duration_seconds, status, mode)
     values (?, ?, ?, ?, 100, ?, 10, ?, ?, ?, 'completed', 'solo')`,
  );
  const start = Date.UTC(2025, 0, 1);
  file.transaction(() => {
    for (const [guild, count] of [
      [GUILD, large],
      [SMALL_GUILD, small],
    ] as const) {
      const ids = quizIds[guild] ?? [];
      for (let i = 0; i < count; i++) {
        const startedAt = start + i * 37_000;
        insert.run(
          guild,
          String(300000000000000000n + BigInt(i % 2000)),
          ids[i % ids.length],
          i % 101,
          i % 11,
          startedAt,
          startedAt + 95_500,
          95.5,
        );
      }
    }
  })();
  file.close();
  return url;
}

/** One measured export in this (child) process. */
async function runChild(
  variant: 'streamed' | 'in-memory',
  url: string,
  guild: string,
  out: string,
): Promise<ChildResult> {
  const db = await openDatabase({ url, logger: pino({ level: 'silent' }) });
  await db.migrate();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let rows = 0;
  if (variant === 'streamed') {
    const written = await writeExport(db.scores.exportAttempts(guild, {}), {
      format: 'csv',
      path: out,
      maxBytes: 1 << 30,
      names: async (ids) => new Map(ids.map((id) => [id, `Member ${id.slice(-4)}`])),
    });
    rows = written.rows;
  } else {
    // The same rows as one array (a page size past the count: one query), then one CSV string.
    const all = [];
    for await (const row of db.scores.exportAttempts(guild, {}, 10_000)) all.push(row);
    const records = all.map((row) => toRecord(row, `Member ${row.userId.slice(-4)}`));
    const csv = stringify(records, {
      header: true,
      columns: [...EXPORT_COLUMNS],
      record_delimiter: '\r\n',
      escape_formulas: true,
    });
    writeFileSync(out, csv);
    rows = records.length;
  }
  const ms = performance.now() - started;
  await db.close();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return { ms, rows, bytes: statSync(out).size, peakMb: Math.max(0, peakRss - rssBefore) / 2 ** 20 };
}

/**
 * V8 heap of the flatness runs: old space capped at this (MB), young generation fixed at 2 MB
 * semi-spaces. Without fixed sizes V8 grows the young generation with the allocation rate (up to
 * ~100 MB here), so a longer export shows a higher RSS that is garbage, not data.
 */
const CAPPED_HEAP_MB = 48;

/** One export in a child process (`heapMb`: its old-space cap); null when it failed (e.g. out of memory). */
function child(
  variant: string,
  url: string,
  guild: string,
  out: string,
  heapMb?: number,
): Promise<ChildResult | null> {
  const flags = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=2'];
  return new Promise((done) => {
    const proc = spawn(
      process.execPath,
      [...flags, '--import', 'tsx', THIS_FILE, '--child', variant, url, guild, out],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let text = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    proc.once('exit', (code) => done(code === 0 ? (JSON.parse(text) as ChildResult) : null));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchScoresExport(
  options: { attempts?: number; runs?: number } = {},
): Promise<BenchRow[]> {
  const attempts = options.attempts ?? 100_000;
  const small = Math.round(attempts / 10);
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'badgey-bench-scores-'));
  try {
    const url = await seed(dir, attempts, small);
    const ours: ChildResult[] = [];
    const base: ChildResult[] = [];
    const capped: ChildResult[] = [];
    const tiny: ChildResult[] = [];
    const must = (result: ChildResult | null, what: string): ChildResult => {
      if (!result) throw new Error(`${what} export failed`);
      return result;
    };
    for (let i = 0; i < runs; i++) {
      // Alternated, so machine noise falls on both alike.
      ours.push(must(await child('streamed', url, GUILD, join(dir, `s${i}.csv`)), 'streamed'));
      base.push(must(await child('in-memory', url, GUILD, join(dir, `m${i}.csv`)), 'in-memory'));
      capped.push(
        must(await child('streamed', url, GUILD, join(dir, `c${i}.csv`), CAPPED_HEAP_MB), 'capped'),
      );
      tiny.push(
        must(await child('streamed', url, SMALL_GUILD, join(dir, `t${i}.csv`), CAPPED_HEAP_MB), 'small'),
      );
    }
    // The in-memory way under the same cap, once: it needs the whole file in the heap.
    const baseCapped = await child('in-memory', url, GUILD, join(dir, 'mc.csv'), CAPPED_HEAP_MB);
    const oursMs = median(ours.map((r) => r.ms));
    const baseMs = median(base.map((r) => r.ms));
    const oursMb = median(ours.map((r) => r.peakMb));
    const baseMb = median(base.map((r) => r.peakMb));
    const tinyMb = median(tiny.map((r) => r.peakMb));
    const cappedMb = median(capped.map((r) => r.peakMb));
    const mb = (n: number) => Math.round(n * 10) / 10;
    const fileMb = (ours[0]?.bytes ?? 0) / 2 ** 20;
    return [
      {
        name: `/scores export of ${attempts.toLocaleString('en-US')} attempts (CSV, streamed): time`,
        value: Math.round(oursMs),
        unit: 'ms',
        baseline: Math.round(baseMs),
        baselineName: 'all rows in one array, CSV built as one string',
        target: '≤ 1.25×',
        note: `${(ours[0]?.rows ?? 0).toLocaleString('en-US')} rows, ${fileMb.toFixed(1)} MiB file; median of ${runs} runs, each in its own process`,
      },
      {
        name: `/scores export of ${attempts.toLocaleString('en-US')} attempts: peak memory above the idle process`,
        value: mb(oursMb),
        unit: 'MB',
        baseline: mb(baseMb),
        baselineName: 'all rows in one array, CSV built as one string',
        target: '≤ 0.33×',
        note: 'peak RSS of the run minus RSS before the export, default V8 flags (the young generation grows with the allocation rate: garbage, see the capped row)',
      },
      {
        name: `streamed export in a ${CAPPED_HEAP_MB} MB heap: peak memory, ${attempts.toLocaleString('en-US')} ÷ ${small.toLocaleString('en-US')} attempts`,
        value: Math.round((cappedMb / Math.max(tinyMb, 0.1)) * 100) / 100,
        unit: '×',
        target: `fits the ${CAPPED_HEAP_MB} MB heap at ${attempts.toLocaleString('en-US')} (the in-memory way does not)`,
        met: baseCapped === null,
        note: `${mb(cappedMb)} MB at ${attempts.toLocaleString('en-US')} vs ${mb(tinyMb)} MB at ${small.toLocaleString('en-US')} (peak RSS above idle, old space ${CAPPED_HEAP_MB} MB, semi-space 2 MB); the in-memory way in the same heap: ${baseCapped ? `${mb(baseCapped.peakMb)} MB` : 'fails (out of memory)'}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [variant, url, guild, out] = process.argv.slice(at + 1);
    const result = await runChild(
      variant === 'in-memory' ? 'in-memory' : 'streamed',
      url ?? '',
      guild ?? '',
      out ?? '',
    );
    process.stdout.write(JSON.stringify(result));
    process.exit(0);
  }
  process.stdout.write(`${formatRows(await benchScoresExport())}\n`);
  process.exit(0);
}
