import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { AnalyticsStatistics } from '../analytics/index.js';
import { ok } from '../quiz/result.js';
import type { StatsService } from '../quiz/StatsService.js';
import { renderBotStats, renderGuildStats } from '../render/stats.js';
import type { Command } from './Command.js';
import { actorOf } from './quiz/interactionActor.js';
import { replyError, respond } from './replies.js';

export interface StatsCommandDeps {
  service: StatsService;
  /** This process's in-memory analytics (`QuizAnalytics.getStatistics`): its own shards only. */
  botStatistics(): AnalyticsStatistics;
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
      const botScope = interaction.options.getString('scope') === 'bot';
      const refused = botScope ? deps.service.checkBotScope(actor) : null;
      if (refused) return replyError(interaction, refused);
      // Aggregates over every attempt (of the guild, or of all): defer first, the query may take a while.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const embed = botScope
        ? await deps.service
            .botStats(actor)
            .then((r) => (r.ok ? ok(renderBotStats(r.value, deps.botStatistics())) : r))
        : await deps.service
            .guildStats(actor)
            .then((r) =>
              r.ok ? ok(renderGuildStats(interaction.guild?.name ?? 'this server', r.value)) : r,
            );
      if (!embed.ok) {
        if (embed.error.kind === 'databaseUnavailable')
          ctx.logger.warn({ guildId: actor.guildId }, 'stats: database unavailable');
        return replyError(interaction, embed.error);
      }
      await respond(interaction, { embeds: [embed.value], ephemeral: true });
      return undefined;
    },
  };

  return command;
}
