/**
 * The sample server's `/stats` chart: fixed data for the committed docs/stats-chart-sample.png,
 * which the README shows and test/unit/render/statsChart.test.ts compares a fresh render with.
 * Usage: npx tsx scripts/stats-chart-sample.ts   (rewrites the PNG after a deliberate change)
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatsChartInput } from '../src/render/charts/statsChartSpec.js';

export const SAMPLE_CHART_FILE = join(
  resolve(fileURLToPath(import.meta.url), '../..'),
  'docs/stats-chart-sample.png',
);

/** A school server: quiz evenings on weekdays after class, a long Sunday afternoon. */
function sampleActivity(): number[][] {
  const evening = [0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 2, 4, 3, 2, 6, 9, 12, 14, 11, 8, 5, 2, 1];
  const sunday = [1, 0, 0, 0, 0, 0, 0, 0, 1, 3, 6, 9, 11, 14, 16, 15, 12, 9, 7, 5, 3, 2, 1, 0];
  return [
    evening,
    evening.map((n) => Math.round(n * 0.8)),
    evening.map((n, h) => (h >= 16 && h <= 19 ? n + 6 : n)),
    evening.map((n) => Math.round(n * 0.9)),
    evening.map((n) => Math.round(n * 0.5)),
    sunday.map((n) => Math.round(n * 0.6)),
    sunday,
  ];
}

export const SAMPLE_CHART_INPUT: StatsChartInput = {
  title: 'Quiz statistics · Riverside School',
  activity: sampleActivity(),
  scores: { quizName: 'Capitals of Europe', bins: [1, 2, 4, 7, 12, 18, 24, 19, 11, 6] },
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { renderChartPng } = await import('../src/render/charts/renderChartPng.js');
  const { png, width, height } = await renderChartPng(SAMPLE_CHART_INPUT);
  writeFileSync(SAMPLE_CHART_FILE, png);
  console.log(`wrote ${SAMPLE_CHART_FILE} (${width}×${height}, ${png.length} bytes)`);
}
