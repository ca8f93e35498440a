/**
 * Saving and restoring QuizAnalytics: the serialised state (version 1), its schema, and the
 * conversions to and from the live tallies. Restoring validates everything before anything is
 * built, and drops per-user data written under another salt.
 */
import { z } from 'zod';
import type { CommandOutcome } from './AnalyticsObserver.js';
import {
  type AnalyticsTallies,
  boundedKey,
  type CommandStats,
  MAX_COMMANDS,
  MAX_ERROR_TYPES,
  MAX_MODES,
  QUERY_TIME,
  QUESTION_TIME,
  QUIZ_DURATION,
  type RecentError,
  recentErrorsInOrder,
  SCORE,
} from './analyticsTallies.js';
import { HyperLogLog } from './HyperLogLog.js';
import { SpaceSaving, type SpaceSavingEntries } from './SpaceSaving.js';
import { sanitizeErrorDetails, sanitizeLabel } from './sanitize.js';
import { type SerializedHistogram, ValueHistogram } from './ValueHistogram.js';

/** Everything needed to rebuild the statistics after a restart (no raw user ids inside). */
export function serializeTallies(
  t: AnalyticsTallies,
  saltFingerprint: string,
  recentErrorLimit: number,
): AnalyticsState {
  const commands: AnalyticsState['commands'] = {};
  for (const [name, stats] of t.commands)
    commands[name] = { histogram: stats.histogram.serialize(), outcomes: { ...stats.outcomes } };
  return {
    version: 1,
    saltFingerprint: saltFingerprint,
    counters: {
      quizzesStarted: t.quizzesStarted,
      quizzesCompleted: t.quizzesCompleted,
      questionsAnswered: t.questionsAnswered,
      correctAnswers: t.correctAnswers,
      timedOutAnswers: t.timedOutAnswers,
    },
    answersByMode: Object.fromEntries(t.answersByMode),
    startsByMode: Object.fromEntries(t.startsByMode),
    completionsByMode: Object.fromEntries(t.completionsByMode),
    histograms: {
      quizDuration: t.quizDurations.serialize(),
      score: t.scores.serialize(),
      questionTime: t.questionTimes.serialize(),
      dbQuery: t.dbQueryTimes.serialize(),
    },
    commands,
    topQuizzes: { entries: t.topQuizzes.entries(), evictions: t.topQuizzes.evictions },
    topUsers: { entries: t.topUsers.entries(), evictions: t.topUsers.evictions },
    topGuilds: { entries: t.topGuilds.entries(), evictions: t.topGuilds.evictions },
    activeUsers: t.activeUsers.toBase64(),
    hourlyUsage: [...t.hourlyUsage],
    dailyUsage: [...t.dailyUsage],
    errorCounts: Object.fromEntries(t.errorCounts),
    recentErrors: recentErrorsInOrder(t, recentErrorLimit),
  };
}

export interface RestoreOptions {
  topK: number;
  recentErrorLimit: number;
  /** The current salt's fingerprint: per-user data saved under another salt is dropped. */
  saltFingerprint: string;
}

/**
 * Builds tallies from a serialised state. Validates everything first and throws an Error naming
 * the problem, so a caller that swaps its tallies only on success never sees half a restore.
 */
export function restoreTallies(
  input: unknown,
  options: RestoreOptions,
): { tallies: AnalyticsTallies; userDataRestored: boolean } {
  const parsed = analyticsStateSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new Error(`analytics state is invalid at ${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  const state = parsed.data;
  const sameSalt = state.saltFingerprint === options.saltFingerprint;

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
  const topQuizzes = new SpaceSaving(options.topK);
  topQuizzes.load(state.topQuizzes.entries, state.topQuizzes.evictions);
  const topGuilds = new SpaceSaving(options.topK);
  topGuilds.load(state.topGuilds.entries, state.topGuilds.evictions);
  const topUsers = new SpaceSaving(options.topK);
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
  const answersByMode = modeCounts(state.answersByMode);
  const startsByMode = modeCounts(state.startsByMode ?? {});
  const completionsByMode = modeCounts(state.completionsByMode ?? {});
  const recentErrors = state.recentErrors.slice(-options.recentErrorLimit).map((entry) => ({
    timestamp: entry.timestamp,
    type: sanitizeLabel(entry.type),
    details: sanitizeErrorDetails(entry.details),
  }));

  const tallies: AnalyticsTallies = {
    quizzesStarted: state.counters.quizzesStarted,
    quizzesCompleted: state.counters.quizzesCompleted,
    questionsAnswered: state.counters.questionsAnswered,
    correctAnswers: state.counters.correctAnswers,
    timedOutAnswers: state.counters.timedOutAnswers,
    answersByMode,
    startsByMode,
    completionsByMode,
    quizDurations,
    scores,
    questionTimes,
    dbQueryTimes,
    commands,
    topQuizzes,
    topUsers,
    topGuilds,
    activeUsers,
    hourlyUsage: [...state.hourlyUsage],
    dailyUsage: [...state.dailyUsage],
    errorCounts,
    recentErrors,
    recentErrorsNext: recentErrors.length % options.recentErrorLimit,
  };
  return { tallies, userDataRestored: sameSalt };
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
  // Optional: exports written before starts and completions were counted by mode lack them.
  startsByMode: z.record(z.string(), count).optional(),
  completionsByMode: z.record(z.string(), count).optional(),
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
  startsByMode?: Record<string, number>;
  completionsByMode?: Record<string, number>;
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

/** Counts by mode from a saved state, each label sanitised again and their number bounded. */
function modeCounts(saved: Record<string, number>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [mode, count] of Object.entries(saved)) {
    const key = boundedKey(counts, sanitizeLabel(mode), MAX_MODES);
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  return counts;
}
