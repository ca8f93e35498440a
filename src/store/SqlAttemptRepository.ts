import { type Insertable, type Selectable, sql } from 'kysely';
import {
  AttemptNotInProgressError,
  type AttemptOutcome,
  type AttemptProgress,
  type AttemptRepository,
  type AttemptStart,
  type BestScore,
  type CompletionResult,
  QuizNotFoundError,
  type ResumableAttempt,
} from '../quiz/ports.js';
import type { Attempt, AttemptStatus } from '../quiz/types.js';
import { isForeignKeyViolation } from './databaseErrors.js';
import type { AttemptsTable, BestScoresTable } from './schema.js';
import {
  type Executor,
  runOperation,
  runTransaction,
  type StoreContext,
  toNullableNumber,
  toNumber,
} from './storeContext.js';

function attemptFromRow(row: Selectable<AttemptsTable>): Attempt {
  return {
    id: toNumber(row.id),
    guildId: row.guild_id,
    userId: row.user_id,
    quizId: toNumber(row.quiz_id),
    score: toNumber(row.score),
    maxScore: toNumber(row.max_score),
    correctCount: toNumber(row.correct_count),
    questionCount: toNumber(row.question_count),
    startedAt: toNumber(row.started_at),
    completedAt: toNullableNumber(row.completed_at),
    durationSeconds: toNullableNumber(row.duration_seconds),
    status: row.status as AttemptStatus,
  };
}

function bestFromRow(row: Selectable<BestScoresTable>): BestScore {
  return {
    guildId: row.guild_id,
    userId: row.user_id,
    quizId: toNumber(row.quiz_id),
    score: toNumber(row.score),
    attemptId: toNumber(row.attempt_id),
    achievedAt: toNumber(row.achieved_at),
  };
}

/**
 * Stores each row as the member's best score on the quiz unless a higher one is kept. Atomic on
 * both dialects: the conflicting row is locked and the WHERE re-checked, so concurrent completions
 * can never lower a best score. One row per member and quiz per call.
 */
export async function raiseBestScores(db: Executor, rows: Insertable<BestScoresTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('best_scores')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['guild_id', 'user_id', 'quiz_id'])
        .doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          attempt_id: eb.ref('excluded.attempt_id'),
          achieved_at: eb.ref('excluded.achieved_at'),
        }))
        .where((eb) => eb('excluded.score', '>', eb.ref('best_scores.score'))),
    )
    .execute();
}

export class SqlAttemptRepository implements AttemptRepository {
  constructor(readonly ctx: StoreContext) {}

