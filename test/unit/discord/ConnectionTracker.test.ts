import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ConnectionTracker } from '../../../src/discord/ConnectionTracker.js';
import type { FatalGatewayClose } from '../../../src/discord/gatewayCloseCodes.js';
import { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';

function setup() {
  const readiness = new ReadinessRegistry();
  const metricsRegistry = new Registry();
  const fatals: FatalGatewayClose[] = [];
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const tracker = new ConnectionTracker({
    readiness,
    logger,
    metricsRegistry,
    onFatal: (c) => fatals.push(c),
  });
  return { readiness, metricsRegistry, fatals, lines, tracker };
}

describe('ConnectionTracker', () => {
  it('is not ready before login, nor while only some shards are ready', () => {
    const { readiness, tracker } = setup();
    expect(readiness.failures()).toEqual({ discord: 'discord: not connected' });
    tracker.onLoginStarted();
    tracker.onShardReady(0);
    expect(readiness.isReady()).toBe(false);
    expect(readiness.failures().discord).toMatch(/shard 0 ready/);
  });

  it('switches to one component per shard at clientReady and follows drops and resumes', async () => {
    const { readiness, tracker, metricsRegistry } = setup();
    tracker.onClientReady([0, 1]);
    expect(readiness.snapshot()).toEqual({
      'discord:shard-0': { ready: true },
      'discord:shard-1': { ready: true },
    });
    tracker.onShardReconnecting(1);
    expect(readiness.failures()).toEqual({ 'discord:shard-1': 'discord: shard 1 reconnecting' });
    expect(tracker.shards().map((s) => s.state)).toEqual(['ready', 'reconnecting']);
    tracker.onShardResume(1);
    expect(readiness.isReady()).toBe(true);
    const text = await metricsRegistry.metrics();
    expect(text).toContain('badgey_gateway_reconnects_total{shard="1"} 1');
    expect(text).toContain('badgey_gateway_shard_ready{shard="1"} 1');
  });

  it('GIVEN close 4004 on two shards THEN one fatal line with the fix and one onFatal call', () => {
    const { tracker, fatals, lines } = setup();
    tracker.onShardDisconnect(4004, 0);
    tracker.onShardDisconnect(4004, 1);
    expect(fatals.map((f) => f.code)).toEqual([4004]);
    const fatalLines = lines.filter((l) => l.level === 60);
    expect(fatalLines).toHaveLength(1);
    expect(fatalLines[0]?.msg).toMatch(/4004 AuthenticationFailed.*DISCORD_TOKEN is invalid/);
  });

  it('ignores the reconnect events client.destroy() emits once stopped', () => {
    const { readiness, tracker } = setup();
    tracker.onClientReady([0]);
    tracker.stop();
    tracker.onShardReconnecting(0);
    tracker.onShardDisconnect(4004, 0);
    expect(readiness.isReady()).toBe(true);
  });
});
