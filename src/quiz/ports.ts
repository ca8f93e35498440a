/**
 * What the quiz domain and the commands need from storage, in domain terms. `store/` implements
 * these over SQLite and PostgreSQL; nothing here knows SQL or a driver.
 *
 * Conventions: every quiz/question access is scoped to a guild (a quiz of another guild is "not
 * found"); getters return `null` when nothing matches; mutations of a missing quiz/question throw
 * `QuizNotFoundError` / `QuestionNotFoundError`; deletes return whether something was deleted.
 * Any method may throw `DatabaseUnavailableError` while the database is unreachable.
 */
import type {
  Attempt,
  AttemptMode,
  GuildSettings,
  LeaderboardPeriod,
  LeaderboardRow,
  Question,
  QuestionInput,
  Quiz,
  QuizInput,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Errors the repositories throw

/** The database cannot be reached (or is overloaded); the caller should say "try again in a moment". */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  /** Short, secret-free description, e.g. `connection refused`. */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`database unavailable: ${reason}`, options);
    this.reason = reason;
  }
}

export class QuizNotFoundError extends Error {
  override readonly name = 'QuizNotFoundError';
  constructor(readonly quizId: number | string) {
    super(`quiz ${quizId} not found`);
  }
}

export class QuestionNotFoundError extends Error {
  override readonly name = 'QuestionNotFoundError';
  constructor(readonly questionId: number) {
    super(`question ${questionId} not found`);
  }
}

/** Another quiz of the same guild already has this name (names are unique per guild, ignoring case). */
export class QuizNameTakenError extends Error {
  override readonly name = 'QuizNameTakenError';
  constructor(readonly quizName: string) {
    super(`a quiz named "${quizName}" already exists in this server`);
  }
}

/** `complete`/`markInterrupted`/`markAbandoned` on an attempt that is no longer in progress. */
export class AttemptNotInProgressError extends Error {
  override readonly name = 'AttemptNotInProgressError';
  constructor(readonly attemptId: number) {
    super(`attempt ${attemptId} is not in progress`);
  }
}

// ---------------------------------------------------------------------------------------------
// Quizzes and questions

export interface PageRequest {
  offset: number;
  /** 1..100 */
  limit: number;
}

export interface QuizSummary extends Quiz {
  questionCount: number;
}

export interface QuizPage {
  items: QuizSummary[];
  /** All quizzes of the guild, for "page 2 of 5". */
  total: number;
}

/** An autocomplete choice. */
export interface QuizChoice {
  id: number;
  name: string;
}

export interface ImportResult {
  quiz: Quiz;
  questions: Question[];
  /** false: an existing quiz of the same name (ignoring case) was replaced, keeping its id and scores. */
  created: boolean;
}

export interface QuizRepository {
  /** @throws QuizNameTakenError */
  create(guildId: string, creatorId: string, input: QuizInput): Promise<Quiz>;
  /** Changes the given fields. @throws QuizNotFoundError, QuizNameTakenError */
  update(guildId: string, quizId: number, changes: Partial<QuizInput>): Promise<Quiz>;
  /** Deletes the quiz with its questions, attempts and best scores. */
  delete(guildId: string, quizId: number): Promise<boolean>;
  getById(guildId: string, quizId: number): Promise<Quiz | null>;
  /** Case-insensitive exact name. */
  findByName(guildId: string, name: string): Promise<Quiz | null>;
  /** Ordered by name (case-insensitive). */
  list(guildId: string, page: PageRequest): Promise<QuizPage>;
  /** Autocomplete: names starting with `prefix` (case-insensitive; empty: all), by name, at most `limit` (≤25). */
  search(guildId: string, prefix: string, limit?: number): Promise<QuizChoice[]>;

  /** Ordered by position (0-based, contiguous). Empty when the quiz is not in this guild. */
  listQuestions(guildId: string, quizId: number): Promise<Question[]>;
  getQuestion(guildId: string, questionId: number): Promise<Question | null>;
  /** Appends at the end. @throws QuizNotFoundError */
  addQuestion(guildId: string, quizId: number, input: QuestionInput): Promise<Question>;
  /** @throws QuestionNotFoundError */
  updateQuestion(guildId: string, questionId: number, input: QuestionInput): Promise<Question>;
  /** Later questions move up one position. */
  deleteQuestion(guildId: string, questionId: number): Promise<boolean>;
  /** Replaces all questions, all-or-nothing. @throws QuizNotFoundError */
  replaceQuestions(guildId: string, quizId: number, questions: QuestionInput[]): Promise<Question[]>;
  /**
   * Creates the quiz, or replaces the settings and questions of the guild's quiz with the same name
   * (ignoring case), in one transaction: on any failure nothing changes.
   */
  importQuiz(
    guildId: string,
    creatorId: string,
    input: QuizInput,
    questions: QuestionInput[],
  ): Promise<ImportResult>;
}

