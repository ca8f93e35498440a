import type { Logger } from 'pino';
import type { ReadinessRegistry } from './health/ReadinessRegistry.js';

/** One piece of cleanup, run in registration order after the health server stops listening. */
export interface ShutdownStep {
  /** Short and stable: it appears in logs (`end-sessions`, `flush-analytics`, `close-database`). */
  name: string;
  run(): Promise<void> | void;
  /**
   * Give up on this step after this long (logged as failed) so later steps — the analytics flush,
   * closing the database — still run. Default: no per-step limit (the watchdog still bounds all).
   */
  timeoutMs?: number;
}

export interface ShutdownSequenceOptions {
  logger: Logger;
  readiness: ReadinessRegistry;
  /** SHUTDOWN_DELAY_SECONDS: how long `/ready` answers 503 before work stops. */
  delaySeconds: number;
  /** SHUTDOWN_TIMEOUT_SECONDS: the watchdog exits 1 if the whole sequence takes longer. */
  timeoutSeconds: number;
  /** Injected for tests; default `process.exit`. */
  exit?: (code: number) => void;
  /** Injected for tests; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** Readiness component reported not ready from the moment shutdown begins. */
export const SHUTDOWN_COMPONENT = 'shutdown';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The SIGTERM/SIGINT sequence. terminus calls the three hooks in order — `beforeShutdown` (readiness
 * flips to 503 at once, watchdog armed, then the delay so the kubelet sees the 503), the HTTP server
 * stops, `onSignal` (the registered steps, in order, each logged with its duration), `onShutdown`
 * ('shutdown complete') — and then exits 0. A failed step is logged and the remaining steps still
 * run (the database still gets closed); the sequence then rejects so terminus exits 1. terminus's
 * own `timeout` only bounds connection draining, so the watchdog here bounds the whole sequence.
 */
export class ShutdownSequence {
  readonly #logger: Logger;
  readonly #readiness: ReadinessRegistry;
  readonly #delayMs: number;
  readonly #timeoutMs: number;
  readonly #exit: (code: number) => void;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #steps: ShutdownStep[] = [];
  #startedAt: number | undefined;
  #currentStep: string | undefined;
  #stepsRun: Promise<void> | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  readonly #begun = new AbortController();

