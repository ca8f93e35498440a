import { isIP } from 'node:net';
import { z } from 'zod';
import { type Config, LOG_LEVELS } from './Config.js';
import { parseDatabaseUrl } from './databaseUrl.js';

/** A value as found in a source: env and `.env` give strings; the config file may also give a list. */
export type RawValue = string | string[];

/** One configuration key: the single place that ties its env name, parser, default and docs together. */
export interface ConfigKeySpec<T = unknown> {
  /** Environment variable name, also the key in the config file. */
  env: string;
  /** Parses a raw value; its error message is the key's problem text ("must be …"). */
  schema: z.ZodType<T>;
  /** Used when no source sets the key (undefined: the key stays unset). */
  default: T;
  /** Shown in the docs instead of the default value, when the value alone would mislead. */
  defaultDoc?: string;
  /** A secret is never echoed in errors and is redacted from logs. */
  secret: boolean;
  /** Meaning, for the README table. */
  description: string;
}

/** Environment variable naming the config file; read from the environment or `.env` only. */
export const CONFIG_FILE_ENV = 'BADGEY_CONFIG';

const SNOWFLAKE = /^\d{17,20}$/;
const DURATION = /^(\d+)\s*([smh]?)$/i;
const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** A zod schema from a parse function; `problem` is the one message for every way the value can be wrong. */
function rule<T>(problem: string, parse: (raw: RawValue) => T | undefined): z.ZodType<T> {
  return z
    .custom<RawValue>((raw) => typeof raw === 'string' || Array.isArray(raw), { error: problem })
    .transform((raw, ctx) => {
      const value = parse(raw);
      if (value !== undefined) return value;
      ctx.issues.push({ code: 'custom', message: problem, input: raw });
      return z.NEVER;
    });
}

const single = (raw: RawValue): string | undefined => (typeof raw === 'string' ? raw : undefined);
const items = (raw: RawValue): string[] =>
  (typeof raw === 'string' ? raw.split(',') : raw).map((item) => item.trim()).filter((item) => item !== '');