// ---------------------------------------------------------------------------------------------
// Attempts and best scores

export interface AttemptStart {
  guildId: string;
  userId: string;
  quizId: number;
  maxScore: number;
  questionCount: number;
  startedAt: number;
  /** The session taking it: its id (in button custom ids) and its stored state (resume). */
  session?: { id: string; state: string };
}

/** The stored progress of a running attempt, written after every answer. */
export interface AttemptProgress {
  /** The session's stored state (JSON; see SoloSession.toStored). */
  state: string;
  score: number;
  correctCount: number;
  /** When (epoch ms): start-up tells a dead process's rows from live ones by it. */
  savedAt: number;
}

/** An attempt that stopped before its end (restart, crash, idle, token age) and can continue. */
export interface ResumableAttempt {
  attempt: Attempt;
  sessionId: string;
  state: string;
}

export interface AttemptOutcome {
  score: number;
  correctCount: number;
  /** When it ended (epoch ms). */
  completedAt: number;
  durationSeconds: number;
}

export interface BestScore {
  guildId: string;
  userId: string;
  quizId: number;
  score: number;
  attemptId: number;
  achievedAt: number;
}

export interface CompletionResult {
  attempt: Attempt;
  /** The member's best score on this quiz after this attempt. */
  best: BestScore;
  /** This attempt set a new best (or the first one). */
  isNewBest: boolean;
}

