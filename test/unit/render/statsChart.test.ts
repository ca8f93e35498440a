/**
 * The /stats chart: rendered offline (Vega-Lite → SVG → resvg with the bundled DejaVu font), decoded
 * as a real PNG, and compared with the committed sample (docs/stats-chart-sample.png, shown in the
 * README) within a small tolerance. Rewrite the sample after a deliberate change with
 * `npx tsx scripts/stats-chart-sample.ts`.
 */
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import pixelmatch from 'pixelmatch';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CHART_FILE, SAMPLE_CHART_INPUT } from '../../../scripts/stats-chart-sample.js';
import { renderChartPng, renderSvg } from '../../../src/render/charts/renderChartPng.js';
import {
  CHART_WIDTH_PX,
  type StatsChartInput,
  statsChartSpec,
} from '../../../src/render/charts/statsChartSpec.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** RGBA pixels of a PNG (fast-png gives RGB or RGBA at 8 bits for these images). */
function rgba(png: Uint8Array): { width: number; height: number; data: Uint8ClampedArray } {
  const image = decode(png);
  expect(image.depth).toBe(8);
  const { width, height, channels } = image;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = image.data[i * channels + c]!;
    data[i * 4 + 3] = channels === 4 ? image.data[i * channels + 3]! : 255;
  }
  return { width, height, data };
}

function colourStats(data: Uint8ClampedArray): { nonWhite: number; colours: number } {
  let nonWhite = 0;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (r < 250 || g < 250 || b < 250) nonWhite++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { nonWhite, colours: colours.size };
}

describe('stats chart rendering', () => {
  it('renders a PNG: signature, fixed width, a height from the layout, and drawn (non-blank) pixels', async () => {
    const { png, width, height } = await renderChartPng(SAMPLE_CHART_INPUT);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const image = rgba(png);
    expect(image.width).toBe(CHART_WIDTH_PX);
    expect([image.width, image.height]).toEqual([width, height]);
    expect(height).toBeGreaterThan(400);
    expect(height).toBeLessThan(800);
    const { nonWhite, colours } = colourStats(image.data);
    // Cells, bars, axes and text: far from blank, with the blues of the heat map and anti-aliased text.
    expect(nonWhite / (width * height)).toBeGreaterThan(0.2);
    expect(colours).toBeGreaterThan(50);
  });

  it('matches the committed sample image within a small tolerance', async () => {
    const fresh = rgba((await renderChartPng(SAMPLE_CHART_INPUT)).png);
    const reference = rgba(new Uint8Array(readFileSync(SAMPLE_CHART_FILE)));
    expect([fresh.width, fresh.height]).toEqual([reference.width, reference.height]);
    const differing = pixelmatch(fresh.data, reference.data, undefined, fresh.width, fresh.height, {
      threshold: 0.1,
    });
    expect(differing / (fresh.width * fresh.height)).toBeLessThan(0.002);
  });

  it('the comparison can fail: different data differs from the sample by far more than the tolerance', async () => {
    const other: StatsChartInput = {
      ...SAMPLE_CHART_INPUT,
      activity: SAMPLE_CHART_INPUT.activity.map((row) => [...row].reverse()),
    };
    const fresh = rgba((await renderChartPng(other)).png);
    const reference = rgba(new Uint8Array(readFileSync(SAMPLE_CHART_FILE)));
    const differing = pixelmatch(fresh.data, reference.data, undefined, fresh.width, fresh.height, {
      threshold: 0.1,
    });
    expect(differing / (fresh.width * fresh.height)).toBeGreaterThan(0.02);
  });

  it('draws text with the bundled font: the title is in the SVG and glyphs reach the PNG', async () => {
    const svg = await renderSvg(SAMPLE_CHART_INPUT);
    expect(svg).toContain('Riverside School');
    expect(svg).toContain('DejaVu Sans');
    // The title strip (top 30 px) is white without text: with glyphs it has dark pixels.
    const { width, data } = rgba((await renderChartPng(SAMPLE_CHART_INPUT)).png);
    let dark = 0;
    for (let i = 0; i < width * 30 * 4; i += 4) if (data[i]! < 80) dark++;
    expect(dark).toBeGreaterThan(500);
  });

  it('leaves out the score panel without scores, and refuses malformed input with the reason', () => {
    const { scores: _scores, ...withoutScores } = SAMPLE_CHART_INPUT;
    expect((statsChartSpec(withoutScores) as { vconcat: unknown[] }).vconcat).toHaveLength(1);
    expect(() => statsChartSpec({ ...withoutScores, activity: [[1]] })).toThrow(
      'chart input: activity must have 7 weekday rows',
    );
    const negative = SAMPLE_CHART_INPUT.activity.map((row) => [...row]);
    negative[2]![5] = -1;
    expect(() => statsChartSpec({ ...withoutScores, activity: negative })).toThrow(
      'chart input: activity[2][5] must be a whole number ≥ 0, got -1',
    );
    expect(() => statsChartSpec({ ...SAMPLE_CHART_INPUT, scores: { quizName: 'q', bins: [1, 2] } })).toThrow(
      'chart input: scores must have 10 bins',
    );
  });

  it('cuts a long server or quiz name instead of widening the image', async () => {
    const long = 'W'.repeat(300);
    const { width } = await renderChartPng({
      title: long,
      activity: SAMPLE_CHART_INPUT.activity,
      scores: { quizName: long, bins: SAMPLE_CHART_INPUT.scores!.bins },
    });
    expect(width).toBe(CHART_WIDTH_PX);
    const svg = await renderSvg({ ...SAMPLE_CHART_INPUT, title: long });
    expect(svg).toContain(`${'W'.repeat(79)}…`);
    expect(svg).not.toContain('W'.repeat(80));
  });
});