function integer(min: number, max: number): z.ZodType<number> {
  return rule(`must be an integer ${min}-${max}`, (raw) => {
    const text = single(raw);
    if (text === undefined || !/^\d+$/.test(text)) return undefined;
    const value = Number(text);
    return value >= min && value <= max ? value : undefined;
  });
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Seconds, written `300`, `30s`, `5m` or `1h`. */
function duration(minSeconds: number, maxSeconds: number): z.ZodType<number> {
  const range = `${formatSeconds(minSeconds)} to ${formatSeconds(maxSeconds)}`;
  return rule(`must be a duration like 300, 30s, 5m or 1h, from ${range}`, (raw) => {
    const match = DURATION.exec(single(raw) ?? '');
    if (!match) return undefined;
    const seconds = Number(match[1]) * (UNIT_SECONDS[match[2]!.toLowerCase()] ?? Number.NaN);
    return seconds >= minSeconds && seconds <= maxSeconds ? seconds : undefined;
  });
}

// A value that is set but names no id (",,,") is a mistake, not "none": for DISCORD_GUILD_IDS it
// would silently register the commands globally.
const snowflakeList = rule('must be Discord ids (17-20 digits) separated by commas', (raw) => {
  const ids = items(raw);
  return ids.length > 0 && ids.every((id) => SNOWFLAKE.test(id)) ? [...new Set(ids)] : undefined;
});

function secret(minLength: number): z.ZodType<string> {
  return rule(`must be at least ${minLength} characters without spaces`, (raw) => {
    const text = single(raw);
    return text !== undefined && text.length >= minLength && !/\s/.test(text) ? text : undefined;
  });
}

const discordToken = rule('must be the bare bot token (no spaces, no "Bot " prefix)', (raw) => {
  const text = single(raw);
  return text !== undefined && !/\s/.test(text) ? text : undefined;
});

const httpUrl = rule('must be an http:// or https:// URL', (raw) => {
  const text = single(raw);
  if (text === undefined || !/^https?:\/\//i.test(text)) return undefined;
  try {
    new URL(text);
  } catch {
    return undefined;
  }
  return text.replace(/\/+$/, '');
});

// A name of digits and dots only is meant as an IPv4 address (no top-level domain is numeric), so
// it must be a valid one: 999.1.1.1 is refused here instead of failing to bind after start-up.
const hostAddress = rule('must be an IP address or host name', (raw) => {
  const text = single(raw);
  if (text === undefined) return undefined;
  if (isIP(text) !== 0) return text;
  return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(text) && !/^[\d.]+$/.test(text) ? text : undefined;
});

/** Valid when the store can open it (its parser decides) and a postgres URL is well-formed. */
const databaseUrl = rule('must be sqlite:PATH, a file path, or a postgres:// URL', (raw) => {
  const text = single(raw);
  if (text === undefined) return undefined;
  try {
    const target = parseDatabaseUrl(text);
    if (target.kind === 'postgres') new URL(target.url);
  } catch {
    return undefined;
  }
  return text;
});

const directory = rule('must be a directory path', single);

const flag = rule('must be true or false', (raw) => {
  const text = single(raw)?.trim().toLowerCase();
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  return undefined;
});

function oneOf<const T extends string>(values: readonly T[]): z.ZodType<T> {
  return rule(`must be one of ${values.join('|')}`, (raw) => {
    const text = single(raw)?.toLowerCase();
    return values.find((value) => value === text);
  });
}

const shardIds = rule<number[] | 'auto'>(
  'must be auto or shard ids (integers from 0) separated by commas',
  (raw) => {
    if (typeof raw === 'string' && raw.toLowerCase() === 'auto') return 'auto';
    const ids = items(raw);
    if (ids.length === 0 || !ids.every((id) => /^\d+$/.test(id) && Number(id) < 65536)) return undefined;
    return [...new Set(ids.map(Number))].sort((a, b) => a - b);
  },
);

const shardCount = rule<number | 'auto'>('must be auto or an integer 1-65535', (raw) => {
  const text = single(raw);
  if (text?.toLowerCase() === 'auto') return 'auto';
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const count = Number(text);
  return count >= 1 && count <= 65535 ? count : undefined;
});

type KeyTable = { [F in keyof Config]: ConfigKeySpec<Config[F]> };

/** Every configuration key, in the order the docs list them. */
const KEY_TABLE = {
  discordToken: {
    env: 'DISCORD_TOKEN',
    schema: discordToken.optional(),
    default: undefined,
    defaultDoc: '(required)',
    secret: true,
    description: 'The bot token (Developer Portal → your application → Bot → Reset Token).',
  },
  discordApiUrl: {
    env: 'DISCORD_API_URL',
    schema: httpUrl,
    default: 'https://discord.com/api',
    secret: false,
    description: 'REST base URL: a REST proxy, or the local emulator in tests and the demo.',
  },
  discordGuildIds: {
    env: 'DISCORD_GUILD_IDS',
    schema: snowflakeList,
    default: [],
    defaultDoc: '(none: global)',
    secret: false,
    description: 'Comma-separated guild ids: register slash commands there instantly instead of globally.',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: databaseUrl,
    default: 'sqlite:./data/badgey.sqlite',
    secret: false,
    description:
      '`sqlite:PATH` or a file path for SQLite; `postgres://user:password@host/db` for PostgreSQL (several replicas). The password is redacted from logs.',
  },
  healthPort: {
    env: 'HEALTH_PORT',
    schema: integer(1, 65535),
    default: 8080,
    secret: false,
    description: 'Port of the HTTP server (`/health`, `/ready`, `/metrics`).',
  },
  healthHost: {
    env: 'HEALTH_HOST',
    schema: hostAddress,
    default: '0.0.0.0',
    secret: false,
    description: 'Address the HTTP server binds.',
  },
  healthAuthToken: {
    env: 'HEALTH_AUTH_TOKEN',
    schema: secret(8).optional(),
    default: undefined,
    defaultDoc: '(none)',
    secret: true,
    description:
      'When set (8+ characters), `/health` details need `Authorization: Bearer <token>`; probes keep working without it.',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    schema: oneOf(LOG_LEVELS),
    default: 'info',
    secret: false,
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
  },
  logFormat: {
    env: 'LOG_FORMAT',
    schema: oneOf(['json', 'pretty', 'auto'] as const),
    default: 'auto',
    secret: false,
    description: '`json`, `pretty`, or `auto` (pretty on a terminal, JSON otherwise).',
  },
  analyticsExportDir: {
    env: 'ANALYTICS_EXPORT_DIR',
    schema: directory,
    default: './data/analytics',
    secret: false,
    description: 'Writable directory for analytics exports (a volume in Kubernetes).',
  },
  analyticsExportIntervalSeconds: {
    env: 'ANALYTICS_EXPORT_INTERVAL',
    schema: duration(5, 24 * 3600),
    default: 300,
    secret: false,
    description: 'Time between analytics exports: `300` (seconds), `30s`, `5m` or `1h`; 5s to 24h.',
  },
  analyticsExportRetention: {
    env: 'ANALYTICS_EXPORT_RETENTION',
    schema: integer(0, 10_000),
    default: 24,
    secret: false,
    description: 'Timestamped export snapshots kept besides the latest file.',
  },
  analyticsExportCharts: {
    env: 'ANALYTICS_EXPORT_CHARTS',
    schema: flag,
    default: false,
    secret: false,
    description:
      'When `true`, every export also writes `charts-latest.png` (attempts by weekday and hour, score distribution; all servers) to the export dir.',
  },
  analyticsSalt: {
    env: 'ANALYTICS_SALT',
    schema: secret(16).optional(),
    default: undefined,
    defaultDoc: '(generated, kept in the export dir)',
    secret: true,
    description: 'Key (16+ characters) of the hash that pseudonymises user ids in analytics.',
  },
  botOwnerIds: {
    env: 'BOT_OWNER_IDS',
    schema: snowflakeList,
    default: [],
    defaultDoc: '(none)',
    secret: false,
    description: 'Comma-separated user ids who may see bot-wide analytics.',
  },
  shardIds: {
    env: 'SHARD_IDS',
    schema: shardIds,
    default: 'auto',
    secret: false,
    description: 'Comma-separated shard ids this process runs, or `auto` (all).',
  },
  shardCount: {
    env: 'SHARD_COUNT',
    schema: shardCount,
    default: 'auto',
    secret: false,
    description: "Total shard count, or `auto` (Discord's recommendation).",
  },
  shutdownDelaySeconds: {
    env: 'SHUTDOWN_DELAY_SECONDS',
    schema: integer(0, 300),
    default: 0,
    secret: false,
    description: 'After SIGTERM, seconds `/ready` answers 503 before work stops (lets endpoints update).',
  },
  shutdownTimeoutSeconds: {
    env: 'SHUTDOWN_TIMEOUT_SECONDS',
    schema: integer(1, 600),
    default: 20,
    secret: false,
    description: 'Watchdog: exit non-zero if shutdown cleanup takes longer than this many seconds.',
  },
  quizMaxSessions: {
    env: 'QUIZ_MAX_SESSIONS',
    schema: integer(1, 100_000),
    default: 500,
    secret: false,
    description: 'Cap on concurrently running solo quiz sessions; more wait in a queue.',
  },
  quizIdleTimeoutSeconds: {
    env: 'QUIZ_IDLE_TIMEOUT_SECONDS',
    schema: integer(10, 86_400),
    default: 600,
    secret: false,
    description: 'A quiz session with no activity for this many seconds ends.',
  },
  quizDefaultTimerSeconds: {
    env: 'QUIZ_DEFAULT_TIMER_SECONDS',
    schema: integer(5, 600),
    default: 30,
    secret: false,
    description: 'Per-question timer (seconds) for new quizzes.',
  },
  liveGamesPerGuild: {
    env: 'LIVE_GAMES_PER_GUILD',
    schema: integer(1, 50),
    default: 3,
    secret: false,
    description: 'Cap on scheduled and running live channel games per server (one per channel always).',
  },
  liveGameLeaseSeconds: {
    env: 'LIVE_GAME_LEASE_SECONDS',
    schema: integer(2, 600),
    default: 30,
    secret: false,
    description:
      'A live game is held by one process through a lease renewed every third of this; after a crash another process resumes it once the lease has run out.',
  },
  liveGameInterludeSeconds: {
    env: 'LIVE_GAME_INTERLUDE_SECONDS',
    schema: integer(1, 60),
    default: 5,
    secret: false,
    description: 'Pause in a live game between revealing an answer and the next question.',
  },
  attemptRetentionDays: {
    env: 'ATTEMPT_RETENTION_DAYS',
    schema: integer(1, 36_500).optional(),
    default: undefined,
    defaultDoc: '(keep forever)',
    secret: false,
    description:
      'When set, a daily job deletes quiz attempts (and the leaderboard entries they hold) started more than this many days ago, in batches. See docs/privacy.md.',
  },
} satisfies KeyTable;

/** A row of the key table with the Config field it fills. */
export type ConfigKey = ConfigKeySpec & { field: keyof Config };

/** Every configuration key: env name ↔ Config field ↔ parser ↔ default ↔ secret flag ↔ description. */
export const CONFIG_KEYS: readonly ConfigKey[] = Object.entries(KEY_TABLE).map(([field, spec]) => ({
  ...(spec as ConfigKeySpec),
  field: field as keyof Config,
}));

/** Env names accepted in the config file (every key but `BADGEY_CONFIG` itself). */
export const CONFIG_ENV_NAMES: ReadonlySet<string> = new Set(CONFIG_KEYS.map((key) => key.env));

/**
 * The one schema: raw values keyed by env name (unset keys absent) → parsed values keyed by env name.
 * Cross-key rules live here too.
 */
export const ConfigSchema = z
  .object(Object.fromEntries(CONFIG_KEYS.map((key) => [key.env, key.schema.optional()])))
  .superRefine(
    (values, ctx) => {
      const ids = values[KEY_TABLE.shardIds.env];
      const count = values[KEY_TABLE.shardCount.env];
      if (Array.isArray(ids) && typeof count === 'number') {
        const tooBig = ids.filter((id) => typeof id === 'number' && id >= count);
        if (tooBig.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: [KEY_TABLE.shardIds.env],
            message: `must all be less than SHARD_COUNT (${count})`,
          });
        }
      }
      // Run even when other keys failed, so every bad key is reported at once (the type checks above
      // skip values that did not parse).
    },
    { when: () => true },
  );

/** The docs' text for a key's default. */
export function defaultText(key: ConfigKeySpec): string {
  if (key.defaultDoc !== undefined) return key.defaultDoc;
  return Array.isArray(key.default) ? key.default.join(',') : String(key.default);
}

/** The README's configuration table, generated from the key table. */
export function configTableMarkdown(): string {
  const rows = CONFIG_KEYS.map((key) => `| \`${key.env}\` | \`${defaultText(key)}\` | ${key.description} |`);
  const fileRow = `| \`${CONFIG_FILE_ENV}\` | \`(none)\` | Path of a YAML or JSON config file with the same keys (e.g. a mounted ConfigMap). Environment variables and \`.env\` win over it. |`;
  return ['| Key | Default | Meaning |', '|---|---|---|', ...rows, fileRow].join('\n');
}
