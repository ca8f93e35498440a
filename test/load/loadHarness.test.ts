import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary, runLoad } from '../../bench/load.js';

// The load harness itself (`npm run load`), tiny: it must keep working as the bot changes — members
// really take quizzes to the end, and the report carries every figure. Volumes live in npm run load.

describe('load harness (npm run load), a short run', { timeout: 120_000 }, () => {
  it('members take quizzes through the real bot; the report has latency, REST per answer, errors, /health over time', async () => {
    const result = await runLoad({ members: 4, durationSeconds: 4, rampSeconds: 1, thinkMs: [20, 100] });
    const s = result.summary;
    expect(result.takingAvailable).toBe(true);
    expect(s.mode).toBe('take');
    expect(s.quizzesCompleted).toBeGreaterThan(0);
    // Each seeded quiz has 3 questions: every completed quiz answered all of them.
    expect(s.answeredQuestions).toBeGreaterThanOrEqual(3 * s.quizzesCompleted);
    expect(s.firstReplyMs.count).toBe(s.interactions);
    expect(s.restCallsPerAnsweredQuestion).toBeGreaterThanOrEqual(1);
    expect(s.errors.answeredTwice).toBe(0);
    expect(s.errors.stalledQuizzes).toBe(0);
    expect(s.healthLatencyMs.count).toBeGreaterThan(0);
    expect(s.timeline.some((p) => p.rssMb !== undefined && p.eventLoopDelayP99Ms !== undefined)).toBe(true);
    expect(formatSummary(result)).toMatch(/first reply p50 \/ p99 \/ max/);
  });

  it('the CLI writes bench/out-style JSON and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgey-load-cli-'));
    try {
      const out = join(dir, 'load.json');
      const stdout = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          resolve(import.meta.dirname, '../../bench/load.ts'),
          '--members',
          '2',
          '--duration',
          '2',
          '--ramp',
          '0',
          '--quiet',
          '--out',
          out,
        ],
        { encoding: 'utf8', timeout: 90_000 },
      );
      expect(stdout).toMatch(/interactions/);
      expect(existsSync(out)).toBe(true);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      expect(report.summary.members).toBe(2);
      expect(report.machine.cpus).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