  constructor(options: ShutdownSequenceOptions) {
    this.#logger = options.logger;
    this.#readiness = options.readiness;
    this.#delayMs = Math.max(0, options.delaySeconds * 1000);
    this.#timeoutMs = Math.max(0, options.timeoutSeconds * 1000);
    this.#exit = options.exit ?? ((code) => process.exit(code));
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Registers a cleanup step; steps run in the order they were added. */
  addStep(step: ShutdownStep): void {
    this.#steps.push(step);
  }

  /** Names of the registered steps, in run order. */
  stepNames(): string[] {
    return this.#steps.map((step) => step.name);
  }

  get isShuttingDown(): boolean {
    return this.#startedAt !== undefined;
  }

  /** Aborted the moment shutdown begins: work that would otherwise keep retrying stops. */
  get signal(): AbortSignal {
    return this.#begun.signal;
  }

  /** First hook: flips readiness, arms the watchdog, then waits the configured delay. */
  readonly beforeShutdown = async (): Promise<void> => {
    if (this.#startedAt !== undefined) return;
    this.#begin();
    this.#logger.info(
      { delaySeconds: this.#delayMs / 1000, timeoutSeconds: this.#timeoutMs / 1000, steps: this.stepNames() },
      'shutdown started',
    );
    if (this.#delayMs > 0) await this.#sleep(this.#delayMs);
  };

  /** Second hook (after the HTTP server stopped): runs the steps in order, once however often called. */
  readonly onSignal = (): Promise<void> => {
    this.#stepsRun ??= this.#runSteps();
    return this.#stepsRun;
  };

  async #runSteps(): Promise<void> {
    const failed: string[] = [];
    for (const step of this.#steps) {
      this.#currentStep = step.name;
      const started = performance.now();
      try {
        await withTimeout(
          Promise.resolve().then(() => step.run()),
          step.timeoutMs,
          step.name,
        );
        this.#logger.info({ step: step.name, durationMs: elapsedMs(started) }, 'shutdown step done');
      } catch (error) {
        failed.push(step.name);
        this.#logger.error(
          { step: step.name, durationMs: elapsedMs(started), err: error },
          'shutdown step failed',
        );
      }
    }
    this.#currentStep = undefined;
    if (failed.length > 0) {
      this.#disarmWatchdog();
      this.#logger.error({ failed, durationMs: this.#totalMs() }, 'shutdown finished with errors');
      throw new Error(`shutdown steps failed: ${failed.join(', ')}`);
    }
  }

  /** Last hook: logs completion; terminus exits 0 right after. */
  readonly onShutdown = async (): Promise<void> => {
    this.#disarmWatchdog();
    this.#logger.info({ durationMs: this.#totalMs() }, 'shutdown complete');
  };

  /** The whole sequence without terminus and without the HTTP stop (used by tests and embedding). */
  async run(): Promise<void> {
    await this.beforeShutdown();
    await this.onSignal();
    await this.onShutdown();
  }

  /**
   * A fatal condition that is not a signal (e.g. Discord refused the token): readiness flips, the
   * steps run at once (no delay; the watchdog still applies), then the process exits with `code`.
   * A signal arriving meanwhile joins the same run instead of repeating the steps.
   */
  async exitAfterCleanup(code: number, reason: string): Promise<void> {
    if (this.#startedAt === undefined) {
      this.#begin();
      this.#logger.info({ reason, exitCode: code, steps: this.stepNames() }, 'shutdown started');
    }
    try {
      await this.onSignal();
      await this.onShutdown();
    } catch {
      // Already logged per step; the exit code stays the one the caller asked for.
    }
    this.#exit(code);
  }

  /** Readiness flips to 503, the watchdog is armed and `signal` aborts. */
  #begin(): void {
    this.#startedAt = Date.now();
    this.#readiness.report(SHUTDOWN_COMPONENT, { ready: false, reason: 'shutting down' });
    this.#armWatchdog();
    this.#begun.abort();
  }

  #armWatchdog(): void {
    // Deliberately NOT unref'd: if a step awaits a promise that nothing will ever settle and no other
    // handle is left, an unref'd timer would let Node drain the loop and exit 0 as if all went well.
    // terminus always ends with an explicit process.exit, so a ref'd watchdog never delays a good exit.
    this.#watchdog = setTimeout(() => {
      this.#logger.fatal(
        { timeoutSeconds: this.#timeoutMs / 1000, pendingStep: this.#currentStep ?? null },
        'shutdown timed out; exiting',
      );
      this.#exit(1);
    }, this.#timeoutMs);
  }

  #disarmWatchdog(): void {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  #totalMs(): number {
    return this.#startedAt === undefined ? 0 : Date.now() - this.#startedAt;
  }
}

function withTimeout(work: Promise<void>, timeoutMs: number | undefined, name: string): Promise<void> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step ${name} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 10) / 10;
}

export interface FatalHandlerOptions {
  logger: Logger;
  /** Best-effort last work before exiting (the analytics export). */
  flush: () => Promise<void>;
  /** Give up on `flush` after this long. Default 3000 ms. */
  flushTimeoutMs?: number;
  exit?: (code: number) => void;
}

/**
 * Uncaught exceptions and unhandled rejections leave the process in an unknown state: log fatal,
 * try to flush the analytics export (bounded), exit 1. Returns a function that uninstalls them.
 */
export function installFatalHandlers(options: FatalHandlerOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const flushTimeoutMs = options.flushTimeoutMs ?? 3000;
  let exiting = false;

  const die = (error: unknown, origin: string) => {
    options.logger.fatal({ err: error, origin }, 'fatal error; exiting');
    if (exiting) return;
    exiting = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, flushTimeoutMs);
    });
    Promise.race([
      Promise.resolve()
        .then(options.flush)
        .catch((flushError: unknown) =>
          options.logger.error({ err: flushError }, 'flush after fatal error failed'),
        ),
      timeout,
    ]).finally(() => {
      clearTimeout(timer);
      exit(1);
    });
  };
  const onException = (error: Error, origin: string) => die(error, origin);
  const onRejection = (reason: unknown) => die(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
