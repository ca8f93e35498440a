/**
 * The schema's versions, in code (not a folder scan) so they ship inside dist/. Append new
 * migrations with the next number; never edit one that has shipped.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { DatabaseUnavailableError } from '../quiz/ports.js';
import type { DialectName } from './schema.js';

// Migrations see the database before and after they run, not the current StoreSchema.
type AnyDb = Kysely<unknown>;

function initialSchema(dialect: DialectName): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('quizzes')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('guild_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('creator_id', 'text', (c) => c.notNull())
        .addColumn('timer_seconds', 'integer', (c) => c.notNull().check(sql`timer_seconds > 0`))
        .addColumn('question_limit', 'integer', (c) =>
          c.check(sql`question_limit is null or question_limit > 0`),
        )
        .addColumn('shuffle', 'integer', (c) => c.notNull().defaultTo(0).check(sql`shuffle in (0, 1)`))
        .addColumn('opens_at', 'bigint')
        .addColumn('closes_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Names are unique per guild ignoring case: name_key is the normalised name.
      await db.schema
        .createIndex('quizzes_guild_name_key')
        .on('quizzes')
        .columns(['guild_id', 'name_key'])
        .unique()
        .execute();

      await db.schema
        .createTable('questions')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('quiz_id', 'integer', (c) => c.notNull().references('quizzes.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('correct_index', 'integer', (c) => c.notNull().check(sql`correct_index >= 0`))
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(10).check(sql`points >= 0`))
        .addColumn('explanation', 'text')
        .execute();
      // Not unique: deleting a question shifts later positions in one UPDATE.
      await db.schema
        .createIndex('questions_quiz_position')
        .on('questions')
        .columns(['quiz_id', 'position'])
        .execute();

      await db.schema
        .createTable('attempts')
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('guild_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('quiz_id', 'integer', (c) => c.notNull().references('quizzes.id').onDelete('cascade'))
        .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_score', 'integer', (c) => c.notNull())
        .addColumn('correct_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('question_count', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .addColumn('duration_seconds', 'double precision')
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('in_progress', 'completed', 'interrupted', 'abandoned')`),
        )
        .execute();
      // Leaderboard by period and stats: completed attempts of a guild by completion time.
      await db.schema
        .createIndex('attempts_guild_status_completed')
        .on('attempts')
        .columns(['guild_id', 'status', 'completed_at'])
        .execute();
      // Retake policy and per-member lookups.
      await db.schema
        .createIndex('attempts_guild_user_quiz')
        .on('attempts')
        .columns(['guild_id', 'user_id', 'quiz_id', 'status'])
        .execute();
      // Stats since a time; busiest hours.
      await db.schema
        .createIndex('attempts_guild_started')
        .on('attempts')
        .columns(['guild_id', 'started_at'])
        .execute();
      await db.schema
        .createIndex('attempts_status_started')
        .on('attempts')
        .columns(['status', 'started_at'])
        .execute();
      // Cascading quiz deletes.
      await db.schema.createIndex('attempts_quiz').on('attempts').column('quiz_id').execute();

      await db.schema
        .createTable('best_scores')
        .addColumn('guild_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('quiz_id', 'integer', (c) => c.notNull().references('quizzes.id').onDelete('cascade'))
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('attempt_id', pg ? 'bigint' : 'integer', (c) =>
          c.notNull().references('attempts.id').onDelete('cascade'),
        )
        .addColumn('achieved_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('best_scores_pk', ['guild_id', 'user_id', 'quiz_id'])
        .execute();
      await db.schema
        .createIndex('best_scores_guild_quiz_score')
        .on('best_scores')
        .columns(['guild_id', 'quiz_id', 'score'])
        .execute();
      await db.schema.createIndex('best_scores_quiz').on('best_scores').column('quiz_id').execute();
      await db.schema.createIndex('best_scores_attempt').on('best_scores').column('attempt_id').execute();

      await db.schema
        .createTable('guild_settings')
        .addColumn('guild_id', 'text', (c) => c.primaryKey())
        .addColumn('results_channel_id', 'text')
        .addColumn('manager_role_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('retake_policy', 'text', (c) =>
          c.notNull().defaultTo('once').check(sql`retake_policy in ('once', 'unlimited')`),
        )
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: AnyDb) {
      for (const table of ['guild_settings', 'best_scores', 'attempts', 'questions', 'quizzes'])
        await db.schema.dropTable(table).ifExists().execute();
    },
  };
}

/** Live channel games (with their lease) and the mode of an attempt. */
function liveGames(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('live_games')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('guild_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        // No foreign key: a game outlives its quiz long enough to end cleanly with results so far.
        .addColumn('quiz_id', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('scheduled', 'lobby', 'running', 'finished', 'cancelled')`),
        )
        .addColumn('starts_at', 'bigint')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // One scheduled or running game per channel, enforced by the database for every process.
      await sql`create unique index live_games_active_channel on live_games (channel_id)
        where status in ('scheduled', 'lobby', 'running')`.execute(db);
      await db.schema
        .createIndex('live_games_status_lease')
        .on('live_games')
        .columns(['status', 'lease_expires_at'])
        .execute();
      await db.schema
        .createIndex('live_games_guild_status')
        .on('live_games')
        .columns(['guild_id', 'status'])
        .execute();
      await db.schema
        .alterTable('attempts')
        .addColumn('mode', 'text', (c) => c.notNull().defaultTo('solo'))
        .execute();
      await db.schema
        .createIndex('attempts_guild_mode_completed')
        .on('attempts')
        .columns(['guild_id', 'mode', 'status', 'completed_at'])
        .execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropIndex('attempts_guild_mode_completed').ifExists().execute();
      await db.schema.alterTable('attempts').dropColumn('mode').execute();
      await db.schema.dropTable('live_games').ifExists().execute();
    },
  };
}

/**
 * Resumable sessions: each attempt keeps its session id and its state (question order, current
 * question, answers, score), written after every answer, until it completes or is given up.
 */
function resumableSessions(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('attempts').addColumn('session_id', 'text').execute();
      await db.schema.alterTable('attempts').addColumn('session_state', 'text').execute();
      await db.schema.alterTable('attempts').addColumn('saved_at', 'bigint').execute();
      // A click on an old message finds its attempt by session id (and the member).
      await db.schema
        .createIndex('attempts_guild_user_session')
        .on('attempts')
        .columns(['guild_id', 'user_id', 'session_id'])
        .execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropIndex('attempts_guild_user_session').execute();
      for (const column of ['saved_at', 'session_state', 'session_id'])
        await db.schema.alterTable('attempts').dropColumn(column).execute();
    },
  };
}

/** The language of a server's public posts (`/settings language`); null keeps Discord's. */
function guildLanguage(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('guild_settings').addColumn('language', 'text').execute();
    },
    async down(db: AnyDb) {
      await db.schema.alterTable('guild_settings').dropColumn('language').execute();
    },
  };
}

/** Every migration by name; names sort in the order they apply. */
export function storeMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial_schema': initialSchema(dialect),
    '0002_live_games': liveGames(),
    '0003_resumable_sessions': resumableSessions(),
    '0004_guild_language': guildLanguage(),
  };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

/**
 * Applies pending migrations; returns the names applied (empty: already up to date). The caller
 * holds whatever cross-process lock the dialect needs. On PostgreSQL `schema` names the schema
 * holding Kysely's bookkeeping tables (the connection's current schema).
 */
export async function migrateToLatest(db: AnyDb, dialect: DialectName, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(storeMigrations(dialect)),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    if (error instanceof DatabaseUnavailableError) throw error;
    const failed = results?.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${message}`.replace('  ', ' '),
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
