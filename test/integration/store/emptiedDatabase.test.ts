import { describe, expect, it } from 'vitest';
import { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import { DatabaseUnavailableError } from '../../../src/quiz/ports.js';
import { openTestDatabase, pgAdmin, quizInput, scratchPostgres } from './storeTargets.js';

// A real PostgreSQL schema dropped and recreated empty under a running store (a restore gone wrong,
// a new empty database). The readiness probe was `select 1`, which such a database answers fine:
// /ready said 200 while every command failed with "relation does not exist", and the migrations
// never ran again.

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('PostgreSQL emptied while running', { timeout: 30_000 }, () => {
  it('is noticed by the health probe (not ready, with the reason), migrated again, and serves again', async () => {
    const scratch = await scratchPostgres();
    const schema = new URL(scratch.url).searchParams.get('options')?.replace('-c search_path=', '') ?? '';
    const readiness = new ReadinessRegistry();
    const reasons: string[] = [];
    readiness.onChange((component, status) => {
      if (component === 'database' && !status.ready && status.reason) reasons.push(status.reason);
    });
    const db = await openTestDatabase(scratch.url, { readiness, healthIntervalMs: 200 });
    try {
      await db.migrate();
      await db.quizzes.create('100000000000000001', '200000000000000001', quizInput('Before'));
      await until(() => readiness.snapshot().database?.ready === true, 'ready after the migrations');

      await pgAdmin(async (c) => {
        await c.query(`drop schema ${schema} cascade`);
        await c.query(`create schema ${schema}`);
      });

      // A command meanwhile is told the database is unavailable (a "try again" reply), not a crash.
      const during = await db.quizzes
        .list('100000000000000001', { offset: 0, limit: 10 })
        .then(() => undefined)
        .catch((error: unknown) => error);
      if (during !== undefined) expect(during).toBeInstanceOf(DatabaseUnavailableError);

      await until(() => reasons.some((r) => /schema missing/.test(r)), '/ready naming the missing schema');
      await until(() => readiness.snapshot().database?.ready === true, 'ready again after migrating again');
      const after = await db.quizzes.create('100000000000000001', '200000000000000001', quizInput('After'));
      expect(after.name).toBe('After');
      expect(
        (await db.quizzes.list('100000000000000001', { offset: 0, limit: 10 })).items.map((q) => q.name),
      ).toEqual(['After']);
    } finally {
      await db.close();
      await scratch.dispose();
    }
  });
});
