import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/feedMillion.ts', import.meta.url));

describe('QuizAnalytics memory', () => {
  it('stays flat from 300k to 1M events (30k → 100k distinct users) and small overall', () => {
    // A separate process with --expose-gc gives a clean heap to measure.
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      beforeAnalytics: number;
      afterWarmup: number;
      afterAll: number;
      activeUsers: number;
      started: number;
    };
    expect(result.started).toBe(100_000);
    expect(Math.abs(result.activeUsers - 100_000) / 100_000).toBeLessThan(0.02);
    const growthBytes = result.afterAll - result.afterWarmup;
    expect(growthBytes, `memory grew ${(growthBytes / 1e6).toFixed(2)} MB`).toBeLessThan(500_000);
    const total = result.afterAll - result.beforeAnalytics;
    expect(total, `analytics holds ${(total / 1e6).toFixed(2)} MB`).toBeLessThan(5_000_000);
  });
});
