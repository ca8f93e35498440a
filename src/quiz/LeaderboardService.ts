import type { Clock } from '../clock.js';
import { findQuizByRef } from './findQuizByRef.js';
import {
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type LeaderboardRepository,
  type QuizChoice,
  type QuizRepository,
} from './ports.js';
import { err, ok, type Result } from './result.js';
import type { AttemptMode, LeaderboardPeriod, LeaderboardRow, Quiz } from './types.js';

export interface LeaderboardServiceDeps {
  quizzes: Pick<QuizRepository, 'getById' | 'findByName' | 'search'>;
  leaderboard: LeaderboardRepository;
  /** The server's `/settings language`: the board is posted publicly, in the server's language. */
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  clock: Clock;
}

export interface BoardQuery {
  guildId: string;
  /** Whose own place is shown under the table. */
  userId: string;
  /** A quiz id or name, as picked or typed; null: every quiz. */
  quizRef: string | null;
  period: LeaderboardPeriod;
  /** Only solo or only live attempts; absent: both. */
  mode?: AttemptMode;
  rows: number;
}

export interface Board {
  /** The quiz the board is limited to, or null for every quiz. */
  quiz: Quiz | null;
  top: LeaderboardRow[];
  /** The viewer's own row (also when outside the top). */
  own: LeaderboardRow | null;
  participants: number;
  /** The server's chosen language (`GuildSettings.language`); null: its Discord language. */
  language: string | null;
}

export type BoardError = { kind: 'quizNotFound'; ref: string } | { kind: 'databaseUnavailable' };

/** `/leaderboard`'s reads: a server's best scores by member, optionally for one quiz, period or mode. */
export class LeaderboardService {
  readonly #deps: LeaderboardServiceDeps;

  constructor(deps: LeaderboardServiceDeps) {
    this.#deps = deps;
  }

  async board(query: BoardQuery): Promise<Result<Board, BoardError>> {
    const { guildId, quizRef } = query;
    try {
      const quiz = quizRef === null ? null : await findQuizByRef(this.#deps.quizzes, guildId, quizRef);
      if (quizRef !== null && quiz === null) return err({ kind: 'quizNotFound', ref: quizRef });
      const filter = {
        period: query.period,
        now: this.#deps.clock.now(),
        ...(quiz ? { quizId: quiz.id } : {}),
        ...(query.mode ? { mode: query.mode } : {}),
      };
      const [top, own, participants, settings] = await Promise.all([
        this.#deps.leaderboard.top(guildId, { ...filter, limit: query.rows }),
        this.#deps.leaderboard.rankOf(guildId, query.userId, filter),
        this.#deps.leaderboard.participants(guildId, filter),
        this.#deps.guildSettings.get(guildId),
      ]);
      return ok({ quiz, top, own, participants, language: settings.language });
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return err({ kind: 'databaseUnavailable' });
      throw error;
    }
  }

  /** Quizzes whose name matches what the member is typing (autocomplete). */
  suggestQuizzes(guildId: string, typed: string, limit: number): Promise<QuizChoice[]> {
    return this.#deps.quizzes.search(guildId, typed, limit);
  }
}
