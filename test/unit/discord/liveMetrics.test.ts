import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLiveMetrics } from '../../../src/discord/liveMetrics.js';

describe('createLiveMetrics', () => {
  it('reads games running at scrape time, observes players per game and counts deferred counter edits', async () => {
    const registry = new Registry();
    let running = 2;
    const observer = createLiveMetrics(registry, () => running);
    observer.gameFinished(3);
    observer.gameFinished(1000);
    observer.counterDeferred();
    running = 1;
    const text = await registry.metrics();
    expect(text).toContain('badgey_games_running 1');
    expect(text).toContain('badgey_game_players_count 2');
    expect(text).toContain('badgey_game_players_sum 1003');
    expect(text).toContain('badgey_game_players_bucket{le="5"} 1');
    expect(text).toContain('badgey_live_edits_deferred_total 1');
  });
});
