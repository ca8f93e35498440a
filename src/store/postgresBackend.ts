/** The PostgreSQL backend (pg): a pool for queries, a separate one for health pings. */

import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { DatabaseUnavailableError } from '../quiz/ports.js';
import type { Backend } from './backend.js';
import { SCHEMA_MISSING_REASON } from './databaseErrors.js';
import { migrateToLatest } from './migrations.js';

export interface PostgresOptions {
  /** Pool size. Default 10. */
  poolSize?: number;
  /** Give up connecting after this long. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout (the client gives up 2 s later). Default 10000 ms. */
  statementTimeoutMs?: number;
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

export function openPostgres(url: string, options: PostgresOptions, logger: Logger): Backend {
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
    // Not just `select 1`: a database emptied or replaced while running answers that fine while
    // every command fails. The migrations' bookkeeping table must be there (42P01 otherwise).
    async ping() {
      try {
        await pingPool.query('select 1 from kysely_migration limit 1');
      } catch (error) {
        if ((error as { code?: unknown }).code === '42P01')
          throw new DatabaseUnavailableError(SCHEMA_MISSING_REASON, { cause: error });
        throw error;
      }
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
