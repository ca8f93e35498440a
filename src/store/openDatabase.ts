import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { type Clock, systemClock } from '../clock.js';
import { parseDatabaseUrl } from '../config/databaseUrl.js';
import { redactUrl } from '../config/redactUrl.js';
import type { ReadinessRegistry } from '../health/ReadinessRegistry.js';
import { METRICS } from '../metrics.js';
import type { LiveGameRepository } from '../quiz/live/ports.js';
import {
  type AttemptRepository,
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type LeaderboardRepository,
  type QuizRepository,
  type Repositories,
  type StatsRepository,
} from '../quiz/ports.js';
import { retry } from '../retry.js';
import type { ScoresRepository } from '../scores/ports.js';
import { DatabaseHealth } from './DatabaseHealth.js';
import { SCHEMA_MISSING_REASON, unavailableReason } from './databaseErrors.js';
import { GuardedDialect } from './GuardedDialect.js';
import { openPostgres } from './postgresBackend.js';
import { SqlAttemptRepository } from './SqlAttemptRepository.js';
import { SqlGuildSettingsRepository } from './SqlGuildSettingsRepository.js';
import { SqlLeaderboardRepository } from './SqlLeaderboardRepository.js';
import { SqlLiveGameRepository } from './SqlLiveGameRepository.js';
import { SqlQuizRepository } from './SqlQuizRepository.js';
import { SqlScoresRepository } from './SqlScoresRepository.js';
import { SqlStatsRepository } from './SqlStatsRepository.js';
import type { DialectName, StoreSchema } from './schema.js';
import { openSqlite } from './sqliteBackend.js';
import type { StoreContext } from './storeContext.js';

export interface OpenDatabaseOptions {
  /** `DATABASE_URL`: `sqlite:PATH`, `sqlite::memory:`, a plain path, or `postgres://…`. */
  url: string;
  logger: Logger;
  /** Called with every query's duration (main wires it to `analytics.recordDbQuery`). */
  onQuery?: (seconds: number) => void;
  /** Where `badgey_db_errors_total{operation}` is registered (none: not registered). */
  metricsRegistry?: Registry;
  /** Receives the `database` component's state. */
  readiness?: ReadinessRegistry;
  clock?: Clock;
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /** PostgreSQL: give up connecting after this long. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** PostgreSQL: server-side statement_timeout (the client gives up 2 s later). Default 10000 ms. */
  statementTimeoutMs?: number;
  /** Health pings while up. Default 5000 ms (1000 ms while down). */
  healthIntervalMs?: number;
}

export interface MigrateOptions {
  /** Keep retrying while the database is unreachable, for up to this long (default 0: fail at once). */
  retryForMs?: number;
  /** Stops retrying, at once even mid-wait (e.g. shutdown began); migrate then throws the last error. */
  signal?: AbortSignal;
}

export interface Database extends Repositories {
  readonly dialect: DialectName;
  readonly quizzes: QuizRepository;
  readonly attempts: AttemptRepository;
  readonly leaderboard: LeaderboardRepository;
  readonly stats: StatsRepository;
  readonly guildSettings: GuildSettingsRepository;
  /** Live channel games and their leases. */
  readonly liveGames: LiveGameRepository;
  /** `/scores` and `/mydata`: export, reset, a member's erasure, retention. */
  readonly scores: ScoresRepository;
  readonly health: DatabaseHealth;
  /**
   * Applies pending migrations (PostgreSQL: under an advisory lock, so replicas never race), then
   * starts the health monitor, which reports `database` ready. Returns the migrations applied.
   */
  migrate(options?: MigrateOptions): Promise<string[]>;
  /** One round trip; throws `DatabaseUnavailableError` when the database does not answer. */
  ping(): Promise<void>;
  /** Stops health checks, reports `database` not ready ("closed") and closes every connection. */
  close(): Promise<void>;
}

function errorsCounter(registry: Registry | undefined): Counter<'operation'> | undefined {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric(METRICS.dbErrorsTotal.name);
  if (existing) return existing as Counter<'operation'>;
  return new Counter({
    ...METRICS.dbErrorsTotal,
    registers: [registry],
  });
}

