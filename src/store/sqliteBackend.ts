/** The SQLite backend (better-sqlite3): a file (its folder created) or `:memory:`, in WAL mode. */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, SqliteDialect } from 'kysely';
import { DatabaseUnavailableError } from '../quiz/ports.js';
import { retry } from '../retry.js';
import type { Backend } from './backend.js';
import { SQLITE_LOCKED_REASON } from './databaseErrors.js';
import { migrateToLatest } from './migrations.js';

/**
 * How long ONE SQLite statement waits, synchronously, for another process's lock. better-sqlite3
 * waits on the main thread: with the old 5 s, a backup or an operator's `sqlite3` shell holding a
 * write lock froze the whole process (no /help, no /health) for 5 s per write. Longer waits are
 * asynchronous retries (GuardedDialect, `SQLITE_LOCK_WAIT_MS`), during which the event loop runs.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 25;

/**
 * How long a query keeps retrying (asynchronously) while another process holds the write lock,
 * before it fails with DatabaseUnavailableError: short enough that a member still gets an answer
 * ("try again in a moment") within Discord's 3 s.
 */
export const SQLITE_LOCK_WAIT_MS = 2000;

/** How long the health probe tries to take the write lock before reporting the database locked. */
const PING_LOCK_WAIT_MS = 1000;

export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `action` until it does not fail with SQLITE_BUSY, for up to `budgetMs`, sleeping between
 * tries (the event loop runs meanwhile). `onBusy` runs before each wait and may throw to stop.
 */
export function retryWhileBusy<T>(
  action: () => T | Promise<T>,
  budgetMs: number,
  onBusy?: () => void,
): Promise<T> {
  return retry(async () => action(), {
    initialDelayMs: 5,
    maxDelayMs: 100,
    deadline: Date.now() + budgetMs,
    retryIf: isSqliteBusy,
    onRetry: () => onBusy?.(),
  });
}

/**
 * Switches the database to WAL, waiting out other processes doing the same. On a file not yet
 * in WAL, SQLite reads the header under a shared lock and then upgrades to a write lock; it
 * skips the busy handler for that upgrade (deadlock avoidance), so when two processes open a
 * fresh file at once one gets SQLITE_BUSY immediately despite busy_timeout. The failed attempt
 * holds no lock, so retrying is safe; the retry normally finds the file already in WAL.
 */
async function enableWal(connection: BetterSqlite3.Database): Promise<void> {
  await retryWhileBusy(() => connection.pragma('journal_mode = WAL'), 5000);
}

/**
 * Whether another process holds the write lock: tries to take it (and gives it back at once) for
 * up to PING_LOCK_WAIT_MS. Reads go on under another writer in WAL mode, so `select 1` alone said
 * "ready" while every write failed.
 */
async function probeWriteLock(connection: BetterSqlite3.Database): Promise<void> {
  try {
    await retryWhileBusy(() => {
      // Our own transaction holds the lock: nobody else does.
      if (connection.inTransaction) return;
      connection.exec('begin immediate');
      connection.exec('rollback');
    }, PING_LOCK_WAIT_MS);
  } catch (error) {
    if (isSqliteBusy(error)) throw new DatabaseUnavailableError(SQLITE_LOCKED_REASON, { cause: error });
    throw error;
  }
}

/**
 * The database's folder exists and can be written: SQLite writes the file and its -wal and -shm
 * files there. On a read-only filesystem SQLite itself only says "unable to open database file".
 */
function prepareFolder(path: string): void {
  const dir = dirname(resolve(path));
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS')
      throw new Error(
        `cannot open SQLite database ${path}: ${dir} is on a read-only filesystem, and SQLite writes the database and its -wal and -shm files there. Mount a writable volume at ${dir} (Kubernetes: persistence.enabled=true, or an emptyDir) or set DATABASE_URL to a path on one`,
        { cause: error },
      );
    if (code === 'EACCES' || code === 'EPERM')
      throw new Error(
        `cannot open SQLite database ${path}: ${dir} is not writable by this user (uid ${process.getuid?.() ?? '?'}); make it writable or set DATABASE_URL to a writable path`,
        { cause: error },
      );
    throw error;
  }
}

/** Below this much free space on the database's volume, writes are about to fail (SQLITE_FULL). */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * A full volume fails every write while `select 1` still answers: the probe reports the disk, so
 * /ready says what to fix, and turns ready again once space is freed.
 */
async function probeFreeSpace(path: string): Promise<void> {
  const dir = dirname(resolve(path));
  const stats = await statfs(dir).catch(() => undefined);
  if (!stats) return;
  const free = stats.bavail * stats.bsize;
  if (free < MIN_FREE_BYTES)
    throw new DatabaseUnavailableError(
      `disk full: ${Math.floor(free / 1024)} KiB free on the volume of ${dir}`,
    );
}

export async function openSqlite(path: string): Promise<Backend> {
  if (path !== ':memory:') prepareFolder(path);
  let connection: BetterSqlite3.Database;
  try {
    connection = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`cannot open SQLite database ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Even a pragma reads the schema, which another process's lock on a rollback-journal file
  // refuses: then they are applied by migrate(), which retries (before any query: the health
  // monitor and the bot start after the migrations). Never block the start-up on a lock.
  const configure = () => {
    connection.pragma('foreign_keys = ON');
    connection.pragma('synchronous = NORMAL');
  };
  try {
    configure();
  } catch (error) {
    if (!isSqliteBusy(error)) {
      connection.close();
      throw error;
    }
  }
  return {
    dialect: 'sqlite',
    kyselyDialect: new SqliteDialect({ database: connection }),
    async ping() {
      connection.prepare('select 1').get();
      if (path !== ':memory:') await probeFreeSpace(path);
      await probeWriteLock(connection);
    },
    // The switch to WAL needs the lock, so it runs here (in the background, retried while the
    // file is locked, /ready naming why) rather than before the HTTP server listens.
    // One connection per process; BEGIN IMMEDIATE (GuardedDialect) serialises other processes.
    async migrate(db) {
      await retryWhileBusy(configure, 5000);
      await enableWal(connection);
      return migrateToLatest(db as unknown as Kysely<unknown>, 'sqlite');
    },
    async close() {
      if (connection.open) connection.close();
    },
  };
}
