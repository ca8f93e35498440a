import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StatsChartInput } from './statsChartSpec.js';

const MIN_HEAP_MB = 8;

export interface ChartRendererOptions {
  /** A render taking longer (worker start included) is abandoned and its worker terminated. Default 10000 ms. */
  timeoutMs?: number;
  /** The worker's V8 heap cap (old generation), in MiB; at least 8. Default 128. */
  maxHeapMb?: number;
  /** Renders waiting behind the running one; more are refused at once. Default 8. */
  maxQueued?: number;
  /** The idle worker is stopped after this long, giving its memory back. Default 60000 ms. */
  idleMs?: number;
}

export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
}

/** A render that did not produce an image; the caller answers with text only. */
export class ChartRenderError extends Error {
  override name = 'ChartRenderError';
}

interface Job {
  input: StatsChartInput;
  resolve: (image: ChartImage) => void;
  reject: (error: Error) => void;
}

type WorkerReply =
  | { id: number; png: Uint8Array; width: number; height: number }
  | { id: number; error: string };

/**
 * How to start the worker: the script next to this module when run from tsc's output
 * (dist/render/charts/), or under render/charts/ beside the bundled dist/main.js; under tsx or
 * vitest only the TypeScript source exists, and a small bootstrap loads it through tsx's API
 * (`--import tsx` in a worker's execArgv is not honoured on Node 20).
 */
function workerSource(): { script: URL | string; eval: boolean; workerData?: unknown } {
  for (const candidate of ['./chartWorker.js', './render/charts/chartWorker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return { script: url, eval: false };
  }
  const source = new URL('./chartWorker.ts', import.meta.url);
  if (!existsSync(source)) throw new ChartRenderError('chart worker script not found (run `npm run build`)');
  // tsx's ESM build (its `import` export), found from its package.json.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  return {
    script: `const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then(({ tsImport }) => tsImport(workerData.source, workerData.source));`,
    eval: true,
    workerData: { tsxApi, source: source.href },
  };
}

/**
 * Renders `/stats` charts in a worker thread, one at a time, each bounded in time (timeoutMs: the
 * worker is terminated and the render fails), in memory (the worker's heap is capped; the image
 * size is fixed by the chart layout) and in backlog (maxQueued). The main thread never loads the
 * chart libraries, so the bot's start-up and heap do not pay for them until a chart is asked for,
 * and the worker is stopped again when idle.
 */
export class ChartRenderer {
  readonly #timeoutMs: number;
  readonly #maxHeapMb: number;
  readonly #maxQueued: number;
  readonly #idleMs: number;
  readonly #queue: Job[] = [];
  #worker: Worker | undefined;
  #busy = false;
  #nextId = 1;
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ChartRendererOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxHeapMb = options.maxHeapMb ?? 128;
    // Below a few MiB V8 cannot even create the worker's isolate, and on Node 24 that is a fatal
    // out-of-memory of the whole process, not a worker error.
    if (!(this.#maxHeapMb >= MIN_HEAP_MB)) throw new RangeError(`maxHeapMb must be ≥ ${MIN_HEAP_MB}`);
    this.#maxQueued = options.maxQueued ?? 8;
    this.#idleMs = options.idleMs ?? 60_000;
  }

  /** Renders the chart to PNG; rejects with ChartRenderError when it cannot (timeout, busy, bad input). */
  render(input: StatsChartInput): Promise<ChartImage> {
    if (this.#closed) return Promise.reject(new ChartRenderError('chart renderer is closed'));
    if (this.#queue.length >= this.#maxQueued)
      return Promise.reject(new ChartRenderError('too many charts waiting to render'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the worker; waiting renders fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new ChartRenderError('chart renderer is closed'));
    await this.#stopWorker();
  }

  /** Whether a worker thread is running now (tests and the bench read it). */
  get workerRunning(): boolean {
    return this.#worker !== undefined;
  }

  #pump(): void {
    if (this.#busy) return;
    const job = this.#queue.shift();
    if (!job) {
      this.#armIdleTimer();
      return;
    }
    this.#busy = true;
    clearTimeout(this.#idleTimer);
    const finish = (error: Error | undefined, image?: ChartImage) => {
      this.#busy = false;
      if (error) job.reject(error);
      else if (image) job.resolve(image);
      this.#pump();
    };
    let worker: Worker;
    try {
      worker = this.#ensureWorker();
    } catch (error) {
      finish(error instanceof ChartRenderError ? error : new ChartRenderError(String(error)));
      return;
    }
    const id = this.#nextId++;
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.id !== id) return;
      cleanup();
      if ('error' in reply) finish(new ChartRenderError(`chart render failed: ${reply.error}`));
      else
        finish(undefined, {
          png: Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength),
          width: reply.width,
          height: reply.height,
        });
    };
    const onError = (error: Error) => {
      cleanup();
      this.#worker = undefined;
      // ERR_WORKER_OUT_OF_MEMORY when the heap cap is hit.
      finish(new ChartRenderError(`chart worker failed: ${error.message}`));
    };
    const onExit = (code: number) => {
      cleanup();
      this.#worker = undefined;
      finish(new ChartRenderError(`chart worker exited (code ${code})`));
    };
    const timer = setTimeout(() => {
      cleanup();
      this.#worker = undefined;
      void worker.terminate();
      finish(new ChartRenderError(`chart render took longer than ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage({ id, input: job.input });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const source = workerSource();
    const worker = new Worker(source.script, {
      eval: source.eval,
      workerData: source.workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.#maxHeapMb, maxYoungGenerationSizeMb: 16 },
      stdout: false,
      stderr: false,
    });
    // An idle worker must not keep the process alive (shutdown closes it anyway).
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #armIdleTimer(): void {
    clearTimeout(this.#idleTimer);
    if (!this.#worker) return;
    this.#idleTimer = setTimeout(() => void this.#stopWorker(), this.#idleMs);
    this.#idleTimer.unref();
  }

  async #stopWorker(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
