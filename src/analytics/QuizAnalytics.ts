import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type {
  AnalyticsObserver,
  AnalyticsSource,
  AnswerOutcome,
  CommandOutcome,
} from './AnalyticsObserver.js';
import { type AnalyticsState, restoreTallies, serializeTallies } from './analyticsState.js';
import { type AnalyticsStatistics, statisticsOf } from './analyticsStatistics.js';
import {
  type AnalyticsTallies,
  boundedKey,
  emptyTallies,
  histogramFor,
  MAX_COMMANDS,
  MAX_ERROR_TYPES,
  MAX_MODES,
  QUERY_TIME,
  type RecentError,
} from './analyticsTallies.js';
import { Pseudonymizer } from './Pseudonymizer.js';
import { sanitizeErrorDetails, sanitizeLabel } from './sanitize.js';

// Recording lives here; the tallies it records into in analyticsTallies.ts, reading them in
// analyticsStatistics.ts, saving/restoring in analyticsState.ts. These names stay importable from here.
export type { AnalyticsState } from './analyticsState.js';
export {
  type AnalyticsStatistics,
  type CommandPerformance,
  type TopEntry,
  WEEKDAYS,
  type Weekday,
} from './analyticsStatistics.js';
export { MAX_COMMANDS, MAX_ERROR_TYPES, type RecentError } from './analyticsTallies.js';

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

export interface RestoreStateResult {
  /** False when the state was written under another salt: user top-K and distinct count were reset. */
  userDataRestored: boolean;
}

