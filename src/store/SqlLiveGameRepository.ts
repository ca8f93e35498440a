import { ACTIVE_LIVE_STATUSES, type LiveGameState, restoreLiveGameState } from '../quiz/live/LiveGame.js';
import type {
  LiveCreateOutcome,
  LiveFinishInput,
  LiveFinishOutcome,
  LiveGameRepository,
  LiveLease,
} from '../quiz/live/ports.js';
import { isForeignKeyViolation, isUniqueViolation } from './databaseErrors.js';
import { raiseBestScores } from './SqlAttemptRepository.js';
import { runOperation, type StoreContext, toNumber } from './storeContext.js';

const ACTIVE = [...ACTIVE_LIVE_STATUSES];
/** Rows per multi-row insert (well under both dialects' bound-parameter limits). */
const INSERT_CHUNK = 500;

function parseState(json: string): LiveGameState {
  return restoreLiveGameState(JSON.parse(json) as Parameters<typeof restoreLiveGameState>[0]);
}

/** The stored form: answers to the question in flight are never kept (it is asked again after a restart). */
function stateJson(state: LiveGameState): string {
  return JSON.stringify({ ...state, answers: [] });
}

/**
 * Live games as one row each: the state machine's state as JSON beside the columns queries need
 * (status, channel, lease). Every write by a runner is fenced by its lease: a process that lost
 * the lease (it stalled, another took over) can no longer change the game.
 */
export class SqlLiveGameRepository implements LiveGameRepository {
  constructor(readonly ctx: StoreContext) {}

  create(state: LiveGameState, lease: LiveLease, maxActivePerGuild: number): Promise<LiveCreateOutcome> {
    return runOperation(this.ctx, 'live.create', async () => {
      try {
        return await this.ctx.db.transaction().execute(async (trx): Promise<LiveCreateOutcome> => {
          const busy = await trx
            .selectFrom('live_games')
            .select('id')
            .where('channel_id', '=', state.channelId)
            .where('status', 'in', ACTIVE)
            .executeTakeFirst();
          if (busy) return { ok: false, reason: 'channel_busy', gameId: busy.id };
          const count = await trx
            .selectFrom('live_games')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('guild_id', '=', state.guildId)
            .where('status', 'in', ACTIVE)
            .executeTakeFirstOrThrow();
          if (toNumber(count.n) >= maxActivePerGuild)
            return { ok: false, reason: 'guild_cap', cap: maxActivePerGuild };
          await trx
            .insertInto('live_games')
            .values({
              id: state.id,
              guild_id: state.guildId,
              channel_id: state.channelId,
              quiz_id: state.quizId,
              status: state.status,
              starts_at: state.startsAt,
              state: stateJson(state),
              lease_owner: lease.owner,
              lease_expires_at: lease.until,
              created_at: state.createdAt,
              updated_at: state.createdAt,
            })
            .execute();
          return { ok: true };
        });
      } catch (error) {
        // Another process hosted a game in this channel between the check and the insert.
        if (isUniqueViolation(error)) return { ok: false, reason: 'channel_busy', gameId: '' };
        throw error;
      }
    });
  }

  get(id: string): Promise<LiveGameState | null> {
    return runOperation(this.ctx, 'live.get', async () => {
      const row = await this.ctx.db
        .selectFrom('live_games')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? parseState(row.state) : null;
    });
  }

  listActive(guildId: string): Promise<LiveGameState[]> {
    return runOperation(this.ctx, 'live.list_active', async () => {
      const rows = await this.ctx.db
        .selectFrom('live_games')
        .select(['state', 'status'])
        .where('guild_id', '=', guildId)
        .where('status', 'in', ACTIVE)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      // The status column wins: a cancel by another process only changed the column.
      return rows.map((row) => ({ ...parseState(row.state), status: row.status as LiveGameState['status'] }));
    });
  }

  save(state: LiveGameState, owner: string): Promise<boolean> {
    return runOperation(this.ctx, 'live.save', async () => {
      const result = await this.ctx.db
        .updateTable('live_games')
        .set({
          status: state.status,
          starts_at: state.startsAt,
          state: stateJson(state),
          updated_at: this.ctx.clock.now(),
        })
        .where('id', '=', state.id)
        .where('lease_owner', '=', owner)
        .where('status', 'in', ACTIVE)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  claimable(now: number, limit: number): Promise<{ id: string; guildId: string }[]> {
    return runOperation(this.ctx, 'live.claimable', async () => {
      const rows = await this.ctx.db
        .selectFrom('live_games')
        .select(['id', 'guild_id'])
        .where('status', 'in', ACTIVE)
        .where('lease_expires_at', '<=', now)
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: row.id, guildId: row.guild_id }));
    });
  }

