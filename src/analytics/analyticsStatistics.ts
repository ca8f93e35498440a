/** What `QuizAnalytics.getStatistics()` returns and how it is read from the tallies: the original bot's keys, plus percentiles and sanitised errors. */
import type { CommandOutcome } from './AnalyticsObserver.js';
import { type AnalyticsTallies, type RecentError, recentErrorsInOrder } from './analyticsTallies.js';
import { formatUptime } from './formatUptime.js';
import type { SpaceSaving } from './SpaceSaving.js';
import type { Percentiles } from './ValueHistogram.js';

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
  /** Quizzes started by mode (`solo`, `live`), when callers say. */
  quizzes_started_by_mode: Record<string, number>;
  /** Quizzes completed by mode (a live game counts one per player). */
  quizzes_completed_by_mode: Record<string, number>;
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

/** Reads the tallies as the original bot's statistics object. */
export function statisticsOf(
  t: AnalyticsTallies,
  options: { uptimeSeconds: number; topReported: number; recentErrorLimit: number },
): AnalyticsStatistics {
  const { uptimeSeconds, topReported, recentErrorLimit } = options;
  const hourly: Record<string, number> = {};
  for (let hour = 0; hour < 24; hour++) hourly[String(hour)] = t.hourlyUsage[hour]!;
  const daily = {} as Record<Weekday, number>;
  WEEKDAYS.forEach((name, index) => {
    daily[name] = t.dailyUsage[(index + 1) % 7]!;
  });
  const commandPerformance: Record<string, CommandPerformance> = {};
  for (const [name, stats] of [...t.commands].sort(([a], [b]) => (a < b ? -1 : 1))) {
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
    quizzes_started: t.quizzesStarted,
    quizzes_completed: t.quizzesCompleted,
    completion_rate: percent(t.quizzesCompleted, t.quizzesStarted),
    questions_answered: t.questionsAnswered,
    correct_answers: t.correctAnswers,
    correct_rate: percent(t.correctAnswers, t.questionsAnswered),
    timed_out_answers: t.timedOutAnswers,
    answers_by_mode: Object.fromEntries(t.answersByMode),
    quizzes_started_by_mode: Object.fromEntries(t.startsByMode),
    quizzes_completed_by_mode: Object.fromEntries(t.completionsByMode),
    avg_quiz_duration: t.quizDurations.mean(),
    quiz_duration_percentiles: t.quizDurations.percentiles(),
    avg_score: t.scores.mean(),
    score_percentiles: t.scores.percentiles(),
    avg_question_time: t.questionTimes.mean(),
    question_time_percentiles: t.questionTimes.percentiles(),
    top_quizzes: top(t.topQuizzes, topReported),
    top_users: top(t.topUsers, topReported),
    top_guilds: top(t.topGuilds, topReported),
    active_users: t.activeUsers.estimate(),
    hourly_usage: hourly,
    daily_usage: daily,
    uptime: formatUptime(uptimeSeconds),
    uptime_seconds: uptimeSeconds,
    avg_db_query_time: t.dbQueryTimes.mean(),
    db_query_time_percentiles: t.dbQueryTimes.percentiles(),
    command_performance: commandPerformance,
    error_counts: Object.fromEntries([...t.errorCounts].sort(([a], [b]) => (a < b ? -1 : 1))),
    recent_errors_count: t.recentErrors.length,
    recent_errors: recentErrorsInOrder(t, recentErrorLimit),
  };
}

function top(summary: SpaceSaving, topReported: number): TopEntry[] {
  return summary
    .top(topReported)
    .map((entry) => ({ id: entry.key, count: entry.count, max_overcount: entry.maxOvercount }));
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : (part / whole) * 100;
}