/**
 * Opens the database named by `url` (no queries run yet except SQLite's pragmas). Next call
 * `migrate()` (which also starts health reporting), and `close()` at shutdown.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const target = parseDatabaseUrl(options.url);
  const logger = options.logger.child({ component: 'database' });
  const backend =
    target.kind === 'sqlite' ? await openSqlite(target.path) : openPostgres(target.url, options, logger);
  logger.info(
    { dialect: backend.dialect, url: target.kind === 'sqlite' ? target.path : redactUrl(target.url) },
    'database opened',
  );

  // The schema vanished under us (the ping says so): migrate again, once at a time, then look again.
  let migrated = false;
  let remigrating: Promise<void> | undefined;
  const migrateAgain = (): void => {
    if (!migrated || remigrating) return;
    logger.warn('database schema missing (emptied or replaced while running): applying the migrations again');
    remigrating = backend
      .migrate(db)
      .then(
        (applied) => logger.info({ applied }, 'database migrated again'),
        (error: unknown) =>
          logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'migrating again failed',
          ),
      )
      .finally(() => {
        remigrating = undefined;
        void health.check();
      });
  };
  const health = new DatabaseHealth({
    ping: async () => {
      // Kysely creates its bookkeeping table before the migrations' transaction commits: while
      // migrating again the ping would find it and report ready before the tables exist.
      if (remigrating) throw new DatabaseUnavailableError(SCHEMA_MISSING_REASON);
      try {
        await backend.ping();
      } catch (error) {
        if (error instanceof DatabaseUnavailableError && error.reason === SCHEMA_MISSING_REASON)
          migrateAgain();
        throw error;
      }
    },
    logger,
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.healthIntervalMs ? { intervalMs: options.healthIntervalMs } : {}),
  });
  health.reportPending('migrations not applied yet');

  const onQuery = options.onQuery;
  const db = new Kysely<StoreSchema>({
    dialect: new GuardedDialect(backend.kyselyDialect, backend.dialect, health),
    log(event) {
      onQuery?.(event.queryDurationMillis / 1000);
    },
  });

  const errors = errorsCounter(options.metricsRegistry);
  const ctx: StoreContext = {
    db,
    dialect: backend.dialect,
    clock: options.clock ?? systemClock,
    onError(operation, error) {
      errors?.inc({ operation });
      logger.debug(
        { operation, err: error instanceof Error ? error.message : String(error) },
        'database operation failed',
      );
    },
  };

  let closed = false;
  return {
    dialect: backend.dialect,
    quizzes: new SqlQuizRepository(ctx),
    attempts: new SqlAttemptRepository(ctx),
    leaderboard: new SqlLeaderboardRepository(ctx),
    stats: new SqlStatsRepository(ctx),
    guildSettings: new SqlGuildSettingsRepository(ctx),
    liveGames: new SqlLiveGameRepository(ctx),
    scores: new SqlScoresRepository(ctx),
    health,
    async migrate(migrateOptions: MigrateOptions = {}) {
      const signal = migrateOptions.signal;
      const applied = await retry(
        async () => {
          try {
            return await backend.migrate(db);
          } catch (error) {
            const reason =
              error instanceof DatabaseUnavailableError ? error.reason : unavailableReason(error);
            if (reason === null) throw error;
            health.reportPending(reason);
            throw error instanceof DatabaseUnavailableError
              ? error
              : new DatabaseUnavailableError(reason, { cause: error });
          }
        },
        {
          initialDelayMs: 500,
          maxDelayMs: 5000,
          deadline: Date.now() + (migrateOptions.retryForMs ?? 0),
          retryIf: (error) => error instanceof DatabaseUnavailableError && !signal?.aborted,
          onRetry: (error, _attempt, retryInMs) =>
            logger.warn(
              { reason: (error as DatabaseUnavailableError).reason, retryInMs },
              'database unavailable at start; retrying migrations',
            ),
          // An abort ends the wait at once, so a shutdown never waits out the backoff.
          sleep: (ms) => sleep(ms, undefined, signal ? { signal } : {}),
        },
      );
      migrated = true;
      if (applied.length > 0) logger.info({ applied }, 'database migrated');
      else logger.debug('database schema up to date');
      await health.start();
      return applied;
    },
    async ping() {
      if (!(await health.check())) throw new DatabaseUnavailableError(health.reason);
    },
    async close() {
      if (closed) return;
      closed = true;
      health.stop('closed');
      await db.destroy();
      await backend.close();
      logger.info('database closed');
    },
  };
}
