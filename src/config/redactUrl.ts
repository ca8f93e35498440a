const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
export const REDACTED = '[REDACTED]';

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
