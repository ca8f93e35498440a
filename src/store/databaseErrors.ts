import { DatabaseUnavailableError } from '../quiz/ports.js';

/** Sorting driver errors into "the database is unreachable" (retry later) and everything else. */

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
};

/**
 * Our tables are missing: every relation Badgey queries comes from its migrations, so the database
 * was emptied or replaced (a restore gone wrong) while the bot ran. Not ready, and migrated again.
 */
export const SCHEMA_MISSING_REASON =
  'schema missing (the database was emptied or replaced?): migrating again';

const POSTGRES_CODES: Record<string, string> = {
  '42P01': SCHEMA_MISSING_REASON,
  '57P01': 'server shutting down',
  '57P02': 'server crashed',
  '57P03': 'server starting up',
  '53300': 'too many connections',
  '57014': 'statement timed out',
  '55P03': 'lock timed out',
};

/** SQLITE_BUSY: another process holds the write lock (what /ready and the log say). */
export const SQLITE_LOCKED_REASON = 'database is locked by another process (a backup or a sqlite3 shell?)';

const SQLITE_CODES: Record<string, string> = {
  SQLITE_BUSY: SQLITE_LOCKED_REASON,
  SQLITE_LOCKED: 'database is locked',
  SQLITE_CANTOPEN: 'cannot open database file',
  SQLITE_IOERR: 'disk I/O error',
  SQLITE_FULL: 'disk full',
  SQLITE_READONLY: 'database is read-only',
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A short, secret-free reason when `error` means the database is unreachable or overloaded (the
 * caller should retry later), otherwise null (a bug or a constraint: retrying will not help).
 */
export function unavailableReason(error: unknown): string | null {
  if (error instanceof DatabaseUnavailableError) return error.reason;
  if (!(error instanceof Error)) return null;
  // AggregateError (happy-eyeballs connect) carries the real codes inside.
  if (error instanceof AggregateError)
    for (const inner of error.errors) {
      const reason = unavailableReason(inner);
      if (reason) return reason;
    }
  const code = codeOf(error);
  if (code) {
    if (NETWORK_CODES[code]) return NETWORK_CODES[code];
    if (POSTGRES_CODES[code]) return POSTGRES_CODES[code];
    if (code.startsWith('08')) return 'connection failure';
    const sqliteBase = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
    if (SQLITE_CODES[sqliteBase]) return SQLITE_CODES[sqliteBase];
  }
  const message = error.message;
  if (/timeout exceeded when trying to connect/i.test(message)) return 'connection timed out';
  if (/query read timeout/i.test(message)) return 'query timed out';
  if (/connection terminated|connection error|not queryable|Connection ended/i.test(message))
    return 'connection lost';
  if (/the database connection is not open/i.test(message)) return 'database closed';
  if (/Cannot use a pool after calling end|driver has already been destroyed/i.test(message))
    return 'database closed';
  if (error.cause !== undefined && error.cause !== error) return unavailableReason(error.cause);
  return null;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
