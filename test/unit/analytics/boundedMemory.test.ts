import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/feedMillion.ts', import.meta.url));

describe('QuizAnalytics memory', () => {
  it('stays flat from 100k to 1M events from 100k distinct users', () => {
    // A separate process with --expose-gc gives a clean heap to measure.
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      afterWarmup: number;
      afterAll: number;
      activeUsers: number;
      started: number;
    };
    expect(result.started).toBe(100_000);
    expect(Math.abs(result.activeUsers - 100_000) / 100_000).toBeLessThan(0.02);
    const growthBytes = result.afterAll - result.afterWarmup;
    expect(growthBytes, `heap grew ${(growthBytes / 1e6).toFixed(2)} MB`).toBeLessThan(2_000_000);
  });
});
