import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/Config.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { createLogger, redactUrl, secretsOf } from '../../../src/log.js';

/** A destination that keeps every line written to it. */
class CapturedLines {
  readonly lines: string[] = [];
  constructor(readonly isTTY = false) {}
  write(line: string): void {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join('');
  }
}

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.token-secret-value';
const SALT = 'salt-secret-0123456789';
const HEALTH_TOKEN = 'health-secret-abcdef';
const DB_PASSWORD = 'db-pa$$word/secret';
const DATABASE_URL = `postgres://badgey:${encodeURIComponent(DB_PASSWORD)}@db.internal:5432/badgey`;
const ALL_SECRETS = [TOKEN, SALT, HEALTH_TOKEN, DB_PASSWORD, encodeURIComponent(DB_PASSWORD)];

function secretConfig(): Config {
  return loadConfig({
    env: { DISCORD_TOKEN: TOKEN, ANALYTICS_SALT: SALT, HEALTH_AUTH_TOKEN: HEALTH_TOKEN, DATABASE_URL },
    cwd: tmpdir(),
  });
}

/** Logs secrets every way a module might: as fields, nested, in headers, in messages and in errors. */
function logSecretsEveryWay(log: ReturnType<typeof createLogger>, config: Config): void {
  log.info({ config }, 'config loaded');
  log.info({ token: TOKEN, client: { token: TOKEN }, salt: SALT, password: DB_PASSWORD }, 'fields');
  log.info({ headers: { authorization: `Bearer ${HEALTH_TOKEN}` } }, 'health request');
  log.info({ req: { headers: { authorization: `Bot ${TOKEN}`, host: 'x' } } }, 'rest request');
  log.info({ databaseUrl: config.databaseUrl }, 'database');
  log.info({ deep: { deeper: { deepest: { value: `${TOKEN}:${SALT}` } } } }, 'nested beyond redact paths');
  log.info(`login with ${TOKEN}, salt ${SALT}, url ${config.databaseUrl}, pw "${DB_PASSWORD}"`);
  log.error({ err: new Error(`auth failed: ${TOKEN} / ${DB_PASSWORD}`) }, 'gateway failed');
}

describe('createLogger', () => {
  it('redacts secrets in fields, headers, messages and errors from JSON lines', () => {
    const config = secretConfig();
    const out = new CapturedLines();
    logSecretsEveryWay(
      createLogger({ level: 'info', format: 'json', secrets: secretsOf(config), destination: out }),
      config,
    );

    expect(out.lines).toHaveLength(8);
    for (const secret of ALL_SECRETS) expect(out.text).not.toContain(secret);
    expect(out.text).not.toContain('secret');
    const lines = out.lines.map((line) => JSON.parse(line));
    expect(lines[0].config).toMatchObject({
      discordToken: '[REDACTED]',
      analyticsSalt: '[REDACTED]',
      healthAuthToken: '[REDACTED]',
      databaseUrl: 'postgres://badgey:[REDACTED]@db.internal:5432/badgey',
      healthPort: 8080,
    });
    expect(lines[1]).toMatchObject({
      token: '[REDACTED]',
      client: { token: '[REDACTED]' },
      salt: '[REDACTED]',
    });
    expect(lines[2].headers.authorization).toBe('[REDACTED]');
    expect(lines[3].req.headers).toEqual({ authorization: '[REDACTED]', host: 'x' });
    expect(lines[4].databaseUrl).toBe('postgres://badgey:[REDACTED]@db.internal:5432/badgey');
    expect(lines[5].deep.deeper.deepest.value).toBe('[REDACTED]:[REDACTED]');
    expect(lines[6].msg).toBe(
      'login with [REDACTED], salt [REDACTED], url postgres://badgey:[REDACTED]@db.internal:5432/badgey, pw "[REDACTED]"',
    );
    expect(lines[7].err.message).toBe('auth failed: [REDACTED] / [REDACTED]');
    expect(lines[7].err.stack).toContain('auth failed: [REDACTED] / [REDACTED]');
  });

  it('redacts secret-named fields by path even when no secret values are given', () => {
    const config = secretConfig();
    const out = new CapturedLines();
    const log = createLogger({ level: 'info', format: 'json', destination: out });
    log.info(
      { config, token: TOKEN, client: { salt: SALT }, headers: { authorization: `Bearer ${HEALTH_TOKEN}` } },
      'x',
    );
    log.info(
      { req: { headers: { authorization: `Bot ${TOKEN}` } }, env: { DISCORD_TOKEN: TOKEN, DATABASE_URL } },
      'y',
    );
    for (const secret of ALL_SECRETS) expect(out.text).not.toContain(secret);
    const [first, second] = out.lines.map((line) => JSON.parse(line));
    expect(first.config.databaseUrl).toBe('postgres://badgey:[REDACTED]@db.internal:5432/badgey');
    expect(second.env).toEqual({
      DISCORD_TOKEN: '[REDACTED]',
      DATABASE_URL: 'postgres://badgey:[REDACTED]@db.internal:5432/badgey',
    });
  });

  it('redacts the same way in pretty output', () => {
    const config = secretConfig();
    const out = new CapturedLines();
    logSecretsEveryWay(
      createLogger({ level: 'info', format: 'pretty', secrets: secretsOf(config), destination: out }),
      config,
    );
    expect(out.text).toContain('INFO');
    expect(() => JSON.parse(out.lines[0]!)).toThrow();
    for (const secret of ALL_SECRETS) expect(out.text).not.toContain(secret);
    expect(out.text).toContain('[REDACTED]');
  });

  it('scrubs a secret that needs JSON escaping', () => {
    const secret = 'quote"and\\backslash';
    const out = new CapturedLines();
    createLogger({ level: 'info', format: 'json', secrets: [secret], destination: out }).info(
      { note: secret },
      secret,
    );
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ note: '[REDACTED]', msg: '[REDACTED]' });
  });

  it('ignores secrets shorter than six characters, which would blank ordinary words', () => {
    const out = new CapturedLines();
    createLogger({ level: 'info', format: 'json', secrets: ['admin'], destination: out }).info(
      'admin joined',
    );
    expect(JSON.parse(out.lines[0]!).msg).toBe('admin joined');
  });

  it('writes pretty lines to a terminal and JSON elsewhere when format is auto', () => {
    const terminal = new CapturedLines(true);
    const pipe = new CapturedLines(false);
    createLogger({ level: 'info', format: 'auto', destination: terminal }).info('hello');
    createLogger({ level: 'info', format: 'auto', destination: pipe }).info('hello');
    expect(() => JSON.parse(terminal.lines[0]!)).toThrow();
    expect(terminal.text).toContain('hello');
    expect(JSON.parse(pipe.lines[0]!)).toMatchObject({ level: 30, msg: 'hello' });
  });

  it('drops lines below its level', () => {
    const out = new CapturedLines();
    const log = createLogger({ level: 'warn', format: 'json', destination: out });
    log.info('quiet');
    log.warn('loud');
    expect(out.lines.map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });
});

