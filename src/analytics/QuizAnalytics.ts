import { z } from 'zod';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type {
  AnalyticsObserver,
  AnalyticsSource,
  AnswerOutcome,
  CommandOutcome,
} from './AnalyticsObserver.js';
import { formatUptime } from './formatUptime.js';
import { HyperLogLog } from './HyperLogLog.js';
import { Pseudonymizer } from './Pseudonymizer.js';
import type { SpaceSavingEntries } from './SpaceSaving.js';
import { SpaceSaving } from './SpaceSaving.js';
import { sanitizeErrorDetails, sanitizeLabel } from './sanitize.js';
import type { Percentiles, SerializedHistogram } from './ValueHistogram.js';
import { ValueHistogram } from './ValueHistogram.js';

/** Discord snowflakes arrive as strings; quiz ids as numbers. */
export type AnalyticsId = string | number | bigint;

export interface QuizAnalyticsOptions {
  /** Key of the HMAC that pseudonymises user ids (ANALYTICS_SALT, or `loadOrCreateSalt`). */
  salt: string;
  clock?: Clock;
  /** How many recent errors are kept (ring buffer). Default 100, as the original bot. */
  recentErrorLimit?: number;
  /** Keys each top-K summary tracks; counts are exact while distinct keys ≤ this. Default 1000. */
  topK?: number;
  /** Entries reported in `top_quizzes`/`top_users`/`top_guilds`. Default 10, as the original bot. */
  topReported?: number;
  observer?: AnalyticsObserver;
}

export interface TopEntry {
  /** Quiz id, guild id, or a user's pseudonym (never a raw user id). */
  id: string;
  count: number;
  /** 0 while the summary is exact; otherwise the most `count` can over-estimate by. */
  max_overcount: number;
}

export interface CommandPerformance {
  avg_time: number;
  min_time: number;
  max_time: number;
  count: number;
  p50: number;
  p90: number;
  p99: number;
  outcomes: Record<CommandOutcome, number>;
}

export interface RecentError {
  /** ISO-8601 UTC. */
  timestamp: string;
  type: string;
  /** One sanitised line, ≤ 300 chars: no tokens, auth headers, URL passwords, snowflakes or stack. */
  details: string;
}

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What `getStatistics()` returns: the original bot's keys, plus percentiles and sanitised errors. */
export interface AnalyticsStatistics {
  quizzes_started: number;
  quizzes_completed: number;
  /** Percent of started quizzes that completed (0 when none started). */
  completion_rate: number;
  /** Includes timed-out questions (they count as incorrect). */
  questions_answered: number;
  correct_answers: number;
  /** Percent of answered questions that were correct. */
  correct_rate: number;
  timed_out_answers: number;
  /** Answers by quiz mode (e.g. `ephemeral`, `dm`, `scheduled`), when callers say. */
  answers_by_mode: Record<string, number>;
  /** Seconds, all-time exact mean. */
  avg_quiz_duration: number;
  quiz_duration_percentiles: Percentiles;
  avg_score: number;
  score_percentiles: Percentiles;
  /** Seconds per answered question (timeouts and zero times excluded, as the original). */
  avg_question_time: number;
  question_time_percentiles: Percentiles;
  top_quizzes: TopEntry[];
  top_users: TopEntry[];
  top_guilds: TopEntry[];
  /** Distinct users ever seen (HyperLogLog estimate, ±0.8% standard error). */
  active_users: number;
  /** Quiz starts by UTC hour, keys `0`..`23`. */
  hourly_usage: Record<string, number>;
  /** Quiz starts by UTC weekday, `Monday`..`Sunday`. */
  daily_usage: Record<Weekday, number>;
  uptime: string;
  uptime_seconds: number;
  /** Seconds. */
  avg_db_query_time: number;
  db_query_time_percentiles: Percentiles;
  command_performance: Record<string, CommandPerformance>;
  error_counts: Record<string, number>;
  recent_errors_count: number;
  recent_errors: RecentError[];
}

export interface RestoreStateResult {
  /** False when the state was written under another salt: user top-K and distinct count were reset. */
  userDataRestored: boolean;
}

