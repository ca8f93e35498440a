import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { APIEmbed } from 'discord-api-types/v10';
import type { AnalyticsStatistics } from '../analytics/index.js';
import type { Translate } from '../i18n/index.js';
import type { GuildStats, ScoreDistribution } from '../quiz/ports.js';
import { ok } from '../quiz/result.js';
import type { StatsService } from '../quiz/StatsService.js';
import type { StatsChartInput } from '../render/charts/statsChartSpec.js';
import { renderBotStats, renderGuildStats } from '../render/stats.js';
import type { Command } from './Command.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { actorOf } from './quiz/interactionActor.js';
import { replyError, respond } from './replies.js';

/** Renders the `/stats` chart (ChartRenderer); rejects when it cannot, and /stats answers in text. */
export interface StatsChartRenderer {
  render(input: StatsChartInput): Promise<{ png: Buffer }>;
}

export const STATS_CHART_FILE = 'badgey-stats.png';

export interface StatsCommandDeps {
  service: StatsService;
  /** This process's in-memory analytics (`QuizAnalytics.getStatistics`): its own shards only. */
  botStatistics(): AnalyticsStatistics;
  /** Draws the server's activity and score chart; without it /stats answers in text only. */
  charts?: StatsChartRenderer;
}

type QuizScores = { quizName: string; distribution: ScoreDistribution };

/**
 * `/stats [scope]`: `server` (default) shows this guild's numbers from the database to its
 * managers, with a chart (attempts by UTC weekday and hour, the score distribution of its most
 * completed quiz) whose numbers are also in the embed's text; `bot` shows every guild's numbers
 * from the shared database (the same on every shard process) beside this process's own in-memory
 * analytics, to the bot owners only. Always ephemeral.
 */
export function createStatsCommand(deps: StatsCommandDeps): Command {
  /** The chart PNG, or undefined (no renderer, or it failed: the embed's text carries the numbers). */
  async function chartOf(
    guildName: string,
    stats: GuildStats,
    scores: QuizScores | undefined,
    onFailure: (error: Error) => void,
    t: Translate,
  ): Promise<Buffer | undefined> {
    if (!deps.charts) return undefined;
    try {
      const input: StatsChartInput = {
        title: t('stats.guild.title', { guild: guildName }),
        activity: stats.attemptsByWeekdayHourUtc,
        ...(scores ? { scores: { quizName: scores.quizName, bins: scores.distribution.bins } } : {}),
        locale: t.locale,
      };
      return (await deps.charts.render(input)).png;
    } catch (error) {
      onFailure(error as Error);
      return undefined;
    }
  }

  const command: Command = {
    definition: new SlashCommandBuilder()
      .setName('stats')
      .setDescription(FROM_CATALOGUE)
      .setContexts(InteractionContextType.Guild)
      .addStringOption((o) =>
        o
          .setName('scope')
          .setDescription(FROM_CATALOGUE)
          .addChoices({ name: FROM_CATALOGUE, value: 'server' }, { name: FROM_CATALOGUE, value: 'bot' }),
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
      // Only the member sees the answer: in their language.
      const t = memberTranslator(interaction);
      const guildName = interaction.guild?.name ?? t('stats.thisServer');
      const reply = botScope
        ? await deps.service
            .botStats(actor)
            .then((r) => (r.ok ? ok({ embed: renderBotStats(r.value, deps.botStatistics(), t) }) : r))
        : await deps.service.guildStats(actor).then(async (r) => {
            if (!r.ok) return r;
            // The score distribution of the server's most completed quiz.
            const top = r.value.topQuizzes[0];
            const distribution = top ? await deps.service.quizScores(actor, top.quizId) : undefined;
            if (distribution && !distribution.ok) return distribution;
            const scores =
              top && distribution?.ok ? { quizName: top.name, distribution: distribution.value } : undefined;
            const png = await chartOf(
              guildName,
              r.value,
              scores,
              (error) =>
                ctx.logger.warn({ guildId: actor.guildId, err: error.message }, 'stats: chart not rendered'),
              t,
            );
            const embed = renderGuildStats(
              guildName,
              r.value,
              {
                ...(scores ? { scores } : {}),
                ...(png ? { imageUrl: `attachment://${STATS_CHART_FILE}` } : {}),
              },
              t,
            );
            return ok({ embed, ...(png ? { png } : {}) });
          });
      if (!reply.ok) {
        if (reply.error.kind === 'databaseUnavailable')
          ctx.logger.warn({ guildId: actor.guildId }, 'stats: database unavailable');
        return replyError(interaction, reply.error);
      }
      const { embed, png }: { embed: APIEmbed; png?: Buffer } = reply.value;
      await respond(interaction, {
        embeds: [embed],
        ...(png ? { files: [{ attachment: png, name: STATS_CHART_FILE }] } : {}),
        ephemeral: true,
      });
      return undefined;
    },
  };

  return command;
}
