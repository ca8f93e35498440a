import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LiveObserver } from '../quiz/live/LiveGameService.js';

/**
 * Live-game series: games this process runs (read at scrape time), players per finished game, and
 * "N answered" counter refreshes skipped to keep a channel's rate limit free for reveals and
 * questions. No user, guild or quiz ids.
 */
export function createLiveMetrics(registry: Registry, running: () => number): LiveObserver {
  new Gauge({
    name: 'badgey_games_running',
    help: 'Live channel games (scheduled, lobby or running) this process holds.',
    registers: [registry],
    collect() {
      this.set(running());
    },
  });
  const players = new Histogram({
    name: 'badgey_game_players',
    help: 'Players (members who answered at least once) per finished live game.',
    buckets: [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  });
  const deferred = new Counter({
    name: 'badgey_live_edits_deferred_total',
    help: 'Live answer-counter edits skipped because the channel was near its message rate limit or a reveal was due.',
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
