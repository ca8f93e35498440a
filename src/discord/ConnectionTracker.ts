import type { Client } from 'discord.js';
import { Events, Status } from 'discord.js';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ShardState, ShardStatus } from '../commands/status.js';
import type { ReadinessRegistry } from '../health/ReadinessRegistry.js';
import type { Logger } from '../log.js';
import { METRICS } from '../metrics.js';
import { classifyGatewayClose, type FatalGatewayClose } from './gatewayCloseCodes.js';

export interface ConnectionTrackerOptions {
  readiness: ReadinessRegistry;
  logger: Logger;
  /** Where the gateway metrics are registered. */
  metricsRegistry: Registry;
  /**
   * Called once when the gateway closed in a way discord.js will not recover from (bad token,
   * sharding, intents). The tracker has already logged the one fatal line; the callback ends the
   * process (main runs a fast shutdown and exits with FATAL_GATEWAY_EXIT_CODE).
   */
  onFatal: (close: FatalGatewayClose) => void;
}

/** The readiness component used until the shards are known. */
export const DISCORD_COMPONENT = 'discord';
export const shardComponent = (id: number): string => `discord:shard-${id}`;

/**
 * Follows the gateway connection from discord.js's shard events — never `client.isReady()`, which
 * turns true once and stays true through outages — and reports it to the readiness registry:
 * `discord` until every shard became ready once, then one `discord:shard-<id>` component per shard.
 */
export class ConnectionTracker {
  readonly #readiness: ReadinessRegistry;
  readonly #logger: Logger;
  readonly #onFatal: (close: FatalGatewayClose) => void;
  readonly #states = new Map<number, ShardState>();
  #perShard = false;
  #stopped = false;
  #fatal = false;
  #pingOf: (shardId: number) => number = () => -1;
  #resumingNow: (shardId: number) => boolean = () => false;
  #clientShardIds: () => number[] = () => [];
  readonly #readyGauge: Gauge<'shard'>;
  readonly #reconnects: Counter<'shard'>;

