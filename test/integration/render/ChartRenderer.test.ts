/**
 * ChartRenderer: the real worker thread with the real chart libraries. Each bound is exercised:
 * a render over its time budget is cut off (worker terminated), a worker over its heap cap dies
 * without taking the process with it, the backlog is capped, bad input is refused with the reason,
 * and the idle worker is stopped.
 */
import { decode } from 'fast-png';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_CHART_INPUT } from '../../../scripts/stats-chart-sample.js';
import { ChartRenderError, ChartRenderer } from '../../../src/render/charts/ChartRenderer.js';

const renderers: ChartRenderer[] = [];
function renderer(options: ConstructorParameters<typeof ChartRenderer>[0] = {}): ChartRenderer {
  // Here the worker loads the TypeScript sources through tsx (the bundle is not built), which on a
  // busy machine takes longer than the production default of 10 s; the time-limit test sets its own.
  const created = new ChartRenderer({ timeoutMs: 60_000, ...options });
  renderers.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(renderers.splice(0).map((r) => r.close()));
});

describe('ChartRenderer', () => {
  it('renders in a worker thread and reuses it; the main thread gets the PNG', async () => {
    const charts = renderer();
    const first = await charts.render(SAMPLE_CHART_INPUT);
    expect(charts.workerRunning).toBe(true);
    const second = await charts.render(SAMPLE_CHART_INPUT);
    expect(Buffer.compare(first.png, second.png)).toBe(0);
    const image = decode(first.png);
    expect([image.width, image.height]).toEqual([first.width, first.height]);
  }, 60_000);

  it('refuses bad input with the reason and keeps working', async () => {
    const charts = renderer();
    await expect(charts.render({ title: 'x', activity: [[1]] })).rejects.toThrow(
      'chart render failed: chart input: activity must have 7 weekday rows',
    );
    await expect(charts.render(SAMPLE_CHART_INPUT)).resolves.toMatchObject({ width: 1000 });
  }, 60_000);

  it('cuts off a render over its time budget and starts a fresh worker for the next', async () => {
    // 1 ms cannot even load the chart libraries: the render is abandoned and the worker terminated.
    const charts = renderer({ timeoutMs: 1 });
    const error = await charts.render(SAMPLE_CHART_INPUT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChartRenderError);
    expect((error as Error).message).toBe('chart render took longer than 1 ms');
    expect(charts.workerRunning).toBe(false);
  }, 60_000);

  it('a worker over its heap cap fails the render, not the process', async () => {
    // 8 MiB lets the worker start but not draw (a cap below 8 is refused: V8 could not even create
    // the isolate, which on Node 24 is a fatal out-of-memory of the whole process).
    expect(() => new ChartRenderer({ maxHeapMb: 2 })).toThrow('maxHeapMb must be ≥ 8');
    const charts = renderer({ maxHeapMb: 8, timeoutMs: 30_000 });
    const error = await charts.render(SAMPLE_CHART_INPUT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChartRenderError);
    expect((error as Error).message).toBe(
      'chart worker failed: Worker terminated due to reaching memory limit: JS heap out of memory',
    );
    expect(charts.workerRunning).toBe(false);
  }, 60_000);

  it('caps the backlog: renders beyond maxQueued are refused at once', async () => {
    const charts = renderer({ maxQueued: 1 });
    const running = charts.render(SAMPLE_CHART_INPUT);
    const queued = charts.render(SAMPLE_CHART_INPUT);
    const refused = charts.render(SAMPLE_CHART_INPUT);
    await expect(refused).rejects.toThrow('too many charts waiting to render');
    await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
  }, 60_000);

  it('stops the idle worker, and close() fails what still waits', async () => {
    const charts = renderer({ idleMs: 50 });
    await charts.render(SAMPLE_CHART_INPUT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(charts.workerRunning).toBe(false);
    const pending = charts.render(SAMPLE_CHART_INPUT).catch((e: unknown) => e);
    const waiting = charts.render(SAMPLE_CHART_INPUT).catch((e: unknown) => e);
    await charts.close();
    expect(((await waiting) as Error).message).toBe('chart renderer is closed');
    expect(await pending).toBeInstanceOf(ChartRenderError);
    await expect(charts.render(SAMPLE_CHART_INPUT)).rejects.toThrow('chart renderer is closed');
  }, 60_000);
});
