import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StatsChartInput } from './statsChartSpec.js';

const MIN_HEAP_MB = 8;
/** Kept from the worker's stderr to tell a heap out-of-memory death from other failures. */
const STDERR_TAIL = 4096;

export interface ChartRendererOptions {
  /** A render taking longer (worker start included) is abandoned and its worker killed. Default 10000 ms. */
  timeoutMs?: number;
  /** The worker's V8 heap cap (old generation), in MiB; at least 8. Default 128. */
  maxHeapMb?: number;
  /** Renders waiting behind the running one; more are refused at once. Default 8. */
  maxQueued?: number;
  /** The idle worker is stopped after this long, giving its memory back. Default 60000 ms. */
  idleMs?: number;
  /** A built worker script to run instead of the one found beside this module (the bench uses dist/chartWorker.js). */
  workerScript?: string;
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

interface RunningWorker {
  child: ChildProcess;
  /** The end of its stderr (forwarded to ours as well). */
  stderrTail: string;
}

/** Whether the worker process (its handle, IPC channel and stderr pipe) keeps the event loop alive. */
function hold(child: ChildProcess, on: boolean): void {
  // A child's pipe is a net.Socket at run time, though typed as a Readable.
  const stderr = child.stderr as Socket | null;
  if (on) {
    child.ref();
    child.channel?.ref();
    stderr?.ref();
  } else {
    child.unref();
    child.channel?.unref();
    stderr?.unref();
  }
}

/**
 * How to start the worker: the script next to this module when run from tsc's output
 * (dist/render/charts/), or beside the bundled dist/main.js; under tsx or vitest only the
 * TypeScript source exists, and the child loads it through tsx's loader.
 */
function workerSource(): { script: string; execArgv: string[] } {
  for (const candidate of ['./chartWorker.js', './render/charts/chartWorker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return { script: fileURLToPath(url), execArgv: [] };
  }
  const source = new URL('./chartWorker.ts', import.meta.url);
  if (!existsSync(source)) throw new ChartRenderError('chart worker script not found (run `npm run build`)');
  // tsx's ESM loader (what `--import tsx` resolves to), found from its package.json.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxLoader = pathToFileURL(join(tsxRoot, 'dist/loader.mjs')).href;
  return { script: fileURLToPath(source), execArgv: ['--import', tsxLoader] };
}

/**
 * Renders `/stats` charts in a worker child process, one at a time, each bounded in time (timeoutMs:
 * the worker is killed and the render fails), in memory (the worker's heap is capped with
 * --max-old-space-size; the image size is fixed by the chart layout) and in backlog (maxQueued).
 * The bot never loads the chart libraries, so its start-up and heap do not pay for them until a
 * chart is asked for, and the worker is stopped again when idle.
 *
 * Why a process and not a worker thread: a worker thread's allocations (Vega's heap, resvg's
 * native buffers) stayed in the bot's RSS after the thread was terminated (~95–105 MiB measured
 * with the bundle), which the pod's memory limit would carry for the rest of the process's life;
 * a child's memory goes back to the OS when it exits.
 */
export class ChartRenderer {
  readonly #timeoutMs: number;
  readonly #maxHeapMb: number;
  readonly #maxQueued: number;
  readonly #idleMs: number;
  readonly #workerScript: string | undefined;
  readonly #queue: Job[] = [];
  #worker: RunningWorker | undefined;
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
    this.#workerScript = options.workerScript;
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

  /** Whether a worker process is running now (tests and the bench read it). */
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
    let worker: RunningWorker;
    try {
      worker = this.#ensureWorker();
    } catch (error) {
      finish(error instanceof ChartRenderError ? error : new ChartRenderError(String(error)));
      return;
    }
    const { child } = worker;
    const id = this.#nextId++;
    // While a render is in flight the worker keeps the event loop alive (the reply is awaited).
    hold(child, true);
    const cleanup = () => {
      clearTimeout(timer);
      hold(child, false);
      child.off('message', onMessage);
      child.off('error', onError);
      child.off('close', onExit);
    };
    const forget = () => {
      if (this.#worker === worker) this.#worker = undefined;
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
      // The process could not be started or messaged: do not leave it half alive.
      cleanup();
      forget();
      child.kill('SIGKILL');
      finish(new ChartRenderError(`chart worker failed: ${error.message}`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      forget();
      // V8 aborts the process at its heap cap, printing "JavaScript heap out of memory"; the
      // message is the one the worker thread used to give for the same cause.
      if (/heap out of memory/i.test(worker.stderrTail))
        finish(
          new ChartRenderError(
            'chart worker failed: Worker terminated due to reaching memory limit: JS heap out of memory',
          ),
        );
      else
        finish(new ChartRenderError(`chart worker exited (${signal ? `signal ${signal}` : `code ${code}`})`));
    };
    const timer = setTimeout(() => {
      cleanup();
      forget();
      child.kill('SIGKILL');
      finish(new ChartRenderError(`chart render took longer than ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    child.on('message', onMessage);
    child.once('error', onError);
    // 'close', not 'exit': it comes after stderr has ended, so the out-of-memory text is in.
    child.once('close', onExit);
    child.send({ id, input: job.input });
  }

  #ensureWorker(): RunningWorker {
    if (this.#worker) return this.#worker;
    const source = this.#workerScript ? { script: this.#workerScript, execArgv: [] } : workerSource();
    const child = fork(source.script, [], {
      execArgv: [...source.execArgv, `--max-old-space-size=${this.#maxHeapMb}`, '--max-semi-space-size=8'],
      // Structured clone over IPC, so the PNG arrives as bytes rather than JSON.
      serialization: 'advanced',
      // Nothing of the bot's environment (token, database password…) is needed to draw a chart.
      env: {},
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const worker: RunningWorker = { child, stderrTail: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      worker.stderrTail = (worker.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    // A failure outside a render (e.g. killed while idle) must not be an unhandled 'error' event.
    child.on('error', () => {});
    child.once('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
    });
    // An idle worker must not keep the bot's event loop alive (shutdown closes it anyway).
    hold(child, false);
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
    if (!worker) return;
    const { child } = worker;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    hold(child, true);
    child.kill('SIGKILL');
    await exited;
  }
}
