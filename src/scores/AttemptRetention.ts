/**
 * `ATTEMPT_RETENTION_DAYS`: once a day, deletes attempts started more than N days ago (with the
 * leaderboard entries they hold), a batch at a time so a first run over years of history never
 * holds the database's write lock for long.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock, Scheduler } from '../clock.js';
import type { Logger } from '../log.js';
import type { ScoresRepository } from './ports.js';

export const DAY_MS = 24 * 3_600_000;

export interface AttemptRetentionOptions {
  scores: Pick<ScoresRepository, 'deleteAttemptsStartedBefore'>;
  days: number;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** Rows per DELETE. Default 1000. */
  batchSize?: number;
  /** Delay before the first run. Default 60 s (start-up stays quick). */
  firstRunDelayMs?: number;
  /** Between runs. Default one day. */
  intervalMs?: number;
}

export class AttemptRetention {
  readonly #options: AttemptRetentionOptions;
  #cancel: (() => void) | null = null;
  #stopped = false;
  #running: Promise<number> | null = null;

  constructor(options: AttemptRetentionOptions) {
    if (!Number.isInteger(options.days) || options.days < 1)
      throw new RangeError(`retention days must be a positive integer (got ${options.days})`);
    this.#options = options;
  }

  start(): void {
    this.#schedule(this.#options.firstRunDelayMs ?? 60_000);
  }

  /** Stops scheduling and waits for a run in progress to end its current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancel?.();
    await this.#running?.catch(() => 0);
  }

  /** One pass: deletes batches until none is full. Returns how many attempts were deleted. */
  async runOnce(): Promise<number> {
    const { scores, clock, days } = this.#options;
    const batchSize = this.#options.batchSize ?? 1000;
    const before = clock.now() - days * DAY_MS;
    let total = 0;
    for (;;) {
      const deleted = await scores.deleteAttemptsStartedBefore(before, batchSize);
      total += deleted;
      if (deleted < batchSize || this.#stopped) break;
      // Let interactions run between batches.
      await yieldToEventLoop();
    }
    return total;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#cancel = this.#options.scheduler.schedule(delayMs, () => {
      this.#running = this.runOnce();
      void this.#running
        .then(
          (deleted) =>
            this.#options.logger.info({ deleted, days: this.#options.days }, 'attempt retention ran'),
          (error: unknown) =>
            this.#options.logger.warn({ err: error }, 'attempt retention failed; retrying tomorrow'),
        )
        .finally(() => {
          this.#running = null;
          this.#schedule(this.#options.intervalMs ?? DAY_MS);
        });
    });
  }
}
