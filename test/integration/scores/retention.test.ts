import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttemptRetention, DAY_MS } from '../../../src/scores/AttemptRetention.js';
import { type Database, openDatabase } from '../../../src/store/openDatabase.js';
import { FakeClock } from '../../support/FakeClock.js';
import { quizInput } from '../store/storeTargets.js';

// The retention job over a real (in-memory) SQLite store, time moved by a fake clock.
const GUILD = '400000000000000001';
const MEMBER = '300000000000000001';

let db: Database;
const clock = new FakeClock(Date.UTC(2026, 5, 1));

beforeEach(async () => {
  db = await openDatabase({ url: 'sqlite::memory:', logger: pino({ level: 'silent' }), clock });
  await db.migrate();
});
afterEach(() => db.close());

async function attemptsStartedAt(times: number[]): Promise<void> {
  const quiz = await db.quizzes.create(GUILD, MEMBER, quizInput(`Quiz ${times.length}`));
  for (const startedAt of times) {
    const a = await db.attempts.start({
      guildId: GUILD,
      userId: MEMBER,
      quizId: quiz.id,
      maxScore: 10,
      questionCount: 1,
      startedAt,
    });
    await db.attempts.complete(a.id, {
      score: 5,
      correctCount: 1,
      completedAt: startedAt + 1000,
      durationSeconds: 1,
    });
  }
}

async function remaining(): Promise<number> {
  let n = 0;
  for await (const _ of db.scores.exportAttempts(GUILD, {})) n++;
  return n;
}

describe('AttemptRetention', () => {
  it('deletes attempts older than N days in batches until none is left, and keeps the rest', async () => {
    const now = clock.now();
    await attemptsStartedAt([
      ...Array.from({ length: 25 }, (_, i) => now - 31 * DAY_MS - i),
      now - 29 * DAY_MS,
      now - DAY_MS,
    ]);
    const batches: number[] = [];
    const scores = {
      deleteAttemptsStartedBefore: async (before: number, limit: number) => {
        const n = await db.scores.deleteAttemptsStartedBefore(before, limit);
        batches.push(n);
        return n;
      },
    };
    const retention = new AttemptRetention({
      scores,
      days: 30,
      clock,
      scheduler: clock,
      logger: pino({ level: 'silent' }),
      batchSize: 10,
    });
    expect(await retention.runOnce()).toBe(25);
    expect(batches).toEqual([10, 10, 5]);
    expect(await remaining()).toBe(2);
  });

  it('runs a minute after start, then once a day, until stopped', async () => {
    let runs = 0;
    const retention = new AttemptRetention({
      scores: {
        deleteAttemptsStartedBefore: async () => {
          runs++;
          return 0;
        },
      },
      days: 7,
      clock,
      scheduler: clock,
      logger: pino({ level: 'silent' }),
    });
    retention.start();
    clock.advance(59_000);
    expect(runs).toBe(0);
    clock.advance(1_000);
    expect(runs).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(DAY_MS);
    expect(runs).toBe(2);
    await retention.stop();
    clock.advance(2 * DAY_MS);
    expect(runs).toBe(2);
  });

  it('refuses a retention that is not a positive whole number of days', () => {
    const options = { scores: db.scores, clock, scheduler: clock, logger: pino({ level: 'silent' }) };
    expect(() => new AttemptRetention({ ...options, days: 0 })).toThrow(/positive integer/);
  });
});
