/**
 * `npm run bench`: runs every bench module that exists, each in its own child process with a time
 * budget (a crash, a hang or a thrown error marks that module failed; the others still run), then
 * writes `bench/results.json` and the table between `<!-- bench:start -->` / `<!-- bench:end -->`
 * in README.md's `## Performance` section. The whole run stays under 10 minutes.
 *
 *   npm run bench                    every module
 *   npm run bench -- health fuzz     only these; the other modules' previous rows are kept
 *
 * A bench module is `bench/<file>.ts` exporting `async function bench<Name>(): Promise<BenchRow[]>`
 * (its CLI entry guarded by an "is main" check, so importing it runs nothing). To plug a new one
 * in (the load harness, session memory, …), add it to MODULES.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type BenchResults,
  formatMarkdown,
  type Machine,
  type ModuleOutcome,
  mergeResults,
  type ReportRow,
  ratioCell,
  replaceBenchSection,
  targetMet,
} from './report.js';
import type { BenchRow } from './types.js';

interface BenchModule {
  name: string;
  /** Under bench/. */
  file: string;
  exportName: string;
  /** Killed (with its whole process group) after this long. */
  budgetSeconds: number;
}

/** In run order. Absent files are reported as "not run" and skipped. */
export const MODULES: readonly BenchModule[] = [
  { name: 'analytics', file: 'analytics.ts', exportName: 'benchAnalytics', budgetSeconds: 90 },
  { name: 'health', file: 'health.ts', exportName: 'benchHealth', budgetSeconds: 60 },
  { name: 'discord', file: 'discord.ts', exportName: 'benchDiscord', budgetSeconds: 120 },
  { name: 'sessions', file: 'sessions.ts', exportName: 'benchSessions', budgetSeconds: 90 },
  { name: 'load', file: 'load.ts', exportName: 'benchLoad', budgetSeconds: 90 },
  { name: 'queue', file: 'queue.ts', exportName: 'benchQueue', budgetSeconds: 240 },
  { name: 'live', file: 'live.ts', exportName: 'benchLive', budgetSeconds: 150 },
  { name: 'scores', file: 'scoresExport.ts', exportName: 'benchScoresExport', budgetSeconds: 240 },
  { name: 'charts', file: 'charts.ts', exportName: 'benchCharts', budgetSeconds: 90 },
  { name: 'i18n', file: 'i18n.ts', exportName: 'benchI18n', budgetSeconds: 60 },
  { name: 'fuzz', file: 'fuzz.ts', exportName: 'benchFuzz', budgetSeconds: 240 },
  // podman build (cached layers: seconds; cold: npm ci inside the build) + inspect.
  { name: 'image', file: 'image.ts', exportName: 'benchImage', budgetSeconds: 240 },
];

/** The whole run's bound; each module gets at most what is left of it. */
const TOTAL_BUDGET_SECONDS = 580;

const THIS_FILE = fileURLToPath(import.meta.url);
const BENCH_DIR = import.meta.dirname;
const REPO_ROOT = resolve(BENCH_DIR, '..');
const RESULTS_FILE = join(BENCH_DIR, 'results.json');
const README_FILE = join(REPO_ROOT, 'README.md');

function machine(): Machine {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown CPU',
    cores: cpuList.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

/** Child side: import one module, run it, write its rows as JSON to `outFile`, exit. */
async function runChild(name: string, outFile: string): Promise<void> {
  const module = MODULES.find((candidate) => candidate.name === name);
  if (!module) throw new Error(`unknown bench module ${name}`);
  const imported = (await import(pathToFileURL(join(BENCH_DIR, module.file)).href)) as Record<
    string,
    unknown
  >;
  const bench = imported[module.exportName];
  if (typeof bench !== 'function')
    throw new Error(`bench/${module.file} does not export ${module.exportName}()`);
  const rows = (await (bench as () => Promise<BenchRow[]>)()) ?? [];
  if (!Array.isArray(rows)) throw new Error(`${module.exportName}() did not return an array of rows`);
  writeFileSync(outFile, JSON.stringify(rows));
  // Modules may leave handles (servers, timers) behind; the rows are written, so leave now.
  process.exit(0);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL'); // the module's own children (servers, bots) too
  } catch {
    child.kill('SIGKILL');
  }
}

let running: ChildProcess | undefined;