/** Distinct command labels kept; more fold into `other` so memory and metric labels stay bounded. */
export const MAX_COMMANDS = 64;
/** Distinct error types kept; more fold into `other`. */
export const MAX_ERROR_TYPES = 100;
const MAX_MODES = 16;
const OTHER = 'other';
/** The error type under which analytics counts its own rejected input and internal failures. */
export const ANALYTICS_ERROR_TYPE = 'analytics';

// Histogram recording units and ranges (values above the range are clamped for percentiles only).
const QUIZ_DURATION = { scale: 1_000, max: 7 * 86_400 }; // ms, up to a week
const SCORE = { scale: 100, max: 1_000_000 }; // hundredths of a point
const QUESTION_TIME = { scale: 1_000, max: 86_400 }; // ms, up to a day
const QUERY_TIME = { scale: 1_000_000, max: 3_600 }; // µs, up to an hour

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

interface CommandStats {
  histogram: ValueHistogram;
  outcomes: Record<CommandOutcome, number>;
}

/**
 * Quiz analytics: the original bot's metrics in bounded memory. Every `record*` is O(1), cheap and
 * never throws: invalid input is dropped and counted under the `analytics` error type. User ids are
 * pseudonymised (HMAC-SHA256 with the salt, 64 bits) before they touch any structure.
 */
export class QuizAnalytics implements AnalyticsSource {
  readonly #clock: Clock;
  readonly #startedAt: number;
  readonly #pseudonymizer: Pseudonymizer;
  readonly #observer: AnalyticsObserver | undefined;
  readonly #recentErrorLimit: number;
  readonly #topK: number;
  readonly #topReported: number;

  #quizzesStarted = 0;
  #quizzesCompleted = 0;
  #questionsAnswered = 0;
  #correctAnswers = 0;
  #timedOutAnswers = 0;
  #answersByMode = new Map<string, number>();

  #quizDurations = new ValueHistogram(QUIZ_DURATION.scale, QUIZ_DURATION.max);
  #scores = new ValueHistogram(SCORE.scale, SCORE.max);
  #questionTimes = new ValueHistogram(QUESTION_TIME.scale, QUESTION_TIME.max);
  #dbQueryTimes = new ValueHistogram(QUERY_TIME.scale, QUERY_TIME.max);
  #commands = new Map<string, CommandStats>();

  #topQuizzes: SpaceSaving;
  #topUsers: SpaceSaving;
  #topGuilds: SpaceSaving;
  #activeUsers = new HyperLogLog();

  /** Index = UTC hour. */
  #hourlyUsage = new Array<number>(24).fill(0);
  /** Index = `Date#getUTCDay()` (0 = Sunday). */
  #dailyUsage = new Array<number>(7).fill(0);

  #errorCounts = new Map<string, number>();
  #recentErrors: RecentError[] = [];
  /** Next slot to overwrite once the ring buffer is full. */
  #recentErrorsNext = 0;

  constructor(options: QuizAnalyticsOptions) {
    this.#pseudonymizer = new Pseudonymizer(options.salt);
    this.#clock = options.clock ?? systemClock;
    this.#startedAt = this.#clock.now();
    this.#recentErrorLimit = positiveInteger(options.recentErrorLimit ?? 100, 'recentErrorLimit');
    this.#topK = positiveInteger(options.topK ?? 1_000, 'topK');
    this.#topReported = positiveInteger(options.topReported ?? 10, 'topReported');
    this.#topQuizzes = new SpaceSaving(this.#topK);
    this.#topUsers = new SpaceSaving(this.#topK);
    this.#topGuilds = new SpaceSaving(this.#topK);
    this.#observer = options.observer;
    this.#observer?.attach?.(this);
  }

  // ── recording ────────────────────────────────────────────────────────────────────────────────

