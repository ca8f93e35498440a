import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SQLITE_PATH, parseDatabaseUrl } from '../../../src/config/databaseUrl.js';
import { DatabaseUnavailableError } from '../../../src/quiz/ports.js';
import { unavailableReason } from '../../../src/store/databaseErrors.js';
import { openDatabase } from '../../../src/store/openDatabase.js';

describe('DATABASE_URL', () => {
  it.each([
    ['', { kind: 'sqlite', path: DEFAULT_SQLITE_PATH }],
    ['sqlite:./data/x.sqlite', { kind: 'sqlite', path: './data/x.sqlite' }],
    ['sqlite:///var/lib/badgey.db', { kind: 'sqlite', path: '/var/lib/badgey.db' }],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['/tmp/plain.sqlite', { kind: 'sqlite', path: '/tmp/plain.sqlite' }],
    ['postgres://u:p@db:5432/badgey', { kind: 'postgres', url: 'postgres://u:p@db:5432/badgey' }],
    ['postgresql://db/badgey', { kind: 'postgres', url: 'postgresql://db/badgey' }],
  ])('parses %j', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it('rejects an unknown scheme without showing the password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).toThrow(
      /unsupported scheme in mysql:\/\/root:\[REDACTED\]@db\/x/,
    );
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/needs a file path/);
  });

  it('never logs the password when opening', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const db = await openDatabase({
      url: 'postgres://badgey:hunter2@127.0.0.1:1/none',
      logger,
      connectTimeoutMs: 500,
    });
    await expect(db.migrate()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await db.close();
    expect(lines.join('')).toContain('postgres://badgey:[REDACTED]@127.0.0.1:1/none');
    expect(lines.join('')).not.toContain('hunter2');
  });
});

describe('unavailable errors', () => {
  it('classifies connection-level failures and leaves the rest alone', () => {
    const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    expect(unavailableReason(coded('ECONNREFUSED'))).toBe('connection refused');
    expect(unavailableReason(new AggregateError([coded('ECONNREFUSED')], ''))).toBe('connection refused');
    expect(unavailableReason(coded('57P01'))).toBe('server shutting down');
    expect(unavailableReason(coded('08006'))).toBe('connection failure');
    expect(unavailableReason(coded('SQLITE_BUSY'))).toBe(
      'database is locked by another process (a backup or a sqlite3 shell?)',
    );
    expect(unavailableReason(coded('SQLITE_IOERR_WRITE'))).toBe('disk I/O error');
    expect(unavailableReason(new Error('Connection terminated unexpectedly'))).toBe('connection lost');
    expect(unavailableReason(new Error('timeout exceeded when trying to connect'))).toBe(
      'connection timed out',
    );
    expect(unavailableReason(new DatabaseUnavailableError('ping timed out'))).toBe('ping timed out');
    expect(unavailableReason(new Error('wrapped', { cause: coded('ECONNRESET') }))).toBe('connection reset');
    expect(unavailableReason(coded('23505'))).toBeNull();
    expect(unavailableReason(coded('SQLITE_CONSTRAINT_CHECK'))).toBeNull();
    expect(unavailableReason(new Error('syntax error'))).toBeNull();
  });
});
