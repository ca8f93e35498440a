/**
 * `/stats` chart rendering: time per chart through the real path (ChartRenderer → worker thread →
 * Vega-Lite → SVG → resvg PNG) for the sample server's chart, and the memory the chart worker adds
 * to the process. Baseline, in the same run: resvg alone rasterising the same chart's SVG in
 * process — the floor of any SVG → PNG pipeline; the ratio is what Vega's layout and the worker
 * hop add on top.
 *
 *   npx tsx bench/charts.ts        prints the table
 *   import { benchCharts }         returns the rows (bench/run.ts)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_CHART_INPUT } from '../scripts/stats-chart-sample.js';
import { ChartRenderer } from '../src/render/charts/ChartRenderer.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const WARMUP = 5;
const RENDERS = 60;
const MIB = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function timed(run: () => Promise<unknown>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/**
 * RSS of this process plus its child processes (the chart worker is one since it stopped being a
 * thread), roughly what a pod's memory limit counts. Linux /proc; elsewhere only this process.
 */
function treeRss(): number {
  let total = process.memoryUsage().rss;
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
    for (const pid of children.split(' ').filter(Boolean)) {
      try {
        const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        total += Number(kib ?? 0) * 1024;
      } catch {
        // The child exited between the listing and the read.
      }
    }
  } catch {
    // No /proc: this process alone.
  }
  return total;
}

export async function benchCharts(): Promise<BenchRow[]> {
  global.gc?.();
  const rssBefore = treeRss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, treeRss());
  }, 5);
  // The production bundle's worker when built (what the bot runs); else the sources through tsx.
  const bundled = resolve(THIS_FILE, '../../dist/chartWorker.js');
  const workerScript = existsSync(bundled) ? bundled : undefined;
  const charts = new ChartRenderer({ idleMs: 60_000, workerScript });
  const coldStart = performance.now();
  await charts.render(SAMPLE_CHART_INPUT);
  const coldMs = performance.now() - coldStart;
  await timed(() => charts.render(SAMPLE_CHART_INPUT), WARMUP);
  const ours = await timed(() => charts.render(SAMPLE_CHART_INPUT), RENDERS);
  clearInterval(sampler);
  await charts.close();
  await new Promise((done) => setTimeout(done, 200));
  global.gc?.();
  const rssAfterClose = treeRss();

  // Baseline: resvg on the same SVG, in this thread (loads the chart libraries here, after the
  // memory figures above were taken).
  const { renderSvg } = await import('../src/render/charts/renderChartPng.js');
  const { Resvg } = await import('@resvg/resvg-js');
  const require = createRequire(import.meta.url);
  const fontFiles = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')];
  const svg = await renderSvg(SAMPLE_CHART_INPUT);
  const rasterOnly = () =>
    Promise.resolve(
      new Resvg(svg, {
        fitTo: { mode: 'width', value: 1000 },
        background: 'white',
        font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans' },
      })
        .render()
        .asPng(),
    );
  await timed(rasterOnly, WARMUP);
  const bare = await timed(rasterOnly, RENDERS);

  const baselineName = 'resvg alone, same SVG, in process';
  const p50 = round(percentile(ours, 0.5));
  const p99 = round(percentile(ours, 0.99));
  return [
    {
      name: '/stats chart render p50 (worker, warm)',
      value: p50,
      unit: 'ms',
      baseline: round(percentile(bare, 0.5)),
      baselineName,
      target: '≤ 500 ms',
    },
    {
      name: '/stats chart render p99 (worker, warm)',
      value: p99,
      unit: 'ms',
      baseline: round(percentile(bare, 0.99)),
      baselineName,
      target: '≤ 2000 ms',
      note: `ChartRenderer abandons a render after 10000 ms (worker start included); ${RENDERS} renders of the 1000 px sample chart`,
    },
    {
      name: '/stats first chart (worker start + library load)',
      value: round(coldMs),
      unit: 'ms',
      target: '≤ 5000 ms',
      note: 'once per worker: the worker starts on the first chart and stops after 60 s idle',
    },
    {
      name: 'RSS added while the chart worker renders (peak)',
      value: round((rssPeak - rssBefore) / MIB),
      unit: 'MiB',
      target: '≤ 160 MiB',
      note: `bot process + worker child process RSS (the child brings its own Node runtime); worker V8 heap capped at 128 MiB (old generation); ${workerScript ? 'the bundled worker, dist/chartWorker.js' : 'no build: the worker loads the TypeScript sources through tsx'}`,
    },
    {
      name: 'RSS left after the chart worker stopped',
      value: round((rssAfterClose - rssBefore) / MIB),
      unit: 'MiB',
      note: 'the worker child process has exited, so its memory is back with the system; as a worker thread (before) ~80–105 MiB stayed in the bot process',
    },
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) console.log(formatRows(await benchCharts()));
