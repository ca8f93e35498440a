import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { LeaderboardService } from '../quiz/LeaderboardService.js';
import {
  ATTEMPT_MODES,
  type AttemptMode,
  LEADERBOARD_PERIODS,
  type LeaderboardPeriod,
} from '../quiz/types.js';
import { renderLeaderboard } from '../render/leaderboard.js';
import { truncate } from '../render/quizText.js';
import type { Command } from './Command.js';
import { serverTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { deferIfSlow, replyError, respond } from './replies.js';

export interface LeaderboardCommandDeps {
  service: LeaderboardService;
}

export const LEADERBOARD_DEFAULT_ROWS = 10;
export const LEADERBOARD_MAX_ROWS = 25;

function isPeriod(value: string | null): value is LeaderboardPeriod {
  return value !== null && (LEADERBOARD_PERIODS as readonly string[]).includes(value);
}

function isMode(value: string | null): value is AttemptMode {
  return value !== null && (ATTEMPT_MODES as readonly string[]).includes(value);
}

/** `/leaderboard [quiz] [period] [rows] [mode]`: this server's scores by member (public, nobody pinged). */
export function createLeaderboardCommand(deps: LeaderboardCommandDeps): Command {
  return {
    definition: new SlashCommandBuilder()
      .setName('leaderboard')
      .setDescription(FROM_CATALOGUE)
      .setContexts(InteractionContextType.Guild)
      .addStringOption((o) => o.setName('quiz').setDescription(FROM_CATALOGUE).setAutocomplete(true))
      .addStringOption((o) =>
        o
          .setName('period')
          .setDescription(FROM_CATALOGUE)
          .addChoices(...LEADERBOARD_PERIODS.map((p) => ({ name: FROM_CATALOGUE, value: p }))),
      )
      .addIntegerOption((o) =>
        o.setName('rows').setDescription(FROM_CATALOGUE).setMinValue(1).setMaxValue(LEADERBOARD_MAX_ROWS),
      )
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription(FROM_CATALOGUE)
          .addChoices(...ATTEMPT_MODES.map((m) => ({ name: FROM_CATALOGUE, value: m }))),
      )
      .toJSON(),

    async execute(interaction, ctx) {
      if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
      const guildId = interaction.guildId;
      const userId = interaction.user.id;
      const quizRef = interaction.options.getString('quiz');
      const periodOption = interaction.options.getString('period');
      const period: LeaderboardPeriod = isPeriod(periodOption) ? periodOption : 'all';
      const modeOption = interaction.options.getString('mode');
      const mode = isMode(modeOption) ? modeOption : undefined;
      const rows = Math.min(
        LEADERBOARD_MAX_ROWS,
        Math.max(1, interaction.options.getInteger('rows') ?? LEADERBOARD_DEFAULT_ROWS),
      );
      const work = deps.service.board({ guildId, userId, quizRef, period, rows, ...(mode ? { mode } : {}) });
      const result = await deferIfSlow(interaction, work, { ephemeral: false });
      if (!result.ok) {
        if (result.error.kind === 'databaseUnavailable')
          ctx.logger.warn({ guildId }, 'leaderboard: database unavailable');
        return replyError(interaction, result.error);
      }
      const board = result.value;
      await respond(interaction, {
        embeds: [
          renderLeaderboard(
            {
              quizName: board.quiz?.name ?? null,
              period,
              rows: board.top,
              viewer: { userId, row: board.own },
              participants: board.participants,
              ...(mode ? { mode } : {}),
            },
            serverTranslator(board.language, interaction.guildLocale),
          ),
        ],
      });
      return undefined;
    },

    async autocomplete(interaction) {
      if (!interaction.inGuild()) return interaction.respond([]);
      const typed = String(interaction.options.getFocused()).trim();
      const choices = await deps.service.suggestQuizzes(interaction.guildId, typed, 25);
      await interaction.respond(choices.map((c) => ({ name: truncate(c.name, 100), value: String(c.id) })));
    },
  };
}
