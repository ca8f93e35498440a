import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import { METRICS } from '../metrics.js';
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
    ...METRICS.quizzesStartedTotal,
    registers,
  });
  const quizzesCompleted = new Counter({
    ...METRICS.quizzesCompletedTotal,
    registers,
  });
  const answers = new Counter({
    ...METRICS.answersTotal,
    registers,
  });
  const answerTime = new Histogram({
    ...METRICS.answerTimeSeconds,
    registers,
  });
  const quizDuration = new Histogram({
    ...METRICS.quizDurationSeconds,
    registers,
  });
  const quizScore = new Histogram({
    ...METRICS.quizScore,
    registers,
  });
  const commandDuration = new Histogram({
    ...METRICS.commandDurationSeconds,
    registers,
  });
  const dbQueryDuration = new Histogram({
    ...METRICS.dbQueryDurationSeconds,
    registers,
  });
  const errors = new Counter({
    ...METRICS.errorsTotal,
    registers,
  });
  let source: AnalyticsSource | undefined;
  new Gauge({
    ...METRICS.activeUsers,
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
    ...METRICS.analyticsExportLastSuccessTimestampSeconds,
    registers: [registry],
    collect() {
      this.set(exporter.lastSuccessAt / 1000);
    },
  });
  new Gauge({
    ...METRICS.analyticsExportIntervalSeconds,
    registers: [registry],
    collect() {
      this.set(exporter.intervalSeconds);
    },
  });
}
