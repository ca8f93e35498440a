import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS } from '../metrics.js';
import type { TakeObserver } from '../quiz/session/SoloRunner.js';
import type { EndReason } from '../quiz/session/SoloSession.js';

/** `badgey_sessions_ended_total{reason}` label values (snake_case, closed set). */
export const SESSION_END_REASONS: Record<EndReason | 'resumed', string> = {
  completed: 'completed',
  /** A stored (interrupted) session was continued after a restart or a pause. */
  resumed: 'resumed',
  shutdown: 'shutdown',
  idle: 'idle',
  tokenAge: 'token_age',
  quizDeleted: 'quiz_deleted',
};

/**
 * Solo-session series: running and queued sessions (read at scrape time) and sessions ended by
 * reason. No user, guild or quiz ids. Returns the observer the TakeService reports endings to.
 */
export function createSessionMetrics(
  registry: Registry,
  counts: () => { running: number; queued: number },
): TakeObserver {
  new Gauge({
    ...METRICS.sessionsRunning,
    registers: [registry],
    collect() {
      this.set(counts().running);
    },
  });
  new Gauge({
    ...METRICS.sessionsQueued,
    registers: [registry],
    collect() {
      this.set(counts().queued);
    },
  });
  const ended = new Counter({
    ...METRICS.sessionsEndedTotal,
    registers: [registry],
  });
  for (const reason of Object.values(SESSION_END_REASONS)) ended.inc({ reason }, 0);
  return {
    sessionEnded(reason) {
      ended.inc({ reason: SESSION_END_REASONS[reason] });
    },
  };
}
