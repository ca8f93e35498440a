import type { APIEmbed } from 'discord-api-types/v10';
import { formatDecimal, type Translate } from '../i18n/index.js';
import { uptimeText } from './statsFormat.js';

/** Everything `/status` shows: the seed's health data plus the gateway. */
export interface StatusView {
  uptimeSeconds: number;
  /** Mean heartbeat round trip, ms; undefined before the first heartbeat ACK. */
  gatewayLatencyMs: number | undefined;
  shards: readonly { id: number; state: string; pingMs: number | undefined }[];
  memoryUsageMb: number;
  cpuPercent: number | undefined;
  threadCount: number | undefined;
  quizzesRunning: number;
  version: string;
}

const GREEN = 0x3ba55c;
const AMBER = 0xfaa61a;

/** The shard states the catalogue names (`status.shardState.*`; commands/status.ts `ShardState`). */
const SHARD_STATES = ['connecting', 'ready', 'resuming', 'reconnecting', 'disconnected'] as const;

type KnownShardState = (typeof SHARD_STATES)[number];

function isKnownShardState(state: string): state is KnownShardState {
  return (SHARD_STATES as readonly string[]).includes(state);
}

/** A state the catalogue lacks (a new one) is shown as its identifier rather than hidden. */
function shardState(state: string, t: Translate): string {
  return isKnownShardState(state) ? t(`status.shardState.${state}`) : state;
}

export function renderStatusEmbed(view: StatusView, t: Translate): APIEmbed {
  const healthy = view.shards.length > 0 && view.shards.every((s) => s.state === 'ready');
  const shardLines = view.shards.map((s) =>
    s.pingMs === undefined
      ? t('status.shard', { id: s.id, state: shardState(s.state, t) })
      : t('status.shardWithPing', {
          id: s.id,
          state: shardState(s.state, t),
          ping: formatDecimal(s.pingMs, 0, t.locale),
        }),
  );
  const notAvailable = t('status.notAvailable');
  return {
    title: t('status.title'),
    description: healthy ? t('status.healthy') : t('status.degraded'),
    color: healthy ? GREEN : AMBER,
    fields: [
      {
        name: t('status.fields.status'),
        value: healthy ? t('status.state.healthy') : t('status.state.degraded'),
        inline: true,
      },
      { name: t('status.fields.uptime'), value: uptimeText(view.uptimeSeconds, t), inline: true },
      {
        name: t('status.fields.latency'),
        value:
          view.gatewayLatencyMs === undefined
            ? notAvailable
            : t('status.milliseconds', { value: formatDecimal(view.gatewayLatencyMs, 0, t.locale) }),
        inline: true,
      },
      { name: t('status.fields.shards'), value: shardLines.join('\n') || t('status.none'), inline: false },
      {
        name: t('status.fields.memory'),
        value: t('status.megabytes', { value: formatDecimal(view.memoryUsageMb, 1, t.locale) }),
        inline: true,
      },
      {
        name: t('status.fields.cpu'),
        value:
          view.cpuPercent === undefined
            ? notAvailable
            : t('status.percent', { value: formatDecimal(view.cpuPercent, 1, t.locale) }),
        inline: true,
      },
      {
        name: t('status.fields.threads'),
        value: view.threadCount === undefined ? notAvailable : String(view.threadCount),
        inline: true,
      },
      { name: t('status.fields.quizzesRunning'), value: String(view.quizzesRunning), inline: true },
      { name: t('status.fields.version'), value: view.version, inline: true },
    ],
  };
}
