import type { APIEmbed } from 'discord-api-types/v10';
import { formatUptime } from '../analytics/formatUptime.js';

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

export function renderStatusEmbed(view: StatusView): APIEmbed {
  const healthy = view.shards.length > 0 && view.shards.every((s) => s.state === 'ready');
  const shardLines = view.shards.map(
    (s) => `shard ${s.id}: ${s.state}${s.pingMs === undefined ? '' : ` (${Math.round(s.pingMs)} ms)`}`,
  );
  return {
    title: 'Badgey status',
    description: healthy ? 'All systems nominal. Monitoring comms!' : 'Degraded: some shards are not ready.',
    color: healthy ? GREEN : AMBER,
    fields: [
      { name: 'Status', value: healthy ? 'healthy' : 'degraded', inline: true },
      { name: 'Uptime', value: formatUptime(view.uptimeSeconds), inline: true },
      {
        name: 'Gateway latency',
        value: view.gatewayLatencyMs === undefined ? 'n/a' : `${Math.round(view.gatewayLatencyMs)} ms`,
        inline: true,
      },
      { name: 'Shards', value: shardLines.join('\n') || 'none', inline: false },
      { name: 'Memory', value: `${view.memoryUsageMb.toFixed(1)} MB`, inline: true },
      {
        name: 'CPU',
        value: view.cpuPercent === undefined ? 'n/a' : `${view.cpuPercent.toFixed(1)} %`,
        inline: true,
      },
      {
        name: 'Threads',
        value: view.threadCount === undefined ? 'n/a' : String(view.threadCount),
        inline: true,
      },
      { name: 'Quizzes running', value: String(view.quizzesRunning), inline: true },
      { name: 'Version', value: view.version, inline: true },
    ],
  };
}
