/** The two databases every store test runs against: a temporary SQLite file and a throwaway PostgreSQL schema. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Clock } from '../../../src/clock.js';
import type { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import type { QuizInput } from '../../../src/quiz/types.js';
import { type Database, type OpenDatabaseOptions, openDatabase } from '../../../src/store/openDatabase.js';

/** The machine's PostgreSQL (trust auth). Override with STORE_TEST_PG_URL. */
export const PG_ADMIN_URL = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const silentLogger = pino({ level: 'silent' });

export async function pgAdmin<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is required by the store tests and is not reachable at ${PG_ADMIN_URL} (${(error as Error).message}). ` +
        'Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (see .ci/run).',
      { cause: error },
    );
  }
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** A URL whose connections use `schema` (via the libpq `options` startup parameter). */
export function pgUrlForSchema(schema: string, base = PG_ADMIN_URL): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export interface Scratch {
  /** DATABASE_URL of a fresh, empty database. */
  url: string;
  dispose(): Promise<void>;
}

export async function scratchSqlite(): Promise<Scratch> {
  const dir = mkdtempSync(join(tmpdir(), 'badgey-store-'));
  return {
    url: `sqlite:${join(dir, 'nested', 'badgey.sqlite')}`,
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A schema of its own per run, so parallel runs never collide; dropped on dispose. */
export async function scratchPostgres(): Promise<Scratch> {
  const schema = `badgey_test_${randomBytes(6).toString('hex')}`;
  await pgAdmin((c) => c.query(`create schema ${schema}`));
  return {
    url: pgUrlForSchema(schema),
    async dispose() {
      await pgAdmin((c) => c.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

export interface StoreTarget {
  name: 'sqlite' | 'postgres';
  scratch(): Promise<Scratch>;
}

export const STORE_TARGETS: StoreTarget[] = [
  { name: 'sqlite', scratch: scratchSqlite },
  { name: 'postgres', scratch: scratchPostgres },
];

export class TestClock implements Clock {
  constructor(public time = Date.UTC(2026, 5, 15, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export async function openTestDatabase(
  url: string,
  extra: Partial<OpenDatabaseOptions> & { clock?: Clock; readiness?: ReadinessRegistry } = {},
): Promise<Database> {
  return openDatabase({ url, logger: silentLogger, ...extra });
}

/** A valid quiz named `name`: 30 s timer, every question, no shuffle, always open. */
export function quizInput(name: string, overrides: Partial<QuizInput> = {}): QuizInput {
  return {
    name,
    description: `about ${name}`,
    timerSeconds: 30,
    questionLimit: null,
    shuffle: false,
    opensAt: null,
    closesAt: null,
    ...overrides,
  };
}
