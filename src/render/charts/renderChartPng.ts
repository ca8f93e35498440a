/**
 * Spec → PNG, offline: Vega-Lite compiles the spec, Vega renders it to SVG text (its headless
 * `renderer: 'none'` view, no canvas, no browser), resvg (Rust, shipped prebuilt in its npm
 * package) rasterises the SVG with the DejaVu Sans file from the `dejavu-fonts-ttf` package and no
 * system fonts, so a render is the same on every machine and in a container without fonts.
 * Runs in the chart worker (chartWorker.ts): these libraries never load in the bot's main thread.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { CHART_WIDTH_PX, type StatsChartInput, statsChartSpec } from './statsChartSpec.js';

const require = createRequire(import.meta.url);
/** Resolved from node_modules at run time (the bundle does not carry the font files). */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

export async function renderSvg(input: StatsChartInput): Promise<string> {
  const { spec } = compile(statsChartSpec(input));
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface RenderedPng {
  png: Uint8Array;
  width: number;
  height: number;
}

export async function renderChartPng(input: StatsChartInput): Promise<RenderedPng> {
  const svg = await renderSvg(input);
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: CHART_WIDTH_PX },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