  claim(id: string, lease: LiveLease, now: number): Promise<LiveGameState | null> {
    return runOperation(this.ctx, 'live.claim', async () => {
      // One conditional UPDATE: of two processes racing for the same free game exactly one
      // matches the WHERE (the row lock / SQLite's writer lock serialises them).
      const result = await this.ctx.db
        .updateTable('live_games')
        .set({ lease_owner: lease.owner, lease_expires_at: lease.until })
        .where('id', '=', id)
        .where('status', 'in', ACTIVE)
        .where((eb) => eb.or([eb('lease_expires_at', '<=', now), eb('lease_owner', '=', lease.owner)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return null;
      const row = await this.ctx.db
        .selectFrom('live_games')
        .select(['state', 'status'])
        .where('id', '=', id)
        .where('lease_owner', '=', lease.owner)
        .executeTakeFirst();
      return row ? { ...parseState(row.state), status: row.status as LiveGameState['status'] } : null;
    });
  }

  renew(owner: string, ids: readonly string[], until: number): Promise<string[]> {
    return runOperation(this.ctx, 'live.renew', async () => {
      if (ids.length === 0) return [];
      await this.ctx.db
        .updateTable('live_games')
        .set({ lease_expires_at: until })
        .where('id', 'in', [...ids])
        .where('lease_owner', '=', owner)
        .where('status', 'in', ACTIVE)
        .execute();
      const held = await this.ctx.db
        .selectFrom('live_games')
        .select('id')
        .where('id', 'in', [...ids])
        .where('lease_owner', '=', owner)
        .where('status', 'in', ACTIVE)
        .execute();
      return held.map((row) => row.id);
    });
  }

  release(owner: string, ids: readonly string[]): Promise<void> {
    return runOperation(this.ctx, 'live.release', async () => {
      if (ids.length === 0) return;
      await this.ctx.db
        .updateTable('live_games')
        .set({ lease_owner: null, lease_expires_at: 0 })
        .where('id', 'in', [...ids])
        .where('lease_owner', '=', owner)
        .execute();
    });
  }

  finish(input: LiveFinishInput): Promise<LiveFinishOutcome> {
    return runOperation(this.ctx, 'live.finish', async () => {
      try {
        return await this.#finish(input, true);
      } catch (error) {
        // The quiz was deleted: end the game without attempts (they would reference nothing).
        if (!isForeignKeyViolation(error)) throw error;
        return (await this.#finish(input, false)) === 'stored' ? 'quiz_gone' : 'lost_lease';
      }
    });
  }

  #finish(input: LiveFinishInput, withAttempts: boolean): Promise<LiveFinishOutcome> {
    const { state, owner } = input;
    return this.ctx.db.transaction().execute(async (trx): Promise<LiveFinishOutcome> => {
      const now = state.endedAt ?? this.ctx.clock.now();
      const updated = await trx
        .updateTable('live_games')
        .set({ status: state.status, state: stateJson(state), updated_at: now, lease_expires_at: 0 })
        .where('id', '=', state.id)
        .where('lease_owner', '=', owner)
        .where('status', 'in', ACTIVE)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return 'lost_lease';
      if (!withAttempts || input.attempts.length === 0) return 'stored';
      const startedAt = state.startedAt ?? state.createdAt;
      const durationSeconds = Math.max(0, (now - startedAt) / 1000);
      for (let i = 0; i < input.attempts.length; i += INSERT_CHUNK) {
        const chunk = input.attempts.slice(i, i + INSERT_CHUNK);
        const rows = await trx
          .insertInto('attempts')
          .values(
            chunk.map((a) => ({
              guild_id: state.guildId,
              user_id: a.userId,
              quiz_id: state.quizId,
              score: a.score,
              max_score: input.maxScore,
              correct_count: a.correctCount,
              question_count: input.questionCount,
              started_at: startedAt,
              completed_at: now,
              duration_seconds: durationSeconds,
              status: 'completed',
              mode: 'live',
            })),
          )
          .returning(['id', 'user_id', 'score'])
          .execute();
        // Same rule as a solo completion: the best score only ever rises (atomic upsert).
        await raiseBestScores(
          trx,
          rows.map((row) => ({
            guild_id: state.guildId,
            user_id: row.user_id,
            quiz_id: state.quizId,
            score: toNumber(row.score),
            attempt_id: toNumber(row.id),
            achieved_at: now,
          })),
        );
      }
      return 'stored';
    });
  }

  cancel(guildId: string, id: string, now: number): Promise<boolean> {
    return runOperation(this.ctx, 'live.cancel', async () => {
      const result = await this.ctx.db
        .updateTable('live_games')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', id)
        .where('guild_id', '=', guildId)
        .where('status', 'in', ACTIVE)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }
}
