/**
 * The live structures QuizAnalytics records into, in one plain object, so recording
 * (QuizAnalytics.ts) and saving/restoring (analyticsState.ts) share it without either reaching
 * into the other's private fields.
 */
import type { CommandOutcome } from './AnalyticsObserver.js';
import { HyperLogLog } from './HyperLogLog.js';
import { SpaceSaving } from './SpaceSaving.js';
import { ValueHistogram } from './ValueHistogram.js';

/** Distinct command labels kept; more fold into `other` so memory and metric labels stay bounded. */
export const MAX_COMMANDS = 64;
/** Distinct error types kept; more fold into `other`. */
export const MAX_ERROR_TYPES = 100;
export const MAX_MODES = 16;
const OTHER = 'other';

// Histogram recording units and ranges (values above the range are clamped for percentiles only).
export const QUIZ_DURATION = { scale: 1_000, max: 7 * 86_400 }; // ms, up to a week
export const SCORE = { scale: 100, max: 1_000_000 }; // hundredths of a point
export const QUESTION_TIME = { scale: 1_000, max: 86_400 }; // ms, up to a day
export const QUERY_TIME = { scale: 1_000_000, max: 3_600 }; // µs, up to an hour

export interface RecentError {
  /** ISO-8601 UTC. */
  timestamp: string;
  type: string;
  /** One sanitised line, ≤ 300 chars: no tokens, auth headers, URL passwords, snowflakes or stack. */
  details: string;
}

export interface CommandStats {
  histogram: ValueHistogram;
  outcomes: Record<CommandOutcome, number>;
}

export interface AnalyticsTallies {
  quizzesStarted: number;
  quizzesCompleted: number;
  questionsAnswered: number;
  correctAnswers: number;
  timedOutAnswers: number;
  answersByMode: Map<string, number>;
  /** Quizzes started / completed by mode (`solo`, `live`), when callers say. */
  startsByMode: Map<string, number>;
  completionsByMode: Map<string, number>;
  quizDurations: ValueHistogram;
  scores: ValueHistogram;
  questionTimes: ValueHistogram;
  dbQueryTimes: ValueHistogram;
  commands: Map<string, CommandStats>;
  topQuizzes: SpaceSaving;
  /** Keyed by pseudonym, never by raw user id. */
  topUsers: SpaceSaving;
  topGuilds: SpaceSaving;
  activeUsers: HyperLogLog;
  /** Index = UTC hour. */
  hourlyUsage: number[];
  /** Index = `Date#getUTCDay()` (0 = Sunday). */
  dailyUsage: number[];
  errorCounts: Map<string, number>;
  recentErrors: RecentError[];
  /** Next slot of `recentErrors` to overwrite once the ring buffer is full. */
  recentErrorsNext: number;
}

export function histogramFor(range: { scale: number; max: number }): ValueHistogram {
  return new ValueHistogram(range.scale, range.max);
}

export function emptyTallies(topK: number): AnalyticsTallies {
  return {
    quizzesStarted: 0,
    quizzesCompleted: 0,
    questionsAnswered: 0,
    correctAnswers: 0,
    timedOutAnswers: 0,
    answersByMode: new Map(),
    startsByMode: new Map(),
    completionsByMode: new Map(),
    quizDurations: histogramFor(QUIZ_DURATION),
    scores: histogramFor(SCORE),
    questionTimes: histogramFor(QUESTION_TIME),
    dbQueryTimes: histogramFor(QUERY_TIME),
    commands: new Map(),
    topQuizzes: new SpaceSaving(topK),
    topUsers: new SpaceSaving(topK),
    topGuilds: new SpaceSaving(topK),
    activeUsers: new HyperLogLog(),
    hourlyUsage: new Array<number>(24).fill(0),
    dailyUsage: new Array<number>(7).fill(0),
    errorCounts: new Map(),
    recentErrors: [],
    recentErrorsNext: 0,
  };
}

/** `key` if already present or there is room; otherwise `other`. */
export function boundedKey(map: Map<string, unknown>, key: string, limit: number): string {
  if (map.has(key) || map.size < limit - 1) return key;
  return OTHER;
}

/** The ring buffer of recent errors, oldest first (copies). */
export function recentErrorsInOrder(tallies: AnalyticsTallies, limit: number): RecentError[] {
  const { recentErrors, recentErrorsNext } = tallies;
  if (recentErrors.length < limit) return recentErrors.map((e) => ({ ...e }));
  return [...recentErrors.slice(recentErrorsNext), ...recentErrors.slice(0, recentErrorsNext)].map((e) => ({
    ...e,
  }));
}
