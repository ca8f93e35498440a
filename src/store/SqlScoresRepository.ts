import { type Expression, type ExpressionBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { ACTIVE_LIVE_STATUSES } from '../quiz/live/LiveGame.js';
import { err, ok, type Result } from '../quiz/result.js';
import type { AttemptStatus } from '../quiz/types.js';
import type {
  AttemptFilter,
  ExportedAttempt,
  MemberErasure,
  ResetScope,
  ScoreCounts,
  ScoresRepository,
} from '../scores/ports.js';
import { MEMBER_ID_COLUMNS, type MemberColumn, SCRUBBERS } from './memberColumns.js';
import type { StoreSchema } from './schema.js';
import {
  checkLimit,
  type Executor,
  runOperation,
  runTransaction,
  type StoreContext,
  toNumber,
} from './storeContext.js';

export const EXPORT_PAGE_SIZE = 1000;

interface PageCursor {
  startedAt: number;
  id: number;
}

type AttemptsEb = ExpressionBuilder<StoreSchema, 'attempts'>;

/** Attempts of the scope. A reset leaves attempts being played alone: they finish normally. */
function inScope(guildId: string, scope: ResetScope) {
  return (eb: AttemptsEb): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [
      eb('attempts.guild_id', '=', guildId),
      eb('attempts.status', '!=', 'in_progress'),
    ];
    if (scope.kind === 'quiz') conditions.push(eb('attempts.quiz_id', '=', scope.quizId));
    if (scope.kind === 'member') conditions.push(eb('attempts.user_id', '=', scope.userId));
    return eb.and(conditions);
  };
}

