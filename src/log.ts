import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Config, LogLevel } from './config/Config.js';
import { CONFIG_KEYS } from './config/configKeys.js';
import { REDACTED, redactUrl, urlPassword } from './config/redactUrl.js';
import { serializeError, serializeErrorFields } from './logErrors.js';

export { redactUrl } from './config/redactUrl.js';

/** The logger every module takes; import the type from here, not from pino. */
export type Logger = PinoLogger;

export interface CreateLoggerOptions {
  level: LogLevel;
  /** `json`; `pretty` (human-readable); `auto`: pretty when the destination is a terminal. */
  format: 'json' | 'pretty' | 'auto';
  /** Literal secret values scrubbed from every line (shorter than MIN_SECRET_LENGTH: ignored). */
  secrets?: readonly string[];
  /** Where lines go. Default: stdout, written synchronously. */
  destination?: DestinationStream;
}

/** Shorter values would scrub ordinary words out of logs; config validation keeps real secrets longer. */
export const MIN_SECRET_LENGTH = 6;

const SECRET_FIELDS = CONFIG_KEYS.filter((key) => key.secret);
/** Keys whose values are URLs: their password is masked, the rest stays readable. */
const URL_FIELDS = ['databaseUrl', 'DATABASE_URL', 'connectionString'];
const SECRET_NAMES = [
  'token',
  'authorization',
  'Authorization',
  'password',
  'salt',
  'secret',
  'cookie',
  ...SECRET_FIELDS.flatMap((key) => [key.field, key.env]),
  ...URL_FIELDS,
];

/** pino `redact` paths: each secret-looking name at the top level and one level down, plus headers. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_NAMES.flatMap((name) => [name, `*.${name}`]),
  ...['headers', 'req.headers', 'request.headers', '*.headers'].flatMap((headers) => [
    `${headers}.authorization`,
    `${headers}.cookie`,
  ]),
];

function censor(value: unknown, path: string[]): unknown {
  const name = path[path.length - 1] ?? '';
  return typeof value === 'string' && URL_FIELDS.includes(name) ? redactUrl(value) : REDACTED;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression matching every secret as written raw or JSON-escaped; undefined if none. */
function secretPattern(secrets: readonly string[]): RegExp | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  if (forms.size === 0) return undefined;
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

/**
 * The last line of defence: replaces every literal secret in each serialized line before it
 * reaches the destination, then pretty-prints if asked. Synchronous, so nothing is lost on exit.
 */
class ScrubbingStream implements DestinationStream {
  constructor(
    private readonly destination: DestinationStream,
    private readonly pattern: RegExp | undefined,
    private readonly prettify: ((line: string) => string) | undefined,
  ) {}

  write(line: string): void {
    const scrubbed = this.pattern ? line.replace(this.pattern, REDACTED) : line;
    this.destination.write(this.prettify ? this.prettify(scrubbed) : scrubbed);
  }

  flush(callback?: (error?: Error) => void): void {
    const inner = this.destination as { flush?: (cb?: (error?: Error) => void) => void };
    if (inner.flush) inner.flush(callback);
    else callback?.();
  }

  flushSync(): void {
    (this.destination as { flushSync?: () => void }).flushSync?.();
  }
}

/** The process logger: JSON lines (or pretty on a terminal), secrets redacted by path and by value. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const isTerminal = options.destination
    ? (options.destination as { isTTY?: boolean }).isTTY === true
    : process.stdout.isTTY === true;
  const pretty = options.format === 'pretty' || (options.format === 'auto' && isTerminal);
  const prettify = pretty
    ? prettyFactory({ colorize: isTerminal, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : undefined;
  const stream = new ScrubbingStream(destination, secretPattern(options.secrets ?? []), prettify);
  return pino(
    {
      level: options.level,
      redact: { paths: [...REDACT_PATHS], censor },
      // Discord REST errors carry the request URL (interaction tokens) and body (message text,
      // member mentions): every logged error goes through serializeError, under any key.
      serializers: { err: serializeError, error: serializeError, cause: serializeError },
      formatters: { log: serializeErrorFields },
    },
    stream,
  );
}

/** The secret values of a config: token, salt, health token, and the database password (as written and decoded). */
export function secretsOf(config: Config): string[] {
  const secrets = SECRET_FIELDS.map((key) => config[key.field]).filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const password = urlPassword(config.databaseUrl);
  if (password) {
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the password as written is all there is.
    }
  }
  return [...new Set(secrets)];
}