describe('secretsOf', () => {
  it('returns the token, salt, health token and the database password as written and decoded', () => {
    expect(secretsOf(secretConfig()).sort()).toEqual(
      [TOKEN, HEALTH_TOKEN, SALT, encodeURIComponent(DB_PASSWORD), DB_PASSWORD].sort(),
    );
  });

  it('returns nothing for a default config', () => {
    expect(secretsOf(loadConfig({ env: {}, cwd: tmpdir() }))).toEqual([]);
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://badgey:hunter22@db:5432/badgey', 'postgres://badgey:[REDACTED]@db:5432/badgey'],
    ['postgresql://u:p@ss@word@db/x', 'postgresql://u:[REDACTED]@db/x'],
    ['postgres://badgey@db/badgey', 'postgres://badgey@db/badgey'],
    [
      'postgres://db/badgey?user=u&password=hunter22&ssl=true',
      'postgres://db/badgey?user=u&password=[REDACTED]&ssl=true',
    ],
    ['sqlite:./data/badgey.sqlite', 'sqlite:./data/badgey.sqlite'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('the logger in a real process', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const fixture = fileURLToPath(new URL('./fixtures/logConfig.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

  async function runFixture(env: Record<string, string>, dotenv: string) {
    const cwd = mkdtempSync(join(tmpdir(), 'badgey-log-'));
    dirs.push(cwd);
    writeFileSync(join(cwd, '.env'), dotenv);
    return promisify(execFile)(process.execPath, ['--import', tsx, fixture], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_FORMAT: 'json', ...env },
    });
  }

  it('keeps environment and .env secrets out of stdout, even when logging the whole environment', async () => {
    const { stdout, stderr } = await runFixture(
      { DISCORD_TOKEN: TOKEN, DATABASE_URL, HEALTH_AUTH_TOKEN: HEALTH_TOKEN },
      `ANALYTICS_SALT=${SALT}\n`,
    );
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.msg)).toHaveLength(4);
    for (const secret of ALL_SECRETS) expect(stdout).not.toContain(secret);
    expect(stdout).toContain('[REDACTED]');
    expect(lines[0].config.databaseUrl).toBe('postgres://badgey:[REDACTED]@db.internal:5432/badgey');
    expect(lines[2].env.PATH).toBe(process.env.PATH ?? '/usr/bin:/bin');
  });

  it('prints a config error without its secrets and exits non-zero', async () => {
    const failure = await runFixture({ DISCORD_TOKEN: `Bot ${TOKEN}`, HEALTH_PORT: 'http' }, '').then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toContain('HEALTH_PORT: must be an integer 1-65535, got "http" (from env)');
    expect(failure?.stderr).toContain('DISCORD_TOKEN: must be the bare bot token');
    expect(failure?.stderr).not.toContain('token-secret-value');
  });
});