  start(input: AttemptStart): Promise<Attempt> {
    return runOperation(this.ctx, 'attempts.start', async () => {
      try {
        return await this.ctx.db.transaction().execute(async (trx) => {
          const quiz = await trx
            .selectFrom('quizzes')
            .select('id')
            .where('id', '=', input.quizId)
            .where('guild_id', '=', input.guildId)
            .executeTakeFirst();
          if (!quiz) throw new QuizNotFoundError(input.quizId);
          const row = await trx
            .insertInto('attempts')
            .values({
              guild_id: input.guildId,
              user_id: input.userId,
              quiz_id: input.quizId,
              score: 0,
              max_score: input.maxScore,
              correct_count: 0,
              question_count: input.questionCount,
              started_at: input.startedAt,
              completed_at: null,
              duration_seconds: null,
              status: 'in_progress',
              session_id: input.session?.id ?? null,
              session_state: input.session?.state ?? null,
              saved_at: input.session ? input.startedAt : null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          return attemptFromRow(row);
        });
      } catch (error) {
        // The quiz was deleted between the check and the insert.
        if (isForeignKeyViolation(error)) throw new QuizNotFoundError(input.quizId);
        throw error;
      }
    });
  }

  async #finish(
    db: Executor,
    attemptId: number,
    outcome: AttemptOutcome,
    status: AttemptStatus,
    sessionState: string | null = null,
  ): Promise<Attempt> {
    const row = await db
      .updateTable('attempts')
      .set({
        status,
        score: outcome.score,
        correct_count: outcome.correctCount,
        completed_at: outcome.completedAt,
        duration_seconds: outcome.durationSeconds,
        session_state: sessionState,
        saved_at: outcome.completedAt,
      })
      .where('id', '=', attemptId)
      // `interrupted`: swept at another process's start-up while this one still ran it.
      .where('status', 'in', ['in_progress', 'interrupted'])
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AttemptNotInProgressError(attemptId);
    return attemptFromRow(row);
  }

  complete(attemptId: number, outcome: AttemptOutcome): Promise<CompletionResult> {
    return runTransaction(this.ctx, 'attempts.complete', async (trx) => {
      const attempt = await this.#finish(trx, attemptId, outcome, 'completed');
      // Atomic on both dialects: the conflicting row is locked and the WHERE re-checked, so
      // concurrent completions can never lower the best score.
      await raiseBestScores(trx, [
        {
          guild_id: attempt.guildId,
          user_id: attempt.userId,
          quiz_id: attempt.quizId,
          score: attempt.score,
          attempt_id: attempt.id,
          achieved_at: outcome.completedAt,
        },
      ]);
      const best = await trx
        .selectFrom('best_scores')
        .selectAll()
        .where('guild_id', '=', attempt.guildId)
        .where('user_id', '=', attempt.userId)
        .where('quiz_id', '=', attempt.quizId)
        .executeTakeFirstOrThrow();
      const bestScore = bestFromRow(best);
      return { attempt, best: bestScore, isNewBest: bestScore.attemptId === attempt.id };
    });
  }

  saveProgress(attemptId: number, progress: AttemptProgress): Promise<void> {
    return runOperation(this.ctx, 'attempts.save_progress', async () => {
      await this.ctx.db
        .updateTable('attempts')
        .set({
          session_state: progress.state,
          score: progress.score,
          correct_count: progress.correctCount,
          saved_at: progress.savedAt,
          status: 'in_progress',
        })
        .where('id', '=', attemptId)
        .where('status', 'in', ['in_progress', 'interrupted'])
        .execute();
    });
  }

  suspend(
    attemptId: number,
    outcome: AttemptOutcome & { status: 'interrupted' | 'abandoned'; state: string },
  ): Promise<void> {
    return runOperation(
      this.ctx,
      `attempts.${outcome.status === 'interrupted' ? 'interrupt' : 'abandon'}`,
      async () => {
        await this.#finish(this.ctx.db, attemptId, outcome, outcome.status, outcome.state);
      },
    );
  }

  findResumable(
    guildId: string,
    userId: string,
    by: { sessionId: string } | { quizId: number },
  ): Promise<ResumableAttempt | null> {
    return runOperation(this.ctx, 'attempts.find_resumable', async () => {
      let query = this.ctx.db
        .selectFrom('attempts')
        .selectAll()
        .where('guild_id', '=', guildId)
        .where('user_id', '=', userId)
        .where('status', '!=', 'completed')
        .where('session_state', 'is not', null);
      query =
        'sessionId' in by
          ? query.where('session_id', '=', by.sessionId)
          : query.where('quiz_id', '=', by.quizId);
      const row = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (!row || row.session_id === null || row.session_state === null) return null;
      return { attempt: attemptFromRow(row), sessionId: row.session_id, state: row.session_state };
    });
  }

  claimForResume(attemptId: number): Promise<boolean> {
    return runOperation(this.ctx, 'attempts.claim', async () => {
      const result = await this.ctx.db
        .updateTable('attempts')
        .set({ status: 'in_progress', completed_at: null, duration_seconds: null })
        .where('id', '=', attemptId)
        .where('status', '!=', 'completed')
        .where('session_state', 'is not', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  giveUp(attemptId: number, now: number): Promise<boolean> {
    return runOperation(this.ctx, 'attempts.give_up', async () => {
      const result = await this.ctx.db
        .updateTable('attempts')
        .set({
          status: 'abandoned',
          session_state: null,
          completed_at: now,
          duration_seconds: sql<number>`coalesce(duration_seconds, (${now} - started_at) / 1000.0)`,
        })
        .where('id', '=', attemptId)
        .where('status', '!=', 'completed')
        .where('session_state', 'is not', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  markStaleInterrupted(savedBefore: number): Promise<number> {
    return runOperation(this.ctx, 'attempts.mark_stale_interrupted', async () => {
      const result = await this.ctx.db
        .updateTable('attempts')
        // Ended as far as anyone can tell: at its last write (its start, if it never wrote).
        .set({
          status: 'interrupted',
          completed_at: sql<number>`coalesce(saved_at, started_at)`,
          duration_seconds: sql<number>`(coalesce(saved_at, started_at) - started_at) / 1000.0`,
        })
        .where('status', '=', 'in_progress')
        .where((eb) => eb.or([eb('saved_at', '<', savedBefore), eb('saved_at', 'is', null)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  get(attemptId: number): Promise<Attempt | null> {
    return runOperation(this.ctx, 'attempts.get', async () => {
      const row = await this.ctx.db
        .selectFrom('attempts')
        .selectAll()
        .where('id', '=', attemptId)
        .executeTakeFirst();
      return row ? attemptFromRow(row) : null;
    });
  }

  hasCompleted(guildId: string, userId: string, quizId: number): Promise<boolean> {
    return runOperation(this.ctx, 'attempts.has_completed', async () => {
      const row = await this.ctx.db
        .selectFrom('attempts')
        .select('id')
        .where('guild_id', '=', guildId)
        .where('user_id', '=', userId)
        .where('quiz_id', '=', quizId)
        .where('status', '=', 'completed')
        // Playing a live game in the channel does not use up the member's own (solo) attempt.
        .where('mode', '=', 'solo')
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    });
  }

  countInProgress(guildId?: string): Promise<number> {
    return runOperation(this.ctx, 'attempts.count_in_progress', async () => {
      let query = this.ctx.db
        .selectFrom('attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'in_progress');
      if (guildId !== undefined) query = query.where('guild_id', '=', guildId);
      const row = await query.executeTakeFirstOrThrow();
      return toNumber(row.n);
    });
  }

  getBestScore(guildId: string, userId: string, quizId: number): Promise<BestScore | null> {
    return runOperation(this.ctx, 'attempts.best_score', async () => {
      const row = await this.ctx.db
        .selectFrom('best_scores')
        .selectAll()
        .where('guild_id', '=', guildId)
        .where('user_id', '=', userId)
        .where('quiz_id', '=', quizId)
        .executeTakeFirst();
      return row ? bestFromRow(row) : null;
    });
  }

  abandonStale(startedBefore: number, endedAt: number): Promise<number> {
    return runOperation(this.ctx, 'attempts.abandon_stale', async () => {
      const result = await this.ctx.db
        .updateTable('attempts')
        .set({
          status: 'abandoned',
          completed_at: endedAt,
          duration_seconds: sql<number>`(${endedAt} - started_at) / 1000.0`,
        })
        .where('status', '=', 'in_progress')
        .where('started_at', '<', startedBefore)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }
}
