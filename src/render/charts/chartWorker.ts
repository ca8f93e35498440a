/**
 * The chart worker process: renders one chart per IPC message, so Vega and resvg load only here,
 * a slow or oversized render can be cut off by killing the process, and everything it allocated
 * (V8 heap, resvg's native buffers) goes back to the OS when it exits — a worker thread's memory
 * stayed with the bot's process after the thread ended (see ChartRenderer).
 * Message in: { id, input }. Message out: { id, png, width, height } or { id, error }.
 * Started by ChartRenderer with `serialization: 'advanced'`, so the PNG travels as bytes.
 */
import { renderChartPng } from './renderChartPng.js';
import type { StatsChartInput } from './statsChartSpec.js';

const send = process.send?.bind(process);
if (!send) throw new Error('chartWorker runs only as a child process started by ChartRenderer');
process.on('message', async (message: { id: number; input: StatsChartInput }) => {
  try {
    const { png, width, height } = await renderChartPng(message.input);
    send({ id: message.id, png, width, height });
  } catch (error) {
    send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
// The bot went away (crash, kill -9): do not linger as an orphan.
process.on('disconnect', () => process.exit(0));
