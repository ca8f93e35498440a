/** How a command invocation ended: done, refused (validation/permission/cooldown), or failed. */
export type CommandOutcome = 'ok' | 'rejected' | 'error';

/** How a question ended for the player. */
export type AnswerOutcome = 'correct' | 'incorrect' | 'timeout';

/** Read-only view of QuizAnalytics that an observer may query at scrape time. */
export interface AnalyticsSource {
  /** Distinct users seen (HyperLogLog estimate). */
  activeUsersEstimate(): number;
}

/**
 * Hears every accepted analytics record, already validated and stripped of ids (no user, guild or
 * quiz id ever reaches an observer), e.g. to mirror them into Prometheus. Observer exceptions are
 * swallowed and counted by QuizAnalytics.
 */
export interface AnalyticsObserver {
  /** Called once by the QuizAnalytics that the observer is given to. */
  attach?(source: AnalyticsSource): void;
  recordQuizStart(): void;
  /** Either measurement may be undefined when it was invalid and dropped. */
  recordQuizCompletion(durationSeconds: number | undefined, score: number | undefined): void;
  /** `timeTakenSeconds` is undefined for timeouts and unmeasured answers. */
  recordAnswer(outcome: AnswerOutcome, timeTakenSeconds: number | undefined): void;
  /** `command` is a sanitised label from a bounded set. */
  recordCommand(command: string, responseTimeSeconds: number, outcome: CommandOutcome): void;
  recordDbQuery(seconds: number): void;
  /** `type` is a sanitised label from a bounded set. */
  recordError(type: string): void;
}
