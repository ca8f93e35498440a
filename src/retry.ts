/**
 * The one retry loop: exponential backoff with optional jitter, bounded by attempts and/or a
 * deadline, with the decision to retry and the log line left to the caller. Used by command
 * registration, Discord login, start-up migrations, SQLite's switch to WAL and live-game effects.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';

export interface RetryOptions {
  /** Wait before the second attempt; doubled after each failure, up to `maxDelayMs`. */
  initialDelayMs: number;
  /** Default: no cap. */
  maxDelayMs?: number;
  /** Each wait is scaled by a random factor in [1 − jitter, 1 + jitter). Default 0. */
  jitter?: number;
  /** At most this many attempts in all. Default: no limit. */
  attempts?: number;
  /** Give up rather than wait past this time (`now()` units). Default: no deadline. */
  deadline?: number;
  /** False: the error is final and thrown at once (e.g. a 4xx, or shutdown began). Default: retry all. */
  retryIf?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait, e.g. to log `retryInMs`. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** How to wait. A wait that rejects (e.g. aborted) ends the retries with the last error. */
  sleep?: (ms: number) => Promise<unknown>;
  now?: () => number;
}

/** Runs `work` until it resolves, the error is final, or attempts/deadline run out (then throws the last error). */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts = Number.POSITIVE_INFINITY, deadline = Number.POSITIVE_INFINITY, jitter = 0 } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  let delayMs = options.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const waitMs = Math.round(delayMs * (1 - jitter + Math.random() * 2 * jitter));
      if (attempt >= attempts || now() + waitMs > deadline) throw error;
      if (options.retryIf && !options.retryIf(error, attempt)) throw error;
      options.onRetry?.(error, attempt, waitMs);
      try {
        await sleep(waitMs);
      } catch {
        throw error;
      }
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? Number.POSITIVE_INFINITY);
    }
  }
}
