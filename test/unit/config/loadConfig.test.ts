import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/ConfigError.js';
import { CONFIG_KEYS } from '../../../src/config/configKeys.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { useTempDirs } from './configFiles.js';

const tempDir = useTempDirs();

/** The ConfigError thrown by loadConfig, or a failure if it did not throw one. */
function configError(...args: Parameters<typeof loadConfig>): ConfigError {
  try {
    loadConfig(...args);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('gives every key its default when nothing is set', () => {
    const config = loadConfig({ env: {}, cwd: tempDir() });
    for (const key of CONFIG_KEYS) expect(config[key.field], key.env).toEqual(key.default);
    expect(config).toMatchObject({
      discordToken: undefined,
      databaseUrl: 'sqlite:./data/badgey.sqlite',
      healthPort: 8080,
      logLevel: 'info',
      analyticsExportIntervalSeconds: 300,
      shardIds: 'auto',
      shardCount: 'auto',
    });
  });

  it('takes the environment over .env over the config file over the defaults', () => {
    const cwd = tempDir({
      'config.yaml': 'HEALTH_PORT: 7000\nLOG_LEVEL: debug\nQUIZ_MAX_SESSIONS: 10\n',
      '.env': 'HEALTH_PORT=7001\nLOG_LEVEL=warn\n',
    });
    const config = loadConfig({ env: { BADGEY_CONFIG: 'config.yaml', HEALTH_PORT: '7002' }, cwd });
    expect(config.healthPort).toBe(7002);
    expect(config.logLevel).toBe('warn');
    expect(config.quizMaxSessions).toBe(10);
    expect(config.quizIdleTimeoutSeconds).toBe(600);
  });

  it('treats an empty value as unset, so the next source fills it', () => {
    const cwd = tempDir({ '.env': 'HEALTH_PORT=7001\n' });
    expect(loadConfig({ env: { HEALTH_PORT: '  ' }, cwd }).healthPort).toBe(7001);
  });

  it('reads .env without changing process.env', () => {
    const cwd = tempDir({ '.env': '# comment\nexport QUIZ_MAX_SESSIONS=42\nBADGEY_TEST_ONLY_MARKER=1\n' });
    const before = { ...process.env };
    expect(process.env.QUIZ_MAX_SESSIONS).toBeUndefined();
    expect(loadConfig({ cwd }).quizMaxSessions).toBe(42);
    expect(process.env).toEqual(before);
  });

  it('reads a YAML file with numbers, lists and durations, keeping 18-digit ids exact', () => {
    const cwd = tempDir({
      'config.yaml': [
        'HEALTH_PORT: 9090',
        'DISCORD_GUILD_IDS:',
        '  - 123456789012345678',
        '  - "876543210987654321"',
        'BOT_OWNER_IDS: 111111111111111111, 222222222222222222',
        'SHARD_IDS: [3, 1]',
        'SHARD_COUNT: 4',
        'ANALYTICS_EXPORT_INTERVAL: 5m',
        'DATABASE_URL: postgres://badgey@db:5432/badgey',
        'LOG_LEVEL: DEBUG',
        '',
      ].join('\n'),
    });
    const config = loadConfig({ env: { BADGEY_CONFIG: join(cwd, 'config.yaml') }, cwd });
    expect(config).toMatchObject({
      healthPort: 9090,
      discordGuildIds: ['123456789012345678', '876543210987654321'],
      botOwnerIds: ['111111111111111111', '222222222222222222'],
      shardIds: [1, 3],
      shardCount: 4,
      analyticsExportIntervalSeconds: 300,
      databaseUrl: 'postgres://badgey@db:5432/badgey',
      logLevel: 'debug',
    });
  });

  it('reads a JSON file the same way', () => {
    // The id is a JSON number on purpose: it must not be rounded to a double on the way.
    const cwd = tempDir({
      'config.json':
        '{"HEALTH_PORT": 9091, "ANALYTICS_EXPORT_INTERVAL": "1h", "SHARD_IDS": "auto", "BOT_OWNER_IDS": [123456789012345679]}',
    });
    const config = loadConfig({ env: { BADGEY_CONFIG: join(cwd, 'config.json') }, cwd });
    expect(config).toMatchObject({
      healthPort: 9091,
      analyticsExportIntervalSeconds: 3600,
      shardIds: 'auto',
      botOwnerIds: ['123456789012345679'],
    });
  });

  it('accepts every documented duration spelling', () => {
    const cwd = tempDir();
    const seconds = (value: string) =>
      loadConfig({ env: { ANALYTICS_EXPORT_INTERVAL: value }, cwd }).analyticsExportIntervalSeconds;
    expect([seconds('300'), seconds('30s'), seconds('5m'), seconds('1h'), seconds('5')]).toEqual([
      300, 30, 300, 3600, 5,
    ]);
  });

  it('accepts sqlite:PATH, a plain path, postgres:// and postgresql:// database URLs', () => {
    const cwd = tempDir();
    for (const url of [
      'sqlite:/var/lib/badgey.db',
      './data/x.sqlite',
      'postgres://h/db',
      'postgresql://u:p@h/db',
    ]) {
      expect(loadConfig({ env: { DATABASE_URL: url }, cwd }).databaseUrl).toBe(url);
    }
  });

  it('reads BADGEY_CONFIG from .env, relative to the working directory', () => {
    const cwd = tempDir({ '.env': 'BADGEY_CONFIG=settings.yml\n', 'settings.yml': 'HEALTH_PORT: 6000\n' });
    expect(loadConfig({ env: {}, cwd }).healthPort).toBe(6000);
  });

  it('ignores unknown environment variables', () => {
    expect(loadConfig({ env: { HEALTH_PROT: 'x', PATH: '/bin' }, cwd: tempDir() }).healthPort).toBe(8080);
  });
});

