import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTableMarkdown } from '../../../src/config/configKeys.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shows the two quick-start commands', () => {
    expect(readme).toContain('make run');
    expect(readme).toContain('make test');
  });

  it('carries the configuration table generated from the config key table', () => {
    const start = readme.indexOf('<!-- config-table:start');
    const end = readme.indexOf('<!-- config-table:end -->');
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim();
    expect(table).toBe(configTableMarkdown().trim());
  });

  it('gives every kubectl command aimed at deploy/badgey its sharded (StatefulSet) form nearby', () => {
    // The chart runs a StatefulSet when sharding is on: `deploy/badgey` does not exist there.
    const lines = readme.split('\n');
    const missing = lines.flatMap((line, i) => {
      if (!/kubectl .*deploy\/badgey/.test(line)) return [];
      const nearby = lines.slice(Math.max(0, i - 3), i + 4).join('\n');
      return /sts\/badgey|badgey-\d|exec <pod>/.test(nearby) ? [] : [`README line ${i + 1}: ${line.trim()}`];
    });
    expect(missing).toEqual([]);
  });
});
