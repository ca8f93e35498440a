import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { AnalyticsStatistics } from '../analytics/index.js';
import { isManager } from '../quiz/permissions.js';
import {
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type StatsRepository,
} from '../quiz/ports.js';
import type { Actor } from '../quiz/QuizService.js';
import { renderBotStats, renderGuildStats } from '../render/stats.js';
import type { Command, CommandResult } from './Command.js';
import { DATABASE_UNAVAILABLE_MESSAGE } from './leaderboard.js';
import { actorOf } from './quiz/interactionActor.js';
import { replyError, respond } from './replies.js';

export interface StatsCommandDeps {
  stats: StatsRepository;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  /** This process's in-memory analytics (`QuizAnalytics.getStatistics`): its own shards only. */
  botStatistics(): AnalyticsStatistics;
  /** BOT_OWNER_IDS: the only ones who see bot-wide analytics. */
  botOwnerIds: readonly string[];
}

/**
 * `/stats [scope]`: `server` (default) shows this guild's numbers from the database to its
 * managers; `bot` shows every guild's numbers from the shared database (the same on every shard
 * process) beside this process's own in-memory analytics, to the bot owners only. Always ephemeral.
 */
export function createStatsCommand(deps: StatsCommandDeps): Command {
  const command: Command = {
    definition: new SlashCommandBuilder()
      .setName('stats')
      .setDescription("Quiz statistics for this server (managers); bot-wide for Badgey's owners")
      .setContexts(InteractionContextType.Guild)
      .addStringOption((o) =>
        o
          .setName('scope')
          .setDescription('Whose numbers (default: this server)')
          .addChoices(
            { name: 'This server', value: 'server' },
            { name: 'Badgey (all servers, owners only)', value: 'bot' },
          ),
      )
      .toJSON(),

    async execute(interaction, ctx) {
      const actor = actorOf(interaction);
      if (!actor) return replyError(interaction, { kind: 'guildOnly' });
      const isBotOwner = deps.botOwnerIds.includes(actor.userId);
      if (interaction.options.getString('scope') === 'bot') {
        if (!isBotOwner)
          return replyError(interaction, { kind: 'missingPermission', permission: 'Bot owner' });
      }
      // Aggregates over every attempt (of the guild, or of all): defer first, the query may take a while.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      try {
        if (interaction.options.getString('scope') !== 'bot') return await guildStats(interaction, actor);
        const stats = await deps.stats.botStats();
        await respond(interaction, {
          embeds: [renderBotStats(stats, deps.botStatistics())],
          ephemeral: true,
        });
        return undefined;
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError)) throw error;
        ctx.logger.warn({ guildId: actor.guildId }, 'stats: database unavailable');
        await respond(interaction, { content: DATABASE_UNAVAILABLE_MESSAGE, ephemeral: true });
        return 'rejected';
      }
    },
  };

  /** This guild's numbers, for its managers (and the bot owners). */
  async function guildStats(interaction: ChatInputCommandInteraction, actor: Actor): Promise<CommandResult> {
    const settings = await deps.guildSettings.get(actor.guildId);
    const allowed =
      deps.botOwnerIds.includes(actor.userId) ||
      isManager({
        memberPermissions: actor.permissions,
        memberRoleIds: actor.roleIds,
        settings,
        isOwner: actor.isOwner,
      });
    if (!allowed) {
      return replyError(interaction, {
        kind: 'missingPermission',
        permission: 'Manage Server (or a quiz manager role)',
      });
    }
    const stats = await deps.stats.guildStats(actor.guildId);
    await respond(interaction, {
      embeds: [renderGuildStats(interaction.guild?.name ?? 'this server', stats)],
      ephemeral: true,
    });
    return undefined;
  }

  return command;
}
