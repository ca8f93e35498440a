/**
 * The chart worker thread: renders one chart per message, so Vega and resvg load only here and a
 * slow or oversized render can be cut off by terminating the thread (see ChartRenderer).
 * Message in: { id, input }. Message out: { id, png, width, height } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { renderChartPng } from './renderChartPng.js';
import type { StatsChartInput } from './statsChartSpec.js';

if (!parentPort) throw new Error('chartWorker.ts runs only as a worker thread');
const port = parentPort;
port.on('message', async (message: { id: number; input: StatsChartInput }) => {
  try {
    const { png, width, height } = await renderChartPng(message.input);
    port.postMessage({ id: message.id, png, width, height }, [png.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
