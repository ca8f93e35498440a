import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { Config } from './Config.js';
import { ConfigError, ConfigIssue } from './ConfigError.js';
import {
  CONFIG_FILE_ENV,
  CONFIG_KEYS,
  type ConfigKeySpec,
  ConfigSchema,
  type RawValue,
} from './configKeys.js';
import { describeReadError, readConfigFile, type SourcedValue } from './readConfigFile.js';
import { redactUrl } from './redactUrl.js';

export interface LoadConfigOptions {
  /** Environment variables. Default `process.env` (never modified). */
  env?: NodeJS.ProcessEnv;
  /** Directory whose `.env` is read and against which a relative BADGEY_CONFIG resolves. Default `process.cwd()`. */
  cwd?: string;
}

/** A raw value with where it came from: `env`, `.env:LINE` or `FILE:LINE`. */
interface Found {
  raw: RawValue;
  source: string;
}

const URL_KEYS = new Set(['DATABASE_URL', 'DISCORD_API_URL']);
const MAX_SHOWN_LENGTH = 80;

/** How an error message shows a bad value: secrets by length only, URLs without their password. */
function describeValue(key: ConfigKeySpec, raw: RawValue): string {
  if (key.secret) {
    return typeof raw === 'string' ? `a value of ${raw.length} characters` : `a list of ${raw.length} values`;
  }
  const shown = typeof raw === 'string' && URL_KEYS.has(key.env) ? redactUrl(raw) : raw;
  const text = JSON.stringify(shown);
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;
}

/** `.env` in `cwd`: its values with their lines, without touching process.env. */
function readDotenv(cwd: string, issues: ConfigIssue[]): Map<string, SourcedValue> {
  const values = new Map<string, SourcedValue>();
  let text: string;
  try {
    text = readFileSync(resolve(cwd, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      issues.push(new ConfigIssue('.env', `file ${describeReadError(error)}`, resolve(cwd, '.env')));
    }
    return values;
  }
  const lines = text.split(/\r?\n/);
  for (const [key, value] of Object.entries(parseDotenv(text))) {
    if (value.trim() === '') continue;
    // dotenv keeps the last assignment of a key, so its line is the last one that assigns it.
    const assignment = new RegExp(`^\\s*(?:export\\s+)?${key.replace(/[.-]/g, '\\$&')}\\s*[=:]`);
    const line = lines.findLastIndex((candidate) => assignment.test(candidate)) + 1;
    values.set(key, { raw: value.trim(), line });
  }
  return values;
}

/**
 * Resolves the configuration: the environment, then `.env` in `cwd`, then the BADGEY_CONFIG file
 * (YAML or JSON), then the defaults. Throws ConfigError listing every bad key, each with its source.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const issues: ConfigIssue[] = [];
  const dotenv = readDotenv(cwd, issues);

  const find = (key: string): Found | undefined => {
    const fromEnv = env[key]?.trim();
    if (fromEnv) return { raw: fromEnv, source: 'env' };
    const fromDotenv = dotenv.get(key);
    if (fromDotenv) return { raw: fromDotenv.raw, source: `.env:${fromDotenv.line}` };
    return undefined;
  };

  const fileFound = find(CONFIG_FILE_ENV);
  const file =
    typeof fileFound?.raw === 'string'
      ? readConfigFile(resolve(cwd, fileFound.raw), fileFound.raw, fileFound.source)
      : undefined;
  issues.push(...(file?.issues ?? []));

  const found = new Map<string, Found>();
  for (const key of CONFIG_KEYS) {
    const fromFile = file?.values.get(key.env);
    const value =
      find(key.env) ??
      (fromFile && fileFound
        ? { raw: fromFile.raw, source: `${fileFound.raw}:${fromFile.line}` }
        : undefined);
    if (value) found.set(key.env, value);
  }

  const parsed = ConfigSchema.safeParse(
    Object.fromEntries([...found].map(([env, value]) => [env, value.raw])),
  );
  if (!parsed.success) {
    const reported = new Set<string>();
    for (const zodIssue of parsed.error.issues) {
      const key = CONFIG_KEYS.find((candidate) => candidate.env === zodIssue.path[0]);
      if (!key || reported.has(key.env)) continue;
      reported.add(key.env);
      const value = found.get(key.env);
      const problem = value ? `${zodIssue.message}, got ${describeValue(key, value.raw)}` : zodIssue.message;
      issues.push(new ConfigIssue(key.env, problem, value?.source ?? 'default'));
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);

  const values: Record<string, unknown> = parsed.data;
  // Sound: the key table is checked against Config (`satisfies KeyTable`), field by field.
  return Object.fromEntries(
    CONFIG_KEYS.map((key) => [key.field, values[key.env] ?? key.default]),
  ) as unknown as Config;
}
