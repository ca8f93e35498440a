import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS } from '../metrics.js';
import type { LiveObserver } from '../quiz/live/LiveGameService.js';

/**
 * Live-game series: games this process runs (read at scrape time), players per finished game, and
 * "N answered" counter refreshes skipped to keep a channel's rate limit free for reveals and
 * questions. No user, guild or quiz ids.
 */
export function createLiveMetrics(registry: Registry, running: () => number): LiveObserver {
  new Gauge({
    ...METRICS.gamesRunning,
    registers: [registry],
    collect() {
      this.set(running());
    },
  });
  const players = new Histogram({
    ...METRICS.gamePlayers,
    registers: [registry],
  });
  const deferred = new Counter({
    ...METRICS.liveEditsDeferredTotal,
    registers: [registry],
  });
  return {
    gameFinished(count) {
      players.observe(count);
    },
    counterDeferred() {
      deferred.inc();
    },
  };
}