describe('loadConfig errors', () => {
  it('reports every bad key at once, each on its own line with its source', () => {
    const cwd = tempDir({
      'config.yaml': 'HEALTH_PORT: 8080\nANALYTICS_EXPORT_INTERVAL: 1s\n',
      '.env': '# owners\n\nBOT_OWNER_IDS=abc\n',
    });
    const error = configError({
      env: { BADGEY_CONFIG: 'config.yaml', HEALTH_PORT: '0', LOG_LEVEL: 'loud' },
      cwd,
    });
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
    expect(error.issues.map((issue) => [issue.key, issue.source])).toEqual(
      expect.arrayContaining([
        ['HEALTH_PORT', 'env'],
        ['LOG_LEVEL', 'env'],
        ['ANALYTICS_EXPORT_INTERVAL', 'config.yaml:2'],
        ['BOT_OWNER_IDS', '.env:3'],
      ]),
    );
    expect(error.issues).toHaveLength(4);
    expect(error.message.split('\n').sort()).toEqual([
      'ANALYTICS_EXPORT_INTERVAL: must be a duration like 300, 30s, 5m or 1h, from 5s to 24h, got "1s" (from config.yaml:2)',
      'BOT_OWNER_IDS: must be Discord ids (17-20 digits) separated by commas, got "abc" (from .env:3)',
      'HEALTH_PORT: must be an integer 1-65535, got "0" (from env)',
      'LOG_LEVEL: must be one of fatal|error|warn|info|debug|trace|silent, got "loud" (from env)',
    ]);
  });

  it('names an unknown config file key and its line, suggesting the likely key', () => {
    const cwd = tempDir({ 'config.yaml': 'LOG_LEVEL: info\n\nHEALTH_PROT: 8080\nCOLOUR: blue\n' });
    const error = configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd });
    expect(error.message.split('\n')).toEqual([
      'HEALTH_PROT: unknown key (did you mean HEALTH_PORT?) (from config.yaml:3)',
      'COLOUR: unknown key (from config.yaml:4)',
    ]);
  });

  it('refuses BADGEY_CONFIG inside the config file', () => {
    const cwd = tempDir({ 'config.yaml': 'BADGEY_CONFIG: other.yaml\n' });
    expect(configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message).toBe(
      'BADGEY_CONFIG: cannot be set inside the config file; set it in the environment (from config.yaml:1)',
    );
  });

  it('rejects a mapping where a value or list belongs', () => {
    const cwd = tempDir({ 'config.yaml': 'LOG_LEVEL: info\nHEALTH_PORT:\n  port: 1\n' });
    expect(configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message).toBe(
      'HEALTH_PORT: must be a single value or a list of values, got a mapping (from config.yaml:2)',
    );
  });

  it('rejects a list for a single-value key', () => {
    const cwd = tempDir({ 'config.yaml': 'HEALTH_PORT: [80, 81]\n' });
    expect(configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message).toBe(
      'HEALTH_PORT: must be an integer 1-65535, got ["80","81"] (from config.yaml:1)',
    );
  });

  it('names BADGEY_CONFIG and the path when the file does not exist', () => {
    const cwd = tempDir();
    expect(configError({ env: { BADGEY_CONFIG: '/nonexistent/badgey.yaml' }, cwd }).message).toBe(
      'BADGEY_CONFIG: file /nonexistent/badgey.yaml does not exist (from env)',
    );
  });

  it('refuses a config file over 1 MiB with its size, before parsing it', () => {
    // 2 MiB of comments and one valid key: it used to be parsed (a 40 MB file kept the bot busy
    // for minutes with no /health and no output).
    const big = `${`# ${'x'.repeat(61)}\n`.repeat(32_768)}HEALTH_PORT: 7000\n`;
    const cwd = tempDir({ 'config.yaml': big });
    expect(configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message).toBe(
      'BADGEY_CONFIG: file config.yaml is 2.0 MiB, over the 1.0 MiB limit for a config file (is it the right file?) (from env)',
    );
  });

  it('refuses a HEALTH_HOST of digits and dots that is no IPv4 address (it failed to bind after start-up, exit 1)', () => {
    const cwd = tempDir();
    expect(configError({ env: { HEALTH_HOST: '999.1.1.1' }, cwd }).message).toBe(
      'HEALTH_HOST: must be an IP address or host name, got "999.1.1.1" (from env)',
    );
    expect(loadConfig({ env: { HEALTH_HOST: '10.1.1.1' }, cwd }).healthHost).toBe('10.1.1.1');
    expect(loadConfig({ env: { HEALTH_HOST: 'pod-1.local' }, cwd }).healthHost).toBe('pod-1.local');
  });

  it('refuses DISCORD_GUILD_IDS of commas only instead of registering globally', () => {
    const cwd = tempDir();
    expect(configError({ env: { DISCORD_GUILD_IDS: ',,,' }, cwd }).message).toBe(
      'DISCORD_GUILD_IDS: must be Discord ids (17-20 digits) separated by commas, got ",,," (from env)',
    );
  });

  it('names BADGEY_CONFIG and the path when the file is a directory', () => {
    const cwd = tempDir({ '.env': 'BADGEY_CONFIG=conf.d\n' });
    mkdirSync(join(cwd, 'conf.d'));
    expect(configError({ env: {}, cwd }).message).toBe(
      'BADGEY_CONFIG: file conf.d is a directory, not a file (from .env:1)',
    );
  });

  // root reads any file whatever its mode, so the permission case cannot be provoked as root.
  it.skipIf(process.getuid?.() === 0)('names BADGEY_CONFIG and the path when the file cannot be read', () => {
    const cwd = tempDir({ 'config.yaml': 'HEALTH_PORT: 1\n' });
    chmodSync(join(cwd, 'config.yaml'), 0o000);
    expect(configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message).toBe(
      'BADGEY_CONFIG: file config.yaml cannot be read (permission denied) (from env)',
    );
  });

  it.each([
    [
      'YAML',
      'config.yaml',
      'HEALTH_PORT: 8080\nLOG_LEVEL: [debug\n',
      'BADGEY_CONFIG: config.yaml is not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] (from config.yaml:3:1)',
    ],
    [
      'JSON',
      'config.json',
      '{\n  "HEALTH_PORT": 8080,,\n  "LOG_LEVEL": "debug"\n}\n',
      'BADGEY_CONFIG: config.json is not valid YAML or JSON: Unexpected , in flow map (from config.json:2:23)',
    ],
    [
      'YAML with a duplicate key',
      'config.yaml',
      'HEALTH_PORT: 1\nHEALTH_PORT: 2\n',
      'BADGEY_CONFIG: config.yaml is not valid YAML or JSON: Map keys must be unique (from config.yaml:2:1)',
    ],
  ])('names the line and column of invalid %s', (_kind, name, text, message) => {
    const cwd = tempDir({ [name]: text });
    expect(configError({ env: { BADGEY_CONFIG: name }, cwd }).message).toBe(message);
  });

  it('does not quote file content in a syntax error (it may hold a secret)', () => {
    const cwd = tempDir({ 'config.yaml': 'HEALTH_PORT: 8080\nDISCORD_TOKEN: "abcdef.secret-token-value\n' });
    const message = configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message;
    expect(message).toMatch(
      /^BADGEY_CONFIG: config\.yaml is not valid YAML or JSON: .* \(from config\.yaml:\d+:\d+\)$/,
    );
    expect(message).not.toContain('secret-token-value');
  });

  it('rejects a file that is not a mapping', () => {
    const cwd = tempDir({ 'config.yaml': '- HEALTH_PORT\n' });
    expect(configError({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).message).toBe(
      'BADGEY_CONFIG: config.yaml must be a mapping of KEY: value lines (from config.yaml:1)',
    );
  });

  it('accepts an empty config file', () => {
    const cwd = tempDir({ 'config.yaml': '# nothing yet\n' });
    expect(loadConfig({ env: { BADGEY_CONFIG: 'config.yaml' }, cwd }).healthPort).toBe(8080);
  });
});
