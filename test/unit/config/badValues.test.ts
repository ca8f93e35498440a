import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/ConfigError.js';
import { CONFIG_KEYS } from '../../../src/config/configKeys.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { useTempDirs } from './configFiles.js';

const tempDir = useTempDirs();

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** GIVEN one bad value per key family THEN this problem, followed by how the value is shown. */
const BAD_VALUES: { key: string; value: string; problem: string; shown: string }[] = [
  { key: 'HEALTH_PORT', value: '80x', problem: 'must be an integer 1-65535', shown: '"80x"' },
  { key: 'HEALTH_PORT', value: '65536', problem: 'must be an integer 1-65535', shown: '"65536"' },
  {
    key: 'HEALTH_HOST',
    value: 'not a host!',
    problem: 'must be an IP address or host name',
    shown: '"not a host!"',
  },
  {
    key: 'LOG_LEVEL',
    value: 'loud',
    problem: 'must be one of fatal|error|warn|info|debug|trace|silent',
    shown: '"loud"',
  },
  { key: 'LOG_FORMAT', value: 'xml', problem: 'must be one of json|pretty|auto', shown: '"xml"' },
  {
    key: 'DISCORD_API_URL',
    value: 'ftp://x',
    problem: 'must be an http:// or https:// URL',
    shown: '"ftp://x"',
  },
  {
    key: 'DISCORD_GUILD_IDS',
    value: '123456789012345678,42',
    problem: 'must be Discord ids (17-20 digits) separated by commas',
    shown: '"123456789012345678,42"',
  },
  {
    key: 'BOT_OWNER_IDS',
    value: 'someone',
    problem: 'must be Discord ids (17-20 digits) separated by commas',
    shown: '"someone"',
  },
  {
    key: 'DATABASE_URL',
    value: 'mysql://badgey@db/badgey',
    problem: 'must be sqlite:PATH, a file path, or a postgres:// URL',
    shown: '"mysql://badgey@db/badgey"',
  },
  {
    key: 'DATABASE_URL',
    value: 'sqlite:',
    problem: 'must be sqlite:PATH, a file path, or a postgres:// URL',
    shown: '"sqlite:"',
  },
  {
    key: 'ANALYTICS_EXPORT_INTERVAL',
    value: '4s',
    problem: 'must be a duration like 300, 30s, 5m or 1h, from 5s to 24h',
    shown: '"4s"',
  },
  {
    key: 'ANALYTICS_EXPORT_INTERVAL',
    value: '5 minutes',
    problem: 'must be a duration like 300, 30s, 5m or 1h, from 5s to 24h',
    shown: '"5 minutes"',
  },
  { key: 'ANALYTICS_EXPORT_RETENTION', value: '-1', problem: 'must be an integer 0-10000', shown: '"-1"' },
  { key: 'ANALYTICS_EXPORT_CHARTS', value: 'maybe', problem: 'must be true or false', shown: '"maybe"' },
  {
    key: 'SHARD_IDS',
    value: '0,x',
    problem: 'must be auto or shard ids (integers from 0) separated by commas',
    shown: '"0,x"',
  },
  { key: 'SHARD_COUNT', value: '0', problem: 'must be auto or an integer 1-65535', shown: '"0"' },
  { key: 'SHUTDOWN_DELAY_SECONDS', value: '1.5', problem: 'must be an integer 0-300', shown: '"1.5"' },
  { key: 'SHUTDOWN_TIMEOUT_SECONDS', value: '0', problem: 'must be an integer 1-600', shown: '"0"' },
  { key: 'QUIZ_MAX_SESSIONS', value: 'many', problem: 'must be an integer 1-100000', shown: '"many"' },
  { key: 'QUIZ_IDLE_TIMEOUT_SECONDS', value: '5', problem: 'must be an integer 10-86400', shown: '"5"' },
  { key: 'QUIZ_DEFAULT_TIMER_SECONDS', value: '1000', problem: 'must be an integer 5-600', shown: '"1000"' },
  { key: 'LIVE_GAMES_PER_GUILD', value: '0', problem: 'must be an integer 1-50', shown: '"0"' },
  { key: 'LIVE_GAME_LEASE_SECONDS', value: '1', problem: 'must be an integer 2-600', shown: '"1"' },
  { key: 'LIVE_GAME_INTERLUDE_SECONDS', value: 'soon', problem: 'must be an integer 1-60', shown: '"soon"' },
  { key: 'ATTEMPT_RETENTION_DAYS', value: '0', problem: 'must be an integer 1-36500', shown: '"0"' },
  {
    key: 'DISCORD_TOKEN',
    value: 'Bot MTIzNDU2.secret-token',
    problem: 'must be the bare bot token (no spaces, no "Bot " prefix)',
    shown: 'a value of 25 characters',
  },
  {
    key: 'ANALYTICS_SALT',
    value: 'short-salt',
    problem: 'must be at least 16 characters without spaces',
    shown: 'a value of 10 characters',
  },
  {
    key: 'HEALTH_AUTH_TOKEN',
    value: 'pass',
    problem: 'must be at least 8 characters without spaces',
    shown: 'a value of 4 characters',
  },
];

