import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Clock } from '../clock.js';
import { DatabaseUnavailableError, type LeaderboardRepository, type QuizRepository } from '../quiz/ports.js';
import {
  ATTEMPT_MODES,
  type AttemptMode,
  LEADERBOARD_PERIODS,
  type LeaderboardPeriod,
  type Quiz,
} from '../quiz/types.js';
import { MODE_LABELS, PERIOD_LABELS, renderLeaderboard } from '../render/leaderboard.js';
import { quoted, truncate } from '../render/quizText.js';
import type { Command } from './Command.js';
import { deferIfSlow, replyError, respond } from './replies.js';

export interface LeaderboardCommandDeps {
  quizzes: Pick<QuizRepository, 'getById' | 'findByName' | 'search'>;
  leaderboard: LeaderboardRepository;
  clock: Clock;
}

export const LEADERBOARD_DEFAULT_ROWS = 10;
export const DATABASE_UNAVAILABLE_MESSAGE =
  "I can't reach my database right now. Please try again in a moment.";
export const LEADERBOARD_MAX_ROWS = 25;

function isPeriod(value: string | null): value is LeaderboardPeriod {
  return value !== null && (LEADERBOARD_PERIODS as readonly string[]).includes(value);
}

function isMode(value: string | null): value is AttemptMode {
  return value !== null && (ATTEMPT_MODES as readonly string[]).includes(value);
}

/** `/leaderboard [quiz] [period] [rows] [mode]`: this server's scores by member (public, nobody pinged). */
export function createLeaderboardCommand(deps: LeaderboardCommandDeps): Command {
  async function findQuiz(guildId: string, ref: string): Promise<Quiz | null> {
    const text = ref.trim();
    if (/^\d{1,15}$/.test(text)) {
      const byId = await deps.quizzes.getById(guildId, Number(text));
      if (byId) return byId;
    }
    return text === '' ? null : deps.quizzes.findByName(guildId, text);
  }

  return {
    definition: new SlashCommandBuilder()
      .setName('leaderboard')
      .setDescription("This server's best quiz scores")
      .setContexts(InteractionContextType.Guild)
      .addStringOption((o) =>
        o.setName('quiz').setDescription('Only this quiz (default: all quizzes)').setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('period')
          .setDescription('Time window (default: all time)')
          .addChoices(...LEADERBOARD_PERIODS.map((p) => ({ name: PERIOD_LABELS[p], value: p }))),
      )
      .addIntegerOption((o) =>
        o
          .setName('rows')
          .setDescription(
            `How many places to show (1–${LEADERBOARD_MAX_ROWS}, default ${LEADERBOARD_DEFAULT_ROWS})`,
          )
          .setMinValue(1)
          .setMaxValue(LEADERBOARD_MAX_ROWS),
      )
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('Only solo quizzes or only live channel games (default: both)')
          .addChoices(...ATTEMPT_MODES.map((m) => ({ name: MODE_LABELS[m], value: m }))),
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
      const work = (async () => {
        const quiz = quizRef === null ? null : await findQuiz(guildId, quizRef);
        if (quizRef !== null && quiz === null) return { kind: 'notFound', ref: quizRef } as const;
        const filter = {
          period,
          now: deps.clock.now(),
          ...(quiz ? { quizId: quiz.id } : {}),
          ...(mode ? { mode } : {}),
        };
        const [top, own, participants] = await Promise.all([
          deps.leaderboard.top(guildId, { ...filter, limit: rows }),
          deps.leaderboard.rankOf(guildId, userId, filter),
          deps.leaderboard.participants(guildId, filter),
        ]);
        return { kind: 'board', quiz, top, own, participants } as const;
      })();
      const result = await deferIfSlow(interaction, work, { ephemeral: false }).catch((error: unknown) => {
        if (error instanceof DatabaseUnavailableError) return { kind: 'databaseUnavailable' } as const;
        throw error;
      });
      if (result.kind === 'databaseUnavailable') {
        ctx.logger.warn({ guildId }, 'leaderboard: database unavailable');
        await respond(interaction, { content: DATABASE_UNAVAILABLE_MESSAGE, ephemeral: true });
        return 'rejected';
      }
      if (result.kind === 'notFound') {
        await respond(interaction, {
          content: `I can't find a quiz called ${quoted(truncate(result.ref, 100))} in this server.`,
          ephemeral: true,
        });
        return 'rejected';
      }
      await respond(interaction, {
        embeds: [
          renderLeaderboard({
            quizName: result.quiz?.name ?? null,
            period,
            rows: result.top,
            viewer: { userId, row: result.own },
            participants: result.participants,
            ...(mode ? { mode } : {}),
          }),
        ],
      });
      return undefined;
    },

    async autocomplete(interaction) {
      if (!interaction.inGuild()) return interaction.respond([]);
      const typed = String(interaction.options.getFocused()).trim();
      const choices = await deps.quizzes.search(interaction.guildId, typed, 25);
      await interaction.respond(choices.map((c) => ({ name: truncate(c.name, 100), value: String(c.id) })));
    },
  };
}
