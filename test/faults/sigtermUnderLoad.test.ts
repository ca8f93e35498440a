import { describe, expect, it } from 'vitest';
import { messageText } from '../support/load/quizMessages.js';
import { inspectSqlite, readExports } from './databaseChecks.js';
import { driverFor, loadWorld } from './faultHarness.js';

// SIGTERM while 100+ quizzes are running (the single-quiz case is in test/e2e/taking*.test.ts):
// finished attempts are stored, every running one is recorded as interrupted and its member is told,
// the analytics export is flushed and valid, and the process exits 0 inside the grace period.

const FINISHERS = 20;
const RUNNING = 110;
const SHUTDOWN_TIMEOUT_SECONDS = 20;

describe('SIGTERM with more than 100 quizzes running (real bot process)', { timeout: 120_000 }, () => {
  it('stores finished attempts, records interrupted ones, flushes analytics, exits 0', async () => {
    const world = await loadWorld({
      members: FINISHERS + RUNNING,
      quizzes: [
        { name: 'One question', questions: 1, timerSeconds: 120 },
        { name: 'Five questions', questions: 5, timerSeconds: 120 },
      ],
    });
    const [short, long] = world.quizzes;
    if (!short || !long) throw new Error('quizzes not seeded');
    const bot = await world.startBot({
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
      ANALYTICS_EXPORT_INTERVAL: '1h', // the export that counts is the one written at shutdown
    });
    expect(world.takingAvailable()).toBe(true);
    const driver = driverFor(world, bot);

    // Members 0..19 finish a one-question quiz; the others answer one question of five and stay.
    const outcomes = await Promise.all(
      Array.from({ length: FINISHERS + RUNNING }, (_, member) =>
        member < FINISHERS
          ? driver.takeQuiz(member, short, { thinkMs: [50, 300], clickNext: true })
          : driver.takeQuiz(member, long, { thinkMs: [50, 300], clickNext: true, answers: 1 }),
      ),
    );
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(FINISHERS);
    expect(outcomes.filter((o) => o === 'stopped')).toHaveLength(RUNNING);
    expect(driver.runningSessions).toBe(RUNNING);

    bot.signal('SIGTERM');
    // The watchdog exits 1 when the sequence outlives SHUTDOWN_TIMEOUT_SECONDS: 0 means in time.
    const exit = await bot.waitForExit((SHUTDOWN_TIMEOUT_SECONDS + 10) * 1000);
    expect(exit, bot.dump().slice(-4000)).toEqual({ code: 0, signal: null });
    expect(bot.logs.find((l) => l.msg === 'quiz sessions ended for shutdown')).toMatchObject({
      interrupted: RUNNING,
    });

    // Every member still in a quiz was told, on the quiz message itself.
    for (let member = FINISHERS; member < FINISHERS + RUNNING; member++)
      expect(messageText(driver.latestMessage(member)), `member ${member}`).toMatch(/Badgey is restarting/);

    const db = inspectSqlite(world.sqlitePath ?? '');
    expect(db.integrity).toBe('ok');
    expect(db.foreignKeyViolations).toBe(0);
    expect(db.problems).toEqual([]);
    expect(db.attempts).toEqual({ in_progress: 0, completed: FINISHERS, interrupted: RUNNING, abandoned: 0 });
    expect(db.bestScores).toBe(FINISHERS);

    const { latest } = readExports(world.exportDir);
    expect(latest).toMatchObject({ format: 'badgey-analytics', version: 1 });
    expect(latest.statistics.quizzes_started).toBe(FINISHERS + RUNNING);
    expect(latest.statistics.quizzes_completed).toBe(FINISHERS);
    expect(latest.statistics.questions_answered).toBe(FINISHERS + RUNNING);
  });
});
