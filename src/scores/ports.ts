/**
 * What `/scores` and `/mydata` need from storage, in domain terms (`store/` implements it over
 * SQLite and PostgreSQL). Any method may throw `DatabaseUnavailableError`.
 */
import type { Result } from '../quiz/result.js';
import type { Attempt } from '../quiz/types.js';

/** One attempt as exported: the attempt's outcome with the quiz's current name and how it was played. */
export interface ExportedAttempt extends Omit<Attempt, 'id' | 'guildId'> {
  attemptId: number;
  quizName: string;
  /** How the attempt was played: `solo` (`/quiz take`) or `live` (a channel game). */
  mode: string;
}

export interface AttemptFilter {
  quizId?: number;
  userId?: string;
  /** Only attempts started at or after this time (epoch ms). */
  since?: number;
}

/** What a reset or a member's erasure removes. */
export type ResetScope =
  | { kind: 'all' }
  | { kind: 'quiz'; quizId: number }
  | { kind: 'member'; userId: string };

export interface ScoreCounts {
  attempts: number;
  /** Leaderboard entries (best score per member and quiz). */
  bestScores: number;
  /** Distinct members among those attempts. */
  members: number;
}

export interface MemberErasure extends ScoreCounts {
  /** Quizzes the member created: kept for the server, their creator id cleared. */
  quizzesUnattributed: number;
}

export interface ScoresRepository {
  /**
   * The guild's attempts matching `filter`, oldest first, read one page at a time (keyset
   * pagination): memory stays flat however many there are, and no connection or lock is held
   * between pages.
   */
  exportAttempts(guildId: string, filter: AttemptFilter, pageSize?: number): AsyncIterable<ExportedAttempt>;
  /** What `reset(guildId, scope)` would delete now. */
  count(guildId: string, scope: ResetScope): Promise<ScoreCounts>;
  /** Deletes the scope's attempts and leaderboard entries in one transaction; returns what went. */
  reset(guildId: string, scope: ResetScope): Promise<ScoreCounts>;
  /**
   * Everything holding the member's id in this guild, erased in one transaction; refused (nothing
   * changes) while they are in a live game that has not ended.
   */
  eraseMember(guildId: string, userId: string): Promise<Result<MemberErasure, 'inLiveGame'>>;
  /** Deletes at most `limit` attempts (any guild) started before `before`; returns how many. */
  deleteAttemptsStartedBefore(before: number, limit: number): Promise<number>;
}
