import { describe, expect, it } from 'vitest';
import {
  BENCH_END,
  BENCH_START,
  type BenchResults,
  formatMarkdown,
  mergeResults,
  ratioOf,
  replaceBenchSection,
  targetMet,
} from '../../../bench/report.js';

const machine = { cpuModel: 'Test CPU', cores: 2, memoryGb: 4, node: 'v20.0.0', os: 'linux 6' };

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    machine,
    at: '2026-11-27T23:00:00.000Z',
    modules: [{ name: 'health', file: 'health.ts', status: 'ok', seconds: 12 }],
    rows: [
      {
        module: 'health',
        name: '/health p99',
        value: 4.2,
        unit: 'ms',
        baseline: 5,
        baselineName: 'bare terminus',
        target: '≤ 5 ms',
      },
    ],
    ...overrides,
  };
}

describe('targetMet', () => {
  it('compares a unit target with the value and a × target with the ratio', () => {
    expect(targetMet({ name: 'a', value: 4.9, unit: 'ms', target: '≤ 5 ms' })).toBe(true);
    expect(targetMet({ name: 'a', value: 5.1, unit: 'ms', target: '≤ 5 ms' })).toBe(false);
    const faster = { name: 'a', unit: 'ns/op', baseline: 1200, target: '≤ 0.1× the seed port (10× faster)' };
    expect(targetMet({ ...faster, value: 95 })).toBe(true);
    expect(targetMet({ ...faster, value: 130 })).toBe(false);
    expect(targetMet({ name: 'a', value: 0, unit: 'failures', target: '≤ 0 failures' })).toBe(true);
  });

  it('prefers the module verdict and gives none for targets in words or other units', () => {
    expect(targetMet({ name: 'a', value: 9, unit: 'ms', target: '≤ 5 ms', met: true })).toBe(true);
    expect(targetMet({ name: 'a', value: 1, unit: 'MB', target: 'bounded' })).toBeUndefined();
    expect(targetMet({ name: 'a', value: 1, unit: 'MB', target: '≤ 5 ms' })).toBeUndefined();
    expect(targetMet({ name: 'a', value: 1, unit: 'MB' })).toBeUndefined();
  });
});

describe('the ratio column', () => {
  it('is ours ÷ baseline in every row, whatever the module, and says so (it mixed both directions)', () => {
    const rows = [
      {
        module: 'analytics',
        name: 'record cost',
        value: 95,
        unit: 'ns/op',
        baseline: 1201,
        target: '≤ 0.1×',
      },
      {
        module: 'discord',
        name: 'start-up',
        value: 337,
        unit: 'ms',
        baseline: 248,
        target: '≤ 1.5× the bare client',
      },
      { module: 'health', name: '/health p99', value: 2.7, unit: 'ms', baseline: 3 },
    ];
    const markdown = formatMarkdown(results({ rows }));
    expect(markdown).toContain('ratio = ours ÷ baseline');
    expect(markdown).toContain('| record cost | 95 ns/op | 1,201 ns/op (baseline) | 0.079× | ≤ 0.1× | yes |');
    expect(markdown).toContain(
      '| start-up | 337 ms | 248 ms (baseline) | 1.36× | ≤ 1.5× the bare client | yes |',
    );
    expect(markdown).toContain('| /health p99 | 2.7 ms | 3 ms (baseline) | 0.9× | — | — |');
    for (const row of rows) expect(ratioOf(row)).toBeCloseTo(row.value / row.baseline, 2);
  });
});

describe('the README section', () => {
  it('appends a Performance section with the markers when missing, and only replaces between them later', () => {
    const readme = '# Badgey\n\nIntro.\n';
    const first = replaceBenchSection(readme, 'TABLE 1');
    expect(first.startsWith(readme)).toBe(true);
    expect(first).toContain(`## Performance`);
    expect(first).toContain(`${BENCH_START}\nTABLE 1\n${BENCH_END}`);

    const edited = `${first}\n## Later section\n\nKept.\n`;
    const second = replaceBenchSection(edited, 'TABLE 2');
    expect(second).toBe(edited.replace('TABLE 1', 'TABLE 2'));
    expect(second.match(/## Performance/g)).toHaveLength(1);
  });

  it('shows every figure with its baseline, ratio, target and verdict, the machine, and failed modules', () => {
    const markdown = formatMarkdown(
      results({
        modules: [
          { name: 'health', file: 'health.ts', status: 'ok', seconds: 12 },
          {
            name: 'discord',
            file: 'discord.ts',
            status: 'timeout',
            seconds: 120,
            error: 'exceeded its 120 s budget',
          },
          { name: 'load', file: 'load.ts', status: 'absent', seconds: 0 },
        ],
      }),
    );
    expect(markdown).toContain('| /health p99 | 4.2 ms | 5 ms (bare terminus) | 0.84× | ≤ 5 ms | yes |');
    expect(markdown).toContain('Test CPU, 2 cores, 4 GB RAM, Node v20.0.0');
    expect(markdown).toMatch(/discord: \*\*timeout\*\* after 120 s: exceeded/);
    expect(markdown).toContain('load: not run (`bench/load.ts` does not exist yet)');
  });
});

describe('mergeResults', () => {
  it('replaces the rows of modules that ran and keeps the others', () => {
    const previous = results({
      modules: [
        { name: 'analytics', file: 'analytics.ts', status: 'ok', seconds: 14 },
        { name: 'health', file: 'health.ts', status: 'ok', seconds: 12 },
      ],
      rows: [
        { module: 'analytics', name: 'record cost', value: 95, unit: 'ns/op' },
        { module: 'health', name: '/health p99', value: 9, unit: 'ms' },
      ],
    });
    const current = results({
      modules: [
        { name: 'analytics', file: 'analytics.ts', status: 'skipped', seconds: 0 },
        { name: 'health', file: 'health.ts', status: 'ok', seconds: 11 },
      ],
      rows: [{ module: 'health', name: '/health p99', value: 3, unit: 'ms' }],
    });
    const merged = mergeResults(previous, current);
    expect(merged.rows.map((row) => [row.module, row.value])).toEqual([
      ['analytics', 95],
      ['health', 3],
    ]);
    expect(merged.modules.map((m) => m.status)).toEqual(['ok', 'ok']);
  });
});