export interface AttemptRepository {
  /** Records an `in_progress` attempt. @throws QuizNotFoundError when the quiz is not in this guild. */
  start(input: AttemptStart): Promise<Attempt>;
  /**
   * Marks the attempt completed and, in the same transaction, raises the best score if this one is
   * higher (atomic upsert; safe under concurrency). @throws AttemptNotInProgressError
   */
  complete(attemptId: number, outcome: AttemptOutcome): Promise<CompletionResult>;
  /** One small write per answer: the session state, score and correct count so far. */
  saveProgress(attemptId: number, progress: AttemptProgress): Promise<void>;
  /**
   * Stopped before the end but resumable (shutdown → `interrupted`; idle/token age → `abandoned`):
   * no best score, does not count for retakes, the state kept for Continue.
   */
  suspend(
    attemptId: number,
    outcome: AttemptOutcome & { status: 'interrupted' | 'abandoned'; state: string },
  ): Promise<void>;
  /**
   * The member's resumable attempt: of one session (a click on an old message), or of one quiz
   * (`/quiz take`); the newest one. Null when there is none.
   */
  findResumable(
    guildId: string,
    userId: string,
    by: { sessionId: string } | { quizId: number },
  ): Promise<ResumableAttempt | null>;
  /** Takes a resumable attempt back to `in_progress` for Continue; false when it is no longer resumable. */
  claimForResume(attemptId: number): Promise<boolean>;
  /** Start over / Give up: the attempt stays `abandoned` for good and its state is dropped. */
  giveUp(attemptId: number, atMs: number): Promise<boolean>;
  /**
   * Start-up: attempts left `in_progress` by a process that died without shutting down (kill -9,
   * OOM) become `interrupted` — resumable, no longer counted as running. Returns how many.
   * (A live session of another process on the same database writes `in_progress` back with its
   * next answer.)
   */
  markStaleInterrupted(savedBefore: number): Promise<number>;
  get(attemptId: number): Promise<Attempt | null>;
  /** For the `once` retake policy: has the member a completed solo attempt on this quiz? (Live games do not count.) */
  hasCompleted(guildId: string, userId: string, quizId: number): Promise<boolean>;
  /** In-progress attempts (of one guild, or all). */
  countInProgress(guildId?: string): Promise<number>;
  getBestScore(guildId: string, userId: string, quizId: number): Promise<BestScore | null>;
  /** Marks in-progress attempts started before `startedBefore` abandoned (crash leftovers); returns how many. */
  abandonStale(startedBefore: number, endedAt: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Leaderboard

/**
 * Periods are rolling windows ending at `now`, over attempts COMPLETED within them: day = 24 h,
 * week = 7 × 24 h, month = 30 × 24 h; `all` = no bound.
 */
export const LEADERBOARD_PERIOD_MS: Record<LeaderboardPeriod, number | null> = {
  all: null,
  month: 30 * 24 * 3_600_000,
  week: 7 * 24 * 3_600_000,
  day: 24 * 3_600_000,
};

export interface LeaderboardFilter {
  /** One quiz: rank by its best score. Absent: rank by the sum of best scores over all quizzes. */
  quizId?: number;
  period: LeaderboardPeriod;
  /** Epoch ms the period ends at. */
  now: number;
  /** Only attempts of this mode: `solo` (/quiz take) or `live` (channel games). Absent: both. */
  mode?: AttemptMode;
}

export interface LeaderboardQuery extends LeaderboardFilter {
  /** 1..25 */
  limit: number;
}

/**
 * Score = per quiz, the member's best score among completed attempts in the period; summed over
 * quizzes unless filtered to one. `attempts` = completed attempts counted in. Ranking is
 * COMPETITION ranking ("1224"): ties share a rank and the next rank skips; tied rows are listed by
 * user id.
 */
export interface LeaderboardRepository {
  top(guildId: string, query: LeaderboardQuery): Promise<LeaderboardRow[]>;
  /** The member's row even outside the top rows; null when they have no score in the period. */
  rankOf(guildId: string, userId: string, filter: LeaderboardFilter): Promise<LeaderboardRow | null>;
  /** How many members have a score in the period ("rank 37 of 120"). */
  participants(guildId: string, filter: LeaderboardFilter): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Guild statistics (for /stats)

export interface QuizPopularity {
  quizId: number;
  name: string;
  completed: number;
  averageScore: number;
}

export interface GuildStats {
  /** All attempts started (any status). */
  attempts: number;
  completed: number;
  inProgress: number;
  interrupted: number;
  abandoned: number;
  /** completed / attempts, 0..1 (0 when there are none). */
  completionRate: number;
  /** Distinct members with at least one attempt. */
  players: number;
  /** Over completed attempts; null when there are none. */
  averageScore: number | null;
  /** Mean of score / max score over completed attempts, 0..1; null when there are none. */
  averageScoreRatio: number | null;
  /** Nearest-rank percentiles of completed attempts' scores; null when there are none. */
  scoreP50: number | null;
  scoreP90: number | null;
  /** Most completed quizzes first (ties by name). */
  topQuizzes: QuizPopularity[];
  /** Attempts started per UTC hour, index 0..23. */
  attemptsByHourUtc: number[];
  /** The busiest UTC hours (most attempts first, ties by hour), only hours with attempts. */
  busiestHoursUtc: { hour: number; attempts: number }[];
  /** Attempts started per UTC weekday (0 = Monday … 6 = Sunday) and hour: 7 rows of 24. */
  attemptsByWeekdayHourUtc: number[][];
}

/** How completed attempts scored, as a share of the maximum, in 10 bins. */
export interface ScoreDistribution {
  /** Completed attempts counted (those with a positive max score). */
  completed: number;
  /** Index i: attempts that scored at least i×10 % and under (i+1)×10 % (the last bin includes 100 %). */
  bins: number[];
}

export interface StatsQuery {
  /** Only attempts started at/after this time (epoch ms). */
  since?: number;
  /** How many top quizzes (default 5, max 25). */
  topQuizzes?: number;
  /** How many busiest hours (default 3, max 24). */
  busiestHours?: number;
}

/** Every guild's attempts together: the shared database, so every shard process sees the same. */
export interface BotStats extends GuildStats {
  /** Distinct guilds with at least one attempt. */
  servers: number;
}

export interface StatsRepository {
  guildStats(guildId: string, query?: StatsQuery): Promise<GuildStats>;
  botStats(query?: StatsQuery): Promise<BotStats>;
  /** Score distribution of completed attempts: one guild's or every guild's, one quiz's or all. */
  scoreDistribution(scope: StatsScope & { quizId?: number }): Promise<ScoreDistribution>;
  /** Attempts started per UTC weekday (0 = Monday) and hour, 7 rows of 24: one guild or every guild. */
  attemptsByWeekdayHourUtc(scope: StatsScope): Promise<number[][]>;
}

/** Which attempts a bot-wide or guild query counts (guildId undefined: every guild). */
export interface StatsScope {
  guildId?: string;
  /** Only attempts started at/after this time (epoch ms). */
  since?: number;
}

// ---------------------------------------------------------------------------------------------
// Guild settings

export type GuildSettingsChanges = Partial<Omit<GuildSettings, 'guildId'>>;

export function defaultGuildSettings(guildId: string): GuildSettings {
  // `once` is the original bot's behaviour.
  return { guildId, resultsChannelId: null, managerRoleIds: [], retakePolicy: 'once', language: null };
}

export interface GuildSettingsRepository {
  /** The stored settings, or the defaults for a guild that never changed them. */
  get(guildId: string): Promise<GuildSettings>;
  /** Applies the given fields over the current settings and stores them. */
  update(guildId: string, changes: GuildSettingsChanges): Promise<GuildSettings>;
}

/** Everything the domain and commands use from storage. */
export interface Repositories {
  quizzes: QuizRepository;
  attempts: AttemptRepository;
  leaderboard: LeaderboardRepository;
  stats: StatsRepository;
  guildSettings: GuildSettingsRepository;
}
