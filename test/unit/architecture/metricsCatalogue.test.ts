/** Every `badgey_*` series is defined in src/metrics.ts and nowhere else. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../../src/metrics.js';

const SRC = resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the metrics catalogue (src/metrics.ts)', () => {
  it('is the only place a badgey_ series name is written as a string', () => {
    const elsewhere = sourceFiles(SRC)
      .filter((file) => relative(SRC, file) !== 'metrics.ts')
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, where: `${relative(SRC, file)}:${i + 1}` }))
          .filter(({ line }) => /['"]badgey_/.test(line))
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(elsewhere).toEqual([]);
  });

  it('defines each series once, with a badgey_ name and a help text', () => {
    const definitions = Object.values(METRICS);
    expect(definitions.length).toBeGreaterThan(20);
    const names = definitions.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    for (const definition of definitions) {
      expect(definition.name).toMatch(/^badgey_[a-z_]+$/);
      expect(definition.help.length).toBeGreaterThan(10);
    }
  });
});