  recordQuizStart(userId: AnalyticsId, quizId: AnalyticsId, guildId?: AnalyticsId | null): void {
    try {
      const user = normalizeId(userId);
      const quiz = normalizeId(quizId);
      if (user === undefined || quiz === undefined) {
        this.#reject('recordQuizStart', user === undefined ? 'userId' : 'quizId');
        return;
      }
      let guild: string | undefined;
      if (guildId !== undefined && guildId !== null) {
        guild = normalizeId(guildId);
        if (guild === undefined) this.#reject('recordQuizStart', 'guildId');
      }
      this.#quizzesStarted++;
      this.#topQuizzes.offer(quiz);
      const pseudonymous = this.#pseudonymizer.pseudonymize(user);
      this.#topUsers.offer(pseudonymous.pseudonym);
      this.#activeUsers.add(pseudonymous.hashHigh, pseudonymous.hashLow);
      if (guild !== undefined) this.#topGuilds.offer(guild);
      const now = this.#clock.now();
      const hour = Math.floor(now / MS_PER_HOUR) % 24;
      // 1970-01-01 was a Thursday (getUTCDay 4).
      const day = (Math.floor(now / MS_PER_DAY) + 4) % 7;
      if (hour >= 0 && day >= 0) {
        this.#hourlyUsage[hour]!++;
        this.#dailyUsage[day]!++;
      }
      this.#notify((observer) => observer.recordQuizStart());
    } catch (error) {
      this.#internalFailure('recordQuizStart', error);
    }
  }

  recordQuizCompletion(
    userId: AnalyticsId,
    quizId: AnalyticsId,
    durationSeconds: number,
    score: number,
  ): void {
    try {
      const user = normalizeId(userId);
      const quiz = normalizeId(quizId);
      if (user === undefined || quiz === undefined) {
        this.#reject('recordQuizCompletion', user === undefined ? 'userId' : 'quizId');
        return;
      }
      this.#quizzesCompleted++;
      const pseudonymous = this.#pseudonymizer.pseudonymize(user);
      this.#activeUsers.add(pseudonymous.hashHigh, pseudonymous.hashLow);
      let duration: number | undefined;
      if (isNonNegative(durationSeconds)) {
        duration = durationSeconds;
        this.#quizDurations.record(durationSeconds);
      } else this.#reject('recordQuizCompletion', 'durationSeconds');
      let points: number | undefined;
      if (isNonNegative(score)) {
        points = score;
        this.#scores.record(score);
      } else this.#reject('recordQuizCompletion', 'score');
      this.#notify((observer) => observer.recordQuizCompletion(duration, points));
    } catch (error) {
      this.#internalFailure('recordQuizCompletion', error);
    }
  }

