import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type {
  AnalyticsObserver,
  AnalyticsSource,
  AnswerOutcome,
  CommandOutcome,
} from './AnalyticsObserver.js';

/**
 * Mirrors analytics records into Prometheus series on `registry`. Labels come only from closed
 * sets (answer outcome, sanitised command name, sanitised error type, command outcome) — never a
 * user, guild or quiz id. Pass the returned observer to `new QuizAnalytics({ observer })`.
 */
export function createAnalyticsMetrics(registry: Registry): AnalyticsObserver {
  const registers = [registry];
  const quizzesStarted = new Counter({
    name: 'badgey_quizzes_started_total',
    help: 'Quiz attempts started.',
    registers,
  });
  const quizzesCompleted = new Counter({
    name: 'badgey_quizzes_completed_total',
    help: 'Quiz attempts completed.',
    registers,
  });
  const answers = new Counter({
    name: 'badgey_answers_total',
    help: 'Questions answered, by outcome (correct, incorrect, timeout).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const answerTime = new Histogram({
    name: 'badgey_answer_time_seconds',
    help: 'Time players took to answer a question (timeouts excluded).',
    buckets: [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 120],
    registers,
  });
  const quizDuration = new Histogram({
    name: 'badgey_quiz_duration_seconds',
    help: 'Duration of completed quiz attempts.',
    buckets: [10, 30, 60, 120, 180, 300, 600, 900, 1800, 3600, 7200],
    registers,
  });
  const quizScore = new Histogram({
    name: 'badgey_quiz_score',
    help: 'Points scored in completed quiz attempts.',
    buckets: [0, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000],
    registers,
  });
  const commandDuration = new Histogram({
    name: 'badgey_command_duration_seconds',
    help: 'Time to handle a command, by command and outcome (ok, rejected, error).',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const dbQueryDuration = new Histogram({
    name: 'badgey_db_query_duration_seconds',
    help: 'Database query durations.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const errors = new Counter({
    name: 'badgey_errors_total',
    help: 'Errors recorded by analytics, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  let source: AnalyticsSource | undefined;
  new Gauge({
    name: 'badgey_active_users',
    help: 'Distinct users seen since analytics began (HyperLogLog estimate, ~0.8% standard error).',
    registers,
    collect() {
      if (source !== undefined) this.set(source.activeUsersEstimate());
    },
  });
  // Expose zero-valued outcome series from the start, so rate() works before the first answer.
  for (const outcome of ['correct', 'incorrect', 'timeout'] satisfies AnswerOutcome[])
    answers.inc({ outcome }, 0);

  return {
    attach(analytics: AnalyticsSource) {
      source = analytics;
    },
    recordQuizStart() {
      quizzesStarted.inc();
    },
    recordQuizCompletion(durationSeconds: number | undefined, score: number | undefined) {
      quizzesCompleted.inc();
      if (durationSeconds !== undefined) quizDuration.observe(durationSeconds);
      if (score !== undefined) quizScore.observe(score);
    },
    recordAnswer(outcome: AnswerOutcome, timeTakenSeconds: number | undefined) {
      answers.inc({ outcome });
      if (timeTakenSeconds !== undefined) answerTime.observe(timeTakenSeconds);
    },
    recordCommand(command: string, responseTimeSeconds: number, outcome: CommandOutcome) {
      commandDuration.observe({ command, outcome }, responseTimeSeconds);
    },
    recordDbQuery(seconds: number) {
      dbQueryDuration.observe(seconds);
    },
    recordError(type: string) {
      errors.inc({ type });
    },
  };
}

/** What the export series read at scrape time (AnalyticsExporter satisfies it). */
export interface ExportStatusSource {
  readonly intervalSeconds: number;
  /** Epoch ms of the last complete export. */
  readonly lastSuccessAt: number;
}

/**
 * The analytics export's freshness, for the dashboard's "export age" panel and the alert "no
 * successful export for 3 intervals": `time() - last_success > 3 * interval` needs both series.
 */
export function registerExportMetrics(registry: Registry, exporter: ExportStatusSource): void {
  new Gauge({
    name: 'badgey_analytics_export_last_success_timestamp_seconds',
    help: 'Unix time of the last complete analytics export (the process start time until the first one).',
    registers: [registry],
    collect() {
      this.set(exporter.lastSuccessAt / 1000);
    },
  });
  new Gauge({
    name: 'badgey_analytics_export_interval_seconds',
    help: 'Seconds between analytics exports (ANALYTICS_EXPORT_INTERVAL).',
    registers: [registry],
    collect() {
      this.set(exporter.intervalSeconds);
    },
  });
}