  constructor(options: ConnectionTrackerOptions) {
    this.#readiness = options.readiness;
    this.#logger = options.logger;
    this.#onFatal = options.onFatal;
    this.#readiness.report(DISCORD_COMPONENT, { ready: false, reason: 'discord: not connected' });
    this.#readyGauge = new Gauge({
      ...METRICS.gatewayShardReady,
      registers: [options.metricsRegistry],
    });
    this.#reconnects = new Counter({
      ...METRICS.gatewayReconnectsTotal,
      registers: [options.metricsRegistry],
    });
    const tracker = this;
    new Gauge({
      ...METRICS.gatewayLatencySeconds,
      registers: [options.metricsRegistry],
      collect() {
        for (const shard of tracker.shards()) {
          if (shard.pingMs !== undefined) this.set({ shard: String(shard.id) }, shard.pingMs / 1000);
        }
      },
    });
  }

  /** Subscribes to the client's shard events. Call before `client.login()`. */
  attach(client: Client): void {
    this.#pingOf = (id) => client.ws.shards.get(id)?.ping ?? -1;
    this.#resumingNow = (id) => client.ws.shards.get(id)?.status === Status.Resuming;
    // Known once login fetched /gateway/bot, before any shard event.
    this.#clientShardIds = () => [...client.ws.shards.keys()];
    client.on(Events.ShardReady, (id) => this.onShardReady(id));
    client.on(Events.ShardResume, (id) => this.onShardResume(id));
    client.on(Events.ShardReconnecting, (id) => this.onShardReconnecting(id));
    client.on(Events.ShardDisconnect, (event, id) => this.onShardDisconnect(event.code, id));
    client.on(Events.ShardError, (err, id) => this.onShardError(err, id));
    client.on(Events.Invalidated, () => this.onInvalidated());
    client.on(Events.ClientReady, (ready) => this.onClientReady([...ready.ws.shards.keys()]));
  }

  /** Login began: the shards are being created. */
  onLoginStarted(): void {
    if (!this.#perShard) this.#report();
  }

  onShardReady(id: number): void {
    this.#set(id, 'ready');
  }

  onShardResume(id: number): void {
    if (this.#states.get(id) !== 'ready') this.#logger.info({ shard: id }, 'gateway shard resumed');
    this.#set(id, 'ready');
  }

  onShardReconnecting(id: number): void {
    if (this.#stopped) return;
    this.#reconnects.inc({ shard: String(id) });
    if (this.#states.get(id) === 'ready') this.#logger.warn({ shard: id }, 'gateway shard reconnecting');
    this.#set(id, this.#perShard ? 'reconnecting' : 'connecting');
  }

  onShardDisconnect(code: number, id: number): void {
    if (this.#stopped) return;
    this.#set(id, 'disconnected');
    const closeClass = classifyGatewayClose(code);
    if (closeClass.kind === 'fatal') this.reportFatal(closeClass.close, { shard: id });
    else this.#logger.warn({ shard: id, closeCode: code }, 'gateway shard disconnected');
  }

  onShardError(err: Error, id: number): void {
    if (this.#stopped) return;
    this.#logger.warn({ err, shard: id }, 'gateway shard error');
  }

  /** discord.js 14 no longer emits `invalidated`; handled in case a future minor does. */
  onInvalidated(): void {
    this.reportFatal({
      code: 0,
      name: 'SessionInvalidated',
      fix: 'Discord invalidated the session and discord.js will not reconnect: the process restarts',
    });
  }

  /** Every shard is ready for the first time: switch from `discord` to per-shard components. */
  onClientReady(shardIds: number[]): void {
    if (this.#stopped) return;
    for (const id of shardIds) this.#states.set(id, 'ready');
    this.#perShard = true;
    this.#readiness.remove(DISCORD_COMPONENT);
    this.#report();
    this.#logger.info({ shards: shardIds }, 'discord gateway ready');
  }

  /**
   * Logs the ONE fatal line (what failed and what to fix) and hands over to `onFatal`. Later fatal
   * reports (other shards closing with the same code) are ignored.
   */
  reportFatal(close: FatalGatewayClose, context: Record<string, unknown> = {}): void {
    if (this.#fatal || this.#stopped) return;
    this.#fatal = true;
    this.#logger.fatal(
      { ...context, closeCode: close.code, closeName: close.name },
      `Discord refused the connection (${close.code} ${close.name}): ${close.fix}`,
    );
    this.#onFatal(close);
  }

  /** Shutdown began: `client.destroy()` emits reconnect events that must not look like an outage. */
  stop(): void {
    this.#stopped = true;
  }

  /** Every shard this process runs, in id order. */
  shards(): ShardStatus[] {
    const states = new Map(this.#states);
    for (const id of this.#clientShardIds()) if (!states.has(id)) states.set(id, 'connecting');
    return [...states.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, state]) => {
        const ping = this.#pingOf(id);
        // discord.js has no event for "HELLO received, RESUME sent"; its shard status has it.
        const shown = state === 'reconnecting' && this.#resumingNow(id) ? 'resuming' : state;
        return { id, state: shown, pingMs: ping >= 0 ? ping : undefined };
      });
  }

  /** Mean heartbeat round trip over shards that have one, in milliseconds. */
  latencyMs(): number | undefined {
    const pings = this.shards().flatMap((s) => (s.pingMs === undefined ? [] : [s.pingMs]));
    return pings.length === 0 ? undefined : pings.reduce((a, b) => a + b, 0) / pings.length;
  }

  #set(id: number, state: ShardState): void {
    if (this.#stopped) return;
    this.#states.set(id, state);
    this.#readyGauge.set({ shard: String(id) }, state === 'ready' ? 1 : 0);
    this.#report(id);
  }

  #report(id?: number): void {
    if (!this.#perShard) {
      const summary = this.shards()
        .map((s) => `shard ${s.id} ${s.state}`)
        .join(', ');
      this.#readiness.report(DISCORD_COMPONENT, {
        ready: false,
        reason: summary ? `discord: connecting (${summary})` : 'discord: connecting',
      });
      return;
    }
    const ids = id === undefined ? [...this.#states.keys()] : [id];
    for (const shardId of ids) {
      const state = this.#states.get(shardId) ?? 'connecting';
      this.#readiness.report(
        shardComponent(shardId),
        state === 'ready' ? { ready: true } : { ready: false, reason: `discord: shard ${shardId} ${state}` },
      );
    }
  }
}
