import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { type Clock, systemClock } from '../clock.js';
import { parseDatabaseUrl } from '../config/databaseUrl.js';
import { redactUrl } from '../config/redactUrl.js';
import type { ReadinessRegistry } from '../health/ReadinessRegistry.js';
import {
  type AttemptRepository,
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type LeaderboardRepository,
  type QuizRepository,
  type Repositories,
  type StatsRepository,
} from '../quiz/ports.js';
import { DatabaseHealth } from './DatabaseHealth.js';
import { unavailableReason } from './databaseErrors.js';
import { GuardedDialect } from './GuardedDialect.js';
import { migrateToLatest } from './migrations.js';
import { SqlAttemptRepository } from './SqlAttemptRepository.js';
import { SqlGuildSettingsRepository } from './SqlGuildSettingsRepository.js';
import { SqlLeaderboardRepository } from './SqlLeaderboardRepository.js';
import { SqlQuizRepository } from './SqlQuizRepository.js';
import { SqlStatsRepository } from './SqlStatsRepository.js';
import type { DialectName, StoreSchema } from './schema.js';
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

const PG_INT8_OID = 20;
const PG_NUMERIC_OID = 1700;

/** Parses int8/numeric as numbers on OUR pool only (epoch ms and counts fit in a double). */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ((oid === PG_INT8_OID || oid === PG_NUMERIC_OID) && format !== 'binary')
      return (value: string) => Number(value);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

function errorsCounter(registry: Registry | undefined): Counter<'operation'> | undefined {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric('badgey_db_errors_total');
  if (existing) return existing as Counter<'operation'>;
  return new Counter({
    name: 'badgey_db_errors_total',
    help: 'Database operations that failed (not counting "not found"-style outcomes), by repository operation.',
    labelNames: ['operation'],
    registers: [registry],
  });
}

interface Backend {
  dialect: DialectName;
  kyselyDialect: SqliteDialect | PostgresDialect;
  ping(): Promise<void>;
  migrate(db: Kysely<StoreSchema>): Promise<string[]>;
  /** Closes what Kysely's destroy() leaves open (it only closes a driver it initialised). */
  close(): Promise<void>;
}

/** How long a SQLite statement (or the switch to WAL) waits for another process's lock. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Switches the database to WAL, waiting out other processes doing the same. On a file not yet
 * in WAL, SQLite reads the header under a shared lock and then upgrades to a write lock; it
 * skips the busy handler for that upgrade (deadlock avoidance), so when two processes open a
 * fresh file at once one gets SQLITE_BUSY immediately despite busy_timeout. The failed attempt
 * holds no lock, so retrying is safe; the retry normally finds the file already in WAL.
 */
async function enableWal(connection: BetterSqlite3.Database): Promise<void> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  let delayMs = 2;
  for (;;) {
    try {
      connection.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() + delayMs > deadline) throw error;
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 100);
  }
}

async function openSqlite(path: string): Promise<Backend> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  let connection: BetterSqlite3.Database;
  try {
    connection = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`cannot open SQLite database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    await enableWal(connection);
  } catch (error) {
    connection.close();
    throw new Error(`cannot switch SQLite database ${path} to WAL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  connection.pragma('foreign_keys = ON');
  connection.pragma('synchronous = NORMAL');
  return {
    dialect: 'sqlite',
    kyselyDialect: new SqliteDialect({ database: connection }),
    async ping() {
      connection.prepare('select 1').get();
    },
    // One connection per process; BEGIN IMMEDIATE (GuardedDialect) serialises other processes.
    migrate: (db) => migrateToLatest(db as unknown as Kysely<unknown>, 'sqlite'),
    async close() {
      if (connection.open) connection.close();
    },
  };
}

function openPostgres(url: string, options: OpenDatabaseOptions, logger: Logger): Backend {
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 2000,
    application_name: 'badgey',
    types: pgTypes,
  });
  // Without these listeners a connection dropped by the server would crash the process.
  pool.on('error', (error) => logger.debug({ err: error.message }, 'idle database connection failed'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.debug({ err: error.message }, 'database connection failed'));
  });
  // Health pings use their own connection: a pool saturated by a burst of queries is busy, not
  // down, and must not flip readiness or trip the fail-fast guard.
  const pingPool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: connectTimeoutMs,
    application_name: 'badgey-health',
  });
  pingPool.on('error', (error) => logger.debug({ err: error.message }, 'health connection failed'));
  pingPool.on('connect', (client) => {
    client.on('error', (error) => logger.debug({ err: error.message }, 'health connection failed'));
  });
  return {
    dialect: 'postgres',
    kyselyDialect: new PostgresDialect({ pool }),
    async ping() {
      await pingPool.query('select 1');
    },
    async migrate() {
      // A dedicated connection without statement/query timeouts: waiting for another replica's
      // migration, or a long DDL, must not time out.
      const migrationPool = new pg.Pool({
        connectionString: url,
        max: 1,
        connectionTimeoutMillis: connectTimeoutMs,
        application_name: 'badgey-migrate',
        types: pgTypes,
      });
      migrationPool.on('error', (error) =>
        logger.debug({ err: error.message }, 'migration connection failed'),
      );
      const migrationDb = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: migrationPool }) });
      try {
        return await migrationDb.connection().execute(async (connection) => {
          const current = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
            connection,
          );
          const schema = current.rows[0]?.schema;
          if (!schema) throw new Error('database migration failed: the search_path names no existing schema');
          // One lock per schema: replicas sharing a schema take turns, other schemas don't wait.
          await sql`select pg_advisory_lock(hashtext('badgey.migrations'), hashtext(${schema}))`.execute(
            connection,
          );
          try {
            return await migrateToLatest(connection, 'postgres', schema);
          } finally {
            await sql`select pg_advisory_unlock(hashtext('badgey.migrations'), hashtext(${schema}))`.execute(
              connection,
            );
          }
        });
      } finally {
        await migrationDb.destroy();
      }
    },
    async close() {
      if (!pool.ended) await pool.end();
      if (!pingPool.ended) await pingPool.end();
    },
  };
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

  const health = new DatabaseHealth({
    ping: backend.ping,
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
    health,
    async migrate(migrateOptions: MigrateOptions = {}) {
      const deadline = Date.now() + (migrateOptions.retryForMs ?? 0);
      let delayMs = 500;
      let applied: string[];
      for (;;) {
        try {
          applied = await backend.migrate(db);
          break;
        } catch (error) {
          const reason = error instanceof DatabaseUnavailableError ? error.reason : unavailableReason(error);
          if (reason === null) throw error;
          health.reportPending(reason);
          const unavailable =
            error instanceof DatabaseUnavailableError
              ? error
              : new DatabaseUnavailableError(reason, { cause: error });
          const signal = migrateOptions.signal;
          if (Date.now() + delayMs > deadline || signal?.aborted) throw unavailable;
          logger.warn({ reason, retryInMs: delayMs }, 'database unavailable at start; retrying migrations');
          // An abort ends the wait at once, so a shutdown never waits out the backoff.
          await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => {
            throw unavailable;
          });
          delayMs = Math.min(delayMs * 2, 5000);
        }
      }
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
