import type { Logger } from 'pino';
import type { ReadinessRegistry } from '../health/ReadinessRegistry.js';
import { DatabaseUnavailableError } from '../quiz/ports.js';
import { unavailableReason } from './databaseErrors.js';

export const DATABASE_COMPONENT = 'database';

export interface DatabaseHealthOptions {
  /** One round trip (SELECT 1) that throws when the database cannot answer. */
  ping: () => Promise<void>;
  logger: Logger;
  readiness?: ReadinessRegistry;
  /** Between pings while the database answers. Default 5000. */
  intervalMs?: number;
  /** Between pings while it does not (faster recovery). Default 1000. */
  downIntervalMs?: number;
  /** A ping slower than this counts as down. Default 3000. */
  pingTimeoutMs?: number;
}

type State = 'unknown' | 'up' | 'down';

/**
 * Watches the database: pings it periodically (and at once after a query failed for a
 * connection-level reason), reports the `database` readiness component, logs each state change
 * once, and — while the database is known down — makes queries fail fast with
 * `DatabaseUnavailableError` instead of queueing on a dead pool.
 */
export class DatabaseHealth {
  readonly #options: Required<Omit<DatabaseHealthOptions, 'readiness'>> & { readiness?: ReadinessRegistry };
  #state: State = 'unknown';
  #reason = 'not checked yet';
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = false;
  #inFlight: Promise<boolean> | undefined;

  constructor(options: DatabaseHealthOptions) {
    this.#options = {
      intervalMs: 5000,
      downIntervalMs: 1000,
      pingTimeoutMs: 3000,
      ...options,
    };
  }

  get available(): boolean {
    return this.#state === 'up';
  }

  /** Why the database is not available (meaningless while available). */
  get reason(): string {
    return this.#reason;
  }

  /** Reports not ready until the first successful ping (e.g. before migrations ran). */
  reportPending(reason: string): void {
    this.#reason = reason;
    this.#options.readiness?.report(DATABASE_COMPONENT, { ready: false, reason });
  }

  /** Starts periodic pings (the first one now). The timer never keeps the process alive. */
  start(): Promise<boolean> {
    this.#running = true;
    this.#stopped = false;
    return this.check();
  }

  stop(reason = 'closed'): void {
    this.#running = false;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#state = 'down';
    this.#reason = reason;
    this.#options.readiness?.report(DATABASE_COMPONENT, { ready: false, reason });
  }

  /** Pings now (joining a ping already under way); true when the database answered. */
  check(): Promise<boolean> {
    this.#inFlight ??= this.#ping().finally(() => {
      this.#inFlight = undefined;
      this.#scheduleNext();
    });
    return this.#inFlight;
  }

  /** Called by the driver when a query failed for a connection-level reason: verify at once. */
  reportQueryFailure(): void {
    if (this.#running) void this.check();
  }

  /** Throws `DatabaseUnavailableError` while the database is known to be down. */
  assertAvailable(): void {
    if (this.#state === 'down') throw new DatabaseUnavailableError(this.#reason);
  }

  async #ping(): Promise<boolean> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#options.ping(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new DatabaseUnavailableError('ping timed out')),
            this.#options.pingTimeoutMs,
          );
          timeout.unref();
        }),
      ]);
      this.#transition('up', 'ok');
      return true;
    } catch (error) {
      const reason =
        error instanceof DatabaseUnavailableError
          ? error.reason
          : (unavailableReason(error) ?? (error instanceof Error ? error.message : String(error)));
      this.#transition('down', reason);
      return false;
    } finally {
      if (timeout) clearTimeout(timeout);
    }
  }

  #transition(state: State, reason: string): void {
    // A ping that was under way when stop() ran must not revive the component.
    if (this.#stopped) return;
    const changed = this.#state !== state || (state === 'down' && this.#reason !== reason);
    const previous = this.#state;
    this.#state = state;
    this.#reason = reason;
    if (state === 'up') this.#options.readiness?.report(DATABASE_COMPONENT, { ready: true });
    else this.#options.readiness?.report(DATABASE_COMPONENT, { ready: false, reason });
    if (!changed) return;
    if (state === 'up') this.#options.logger.info({ previous }, 'database is available');
    else this.#options.logger.warn({ reason }, 'database is unavailable');
  }

  #scheduleNext(): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    const delay = this.#state === 'up' ? this.#options.intervalMs : this.#options.downIntervalMs;
    this.#timer = setTimeout(() => void this.check(), delay);
    this.#timer.unref();
  }
}
