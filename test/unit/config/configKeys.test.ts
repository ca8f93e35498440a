import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_FILE_ENV,
  CONFIG_KEYS,
  configTableMarkdown,
  defaultText,
} from '../../../src/config/configKeys.js';

/** `/** ENV — text *\/ field:` pairs from Config.ts, the typed contract other modules read. */
function documentedFields(): Map<string, { env: string; doc: string }> {
  const source = readFileSync(new URL('../../../src/config/Config.ts', import.meta.url), 'utf8');
  const fields = new Map<string, { env: string; doc: string }>();
  for (const match of source.matchAll(/\/\*\*\s*([A-Z_]+) — ([\s\S]*?)\*\/\s*(\w+):/g)) {
    fields.set(match[3]!, { env: match[1]!, doc: match[2]! });
  }
  return fields;
}

describe('CONFIG_KEYS', () => {
  it('covers every Config field with the env name its doc comment gives', () => {
    const documented = documentedFields();
    expect(CONFIG_KEYS.map((key) => [key.field, key.env])).toEqual(
      [...documented].map(([field, { env }]) => [field, env]),
    );
  });

  it('has the default the Config doc comment states', () => {
    const documented = documentedFields();
    const checked = [];
    for (const key of CONFIG_KEYS) {
      const doc = documented.get(key.field)!.doc.toLowerCase();
      if (doc.includes('default') && key.defaultDoc === undefined) {
        const quote = /^\d+$/.test(defaultText(key)) ? '' : '`';
        expect(doc, key.env).toContain(`default ${quote}${defaultText(key)}`.toLowerCase());
        checked.push(key.env);
      }
    }
    expect(checked.length).toBeGreaterThan(15);
  });

  it('uses each env name once and never the config file variable', () => {
    const names = CONFIG_KEYS.map((key) => key.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain(CONFIG_FILE_ENV);
  });

  it('marks the token, salt and health token secret, and nothing else', () => {
    expect(CONFIG_KEYS.filter((key) => key.secret).map((key) => key.env)).toEqual([
      'DISCORD_TOKEN',
      'HEALTH_AUTH_TOKEN',
      'ANALYTICS_SALT',
    ]);
  });

  it('renders one README row per key plus BADGEY_CONFIG', () => {
    const rows = configTableMarkdown().split('\n').slice(2);
    expect(rows.map((row) => /^\| `([A-Z_]+)` \|/.exec(row)?.[1])).toEqual([
      ...CONFIG_KEYS.map((key) => key.env),
      CONFIG_FILE_ENV,
    ]);
    expect(configTableMarkdown()).toContain('| `HEALTH_PORT` | `8080` |');
  });
});
