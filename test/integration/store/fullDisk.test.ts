import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import { DatabaseUnavailableError } from '../../../src/quiz/ports.js';
import { openTestDatabase, quizInput } from './storeTargets.js';

// The SQLite file's volume fills up (a real 4 MiB tmpfs filled to ENOSPC; root, as in CI;
// FAULT_TESTS_NO_TMPFS=1 skips where mounting is impossible). SQLite rolls the transaction back by
// itself, so the store's ROLLBACK failed and Kysely threw "cannot rollback - no transaction is
// active" instead of the disk error, and /ready stayed 200 (select 1 still answers).

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a full disk under the SQLite file', { timeout: 30_000 }, () => {
  it('reports the disk (the error and /ready), and recovers once space is freed', async () => {
    if (process.env.FAULT_TESTS_NO_TMPFS) return;
    const root = mkdtempSync(join(tmpdir(), 'badgey-full-'));
    const dir = join(root, 'data');
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
    const readiness = new ReadinessRegistry();
    const db = await openTestDatabase(`sqlite:${join(dir, 'badgey.sqlite')}`, {
      readiness,
      healthIntervalMs: 200,
    });
    try {
      await db.migrate();
      const quiz = await db.quizzes.create('100000000000000001', '200000000000000001', quizInput('Q'));
      const filler = join(dir, 'filler.bin');
      const block = Buffer.alloc(4096, 1);
      expect(() => {
        for (;;) writeFileSync(filler, block, { flag: 'a' });
      }).toThrow(/ENOSPC/);

      // A write in a transaction: each question is big, so the WAL must grow.
      const failure = await (async () => {
        for (let i = 0; i < 50; i++)
          await db.quizzes.addQuestion('100000000000000001', quiz.id, {
            text: `${'x'.repeat(1000)} ${i}`,
            options: ['a'.repeat(80), 'b'.repeat(80)],
            correctIndex: 0,
            points: 10,
            explanation: 'e'.repeat(1000),
          });
        return undefined;
      })().catch((error: unknown) => error);
      expect(String(failure)).not.toMatch(/cannot rollback/);
      expect(failure).toBeInstanceOf(DatabaseUnavailableError);
      expect((failure as DatabaseUnavailableError).reason).toMatch(/disk full/);
      await until(
        () => /disk full/.test(readiness.snapshot().database?.reason ?? ''),
        `/ready naming the disk (${JSON.stringify(readiness.snapshot().database)})`,
      );

      rmSync(filler);
      await until(() => readiness.snapshot().database?.ready === true, 'ready again after freeing space');
      await db.quizzes.addQuestion('100000000000000001', quiz.id, {
        text: 'after',
        options: ['a', 'b'],
        correctIndex: 0,
        points: 10,
        explanation: null,
      });
    } finally {
      await db.close();
      execFileSync('umount', ['-l', dir]);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
