/**
 * The benchmark report: the results file shape, the Markdown table written into README.md between
 * `<!-- bench:start -->` and `<!-- bench:end -->`, and the "target met?" rule. Pure functions, so
 * the report format is unit-tested (test/unit/bench/report.test.ts) without running a benchmark.
 */
import type { BenchRow } from './types.js';

export const BENCH_START = '<!-- bench:start -->';
export const BENCH_END = '<!-- bench:end -->';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

/** How one bench module fared: rows only come from `ok` modules. */
export interface ModuleOutcome {
  name: string;
  file: string;
  /** `skipped`: not selected in a partial run (`npm run bench -- health`). */
  status: 'ok' | 'failed' | 'timeout' | 'absent' | 'skipped';
  seconds: number;
  error?: string;
}

/** A row of results.json: the module's BenchRow plus which module produced it and the met verdict. */
export type ReportRow = BenchRow & { module: string };

export interface BenchResults {
  machine: Machine;
  /** ISO 8601 time the run finished. */
  at: string;
  modules: ModuleOutcome[];
  rows: ReportRow[];
}

/**
 * The ratio of every row, in ONE direction: ours ÷ baseline (value / baseline). For times, sizes
 * and costs lower is better (0.5× = half the baseline's); a module never computes it itself, so the
 * table cannot mix directions (it showed "0.63×" beside "12.7×", both meaning "better").
 */
export function ratioOf(row: Pick<BenchRow, 'value' | 'baseline'>): number | undefined {
  if (row.baseline === undefined || !(row.baseline > 0) || !Number.isFinite(row.value)) return undefined;
  const ratio = row.value / row.baseline;
  return Math.round(ratio * (ratio < 1 ? 1000 : 100)) / (ratio < 1 ? 1000 : 100);
}

const COMPARISON = /^\s*([≤≥<>]=?)\s*([\d.]+)\s*(×|x\b|[^\s,;(]+)?/u;

/**
 * Whether a row met its target: the module's own verdict when given, else derived from a target
 * of the form `≤ 5 ms` / `≥ 10 k/s` (compared with the value when the unit matches the row's) or
 * `≥ 10× …` / `≤ 1.5× …` (compared with the ratio). Undefined when the target says neither.
 */
export function targetMet(row: BenchRow): boolean | undefined {
  if (row.met !== undefined) return row.met;
  if (row.target === undefined) return undefined;
  const match = COMPARISON.exec(row.target);
  if (!match) return undefined;
  const [, op, numberText, unit] = match;
  const limit = Number(numberText);
  if (!Number.isFinite(limit)) return undefined;
  let actual: number | undefined;
  if (unit === '×' || unit === 'x') actual = ratioOf(row);
  else if (unit === undefined || unit === row.unit) actual = row.value;
  if (actual === undefined || !Number.isFinite(actual)) return undefined;
  switch (op) {
    case '≤':
    case '<=':
      return actual <= limit;
    case '<':
      return actual < limit;
    case '≥':
    case '>=':
      return actual >= limit;
    case '>':
      return actual > limit;
    default:
      return undefined;
  }
}

/** The ratio column: `0.74×`, or `none` when the row has no baseline. */
export function ratioCell(row: Pick<BenchRow, 'value' | 'baseline'>, none: string): string {
  const ratio = ratioOf(row);
  return ratio === undefined ? none : `${formatNumber(ratio)}×`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** The Markdown that goes between the README markers. */
export function formatMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines = [
    `Measured by \`npm run bench\` on ${results.at.slice(0, 16).replace('T', ' ')} UTC — ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}, ${m.os}. Baselines run in the same run on the same machine; ratio = ours ÷ baseline (below 1× is lower than the baseline: better for times, sizes and costs).`,
    '',
    '| Benchmark | Value | Baseline | Ratio | Target | Met |',
    '|---|---:|---|---:|---|:---:|',
  ];
  for (const row of results.rows) {
    const met = targetMet(row);
    lines.push(
      `| ${[
        cell(row.name),
        `${formatNumber(row.value)} ${row.unit}`,
        row.baseline === undefined
          ? '—'
          : cell(`${formatNumber(row.baseline)} ${row.unit} (${row.baselineName ?? 'baseline'})`),
        ratioCell(row, '—'),
        cell(row.target ?? '—'),
        met === undefined ? '—' : met ? 'yes' : '**no**',
      ].join(' | ')} |`,
    );
  }
  const notes = results.rows.filter((row) => row.note);
  const problems = results.modules.filter((module) => module.status !== 'ok');
  if (notes.length > 0 || problems.length > 0) lines.push('');
  for (const row of notes) lines.push(`- ${cell(row.name)}: ${cell(row.note ?? '')}`);
  for (const module of problems) {
    const why =
      module.status === 'absent'
        ? `not run (\`bench/${module.file}\` does not exist yet)`
        : module.status === 'skipped'
          ? 'not run in this run'
          : `**${module.status}** after ${module.seconds} s: ${cell(module.error ?? '')}`;
    lines.push(`- ${module.name}: ${why}`);
  }
  return lines.join('\n');
}

/**
 * README.md with `markdown` between the bench markers. When the markers are missing, a
 * `## Performance` section holding them is appended at the end; nothing outside them changes.
 */
export function replaceBenchSection(readme: string, markdown: string): string {
  const start = readme.indexOf(BENCH_START);
  const end = readme.indexOf(BENCH_END);
  if (start !== -1 && end > start) {
    return `${readme.slice(0, start + BENCH_START.length)}\n${markdown}\n${readme.slice(end)}`;
  }
  const section = [
    '## Performance',
    '',
    'Written by `npm run bench` (`make bench`): each figure beside a baseline measured in the same run. Raw numbers: `bench/results.json`.',
    '',
    BENCH_START,
    markdown,
    BENCH_END,
    '',
  ].join('\n');
  return `${readme.replace(/\n*$/, '\n\n')}${section}`;
}

/**
 * Merges a partial run (`npm run bench -- health`) into the previous results: rows and outcomes of
 * the modules that ran replace theirs, the others are kept.
 */
export function mergeResults(previous: BenchResults | undefined, current: BenchResults): BenchResults {
  if (!previous) return current;
  const ran = new Set(current.modules.filter((m) => m.status !== 'skipped').map((m) => m.name));
  const order = current.modules.map((m) => m.name);
  const modules = current.modules.map((m) =>
    m.status === 'skipped' ? (previous.modules.find((p) => p.name === m.name) ?? m) : m,
  );
  const rows = [
    ...previous.rows.filter((row) => !ran.has(row.module)),
    ...current.rows.filter((row) => ran.has(row.module)),
  ].sort((a, b) => order.indexOf(a.module) - order.indexOf(b.module));
  return { ...current, modules, rows };
}

/** Rows as an aligned plain-text table, for a bench module run on its own. */
export function formatRows(rows: BenchRow[]): string {
  const header = ['benchmark', 'value', 'baseline', 'ratio', 'target'];
  const body = rows.map((row) => [
    row.name,
    `${row.value} ${row.unit}`,
    row.baseline === undefined ? '' : `${row.baseline} ${row.unit} (${row.baselineName ?? 'baseline'})`,
    ratioCell(row, ''),
    row.target ?? '',
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((line) => line[column]!.length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}
