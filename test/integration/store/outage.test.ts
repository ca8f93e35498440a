import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComponentStatus, ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import { DatabaseUnavailableError } from '../../../src/quiz/ports.js';
import type { Database } from '../../../src/store/openDatabase.js';
import {
  openTestDatabase,
  PG_ADMIN_URL,
  pgUrlForSchema,
  quizInput,
  type Scratch,
  scratchPostgres,
  scratchSqlite,
} from './storeTargets.js';
import { TcpProxy } from './TcpProxy.js';

/** Resolves when the `database` component reaches the wanted readiness (event-driven, no sleeping). */
function databaseBecomes(readiness: ReadinessRegistry, ready: boolean): Promise<ComponentStatus> {
  const current = readiness.snapshot().database;
  if (current && current.ready === ready) return Promise.resolve(current);
  return new Promise((resolve) => {
    const off = readiness.onChange((component, status) => {
      if (component === 'database' && status.ready === ready) {
        off();
        resolve(status);
      }
    });
  });
}

describe('PostgreSQL outage through a TCP proxy', () => {
  let scratch: Scratch;
  let proxy: TcpProxy;
  let db: Database;
  const readiness = new ReadinessRegistry();
  const metrics = new Registry();

  beforeAll(async () => {
    scratch = await scratchPostgres();
    const direct = new URL(scratch.url);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    const viaProxy = new URL(PG_ADMIN_URL);
    viaProxy.port = String(proxy.port);
    const schema = (direct.searchParams.get('options') ?? '').replace('-c search_path=', '');
    db = await openTestDatabase(pgUrlForSchema(schema, viaProxy.toString()), {
      readiness,
      metricsRegistry: metrics,
      healthIntervalMs: 200,
      connectTimeoutMs: 1000,
    });
  });

  afterAll(async () => {
    await db?.close();
    await proxy?.stop();
    await scratch?.dispose();
  });

  it('goes not ready with the reason, fails queries fast with DatabaseUnavailableError, and recovers', async () => {
    expect(readiness.snapshot().database).toEqual({ ready: false, reason: 'migrations not applied yet' });
    await db.migrate();
    expect(readiness.snapshot().database).toEqual({ ready: true });
    const quiz = await db.quizzes.create('g', 'u', quizInput('Survivor'));

    await proxy.cut();
    // The first query after the cut fails on its dead connection, or on the refused new one.
    const failure = await db.quizzes.getById('g', quiz.id).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    const down = await databaseBecomes(readiness, false);
    expect(down.reason).toMatch(/^connection (refused|lost|reset)$/);
    expect(readiness.isReady()).toBe(false);
    expect(readiness.failures()).toEqual({ database: down.reason });

    // While known down, every query fails with the typed error instead of hanging.
    const again = await db.quizzes.list('g', { offset: 0, limit: 5 }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(DatabaseUnavailableError);
    expect((again as DatabaseUnavailableError).reason).toMatch(/connection/);
    await expect(db.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    const errors = await metrics.getSingleMetricAsString('badgey_db_errors_total');
    expect(errors).toMatch(/operation="quizzes\.list"} 1/);

    await proxy.restore();
    await databaseBecomes(readiness, true);
    expect(readiness.isReady()).toBe(true);
    expect(await db.quizzes.getById('g', quiz.id)).toEqual(quiz);
    await expect(db.ping()).resolves.toBeUndefined();
  });
});

describe('PostgreSQL down at start', () => {
  it('retries migrations while unreachable, reporting the reason, and becomes ready when it answers', async () => {
    const scratch = await scratchPostgres();
    const direct = new URL(scratch.url);
    const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    const port = proxy.port;
    await proxy.cut();
    const viaProxy = new URL(PG_ADMIN_URL);
    viaProxy.port = String(port);
    const schema = (direct.searchParams.get('options') ?? '').replace('-c search_path=', '');
    const readiness = new ReadinessRegistry();
    let sawRetry: () => void = () => {};
    const retrying = new Promise<void>((resolve) => {
      sawRetry = resolve;
    });
    const logger = pino(
      { level: 'warn' },
      {
        write: (line: string) => {
          if (line.includes('retrying migrations')) sawRetry();
        },
      },
    );
    const db = await openTestDatabase(pgUrlForSchema(schema, viaProxy.toString()), {
      readiness,
      logger,
      connectTimeoutMs: 1000,
    });
    try {
      await expect(db.migrate()).rejects.toBeInstanceOf(DatabaseUnavailableError);
      expect(readiness.failures()).toEqual({ database: 'connection refused' });
      const migrating = db.migrate({ retryForMs: 60_000 });
      await retrying; // it failed once more and is waiting to retry
      await proxy.restore();
      expect(await migrating).toEqual([
        '0001_initial_schema',
        '0002_live_games',
        '0003_resumable_sessions',
        '0004_guild_language',
      ]);
      expect(readiness.isReady()).toBe(true);
    } finally {
      await db.close();
      await proxy.stop();
      await scratch.dispose();
    }
  });
});

describe('closing', () => {
  it('reports the database not ready once closed, and queries then fail as unavailable', async () => {
    const scratch = await scratchSqlite();
    const readiness = new ReadinessRegistry();
    const db = await openTestDatabase(scratch.url, { readiness });
    try {
      await db.migrate();
      expect(readiness.isReady()).toBe(true);
      await db.close();
      expect(readiness.snapshot().database).toEqual({ ready: false, reason: 'closed' });
      await expect(db.quizzes.getById('g', 1)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await db.close();
      await scratch.dispose();
    }
  });
});