  /**
   * Counts one answered question. A timed-out question counts as answered and incorrect, but its
   * time is not a response time and is left out of the question-time statistics; so is a time of
   * 0 (unmeasured), as in the original bot.
   */
  recordAnswer(
    isCorrect: boolean,
    timeTakenSeconds?: number,
    detail?: { timedOut?: boolean; mode?: string },
  ): void {
    try {
      if (typeof isCorrect !== 'boolean') {
        this.#reject('recordAnswer', 'isCorrect');
        return;
      }
      const timedOut = detail?.timedOut === true;
      const outcome: AnswerOutcome = timedOut ? 'timeout' : isCorrect ? 'correct' : 'incorrect';
      this.#questionsAnswered++;
      if (outcome === 'correct') this.#correctAnswers++;
      else if (outcome === 'timeout') this.#timedOutAnswers++;
      let time: number | undefined;
      if (!timedOut && timeTakenSeconds !== undefined && timeTakenSeconds !== null) {
        if (!isNonNegative(timeTakenSeconds)) this.#reject('recordAnswer', 'timeTakenSeconds');
        else if (timeTakenSeconds > 0) {
          time = timeTakenSeconds;
          this.#questionTimes.record(timeTakenSeconds);
        }
      }
      if (detail?.mode !== undefined) {
        const mode = boundedKey(this.#answersByMode, sanitizeLabel(detail.mode), MAX_MODES);
        this.#answersByMode.set(mode, (this.#answersByMode.get(mode) ?? 0) + 1);
      }
      this.#notify((observer) => observer.recordAnswer(outcome, time));
    } catch (error) {
      this.#internalFailure('recordAnswer', error);
    }
  }

  recordCommand(name: string, responseTimeSeconds: number, outcome: CommandOutcome = 'ok'): void {
    try {
      if (typeof name !== 'string' || name.length === 0) {
        this.#reject('recordCommand', 'name');
        return;
      }
      if (!isNonNegative(responseTimeSeconds)) {
        this.#reject('recordCommand', 'responseTimeSeconds');
        return;
      }
      if (outcome !== 'ok' && outcome !== 'rejected' && outcome !== 'error') {
        this.#reject('recordCommand', 'outcome');
        return;
      }
      let stats = this.#commands.get(name);
      let label = name;
      if (stats === undefined) {
        label = boundedKey(this.#commands, sanitizeLabel(name), MAX_COMMANDS);
        stats = this.#commands.get(label);
        if (stats === undefined) {
          stats = {
            histogram: new ValueHistogram(QUERY_TIME.scale, QUERY_TIME.max),
            outcomes: { ok: 0, rejected: 0, error: 0 },
          };
          this.#commands.set(label, stats);
        }
      }
      stats.histogram.record(responseTimeSeconds);
      stats.outcomes[outcome]++;
      this.#notify((observer) => observer.recordCommand(label, responseTimeSeconds, outcome));
    } catch (error) {
      this.#internalFailure('recordCommand', error);
    }
  }

  recordDbQuery(seconds: number): void {
    try {
      if (!isNonNegative(seconds)) {
        this.#reject('recordDbQuery', 'seconds');
        return;
      }
      this.#dbQueryTimes.record(seconds);
      this.#notify((observer) => observer.recordDbQuery(seconds));
    } catch (error) {
      this.#internalFailure('recordDbQuery', error);
    }
  }

  /** Counts an error by type and keeps it, sanitised, among the recent errors. */
  recordError(type: string, details?: unknown): void {
    try {
      this.#addError(sanitizeLabel(type), sanitizeErrorDetails(details));
    } catch (error) {
      this.#internalFailure('recordError', error);
    }
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────

  activeUsersEstimate(): number {
    return this.#activeUsers.estimate();
  }

  getStatistics(): AnalyticsStatistics {
    const uptimeSeconds = Math.max(0, Math.floor((this.#clock.now() - this.#startedAt) / 1000));
    const hourly: Record<string, number> = {};
    for (let hour = 0; hour < 24; hour++) hourly[String(hour)] = this.#hourlyUsage[hour]!;
    const daily = {} as Record<Weekday, number>;
    WEEKDAYS.forEach((name, index) => {
      daily[name] = this.#dailyUsage[(index + 1) % 7]!;
    });
    const commandPerformance: Record<string, CommandPerformance> = {};
    for (const [name, stats] of [...this.#commands].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const p = stats.histogram.percentiles();
      commandPerformance[name] = {
        avg_time: stats.histogram.mean(),
        min_time: stats.histogram.min(),
        max_time: stats.histogram.max(),
        count: stats.histogram.count,
        p50: p.p50,
        p90: p.p90,
        p99: p.p99,
        outcomes: { ...stats.outcomes },
      };
    }
    return {
      quizzes_started: this.#quizzesStarted,
      quizzes_completed: this.#quizzesCompleted,
      completion_rate: percent(this.#quizzesCompleted, this.#quizzesStarted),
      questions_answered: this.#questionsAnswered,
      correct_answers: this.#correctAnswers,
      correct_rate: percent(this.#correctAnswers, this.#questionsAnswered),
      timed_out_answers: this.#timedOutAnswers,
      answers_by_mode: Object.fromEntries(this.#answersByMode),
      avg_quiz_duration: this.#quizDurations.mean(),
      quiz_duration_percentiles: this.#quizDurations.percentiles(),
      avg_score: this.#scores.mean(),
      score_percentiles: this.#scores.percentiles(),
      avg_question_time: this.#questionTimes.mean(),
      question_time_percentiles: this.#questionTimes.percentiles(),
      top_quizzes: this.#top(this.#topQuizzes),
      top_users: this.#top(this.#topUsers),
      top_guilds: this.#top(this.#topGuilds),
      active_users: this.#activeUsers.estimate(),
      hourly_usage: hourly,
      daily_usage: daily,
      uptime: formatUptime(uptimeSeconds),
      uptime_seconds: uptimeSeconds,
      avg_db_query_time: this.#dbQueryTimes.mean(),
      db_query_time_percentiles: this.#dbQueryTimes.percentiles(),
      command_performance: commandPerformance,
      error_counts: Object.fromEntries([...this.#errorCounts].sort(([a], [b]) => (a < b ? -1 : 1))),
      recent_errors_count: this.#recentErrors.length,
      recent_errors: this.#recentErrorsInOrder(),
    };
  }

  /** The statistics as indented JSON, as the original `export_to_json`. */
  exportToJson(): string {
    return JSON.stringify(this.getStatistics(), null, 2);
  }

  // ── persistence ──────────────────────────────────────────────────────────────────────────────

  /** Everything needed to rebuild the statistics after a restart (no raw user ids inside). */
  serializeState(): AnalyticsState {
    const commands: AnalyticsState['commands'] = {};
    for (const [name, stats] of this.#commands)
      commands[name] = { histogram: stats.histogram.serialize(), outcomes: { ...stats.outcomes } };
    return {
      version: 1,
      saltFingerprint: this.#pseudonymizer.fingerprint(),
      counters: {
        quizzesStarted: this.#quizzesStarted,
        quizzesCompleted: this.#quizzesCompleted,
        questionsAnswered: this.#questionsAnswered,
        correctAnswers: this.#correctAnswers,
        timedOutAnswers: this.#timedOutAnswers,
      },
      answersByMode: Object.fromEntries(this.#answersByMode),
      histograms: {
        quizDuration: this.#quizDurations.serialize(),
        score: this.#scores.serialize(),
        questionTime: this.#questionTimes.serialize(),
        dbQuery: this.#dbQueryTimes.serialize(),
      },
      commands,
      topQuizzes: { entries: this.#topQuizzes.entries(), evictions: this.#topQuizzes.evictions },
      topUsers: { entries: this.#topUsers.entries(), evictions: this.#topUsers.evictions },
      topGuilds: { entries: this.#topGuilds.entries(), evictions: this.#topGuilds.evictions },
      activeUsers: this.#activeUsers.toBase64(),
      hourlyUsage: [...this.#hourlyUsage],
      dailyUsage: [...this.#dailyUsage],
      errorCounts: Object.fromEntries(this.#errorCounts),
      recentErrors: this.#recentErrorsInOrder(),
    };
  }

  /**
   * Replaces the current state with a serialised one. Validates everything first and throws an
   * Error naming the problem (nothing changes then). State written under another salt restores
   * everything except the per-user data, whose pseudonyms would not match new ones.
   */
  restoreState(input: unknown): RestoreStateResult {
    const parsed = analyticsStateSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : '(root)';
      throw new Error(`analytics state is invalid at ${where}: ${issue?.message ?? 'unknown problem'}`);
    }
    const state = parsed.data;
    const sameSalt = state.saltFingerprint === this.#pseudonymizer.fingerprint();

    // Build everything aside first, so a bad histogram leaves the live state untouched.
    const quizDurations = loadHistogram(QUIZ_DURATION, state.histograms.quizDuration, 'quizDuration');
    const scores = loadHistogram(SCORE, state.histograms.score, 'score');
    const questionTimes = loadHistogram(QUESTION_TIME, state.histograms.questionTime, 'questionTime');
    const dbQueryTimes = loadHistogram(QUERY_TIME, state.histograms.dbQuery, 'dbQuery');
    const commands = new Map<string, CommandStats>();
    for (const [rawName, saved] of Object.entries(state.commands)) {
      const name = boundedKey(commands, sanitizeLabel(rawName), MAX_COMMANDS);
      const histogram = loadHistogram(QUERY_TIME, saved.histogram, `commands.${rawName}`);
      const existing = commands.get(name);
      if (existing !== undefined) continue; // folded duplicates keep the first
      commands.set(name, { histogram, outcomes: { ...saved.outcomes } });
    }
    const topQuizzes = new SpaceSaving(this.#topK);
    topQuizzes.load(state.topQuizzes.entries, state.topQuizzes.evictions);
    const topGuilds = new SpaceSaving(this.#topK);
    topGuilds.load(state.topGuilds.entries, state.topGuilds.evictions);
    const topUsers = new SpaceSaving(this.#topK);
    const activeUsers = new HyperLogLog();
    if (sameSalt) {
      topUsers.load(state.topUsers.entries, state.topUsers.evictions);
      activeUsers.loadBase64(state.activeUsers);
    }
    const errorCounts = new Map<string, number>();
    for (const [type, count] of Object.entries(state.errorCounts)) {
      const key = boundedKey(errorCounts, sanitizeLabel(type), MAX_ERROR_TYPES);
      errorCounts.set(key, (errorCounts.get(key) ?? 0) + count);
    }
    const answersByMode = new Map<string, number>();
    for (const [mode, count] of Object.entries(state.answersByMode)) {
      const key = boundedKey(answersByMode, sanitizeLabel(mode), MAX_MODES);
      answersByMode.set(key, (answersByMode.get(key) ?? 0) + count);
    }
    const recentErrors = state.recentErrors.slice(-this.#recentErrorLimit).map((entry) => ({
      timestamp: entry.timestamp,
      type: sanitizeLabel(entry.type),
      details: sanitizeErrorDetails(entry.details),
    }));

    this.#quizzesStarted = state.counters.quizzesStarted;
    this.#quizzesCompleted = state.counters.quizzesCompleted;
    this.#questionsAnswered = state.counters.questionsAnswered;
    this.#correctAnswers = state.counters.correctAnswers;
    this.#timedOutAnswers = state.counters.timedOutAnswers;
    this.#answersByMode = answersByMode;
    this.#quizDurations = quizDurations;
    this.#scores = scores;
    this.#questionTimes = questionTimes;
    this.#dbQueryTimes = dbQueryTimes;
    this.#commands = commands;
    this.#topQuizzes = topQuizzes;
    this.#topUsers = topUsers;
    this.#topGuilds = topGuilds;
    this.#activeUsers = activeUsers;
    this.#hourlyUsage = [...state.hourlyUsage];
    this.#dailyUsage = [...state.dailyUsage];
    this.#errorCounts = errorCounts;
    this.#recentErrors = recentErrors;
    this.#recentErrorsNext = recentErrors.length % this.#recentErrorLimit;
    return { userDataRestored: sameSalt };
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  #top(summary: SpaceSaving): TopEntry[] {
    return summary
      .top(this.#topReported)
      .map((entry) => ({ id: entry.key, count: entry.count, max_overcount: entry.maxOvercount }));
  }

  #addError(type: string, details: string): void {
    const key = boundedKey(this.#errorCounts, type, MAX_ERROR_TYPES);
    this.#errorCounts.set(key, (this.#errorCounts.get(key) ?? 0) + 1);
    const entry: RecentError = { timestamp: new Date(this.#clock.now()).toISOString(), type: key, details };
    if (this.#recentErrors.length < this.#recentErrorLimit) this.#recentErrors.push(entry);
    else this.#recentErrors[this.#recentErrorsNext] = entry;
    this.#recentErrorsNext = (this.#recentErrorsNext + 1) % this.#recentErrorLimit;
    if (this.#observer !== undefined) {
      try {
        this.#observer.recordError(key);
      } catch {
        // An observer failing on an error record must not loop back into recordError.
      }
    }
  }

  #recentErrorsInOrder(): RecentError[] {
    if (this.#recentErrors.length < this.#recentErrorLimit) return this.#recentErrors.map((e) => ({ ...e }));
    return [
      ...this.#recentErrors.slice(this.#recentErrorsNext),
      ...this.#recentErrors.slice(0, this.#recentErrorsNext),
    ].map((e) => ({ ...e }));
  }

  /** Passes a record on to the observer; an observer failure is counted, never thrown to the caller. */
  #notify(record: (observer: AnalyticsObserver) => void): void {
    if (this.#observer === undefined) return;
    try {
      record(this.#observer);
    } catch (error) {
      this.#internalFailure('observer', error);
    }
  }

  /** Bad input from a caller: dropped, counted, and kept among recent errors for debugging. */
  #reject(method: string, argument: string): void {
    try {
      this.#addError(ANALYTICS_ERROR_TYPE, `${method}: invalid ${argument}, value dropped`);
    } catch {
      // Counting must never throw into the caller.
    }
  }

  #internalFailure(where: string, error: unknown): void {
    try {
      this.#addError(ANALYTICS_ERROR_TYPE, `${where} failed: ${sanitizeErrorDetails(error)}`);
    } catch {
      // Nothing left to do safely.
    }
  }
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────

function normalizeId(id: unknown): string | undefined {
  if (typeof id === 'string') return id.length > 0 && id.length <= 100 ? id : undefined;
  if (typeof id === 'number') return Number.isSafeInteger(id) && id >= 0 ? String(id) : undefined;
  if (typeof id === 'bigint') return id >= 0n ? String(id) : undefined;
  return undefined;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY;
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : (part / whole) * 100;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`QuizAnalytics option ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** `key` if already present or there is room; otherwise `other`. */
function boundedKey(map: Map<string, unknown>, key: string, limit: number): string {
  if (map.has(key) || map.size < limit - 1) return key;
  return OTHER;
}

function loadHistogram(
  range: { scale: number; max: number },
  saved: SerializedHistogram,
  name: string,
): ValueHistogram {
  const histogram = new ValueHistogram(range.scale, range.max);
  try {
    histogram.load(saved);
  } catch (error) {
    throw new Error(`analytics state is invalid at histograms.${name}: ${(error as Error).message}`);
  }
  return histogram;
}

// ── serialised state ───────────────────────────────────────────────────────────────────────────

const count = z.number().int().nonnegative();
const histogramSchema = z.object({
  count,
  sum: z.number().nonnegative(),
  min: z.number().nonnegative(),
  max: z.number().nonnegative(),
  hdr: z.string().max(1_000_000),
});
const topKSchema = z.object({
  entries: z.array(z.tuple([z.string().min(1).max(200), z.number().int().positive(), count])).max(1_000_000),
  evictions: count,
});

const analyticsStateSchema = z.object({
  version: z.literal(1),
  saltFingerprint: z.string(),
  counters: z.object({
    quizzesStarted: count,
    quizzesCompleted: count,
    questionsAnswered: count,
    correctAnswers: count,
    timedOutAnswers: count,
  }),
  answersByMode: z.record(z.string(), count),
  histograms: z.object({
    quizDuration: histogramSchema,
    score: histogramSchema,
    questionTime: histogramSchema,
    dbQuery: histogramSchema,
  }),
  commands: z.record(
    z.string(),
    z.object({
      histogram: histogramSchema,
      outcomes: z.object({ ok: count, rejected: count, error: count }),
    }),
  ),
  topQuizzes: topKSchema,
  topUsers: topKSchema,
  topGuilds: topKSchema,
  activeUsers: z.string().max(100_000),
  hourlyUsage: z.array(count).length(24),
  dailyUsage: z.array(count).length(7),
  errorCounts: z.record(z.string(), count),
  recentErrors: z
    .array(z.object({ timestamp: z.string(), type: z.string(), details: z.string() }))
    .max(100_000),
});

/** The serialised analytics state (version 1). `dailyUsage` is indexed by `getUTCDay()` (0 = Sunday). */
export interface AnalyticsState {
  version: 1;
  /** HMAC of a constant under the salt: tells whether saved pseudonyms match this salt. */
  saltFingerprint: string;
  counters: {
    quizzesStarted: number;
    quizzesCompleted: number;
    questionsAnswered: number;
    correctAnswers: number;
    timedOutAnswers: number;
  };
  answersByMode: Record<string, number>;
  histograms: {
    quizDuration: SerializedHistogram;
    score: SerializedHistogram;
    questionTime: SerializedHistogram;
    dbQuery: SerializedHistogram;
  };
  commands: Record<string, { histogram: SerializedHistogram; outcomes: Record<CommandOutcome, number> }>;
  topQuizzes: { entries: SpaceSavingEntries; evictions: number };
  topUsers: { entries: SpaceSavingEntries; evictions: number };
  topGuilds: { entries: SpaceSavingEntries; evictions: number };
  /** HyperLogLog registers, base64. */
  activeUsers: string;
  hourlyUsage: number[];
  dailyUsage: number[];
  errorCounts: Record<string, number>;
  recentErrors: RecentError[];
}
