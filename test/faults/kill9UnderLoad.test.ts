import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyticsStatistics } from '../../src/analytics/QuizAnalytics.js';
import { inspectSqlite, readExports } from './databaseChecks.js';
import { backgroundLoad, driverFor, loadWorld } from './faultHarness.js';

// `kill -9` in the middle of quiz load: no shutdown code runs. On restart the last export must be
// valid and restored exactly (the counters equal that file's), and the database consistent
// (SQLite integrity, foreign keys, best scores agreeing with completed attempts).

const MEMBERS = 40;

/** The counters a restore must bring back unchanged (timings of the new process are excluded). */
function counters(s: AnalyticsStatistics) {
  return {
    quizzes_started: s.quizzes_started,
    quizzes_completed: s.quizzes_completed,
    questions_answered: s.questions_answered,
    correct_answers: s.correct_answers,
    timed_out_answers: s.timed_out_answers,
    answers_by_mode: s.answers_by_mode,
    score_percentiles: s.score_percentiles,
    avg_score: s.avg_score,
    quiz_duration_percentiles: s.quiz_duration_percentiles,
    top_quizzes: s.top_quizzes,
    top_users: s.top_users,
    top_guilds: s.top_guilds,
    active_users: s.active_users,
    hourly_usage: s.hourly_usage,
    daily_usage: s.daily_usage,
    commands: Object.fromEntries(
      Object.entries(s.command_performance).map(([name, p]) => [
        name,
        { count: p.count, outcomes: p.outcomes },
      ]),
    ),
    error_counts: s.error_counts,
  };
}

function latestExport(dir: string): { exportedAt: string; statistics: AnalyticsStatistics } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'analytics-latest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

async function until<T>(value: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('kill -9 during quiz load (real bot process)', { timeout: 120_000 }, () => {
  it('restarts with a valid export restored exactly and a consistent database', async () => {
    const world = await loadWorld({ members: MEMBERS });
    const env = { LOG_LEVEL: 'info', ANALYTICS_EXPORT_INTERVAL: '5' };
    const bot = await world.startBot(env);
    expect(world.takingAvailable()).toBe(true);
    const driver = driverFor(world, bot);
    const load = backgroundLoad(driver, { members: MEMBERS, thinkMs: [50, 300] });
    try {
      // At least one periodic export with finished quizzes in it, then a little more load.
      await until(
        () => ((latestExport(world.exportDir)?.statistics.quizzes_completed ?? 0) > 0 ? true : undefined),
        30_000,
        'no export with a completed quiz',
      );
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2000));
      bot.signal('SIGKILL');
      expect(await bot.waitForExit(5000)).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      await load.stop();
    }
    expect(driver.tracked.length).toBeGreaterThan(MEMBERS * 3);

    // Whatever was on disk at the kill: every file complete and parseable.
    const before = readExports(world.exportDir).latest;
    expect(before).toMatchObject({ format: 'badgey-analytics', version: 1 });
    expect(before.statistics.quizzes_started).toBeGreaterThan(0);

    const killed = inspectSqlite(world.sqlitePath ?? '');
    expect(killed.integrity).toBe('ok');
    expect(killed.foreignKeyViolations).toBe(0);
    expect(killed.problems).toEqual([]);
    expect(killed.attempts.completed).toBeGreaterThan(0);
    expect(killed.bestScores).toBeGreaterThan(0);

    // Restart on the same database and export directory; no member traffic from here on.
    const restarted = await world.startBot(env);
    expect(await restarted.waitForLog((l) => l.msg === 'analytics restore')).toMatchObject({
      restore: 'restored',
    });
    const after = await until(
      () => {
        const file = latestExport(world.exportDir);
        return file && file.exportedAt !== before.exportedAt ? file : undefined;
      },
      15_000,
      'no export after the restart',
    );
    expect(counters(after.statistics)).toEqual(counters(before.statistics));

    // The restarted bot serves quizzes again on the same database.
    const member = 0;
    const quiz = world.quizzes[0];
    if (!quiz) throw new Error('no quiz');
    const restartedDriver = driverFor(world, restarted);
    expect(await restartedDriver.takeQuiz(member, quiz, { thinkMs: [10, 50], clickNext: true })).toBe(
      'completed',
    );
    restarted.signal('SIGTERM');
    expect((await restarted.waitForExit(30_000)).code).toBe(0);
    const final = inspectSqlite(world.sqlitePath ?? '');
    expect(final.integrity).toBe('ok');
    expect(final.problems).toEqual([]);
    expect(final.attempts.completed).toBe(killed.attempts.completed + 1);
  });
});
