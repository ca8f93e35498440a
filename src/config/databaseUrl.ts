/** Where the bot's data lives, as decided by `DATABASE_URL`. */
export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const POSTGRES_SCHEMES = new Set(['postgres', 'postgresql']);
export const REDACTED = '[REDACTED]';

/**
 * Reads `DATABASE_URL`: `sqlite:PATH`, a plain file path, or `postgres://` / `postgresql://`.
 * Returns undefined when the value is none of these.
 */
export function parseDatabaseUrl(value: string): DatabaseLocation | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const scheme = URL_SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!POSTGRES_SCHEMES.has(scheme)) return undefined;
    try {
      new URL(trimmed);
    } catch {
      return undefined;
    }
    return { kind: 'postgres', url: trimmed };
  }
  if (/^sqlite:/i.test(trimmed)) {
    // `sqlite://path` is a common spelling too; both mean a file path.
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=.)/, '');
    return path === '' ? undefined : { kind: 'sqlite', path };
  }
  return { kind: 'sqlite', path: trimmed };
}

/** Splits `scheme://userinfo@rest` at the LAST `@`, so an unencoded `@` in a password stays masked. */
function splitUserinfo(url: string): { prefix: string; userinfo: string; rest: string } | undefined {
  const scheme = URL_SCHEME.exec(url);
  if (!scheme) return undefined;
  const afterScheme = url.slice(scheme[0].length);
  const at = afterScheme.lastIndexOf('@');
  if (at < 0) return undefined;
  return { prefix: scheme[0], userinfo: afterScheme.slice(0, at), rest: afterScheme.slice(at + 1) };
}

/** The password of a `scheme://user:password@host/…` URL, as written (percent-encoded), if any. */
export function urlPassword(url: string): string | undefined {
  const parts = splitUserinfo(url);
  const colon = parts?.userinfo.indexOf(':') ?? -1;
  const password = colon >= 0 ? parts?.userinfo.slice(colon + 1) : undefined;
  const fromQuery = /[?&]password=([^&#]*)/i.exec(url)?.[1];
  return password || fromQuery || undefined;
}

/** Masks the password of a URL for display: `postgres://badgey:[REDACTED]@db:5432/badgey`. */
export function redactUrl(url: string): string {
  const withoutQueryPassword = url.replace(/([?&]password=)[^&#]*/gi, `$1${REDACTED}`);
  const parts = splitUserinfo(withoutQueryPassword);
  if (!parts) return withoutQueryPassword;
  const colon = parts.userinfo.indexOf(':');
  if (colon < 0) return withoutQueryPassword;
  return `${parts.prefix}${parts.userinfo.slice(0, colon)}:${REDACTED}@${parts.rest}`;
}
