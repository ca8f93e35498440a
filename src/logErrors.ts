import pino from 'pino';

/**
 * Errors as log lines, without what a Discord REST error carries: discord.js's DiscordAPIError,
 * HTTPError and RateLimitError hold the request `url` — on an interaction route it contains the
 * interaction token (`/interactions/<id>/<token>/callback`, `/webhooks/<app>/<token>/…`), which
 * lets anyone edit or post the bot's replies for 15 minutes — and the `requestBody` (message
 * text, quiz answers, `<@member>` mentions). A logged error keeps its type, message, stack, code,
 * status and method; the URL becomes a redacted `route`; bodies and Discord's raw error are dropped.
 */

/** Path segments whose next segment is an id worth keeping (not a user's). */
const KEPT_ID_PARENTS = new Set([
  'channels',
  'guilds',
  'messages',
  'webhooks',
  'interactions',
  'applications',
  'commands',
  'roles',
]);
/** Routes whose segment after the id is a token. */
const TOKEN_PARENTS = new Set(['webhooks', 'interactions']);
const SNOWFLAKE = /^\d{15,21}$/;
/** Keys dropped wherever they occur in a serialized error (request bodies, Discord's raw answer). */
const DROPPED_KEYS = new Set(['requestBody', 'rawError', 'body', 'files']);
const MAX_DEPTH = 5;

/**
 * `https://discord.com/api/v10/webhooks/1/abc…/messages/@original?wait=true` →
 * `/webhooks/1/:token/messages/@original`: no query, no token, and ids other than channels,
 * guilds, messages, webhooks, interactions, applications, commands and roles become `:id` (a user's
 * id is never logged raw).
 */
export function redactRoute(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? '';
  }
  const segments = path.replace(/^\/api(\/v\d+)?(?=\/)/, '').split('/');
  return segments
    .map((segment, i) => {
      const parent = segments[i - 1] ?? '';
      const grandparent = segments[i - 2] ?? '';
      if (TOKEN_PARENTS.has(grandparent) && SNOWFLAKE.test(parent)) return ':token';
      if (SNOWFLAKE.test(segment) && !KEPT_ID_PARENTS.has(parent)) return ':id';
      return segment;
    })
    .join('/');
}

function scrub(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (DROPPED_KEYS.has(key)) continue;
    if (key === 'url' && typeof item === 'string') out.route = redactRoute(item);
    else out[key] = scrub(item, depth + 1);
  }
  return out;
}

/** pino's error serializer (type, message, stack, enumerable fields, causes), then scrubbed as above. */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return scrub(error, 0);
  return scrub(pino.stdSerializers.err(error), 0);
}

/** For pino's `formatters.log`: an Error under any top-level key is serialized as above. */
export function serializeErrorFields(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    if (value instanceof Error) {
      out ??= { ...object };
      out[key] = serializeError(value);
    }
  }
  return out ?? object;
}
