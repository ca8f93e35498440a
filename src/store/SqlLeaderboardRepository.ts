import { type RawBuilder, sql } from 'kysely';
import {
  LEADERBOARD_PERIOD_MS,
  type LeaderboardFilter,
  type LeaderboardQuery,
  type LeaderboardRepository,
} from '../quiz/ports.js';
import type { LeaderboardRow } from '../quiz/types.js';
import { checkLimit, runOperation, type StoreContext, toNumber } from './storeContext.js';

interface RankedRow {
  user_id: string;
  score: unknown;
  attempts: unknown;
  rank: unknown;
}

const EMPTY = sql``;

/**
 * The ranked scores of a guild as a CTE `ranked(user_id, score, attempts, rank)`.
 * All time reads the best_scores table kept by the completion upsert; a period takes, per member
 * and quiz, the best completed attempt inside the window. Both use competition ranking (RANK()).
 */
function rankedScores(guildId: string, filter: LeaderboardFilter): RawBuilder<unknown> {
  const windowMs = LEADERBOARD_PERIOD_MS[filter.period];
  if (windowMs === undefined) throw new RangeError(`unknown leaderboard period "${filter.period}"`);
  const quizOnly = (column: string) =>
    filter.quizId === undefined ? EMPTY : sql`and ${sql.ref(column)} = ${filter.quizId}`;
  if (windowMs === null && filter.mode === undefined)
    return sql`
      scores as (
        select user_id, sum(score) as score from best_scores
        where guild_id = ${guildId} ${quizOnly('quiz_id')}
        group by user_id
      ),
      counts as (
        select user_id, count(*) as attempts from attempts
        where guild_id = ${guildId} and status = 'completed' ${quizOnly('quiz_id')}
        group by user_id
      ),
      ranked as (
        select s.user_id, s.score, coalesce(c.attempts, 0) as attempts,
               rank() over (order by s.score desc) as rank
        from scores s left join counts c on c.user_id = s.user_id
      )`;
  // A mode (best_scores mixes modes) or a period: per member and quiz, the best matching attempt.
  const window =
    windowMs === null
      ? EMPTY
      : sql`and completed_at >= ${filter.now - windowMs} and completed_at <= ${filter.now}`;
  const modeOnly = filter.mode === undefined ? EMPTY : sql`and mode = ${filter.mode}`;
  return sql`
    best as (
      select user_id, quiz_id, max(score) as best, count(*) as attempts from attempts
      where guild_id = ${guildId} and status = 'completed'
        ${window} ${modeOnly} ${quizOnly('quiz_id')}
      group by user_id, quiz_id
    ),
    scores as (
      select user_id, sum(best) as score, sum(attempts) as attempts from best group by user_id
    ),
    ranked as (
      select user_id, score, attempts, rank() over (order by score desc) as rank from scores
    )`;
}

function rowFromRanked(row: RankedRow): LeaderboardRow {
  return {
    rank: toNumber(row.rank),
    userId: row.user_id,
    score: toNumber(row.score),
    attempts: toNumber(row.attempts),
  };
}

export class SqlLeaderboardRepository implements LeaderboardRepository {
  constructor(readonly ctx: StoreContext) {}

  top(guildId: string, query: LeaderboardQuery): Promise<LeaderboardRow[]> {
    return runOperation(this.ctx, 'leaderboard.top', async () => {
      const limit = checkLimit('limit', query.limit, 1, 25);
      const result = await sql<RankedRow>`
        with ${rankedScores(guildId, query)}
        select user_id, score, attempts, rank from ranked
        order by rank, user_id
        limit ${limit}`.execute(this.ctx.db);
      return result.rows.map(rowFromRanked);
    });
  }

  rankOf(guildId: string, userId: string, filter: LeaderboardFilter): Promise<LeaderboardRow | null> {
    return runOperation(this.ctx, 'leaderboard.rank_of', async () => {
      const result = await sql<RankedRow>`
        with ${rankedScores(guildId, filter)}
        select user_id, score, attempts, rank from ranked where user_id = ${userId}`.execute(this.ctx.db);
      const row = result.rows[0];
      return row ? rowFromRanked(row) : null;
    });
  }

  participants(guildId: string, filter: LeaderboardFilter): Promise<number> {
    return runOperation(this.ctx, 'leaderboard.participants', async () => {
      const result = await sql<{ n: unknown }>`
        with ${rankedScores(guildId, filter)}
        select count(*) as n from ranked`.execute(this.ctx.db);
      return toNumber(result.rows[0]?.n);
    });
  }
}
