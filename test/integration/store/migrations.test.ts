import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { storeMigrations } from '../../../src/store/migrations.js';
import type { Database } from '../../../src/store/openDatabase.js';
import { runChildrenTogether } from './storeChildren.js';
import {
  openTestDatabase,
  pgAdmin,
  quizInput,
  type Scratch,
  STORE_TARGETS,
  scratchPostgres,
  scratchSqlite,
} from './storeTargets.js';

const ALL_MIGRATIONS = Object.keys(storeMigrations('sqlite'));
const TABLES = ['attempts', 'best_scores', 'guild_settings', 'live_games', 'questions', 'quizzes'];

let scratches: Scratch[] = [];
afterEach(async () => {
  await Promise.all(scratches.map((s) => s.dispose()));
  scratches = [];
});

async function fresh(make: () => Promise<Scratch>): Promise<Scratch> {
  const scratch = await make();
  scratches.push(scratch);
  return scratch;
}

describe.each(STORE_TARGETS)('migrations on $name', (target) => {
  it('build the schema from empty, then re-run as a no-op that keeps the data', async () => {
    const scratch = await fresh(() => target.scratch());
    const db = await openTestDatabase(scratch.url);
    try {
      expect(await db.migrate()).toEqual(ALL_MIGRATIONS);
      const quiz = await db.quizzes.create('g', 'u', quizInput('Kept'));
      expect(await db.migrate()).toEqual([]);
      expect(await db.quizzes.getById('g', quiz.id)).toEqual(quiz);
    } finally {
      await db.close();
    }
    // A second process start (new Database on the same storage) also finds nothing to do.
    const again = await openTestDatabase(scratch.url);
    try {
      expect(await again.migrate()).toEqual([]);
      expect(await again.quizzes.findByName('g', 'kept')).not.toBeNull();
    } finally {
      await again.close();
    }
  });
});

describe('migrations, concurrency and dialect specifics', () => {
  it('two processes migrating the same fresh schema at once both succeed and apply it once', async () => {
    const scratch = await fresh(scratchPostgres);
    const outputs = await runChildrenTogether([
      ['migrate', scratch.url],
      ['migrate', scratch.url],
    ]);
    const applied = outputs.map((o) => o.applied as string[]);
    // One of them applied everything; the other waited on the advisory lock and found nothing to do.
    expect(applied.flat().sort()).toEqual(ALL_MIGRATIONS);
    expect(applied.some((a) => a.length === 0)).toBe(true);
    const schema = decodeURIComponent(new URL(scratch.url).searchParams.get('options') ?? '').replace(
      '-c search_path=',
      '',
    );
    const tables = await pgAdmin(async (c) =>
      (
        await c.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1 order by table_name',
          [schema],
        )
      ).rows.map((r) => r.table_name),
    );
    expect(tables).toEqual([...TABLES, 'kysely_migration', 'kysely_migration_lock'].sort());
    const rows = await pgAdmin(
      async (c) => (await c.query(`select name from ${schema}.kysely_migration`)).rowCount,
    );
    expect(rows).toBe(ALL_MIGRATIONS.length);
  });

  it('two processes migrating the same fresh SQLite file at once both succeed', async () => {
    const scratch = await fresh(scratchSqlite);
    const outputs = await runChildrenTogether([
      ['migrate', scratch.url],
      ['migrate', scratch.url],
    ]);
    expect(outputs.flatMap((o) => o.applied as string[]).sort()).toEqual(ALL_MIGRATIONS);
    expect(existsSync(scratch.url.slice('sqlite:'.length))).toBe(true);
  });

  it('opening a fresh SQLite file while another connection holds its write lock waits for it', async () => {
    const scratch = await fresh(scratchSqlite);
    const path = scratch.url.slice('sqlite:'.length);
    mkdirSync(dirname(path), { recursive: true });
    // Stands in for another process half-way through its own switch of the new file to WAL. SQLite
    // skips the busy handler for the read→write upgrade the switch makes, so without our retry the
    // first attempt (made before openDatabase's first await) fails at once with SQLITE_BUSY.
    const other = new BetterSqlite3(path);
    let opening: Promise<Database>;
    try {
      other.exec('begin immediate');
      opening = openTestDatabase(scratch.url);
      other.exec('commit');
    } finally {
      other.close();
    }
    const db = await opening;
    try {
      expect(await db.migrate()).toEqual(ALL_MIGRATIONS);
    } finally {
      await db.close();
    }
    const check = new BetterSqlite3(path, { readonly: true });
    try {
      expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      check.close();
    }
  });

  it('fails with a clear message when the search_path names no schema', async () => {
    const db = await openTestDatabase(
      (await import('./storeTargets.js')).pgUrlForSchema('badgey_test_does_not_exist'),
    );
    try {
      await expect(db.migrate()).rejects.toThrow(/search_path names no existing schema/);
    } finally {
      await db.close();
    }
  });
});
