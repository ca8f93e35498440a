/**
 * Sanitisers for anything free-form that reaches analytics: error details (which may echo user
 * input, tokens or stack traces) and label-like names (error types, command names).
 */

/** Longest sanitised error detail kept, in characters. */
export const MAX_DETAIL_LENGTH = 300;
/** Longest label (error type, command name) kept, in characters. */
export const MAX_LABEL_LENGTH = 40;

const DISCORD_TOKEN = /[\w-]{24,}\.[\w-]{6}\.[\w-]{27,}/g;
const AUTH_HEADER = /\b(Bot|Bearer|Basic)\s+[\w\-.~+/=]+/gi;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;
const SECRET_ASSIGNMENT =
  /\b(token|password|passwd|secret|salt|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi;
// Discord snowflakes (17–20 digits) are user, guild or message ids: never keep them raw.
const SNOWFLAKE = /\b\d{17,20}\b/g;

/** Reduces any error detail to one short line with secrets and ids removed. */
export function sanitizeErrorDetails(details: unknown): string {
  let text = detailsToText(details);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  text = firstLine
    .replace(DISCORD_TOKEN, '[redacted-token]')
    .replace(AUTH_HEADER, '$1 [redacted]')
    .replace(URL_PASSWORD, '$1:[redacted]@')
    .replace(SECRET_ASSIGNMENT, '$1$2[redacted]')
    .replace(SNOWFLAKE, '[id]')
    .trim();
  if (text.length > MAX_DETAIL_LENGTH) text = `${text.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
  return text;
}

function detailsToText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  if (details instanceof Error) return `${details.name}: ${details.message}`;
  if (typeof details === 'number' || typeof details === 'boolean' || typeof details === 'bigint')
    return String(details);
  if (typeof details === 'object') {
    // Flatten one level as `key=value`, dropping stacks; nested objects are summarised.
    const parts: string[] = [];
    for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
      if (key === 'stack' || key === 'stacktrace' || key === 'traceback') continue;
      if (value instanceof Error) parts.push(`${key}=${value.name}: ${value.message}`);
      else if (value !== null && typeof value === 'object') parts.push(`${key}=[object]`);
      else parts.push(`${key}=${String(value)}`);
      if (parts.length >= 20) break;
    }
    return parts.join(' ');
  }
  return typeof details;
}

/**
 * Turns an arbitrary name into a bounded lower_snake label (`DatabaseError` → `database_error`),
 * so metric labels and statistics keys come from a closed-ish set.
 */
export function sanitizeLabel(name: unknown, fallback = 'unknown'): string {
  if (typeof name !== 'string') return fallback;
  const label = name
    .slice(0, 200)
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LABEL_LENGTH)
    .replace(/_+$/g, '');
  return label.length > 0 ? label : fallback;
}