/** The error type under which analytics counts its own rejected input and internal failures. */
export const ANALYTICS_ERROR_TYPE = 'analytics';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

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

  /** Everything recorded; replaced whole by `restoreState`. */
  #t: AnalyticsTallies;

  constructor(options: QuizAnalyticsOptions) {
    this.#pseudonymizer = new Pseudonymizer(options.salt);
    this.#clock = options.clock ?? systemClock;
    this.#startedAt = this.#clock.now();
    this.#recentErrorLimit = positiveInteger(options.recentErrorLimit ?? 100, 'recentErrorLimit');
    this.#topK = positiveInteger(options.topK ?? 1_000, 'topK');
    this.#topReported = positiveInteger(options.topReported ?? 10, 'topReported');
    this.#t = emptyTallies(this.#topK);
    this.#observer = options.observer;
    this.#observer?.attach?.(this);
  }

  // ── recording ────────────────────────────────────────────────────────────────────────────────

  recordQuizStart(
    userId: AnalyticsId,
    quizId: AnalyticsId,
    guildId?: AnalyticsId | null,
    detail?: { mode?: string },
  ): void {
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
      this.#t.quizzesStarted++;
      this.#countMode(this.#t.startsByMode, detail?.mode);
      this.#t.topQuizzes.offer(quiz);
      const pseudonymous = this.#pseudonymizer.pseudonymize(user);
      this.#t.topUsers.offer(pseudonymous.pseudonym);
      this.#t.activeUsers.add(pseudonymous.hashHigh, pseudonymous.hashLow);
      if (guild !== undefined) this.#t.topGuilds.offer(guild);
      const now = this.#clock.now();
      const hour = Math.floor(now / MS_PER_HOUR) % 24;
      // 1970-01-01 was a Thursday (getUTCDay 4).
      const day = (Math.floor(now / MS_PER_DAY) + 4) % 7;
      if (hour >= 0 && day >= 0) {
        this.#t.hourlyUsage[hour]!++;
        this.#t.dailyUsage[day]!++;
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
    detail?: { mode?: string },
  ): void {
    try {
      const user = normalizeId(userId);
      const quiz = normalizeId(quizId);
      if (user === undefined || quiz === undefined) {
        this.#reject('recordQuizCompletion', user === undefined ? 'userId' : 'quizId');
        return;
      }
      this.#t.quizzesCompleted++;
      this.#countMode(this.#t.completionsByMode, detail?.mode);
      const pseudonymous = this.#pseudonymizer.pseudonymize(user);
      this.#t.activeUsers.add(pseudonymous.hashHigh, pseudonymous.hashLow);
      let duration: number | undefined;
      if (isNonNegative(durationSeconds)) {
        duration = durationSeconds;
        this.#t.quizDurations.record(durationSeconds);
      } else this.#reject('recordQuizCompletion', 'durationSeconds');
      let points: number | undefined;
      if (isNonNegative(score)) {
        points = score;
        this.#t.scores.record(score);
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
      this.#t.questionsAnswered++;
      if (outcome === 'correct') this.#t.correctAnswers++;
      else if (outcome === 'timeout') this.#t.timedOutAnswers++;
      let time: number | undefined;
      if (!timedOut && timeTakenSeconds !== undefined && timeTakenSeconds !== null) {
        if (!isNonNegative(timeTakenSeconds)) this.#reject('recordAnswer', 'timeTakenSeconds');
        else if (timeTakenSeconds > 0) {
          time = timeTakenSeconds;
          this.#t.questionTimes.record(timeTakenSeconds);
        }
      }
      this.#countMode(this.#t.answersByMode, detail?.mode);
      this.#notify((observer) => observer.recordAnswer(outcome, time));
    } catch (error) {
      this.#internalFailure('recordAnswer', error);
    }
  }

  /** One more event of `mode` (bounded, sanitised label); nothing when the caller named no mode. */
  #countMode(counts: Map<string, number>, mode: string | undefined): void {
    if (mode === undefined) return;
    const key = boundedKey(counts, sanitizeLabel(mode), MAX_MODES);
    counts.set(key, (counts.get(key) ?? 0) + 1);
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
      let stats = this.#t.commands.get(name);
      let label = name;
      if (stats === undefined) {
        label = boundedKey(this.#t.commands, sanitizeLabel(name), MAX_COMMANDS);
        stats = this.#t.commands.get(label);
        if (stats === undefined) {
          stats = {
            histogram: histogramFor(QUERY_TIME),
            outcomes: { ok: 0, rejected: 0, error: 0 },
          };
          this.#t.commands.set(label, stats);
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
      this.#t.dbQueryTimes.record(seconds);
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
    return this.#t.activeUsers.estimate();
  }

  getStatistics(): AnalyticsStatistics {
    return statisticsOf(this.#t, {
      uptimeSeconds: Math.max(0, Math.floor((this.#clock.now() - this.#startedAt) / 1000)),
      topReported: this.#topReported,
      recentErrorLimit: this.#recentErrorLimit,
    });
  }

  /** The statistics as indented JSON, as the original `export_to_json`. */
  exportToJson(): string {
    return JSON.stringify(this.getStatistics(), null, 2);
  }

  // ── persistence ──────────────────────────────────────────────────────────────────────────────

  /** Everything needed to rebuild the statistics after a restart (no raw user ids inside). */
  serializeState(): AnalyticsState {
    return serializeTallies(this.#t, this.#pseudonymizer.fingerprint(), this.#recentErrorLimit);
  }

  /**
   * Replaces the current state with a serialised one. Validates everything first and throws an
   * Error naming the problem (nothing changes then). State written under another salt restores
   * everything except the per-user data, whose pseudonyms would not match new ones.
   */
  restoreState(input: unknown): RestoreStateResult {
    const restored = restoreTallies(input, {
      topK: this.#topK,
      recentErrorLimit: this.#recentErrorLimit,
      saltFingerprint: this.#pseudonymizer.fingerprint(),
    });
    this.#t = restored.tallies;
    return { userDataRestored: restored.userDataRestored };
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  #addError(type: string, details: string): void {
    const key = boundedKey(this.#t.errorCounts, type, MAX_ERROR_TYPES);
    this.#t.errorCounts.set(key, (this.#t.errorCounts.get(key) ?? 0) + 1);
    const entry: RecentError = { timestamp: new Date(this.#clock.now()).toISOString(), type: key, details };
    if (this.#t.recentErrors.length < this.#recentErrorLimit) this.#t.recentErrors.push(entry);
    else this.#t.recentErrors[this.#t.recentErrorsNext] = entry;
    this.#t.recentErrorsNext = (this.#t.recentErrorsNext + 1) % this.#recentErrorLimit;
    if (this.#observer !== undefined) {
      try {
        this.#observer.recordError(key);
      } catch {
        // An observer failing on an error record must not loop back into recordError.
      }
    }
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

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`QuizAnalytics option ${name} must be a positive integer, got ${String(value)}`);
  return value;
}