async function runModule(
  module: BenchModule,
  budgetSeconds: number,
): Promise<{ outcome: ModuleOutcome; rows: BenchRow[] }> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const dir = mkdtempSync(join(tmpdir(), 'badgey-bench-'));
  const outFile = join(dir, 'rows.json');
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--child', module.name, outFile], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true, // its own process group, so a timeout kills what it started
  });
  running = child;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, budgetSeconds * 1000);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', () => done({ code: null, signal: null }));
  });
  clearTimeout(timer);
  killGroup(child); // leftovers of a module that exited without stopping its children
  running = undefined;
  const base = { name: module.name, file: module.file, seconds: seconds() };
  try {
    if (timedOut) {
      return {
        outcome: { ...base, status: 'timeout', error: `exceeded its ${budgetSeconds} s budget` },
        rows: [],
      };
    }
    if (exit.code !== 0 || !existsSync(outFile)) {
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      return { outcome: { ...base, status: 'failed', error: `${how} (see its output above)` }, rows: [] };
    }
    const rows = JSON.parse(readFileSync(outFile, 'utf8')) as BenchRow[];
    return { outcome: { ...base, status: 'ok' }, rows };
  } catch (error) {
    return { outcome: { ...base, status: 'failed', error: String(error) }, rows: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(rows: ReportRow[], modules: ModuleOutcome[]): void {
  const header = ['benchmark', 'value', 'baseline', 'ratio', 'target', 'met'];
  const body = rows.map((row) => {
    const met = targetMet(row);
    return [
      row.name,
      `${row.value} ${row.unit}`,
      row.baseline === undefined ? '' : `${row.baseline} ${row.unit} (${row.baselineName ?? 'baseline'})`,
      ratioCell(row, ''),
      row.target ?? '',
      met === undefined ? '' : met ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((line) => line[column]?.length ?? 0)),
  );
  const line = (cells: string[]) => cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join('  ');
  console.log([line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n'));
  for (const module of modules)
    console.log(
      `${module.name}: ${module.status} (${module.seconds} s)${module.error ? ` — ${module.error}` : ''}`,
    );
}

async function main(selected: string[]): Promise<void> {
  const unknown = selected.filter((name) => !MODULES.some((module) => module.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown bench module(s) ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`,
    );
  }
  const runStarted = performance.now();
  const modules: ModuleOutcome[] = [];
  const rows: ReportRow[] = [];
  for (const module of MODULES) {
    const base = { name: module.name, file: module.file, seconds: 0 };
    if (selected.length > 0 && !selected.includes(module.name)) {
      modules.push({ ...base, status: 'skipped' });
      continue;
    }
    if (!existsSync(join(BENCH_DIR, module.file))) {
      modules.push({ ...base, status: 'absent' });
      continue;
    }
    const left = TOTAL_BUDGET_SECONDS - (performance.now() - runStarted) / 1000;
    if (left < 10) {
      modules.push({ ...base, status: 'timeout', error: 'no time left in the 10-minute run' });
      continue;
    }
    console.error(
      `\n=== bench ${module.name} (budget ${Math.round(Math.min(module.budgetSeconds, left))} s) ===`,
    );
    const { outcome, rows: moduleRows } = await runModule(module, Math.min(module.budgetSeconds, left));
    modules.push(outcome);
    for (const row of moduleRows) {
      const met = targetMet(row);
      rows.push({ module: module.name, ...row, ...(met === undefined ? {} : { met }) });
    }
  }

  const current: BenchResults = { machine: machine(), at: new Date().toISOString(), modules, rows };
  let previous: BenchResults | undefined;
  try {
    previous = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
  } catch {
    previous = undefined;
  }
  const results = selected.length > 0 ? mergeResults(previous, current) : current;
  // Write to a temp name and rename, so an interrupted run never leaves half a file.
  writeFileSync(`${RESULTS_FILE}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${RESULTS_FILE}.tmp`, RESULTS_FILE);
  const readme = readFileSync(README_FILE, 'utf8');
  writeFileSync(README_FILE, replaceBenchSection(readme, formatMarkdown(results)));
  printTable(results.rows, results.modules);
  console.log('\nwrote bench/results.json and the README.md table (## Performance)');
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) {
    await runChild(process.argv[childIndex + 1] ?? '', process.argv[childIndex + 2] ?? '');
  } else {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        if (running) killGroup(running);
        process.exit(130);
      });
    }
    await main(process.argv.slice(2).filter((arg) => arg !== '--'));
  }
}
