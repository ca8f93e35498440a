/** Parsing of `DATABASE_URL` (shown only through `redactUrl`). */
import { redactUrl } from './redactUrl.js';

export type DatabaseTarget =
  | { kind: 'sqlite' /** A file path, or `:memory:`. */; path: string }
  | { kind: 'postgres'; url: string };

export const DEFAULT_SQLITE_PATH = './data/badgey.sqlite';

/**
 * `sqlite:PATH`, `sqlite://PATH`, `sqlite::memory:`, a plain path (SQLite), or
 * `postgres://…` / `postgresql://…`. Empty → the default SQLite file.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const value = url.trim();
  if (value === '') return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (/^sqlite:/i.test(value)) {
    let path = value.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '')
      throw new Error('DATABASE_URL: `sqlite:` needs a file path, e.g. sqlite:./data/badgey.sqlite');
    return { kind: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new Error(
      `DATABASE_URL: unsupported scheme in ${redactUrl(value)} (use sqlite:PATH or postgres://…)`,
    );
  return { kind: 'sqlite', path: value };
}