/** Erases one member id from one column of a guild's rows; returns the rows touched. */
async function eraseColumn(
  trx: Transaction<StoreSchema>,
  table: string,
  column: string,
  erase: MemberColumn<keyof StoreSchema>['erase'],
  guildId: string,
  userId: string,
): Promise<number> {
  const where = sql`where guild_id = ${guildId} and ${sql.ref(column)} = ${userId}`;
  if (erase === 'delete') {
    const result = await sql`delete from ${sql.table(table)} ${where}`.execute(trx);
    return Number(result.numAffectedRows ?? 0n);
  }
  if (erase === 'clear') {
    const result = await sql`update ${sql.table(table)} set ${sql.ref(column)} = '' ${where}`.execute(trx);
    return Number(result.numAffectedRows ?? 0n);
  }
  const scrub = SCRUBBERS[table as keyof StoreSchema];
  if (!scrub) throw new Error(`no scrubber for ${table}.${column}`);
  // Text that mentions the id (JSON), read and rewritten row by row: few rows per member.
  const rows = await sql<{ key: unknown; text: string }>`
    select ${sql.ref('id')} as key, ${sql.ref(column)} as text from ${sql.table(table)}
    where guild_id = ${guildId} and ${sql.ref(column)} like ${`%${userId}%`}`.execute(trx);
  for (const row of rows.rows) {
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${scrub(row.text, userId)}
      where ${sql.ref('id')} = ${row.key}`.execute(trx);
  }
  return rows.rows.length;
}

export class SqlScoresRepository implements ScoresRepository {
  constructor(readonly ctx: StoreContext) {}

  async *exportAttempts(
    guildId: string,
    filter: AttemptFilter,
    pageSize = EXPORT_PAGE_SIZE,
  ): AsyncIterable<ExportedAttempt> {
    checkLimit('pageSize', pageSize, 1, 10_000);
    // Keyset pagination on (started_at, id), which the (guild_id, started_at) index serves: each
    // page is one short query, so neither a connection nor SQLite's single connection is held
    // while the caller writes the file, and memory is one page whatever the history's size.
    let after: PageCursor | null = null;
    for (;;) {
      const rows = await runOperation(this.ctx, 'scores.export', () =>
        this.#page(guildId, filter, after, pageSize),
      );
      for (const row of rows) {
        yield {
          attemptId: toNumber(row.id),
          quizId: toNumber(row.quiz_id),
          quizName: row.quiz_name,
          userId: row.user_id,
          score: toNumber(row.score),
          maxScore: toNumber(row.max_score),
          correctCount: toNumber(row.correct_count),
          questionCount: toNumber(row.question_count),
          startedAt: toNumber(row.started_at),
          completedAt: row.completed_at === null ? null : toNumber(row.completed_at),
          durationSeconds: row.duration_seconds === null ? null : toNumber(row.duration_seconds),
          mode: row.mode,
          status: row.status as AttemptStatus,
        };
      }
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = { startedAt: toNumber(last.started_at), id: toNumber(last.id) };
    }
  }

  #page(guildId: string, filter: AttemptFilter, cursor: PageCursor | null, pageSize: number) {
    return this.ctx.db
      .selectFrom('attempts')
      .innerJoin('quizzes', 'quizzes.id', 'attempts.quiz_id')
      .select([
        'attempts.id',
        'attempts.quiz_id',
        'quizzes.name as quiz_name',
        'attempts.user_id',
        'attempts.score',
        'attempts.max_score',
        'attempts.correct_count',
        'attempts.question_count',
        'attempts.started_at',
        'attempts.completed_at',
        'attempts.duration_seconds',
        'attempts.status',
        'attempts.mode',
      ])
      .where('attempts.guild_id', '=', guildId)
      .$if(filter.quizId !== undefined, (q) => q.where('attempts.quiz_id', '=', filter.quizId ?? 0))
      .$if(filter.userId !== undefined, (q) => q.where('attempts.user_id', '=', filter.userId ?? ''))
      .$if(filter.since !== undefined, (q) => q.where('attempts.started_at', '>=', filter.since ?? 0))
      .$if(cursor !== null, (q) =>
        q.where((eb) =>
          eb(
            eb.refTuple('attempts.started_at', 'attempts.id'),
            '>',
            eb.tuple(cursor?.startedAt ?? 0, cursor?.id ?? 0),
          ),
        ),
      )
      .orderBy('attempts.started_at')
      .orderBy('attempts.id')
      .limit(pageSize)
      .execute();
  }

  count(guildId: string, scope: ResetScope): Promise<ScoreCounts> {
    return runOperation(this.ctx, 'scores.count', () => this.#count(this.ctx.db, guildId, scope));
  }

  async #count(db: Executor, guildId: string, scope: ResetScope): Promise<ScoreCounts> {
    const attempts = await db
      .selectFrom('attempts')
      .select((eb) => [
        eb.fn.countAll().as('attempts'),
        eb.fn.count('attempts.user_id').distinct().as('members'),
      ])
      .where(inScope(guildId, scope))
      .executeTakeFirstOrThrow();
    const best = await db
      .selectFrom('best_scores')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('guild_id', '=', guildId)
      .$if(scope.kind === 'quiz', (q) => q.where('quiz_id', '=', scope.kind === 'quiz' ? scope.quizId : 0))
      .$if(scope.kind === 'member', (q) =>
        q.where('user_id', '=', scope.kind === 'member' ? scope.userId : ''),
      )
      .executeTakeFirstOrThrow();
    return {
      attempts: toNumber(attempts.attempts),
      bestScores: toNumber(best.n),
      members: toNumber(attempts.members),
    };
  }

  reset(guildId: string, scope: ResetScope): Promise<ScoreCounts> {
    return runTransaction(this.ctx, 'scores.reset', async (trx) => {
      const counts = await this.#count(trx, guildId, scope);
      // Leaderboard entries first: they reference attempts.
      const best = await trx
        .deleteFrom('best_scores')
        .where('guild_id', '=', guildId)
        .$if(scope.kind === 'quiz', (q) => q.where('quiz_id', '=', scope.kind === 'quiz' ? scope.quizId : 0))
        .$if(scope.kind === 'member', (q) =>
          q.where('user_id', '=', scope.kind === 'member' ? scope.userId : ''),
        )
        .executeTakeFirst();
      const attempts = await trx.deleteFrom('attempts').where(inScope(guildId, scope)).executeTakeFirst();
      return {
        attempts: Number(attempts.numDeletedRows),
        bestScores: Number(best.numDeletedRows),
        members: counts.members,
      };
    });
  }

  eraseMember(guildId: string, userId: string): Promise<Result<MemberErasure, 'inLiveGame'>> {
    return runTransaction(this.ctx, 'scores.erase_member', async (trx) => {
      // A live game being played keeps its players in memory and writes them back at every step:
      // the member is asked to come back once it has ended.
      const active = await trx
        .selectFrom('live_games')
        .select('id')
        .where('guild_id', '=', guildId)
        .where('status', 'in', [...ACTIVE_LIVE_STATUSES])
        .where('state', 'like', `%${userId}%`)
        .executeTakeFirst();
      if (active) return err('inLiveGame' as const);
      const affected: Record<string, number> = {};
      for (const [table, columns] of Object.entries(MEMBER_ID_COLUMNS)) {
        for (const { column, erase } of columns) {
          affected[table] =
            (affected[table] ?? 0) + (await eraseColumn(trx, table, column, erase, guildId, userId));
        }
      }
      return ok({
        attempts: affected.attempts ?? 0,
        bestScores: affected.best_scores ?? 0,
        members: (affected.attempts ?? 0) + (affected.best_scores ?? 0) > 0 ? 1 : 0,
        quizzesUnattributed: affected.quizzes ?? 0,
      });
    });
  }

  deleteAttemptsStartedBefore(before: number, limit: number): Promise<number> {
    checkLimit('limit', limit, 1, 100_000);
    return runOperation(this.ctx, 'scores.retention', async () => {
      // One bounded statement per batch (best scores go with their attempt by ON DELETE CASCADE),
      // so a large first run never holds the write lock for long.
      const result = await this.ctx.db
        .deleteFrom('attempts')
        .where(
          'id',
          'in',
          this.ctx.db
            .selectFrom('attempts')
            .select('id')
            .where('started_at', '<', before)
            .where('status', '!=', 'in_progress')
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
