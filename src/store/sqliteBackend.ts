/** The SQLite backend (better-sqlite3): a file (its folder created) or `:memory:`, in WAL mode. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, SqliteDialect } from 'kysely';
import { retry } from '../retry.js';
import type { Backend } from './backend.js';
import { migrateToLatest } from './migrations.js';

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
  await retry(async () => connection.pragma('journal_mode = WAL'), {
    initialDelayMs: 2,
    maxDelayMs: 100,
    deadline: Date.now() + SQLITE_BUSY_TIMEOUT_MS,
    retryIf: isSqliteBusy,
  });
}

export async function openSqlite(path: string): Promise<Backend> {
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