describe('each bad key gives its own clear message', () => {
  it.each(BAD_VALUES)('$key=$value from the environment', ({ key, value, problem, shown }) => {
    const message = messageOf(() => loadConfig({ env: { [key]: value }, cwd: tempDir() }));
    expect(message).toBe(`${key}: ${problem}, got ${shown} (from env)`);
  });

  it.each(BAD_VALUES)('$key=$value from the config file, with its line', ({ key, value, problem, shown }) => {
    const cwd = tempDir({
      'badgey.yaml': `# Badgey\nANALYTICS_EXPORT_DIR: ./exports\n${key}: ${JSON.stringify(value)}\n`,
    });
    const message = messageOf(() => loadConfig({ env: { BADGEY_CONFIG: 'badgey.yaml' }, cwd }));
    expect(message).toBe(`${key}: ${problem}, got ${shown} (from badgey.yaml:3)`);
  });

  it.each(BAD_VALUES)('$key=$value from .env, with its line', ({ key, value, problem, shown }) => {
    const cwd = tempDir({ '.env': `ANALYTICS_EXPORT_DIR=./exports\n${key}="${value}"\n` });
    const message = messageOf(() => loadConfig({ env: {}, cwd }));
    expect(message).toBe(`${key}: ${problem}, got ${shown} (from .env:2)`);
  });

  it('has a bad-value case for every key that can be wrong as text', () => {
    // ANALYTICS_EXPORT_DIR accepts any text; its one wrong shape (a list) is tested below.
    const covered = new Set([...BAD_VALUES.map((bad) => bad.key), 'ANALYTICS_EXPORT_DIR']);
    expect(CONFIG_KEYS.filter((key) => !covered.has(key.env)).map((key) => key.env)).toEqual([]);
  });

  it('rejects a list for ANALYTICS_EXPORT_DIR', () => {
    const cwd = tempDir({ 'c.yaml': 'ANALYTICS_EXPORT_DIR: [a, b]\n' });
    expect(messageOf(() => loadConfig({ env: { BADGEY_CONFIG: 'c.yaml' }, cwd }))).toBe(
      'ANALYTICS_EXPORT_DIR: must be a directory path, got ["a","b"] (from c.yaml:1)',
    );
  });

  it('rejects shard ids that are not below SHARD_COUNT, naming both', () => {
    const cwd = tempDir({ 'c.yaml': 'SHARD_COUNT: 2\n' });
    expect(messageOf(() => loadConfig({ env: { BADGEY_CONFIG: 'c.yaml', SHARD_IDS: '1,2' }, cwd }))).toBe(
      'SHARD_IDS: must all be less than SHARD_COUNT (2), got "1,2" (from env)',
    );
  });

  it('shortens a long value in the message', () => {
    const message = messageOf(() => loadConfig({ env: { LOG_LEVEL: 'x'.repeat(500) }, cwd: tempDir() }));
    expect(message.length).toBeLessThan(200);
    expect(message).toMatch(/^LOG_LEVEL: must be one of .*, got "x+… \(from env\)$/);
  });
});

describe('error messages never echo secrets', () => {
  const secrets = {
    DISCORD_TOKEN: 'Bot MTIzNDU2Nzg5.token-secret-AAAA',
    ANALYTICS_SALT: 'salt-secret',
    HEALTH_AUTH_TOKEN: 'has a space-secret',
    DATABASE_URL: 'mysql://badgey:db-password-secret@db/badgey',
  };
  const secretParts = [
    'token-secret-AAAA',
    'MTIzNDU2Nzg5',
    'salt-secret',
    'space-secret',
    'db-password-secret',
  ];

  it('from the environment', () => {
    const message = messageOf(() => loadConfig({ env: secrets, cwd: tempDir() }));
    expect(message.split('\n')).toHaveLength(4);
    for (const part of secretParts) expect(message).not.toContain(part);
    expect(message).toContain(
      'DATABASE_URL: must be sqlite:PATH, a file path, or a postgres:// URL, got "mysql://badgey:[REDACTED]@db/badgey"',
    );
    expect(message).toContain(
      'DISCORD_TOKEN: must be the bare bot token (no spaces, no "Bot " prefix), got a value of 34 characters',
    );
  });

  it('from the config file, including lists', () => {
    const yaml = `${Object.entries(secrets)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join('\n')}\nANALYTICS_SALT_: x\n`;
    const cwd = tempDir({
      'c.yaml': yaml.replace(/^ANALYTICS_SALT: .*$/m, 'ANALYTICS_SALT: [salt-secret, salt-secret-2]'),
    });
    const message = messageOf(() => loadConfig({ env: { BADGEY_CONFIG: 'c.yaml' }, cwd }));
    for (const part of secretParts) expect(message).not.toContain(part);
    expect(message).toContain(
      'ANALYTICS_SALT: must be at least 16 characters without spaces, got a list of 2 values (from c.yaml:2)',
    );
    expect(message).toContain('ANALYTICS_SALT_: unknown key (did you mean ANALYTICS_SALT?) (from c.yaml:5)');
  });
});
