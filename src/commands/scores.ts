import {
  AttachmentBuilder,
  type ChatInputCommandInteraction,
  InteractionContextType,
  type MessageComponentInteraction,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { ParsedCustomId } from '../components/customId.js';
import { SCORES_RESET_HANDLER } from '../components/handlerNames.js';
import type { QuizRepository } from '../quiz/ports.js';
import { LEADERBOARD_PERIODS, type LeaderboardPeriod } from '../quiz/types.js';
import { truncate } from '../render/quizText.js';
import {
  renderResetConfirmation,
  renderResetDone,
  renderScoresError,
  renderScoresExported,
} from '../render/scores.js';
import { EXPORT_FORMATS, type ExportFormat } from '../scores/exportWriter.js';
import type { ResetScope } from '../scores/ports.js';
import type { ExportFile, ScoresError, ScoresService } from '../scores/ScoresService.js';
import type { Command, CommandContext, CommandResult, ComponentHandler } from './Command.js';
import { answerConfirmation } from './confirmation.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { guildMemberNames } from './memberNames.js';
import { actorOf } from './quiz/interactionActor.js';
import { NO_MENTIONS, replyError, respond } from './replies.js';

export interface ScoresCommandDeps {
  service: ScoresService;
  /** Autocomplete of the `quiz` options. */
  quizzes: Pick<QuizRepository, 'search'>;
}

/** Discord's upload limit when an interaction does not say (a server without boosts). */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

function isPeriod(value: string | null): value is LeaderboardPeriod {
  return value !== null && (LEADERBOARD_PERIODS as readonly string[]).includes(value);
}

function isFormat(value: string | null): value is ExportFormat {
  return value !== null && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Discord's upload limit for this interaction (it grows with server boosts). */
export function uploadLimitOf(interaction: { attachmentSizeLimit?: number | null }): number {
  const limit = interaction.attachmentSizeLimit;
  return typeof limit === 'number' && limit > 0 ? limit : DEFAULT_UPLOAD_LIMIT_BYTES;
}

async function answerError(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  error: ScoresError,
): Promise<'rejected'> {
  await respond(interaction, {
    content: renderScoresError(error, memberTranslator(interaction)),
    ephemeral: true,
  });
  return 'rejected';
}

/** The scope a confirm button carries (`all:-`, `quiz:<id>`, `member:<id>`); null when malformed. */
function scopeOf(kind: string | undefined, target: string | undefined): ResetScope | null {
  if (kind === 'all') return { kind: 'all' };
  if (kind === 'quiz' && target && /^\d{1,15}$/.test(target)) return { kind: 'quiz', quizId: Number(target) };
  if (kind === 'member' && target && /^\d{1,20}$/.test(target)) return { kind: 'member', userId: target };
  return null;
}

/** Sends an export file as the (deferred, ephemeral) reply, then removes it. */
export async function sendExportFile(
  interaction: ChatInputCommandInteraction,
  file: ExportFile,
  content: string,
): Promise<void> {
  try {
    await interaction.editReply({
      content,
      files: [new AttachmentBuilder(file.path, { name: file.fileName })],
      allowedMentions: NO_MENTIONS,
    });
  } finally {
    await file.dispose();
  }
}

/** `/scores export [quiz] [period] [format]` and `/scores reset quiz|member|all` (managers). */
export function createScoresCommand(deps: ScoresCommandDeps): Command {
  const { service } = deps;

  async function exportScores(interaction: ChatInputCommandInteraction, ctx: CommandContext) {
    const actor = actorOf(interaction);
    if (!actor) return replyError(interaction, { kind: 'guildOnly' });
    const periodOption = interaction.options.getString('period');
    const period: LeaderboardPeriod = isPeriod(periodOption) ? periodOption : 'all';
    const formatOption = interaction.options.getString('format');
    const format: ExportFormat = isFormat(formatOption) ? formatOption : 'csv';
    // A large server's export takes longer than Discord's 3 s: acknowledge first, privately.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await service.exportScores(actor, {
      quizRef: interaction.options.getString('quiz'),
      period,
      format,
      maxBytes: uploadLimitOf(interaction),
      names: guildMemberNames(interaction.guild),
    });
    if (!result.ok) return answerError(interaction, result.error);
    ctx.logger.info(
      { guildId: actor.guildId, rows: result.value.rows, bytes: result.value.bytes, format },
      'scores exported',
    );
    await sendExportFile(
      interaction,
      result.value,
      renderScoresExported(result.value, period, memberTranslator(interaction)),
    );
    return undefined;
  }

  async function reset(interaction: ChatInputCommandInteraction, sub: string) {
    const actor = actorOf(interaction);
    if (!actor) return replyError(interaction, { kind: 'guildOnly' });
    const target =
      sub === 'quiz'
        ? ({ kind: 'quiz', ref: interaction.options.getString('quiz', true) } as const)
        : sub === 'member'
          ? ({ kind: 'member', userId: interaction.options.getUser('member', true).id } as const)
          : ({ kind: 'all' } as const);
    const preview = await service.previewReset(actor, target);
    if (!preview.ok) return answerError(interaction, preview.error);
    await respond(interaction, {
      ...renderResetConfirmation(preview.value, actor.userId, memberTranslator(interaction)),
      ephemeral: true,
    });
    return undefined;
  }

  const onButton: ComponentHandler = async (
    interaction: MessageComponentInteraction,
    customId: ParsedCustomId,
    ctx: CommandContext,
  ): Promise<CommandResult> => {
    const [kind, target, ownerId] = customId.args;
    const scope = scopeOf(kind, target);
    if (!scope) return replyError(interaction, { kind: 'staleComponent' });
    return answerConfirmation(interaction, customId, ownerId, async (finish) => {
      const actor = actorOf(interaction);
      if (!actor) return replyError(interaction, { kind: 'guildOnly' });
      // Permission is checked again: roles may have changed since the command ran.
      const result = await service.reset(actor, scope);
      const t = memberTranslator(interaction);
      if (!result.ok) {
        await finish(renderScoresError(result.error, t));
        return 'rejected';
      }
      ctx.logger.info(
        { guildId: actor.guildId, scope: scope.kind, attempts: result.value.attempts },
        'scores reset',
      );
      await finish(renderResetDone(result.value, t));
      return undefined;
    });
  };

  return {
    definition: new SlashCommandBuilder()
      .setName('scores')
      .setDescription(FROM_CATALOGUE)
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub
          .setName('export')
          .setDescription(FROM_CATALOGUE)
          .addStringOption((o) => o.setName('quiz').setDescription(FROM_CATALOGUE).setAutocomplete(true))
          .addStringOption((o) =>
            o
              .setName('period')
              .setDescription(FROM_CATALOGUE)
              .addChoices(...LEADERBOARD_PERIODS.map((p) => ({ name: FROM_CATALOGUE, value: p }))),
          )
          .addStringOption((o) =>
            o
              .setName('format')
              .setDescription(FROM_CATALOGUE)
              .addChoices({ name: FROM_CATALOGUE, value: 'csv' }, { name: FROM_CATALOGUE, value: 'json' }),
          ),
      )
      .addSubcommandGroup((group) =>
        group
          .setName('reset')
          .setDescription(FROM_CATALOGUE)
          .addSubcommand((sub) =>
            sub
              .setName('quiz')
              .setDescription(FROM_CATALOGUE)
              .addStringOption((o) =>
                o.setName('quiz').setDescription(FROM_CATALOGUE).setRequired(true).setAutocomplete(true),
              ),
          )
          .addSubcommand((sub) =>
            sub
              .setName('member')
              .setDescription(FROM_CATALOGUE)
              .addUserOption((o) => o.setName('member').setDescription(FROM_CATALOGUE).setRequired(true)),
          )
          .addSubcommand((sub) => sub.setName('all').setDescription(FROM_CATALOGUE)),
      )
      .toJSON(),

    async execute(interaction, ctx) {
      const group = interaction.options.getSubcommandGroup(false);
      const sub = interaction.options.getSubcommand(true);
      if (group === 'reset') return reset(interaction, sub);
      if (sub === 'export') return exportScores(interaction, ctx);
      return replyError(interaction, {
        kind: 'unknownCommand',
        name: ['scores', group, sub].filter(Boolean).join(' '),
      });
    },

    async autocomplete(interaction) {
      if (!interaction.inGuild()) return interaction.respond([]);
      const typed = String(interaction.options.getFocused()).trim();
      const choices = await deps.quizzes.search(interaction.guildId, typed, 25);
      await interaction.respond(choices.map((c) => ({ name: truncate(c.name, 100), value: String(c.id) })));
    },

    components: { [SCORES_RESET_HANDLER]: onButton },
  };
}
