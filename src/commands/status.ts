import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Clock } from '../clock.js';
import { renderStatusEmbed } from '../render/statusEmbed.js';
import type { Command } from './Command.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { replyError, respond } from './replies.js';

// The gateway port `/status` reads; discord/ConnectionTracker.ts implements it.
/** A shard's connection as operators see it (in `/health`, `/status` and logs). */
export type ShardState = 'connecting' | 'ready' | 'resuming' | 'reconnecting' | 'disconnected';

export interface ShardStatus {
  id: number;
  state: ShardState;
  /** Last heartbeat round trip in milliseconds; undefined before the first heartbeat ACK. */
  pingMs: number | undefined;
}

export interface StatusCommandDeps {
  clock: Clock;
  /** When the process started, ms since the epoch. */
  startedAtMs: number;
  version: string;
  /** May run `/status` anywhere, without Manage Server. */
  botOwnerIds: readonly string[];
  gateway: { shards(): ShardStatus[]; latencyMs(): number | undefined };
  /** Solo and multiplayer quiz sessions running in this process. */
  runningSessions(): number;
  /** The health sampler's latest sample (cached: `/status` never waits for a CPU measurement). */
  processSample(): { rssBytes: number; cpuPercent: number; threadCount: number } | undefined;
}

const BYTES_PER_MB = 1024 * 1024;

/** `/status`: Badgey's health for server managers and bot owners, ephemeral. */
export function createStatusCommand(deps: StatusCommandDeps): Command {
  return {
    definition: new SlashCommandBuilder()
      .setName('status')
      .setDescription(FROM_CATALOGUE)
      .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
      .setContexts(InteractionContextType.Guild)
      .toJSON(),

    async execute(interaction) {
      // Default member permissions can be overridden per server; check at runtime as well.
      const isOwner = deps.botOwnerIds.includes(interaction.user.id);
      if (!isOwner && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
        return replyError(interaction, { kind: 'missingPermission', permission: 'manageServer' });
      }
      const sample = deps.processSample();
      const embed = renderStatusEmbed(
        {
          uptimeSeconds: (deps.clock.now() - deps.startedAtMs) / 1000,
          gatewayLatencyMs: deps.gateway.latencyMs(),
          shards: deps.gateway.shards(),
          memoryUsageMb: (sample?.rssBytes ?? process.memoryUsage.rss()) / BYTES_PER_MB,
          cpuPercent: sample?.cpuPercent,
          threadCount: sample?.threadCount,
          quizzesRunning: deps.runningSessions(),
          version: deps.version,
        },
        memberTranslator(interaction),
      );
      await respond(interaction, { embeds: [embed], ephemeral: true });
      return undefined;
    },
  };
}
