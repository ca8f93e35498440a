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

export async function benchCharts(): Promise<BenchRow[]> {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 5);
  const charts = new ChartRenderer({ idleMs: 60_000 });
  const coldStart = performance.now();
  await charts.render(SAMPLE_CHART_INPUT);
  const coldMs = performance.now() - coldStart;
  await timed(() => charts.render(SAMPLE_CHART_INPUT), WARMUP);
  const ours = await timed(() => charts.render(SAMPLE_CHART_INPUT), RENDERS);
  clearInterval(sampler);
  await charts.close();
  await new Promise((done) => setTimeout(done, 200));
  global.gc?.();
  const rssAfterClose = process.memoryUsage().rss;

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
      note: 'worker V8 heap capped at 128 MiB (old generation); here the worker loads the TypeScript sources through tsx, not the production bundle; process RSS, so it also counts what the allocator keeps, and it varies run to run (183.5 MiB in an earlier run the same hour)',
    },
    {
      name: 'RSS left after the chart worker stopped',
      value: round((rssAfterClose - rssBefore) / MIB),
      unit: 'MiB',
      note: 'the worker is terminated, yet most of its RSS stays with the process (freed memory the allocator does not hand back): a follow-up for the pod memory budget',
    },
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) console.log(formatRows(await benchCharts()));
