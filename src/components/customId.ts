/**
 * Versioned custom ids for buttons, selects and modals: `bdg1:<handler>:<action>:<arg>…`.
 * The version prefix lets a newer Badgey recognise components it did not render (messages
 * outlive deployments) and answer politely instead of misrouting them.
 */

/** The current scheme. Bump it when the meaning of handler/action/args changes incompatibly. */
export const CUSTOM_ID_VERSION = 'bdg1';
/** Discord rejects custom ids longer than this. */
export const CUSTOM_ID_MAX_LENGTH = 100;

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export interface ParsedCustomId {
  /** Which component handler owns the component (a key of a command's `components`/`modals`). */
  handler: string;
  /** What the handler should do (e.g. `answer`, `next`). */
  action: string;
  /** Handler-specific arguments, unescaped. */
  args: string[];
}

export type CustomIdError =
  /** Not ours, or from a scheme this version no longer understands. */
  | { kind: 'unknownVersion'; version: string }
  /** Our prefix, but not a well-formed id (truncated, bad escape, missing parts). */
  | { kind: 'malformed'; reason: string };

export type CustomIdResult = { ok: true; value: ParsedCustomId } | { ok: false; error: CustomIdError };

// Only `:` (the separator) and `%` (the escape) need escaping; everything else passes through so ids stay short.
function escapeArg(arg: string): string {
  return arg.replaceAll('%', '%25').replaceAll(':', '%3A');
}

function unescapeArg(arg: string): string | undefined {
  if (/%(?!25|3A)/i.test(arg)) return undefined;
  return arg.replaceAll(/%3A/gi, ':').replaceAll('%25', '%');
}

/**
 * Builds a custom id. Throws a RangeError for a bad handler/action name or an id over 100
 * characters: both are programming errors in a renderer, caught by tests, never user input.
 */
export function encodeCustomId(handler: string, action: string, ...args: (string | number)[]): string {
  if (!NAME_PATTERN.test(handler))
    throw new RangeError(`custom id handler "${handler}" must match ${NAME_PATTERN}`);
  if (!NAME_PATTERN.test(action))
    throw new RangeError(`custom id action "${action}" must match ${NAME_PATTERN}`);
  const id = [CUSTOM_ID_VERSION, handler, action, ...args.map((arg) => escapeArg(String(arg)))].join(':');
  if (id.length > CUSTOM_ID_MAX_LENGTH) {
    throw new RangeError(
      `custom id is ${id.length} characters, Discord allows ${CUSTOM_ID_MAX_LENGTH}: ${id}`,
    );
  }
  return id;
}

/** Parses a custom id from an interaction. Never throws: anything unexpected is an error result. */
export function parseCustomId(customId: string): CustomIdResult {
  const parts = customId.split(':');
  const version = parts[0] ?? '';
  if (version !== CUSTOM_ID_VERSION) return { ok: false, error: { kind: 'unknownVersion', version } };
  const [, handler, action, ...rawArgs] = parts;
  if (handler === undefined || !NAME_PATTERN.test(handler)) {
    return { ok: false, error: { kind: 'malformed', reason: 'missing or invalid handler' } };
  }
  if (action === undefined || !NAME_PATTERN.test(action)) {
    return { ok: false, error: { kind: 'malformed', reason: 'missing or invalid action' } };
  }
  const args: string[] = [];
  for (const raw of rawArgs) {
    const arg = unescapeArg(raw);
    if (arg === undefined)
      return { ok: false, error: { kind: 'malformed', reason: 'invalid escape in argument' } };
    args.push(arg);
  }
  return { ok: true, value: { handler, action, args } };
}
