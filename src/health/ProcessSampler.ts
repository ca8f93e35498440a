import { readFile } from 'node:fs/promises';
import { type ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import pidusage from 'pidusage';

/** One background measurement of this process. `/health` serves the latest one as is. */
export interface ProcessSample {
  /** When the sample was taken, ms since the epoch. */
  takenAt: number;
  /** CPU use since the previous sample, in % of one core (can exceed 100 on several cores). */
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** OS threads of this process (see `threadCountSource`). */
  threadCount: number;
  /** Where `threadCount` came from: `/proc/self/status`, or the estimate used where /proc is absent. */
  threadCountSource: 'proc' | 'estimate';
  /** Event-loop delay over the last sampling window, in milliseconds. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export interface ProcessSamplerOptions {
  /** Time between samples. Default 5000 ms. */
  intervalMs?: number;
  /** Where the thread count is read. Default `/proc/self/status`; tests point it elsewhere. */
  procStatusPath?: string;
  /** CPU % source. Default pidusage on this pid. */
  readCpuPercent?: () => Promise<number>;
  /** Called when a sample fails (it is then skipped; the previous sample stays). */
  onError?: (error: unknown) => void;
}

/** Resolution of the event-loop delay monitor; each recorded interval includes it once. */
const EVENT_LOOP_RESOLUTION_MS = 10;
const BYTES_PER_MB = 1024 * 1024;

/**
 * Threads when /proc is absent (macOS, some sandboxes): the main JS thread plus the libuv
 * threadpool (`UV_THREADPOOL_SIZE`, default 4). It undercounts V8's own platform threads, so it is
 * an estimate, flagged as such in the sample.
 */
export function estimatedThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const poolSize = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  return 1 + (Number.isInteger(poolSize) && poolSize > 0 ? poolSize : 4);
}

/** Parses the `Threads:` line of a /proc/<pid>/status file; undefined when it has none. */
export function parseThreadCount(procStatus: string): number | undefined {
  const match = /^Threads:\s*(\d+)\s*$/m.exec(procStatus);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 10);
}

export function bytesToMb(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MB) * 10) / 10;
}

async function pidusageCpuPercent(): Promise<number> {
  return (await pidusage(process.pid)).cpu;
}

/**
 * Samples CPU, memory, threads and event-loop delay in the background, every `intervalMs` (first
 * sample at `start()`). `latest()` returns the cached sample synchronously: a health request never
 * waits for I/O or for pidusage.
 */
export class ProcessSampler {
  readonly #intervalMs: number;
  readonly #procStatusPath: string;
  readonly #readCpuPercent: () => Promise<number>;
  readonly #onError: (error: unknown) => void;
  readonly #loopDelay: ELDHistogram;
  #latest: ProcessSample;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<ProcessSample> | undefined;
  #samplesTaken = 0;

  constructor(options: ProcessSamplerOptions = {}) {
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#procStatusPath = options.procStatusPath ?? '/proc/self/status';
    this.#readCpuPercent = options.readCpuPercent ?? pidusageCpuPercent;
    this.#onError = options.onError ?? (() => {});
    this.#loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.#latest = this.#initialSample();
  }

  /** The newest completed sample (before the first background sample: a cheap synchronous one). */
  latest(): ProcessSample {
    return this.#latest;
  }

  /** How many background samples have completed (tests and diagnostics). */
  get samplesTaken(): number {
    return this.#samplesTaken;
  }

  start(): void {
    if (this.#timer) return;
    this.#loopDelay.enable();
    void this.sampleNow();
    this.#timer = setInterval(() => void this.sampleNow(), this.#intervalMs);
    // The sampler must never keep a finished process alive.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#loopDelay.disable();
  }

  /** Takes a sample now (joining one already running) and caches it. Never rejects. */
  sampleNow(): Promise<ProcessSample> {
    this.#inFlight ??= this.#takeSample().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #takeSample(): Promise<ProcessSample> {
    try {
      const [cpuPercent, threads] = await Promise.all([this.#readCpuPercent(), this.#readThreads()]);
      const memory = process.memoryUsage();
      this.#latest = {
        takenAt: Date.now(),
        cpuPercent: Math.round(cpuPercent * 10) / 10,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        threadCount: threads.count,
        threadCountSource: threads.source,
        eventLoopDelayMs: this.#drainLoopDelay(),
      };
      this.#samplesTaken += 1;
    } catch (error) {
      this.#onError(error);
    }
    return this.#latest;
  }

  async #readThreads(): Promise<{ count: number; source: 'proc' | 'estimate' }> {
    try {
      const count = parseThreadCount(await readFile(this.#procStatusPath, 'utf8'));
      if (count !== undefined) return { count, source: 'proc' };
    } catch {
      // No /proc here: fall through to the documented estimate.
    }
    return { count: estimatedThreadCount(), source: 'estimate' };
  }

  /** Reads the window's event-loop delay and starts a new window. */
  #drainLoopDelay(): ProcessSample['eventLoopDelayMs'] {
    const histogram = this.#loopDelay;
    if (histogram.count === 0) return { p50: 0, p99: 0, max: 0 };
    // Each recorded value is the interval between monitor ticks, so it contains the resolution once.
    const toDelayMs = (ns: number) =>
      Math.round(Math.max(0, ns / 1e6 - EVENT_LOOP_RESOLUTION_MS) * 100) / 100;
    const delay = {
      p50: toDelayMs(histogram.percentile(50)),
      p99: toDelayMs(histogram.percentile(99)),
      max: toDelayMs(histogram.max),
    };
    histogram.reset();
    return delay;
  }

  #initialSample(): ProcessSample {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const uptimeMicros = Math.max(1, process.uptime() * 1e6);
    return {
      takenAt: Date.now(),
      cpuPercent: Math.round(((cpu.user + cpu.system) / uptimeMicros) * 1000) / 10,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      threadCount: estimatedThreadCount(),
      threadCountSource: 'estimate',
      eventLoopDelayMs: { p50: 0, p99: 0, max: 0 },
    };
  }
}
