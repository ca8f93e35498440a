import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { ConfigError } from '../../src/config/ConfigError.js';
import { CONFIG_KEYS } from '../../src/config/configKeys.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { checkProperty, fuzzTimeout } from './fuzzHarness.js';

// Invariant: any environment and any config file give a Config or a ConfigError whose every issue
// names a key; never another exception; secret values (and the database password) never appear
// in the error text.

const dir = mkdtempSync(join(tmpdir(), 'badgey-fuzz-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY_NAMES = CONFIG_KEYS.map((key) => key.env);
const SECRET_KEYS = new Set(CONFIG_KEYS.filter((key) => key.secret).map((key) => key.env));
const KNOWN_NAMES = new Set([...KEY_NAMES, 'BADGEY_CONFIG', '.env']);

// Secrets get a distinctive marker so a leak is unmistakable, whatever else the value holds.
const SECRET_MARK = 'Zq9SECRETmark';
const PASSWORD_MARK = 'Pw7PASSWORDmark';

const valueArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcXYZ :,/@%.-_=#\'"\n\t'), maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    'auto',
    '0',
    '65536',
    '8080',
    '5m',
    '1h',
    '30s',
    'debug',
    'json',
    'true',
    '1,2,3',
    '123456789012345678',
    'sqlite:./x.sqlite',
    'http://127.0.0.1:1',
    'postgres://u@h/db',
    '[]',
    '{}',
  ),
);

/** A value for `key`, with the marker embedded in secrets and in database URL passwords. */
function withMarkers(key: string, value: string, asPassword: boolean): string {
  if (SECRET_KEYS.has(key)) return `${value}${SECRET_MARK}`;
  if (key === 'DATABASE_URL' && asPassword)
    return `postgres://user:${PASSWORD_MARK}${encodeURIComponent(value)}@db.internal:5432/badgey`;
  return value;
}

function assertConfigOrClearError(run: () => unknown, leaks: string[]): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw new Error(`threw ${String(error)} instead of a ConfigError`);
    if (error.issues.length === 0) throw new Error('a ConfigError without issues');
    for (const issue of error.issues) {
      const named = KNOWN_NAMES.has(issue.key) || issue.key.length > 0;
      if (!named || !String(issue).startsWith(`${issue.key}: `) || /[\r\n]/.test(String(issue)))
        throw new Error(`issue is not one line starting with its key: ${JSON.stringify(String(issue))}`);
    }
    for (const secret of leaks) {
      if (error.message.includes(secret)) throw new Error(`error text leaks a secret: ${error.message}`);
    }
  }
}

const envArb = fc.dictionary(fc.constantFrom(...KEY_NAMES), fc.tuple(valueArb, fc.boolean()), { maxKeys: 8 });

describe('fuzz: configuration', () => {
  it(
    'any environment → a Config or a ConfigError naming keys, secrets never echoed',
    async () => {
      const cwd = mkdtempSync(join(dir, 'env-'));
      await checkProperty(
        'config: arbitrary environment',
        fc.property(envArb, (entries) => {
          const env: Record<string, string> = {};
          for (const [key, [value, asPassword]] of Object.entries(entries))
            env[key] = withMarkers(key, value, asPassword);
          assertConfigOrClearError(() => loadConfig({ env, cwd }), [SECRET_MARK, PASSWORD_MARK]);
        }),
      );
    },
    fuzzTimeout(5),
  );

  const fileKey = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...KEY_NAMES) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'BADGEY_CONFIG',
        'HEALTH_PROT',
        'discord_token',
        '',
        '"quoted"',
        '? complex',
        '<<',
        '*alias',
        '&a KEY',
      ),
    },
  );
  const fileValue = fc.oneof(
    valueArb.map((v) => JSON.stringify(v)),
    valueArb,
    fc.constantFrom(
      '[a, b]',
      '{a: 1}',
      '|\n  block',
      '- item',
      '*undefined_alias',
      '!!binary aGVsbG8=',
      '&x 1',
      '~',
      'null',
      '1e400',
      '0x1F',
    ),
  );
  const fileArb = fc.oneof(
    fc
      .array(fc.tuple(fileKey, fileValue, fc.boolean()), { maxLength: 8 })
      .map((pairs) => ({ pairs, raw: undefined })),
    fc.string({ unit: 'binary', maxLength: 300 }).map((raw) => ({ pairs: [], raw })),
    fc.json({ maxDepth: 3 }).map((raw) => ({ pairs: [], raw })),
  );

  it(
    'any config file contents → a Config or a ConfigError naming keys, secrets never echoed',
    async () => {
      const cwd = mkdtempSync(join(dir, 'file-'));
      const file = join(cwd, 'badgey.yaml');
      await checkProperty(
        'config: arbitrary config file',
        fc.property(fileArb, envArb, ({ pairs, raw }, entries) => {
          const lines = pairs.map(([key, value, asPassword]) => {
            const marked = SECRET_KEYS.has(key)
              ? JSON.stringify(`${value}${SECRET_MARK}`)
              : key === 'DATABASE_URL' && asPassword
                ? withMarkers(key, value, true)
                : value;
            return `${key}: ${marked}`;
          });
          writeFileSync(file, raw ?? lines.join('\n'));
          const env: Record<string, string> = { BADGEY_CONFIG: file };
          for (const [key, [value, asPassword]] of Object.entries(entries))
            env[key] = withMarkers(key, value, asPassword);
          assertConfigOrClearError(() => loadConfig({ env, cwd }), [SECRET_MARK, PASSWORD_MARK]);
        }),
      );
    },
    fuzzTimeout(5),
  );
});
