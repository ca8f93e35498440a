import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { QUIZ_LIMITS } from '../../quiz/limits.js';
import type { QuizService } from '../../quiz/QuizService.js';
import type { QuizFileFormat } from '../../quiz/quizFile.js';
import { renderImported } from '../../render/quizAuthoringReplies.js';
import type { CommandContext, CommandResult } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { respond } from '../replies.js';
import { replyAuthoringError, withActor } from './authoringReplies.js';
import { downloadAttachmentText } from './downloadAttachment.js';

export interface QuizImportOptions {
  /** Larger attachments are refused (before downloading when Discord reports the size). */
  maxBytes: number;
  /** Give up downloading after this long. */
  timeoutMs: number;
}

export const DEFAULT_IMPORT_OPTIONS: QuizImportOptions = {
  maxBytes: QUIZ_LIMITS.maxFileBytes,
  timeoutMs: 10_000,
};

/** The format named by the file's extension; anything else is detected from the content. */
function formatOfFileName(name: string): QuizFileFormat | 'auto' {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return 'auto';
}

/** `/quiz import file [replace]`: YAML or JSON; creates, or replaces with `replace: True`; all-or-nothing. */
export function importQuizHandler(service: QuizService, options: QuizImportOptions) {
  return (interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      // Downloading and a big transaction can outlast Discord's 3 s: acknowledge first.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const manager = await service.requireManager(actor);
      if (!manager.ok) return replyAuthoringError(interaction, manager.error);

      const attachment = interaction.options.getAttachment('file', true);
      const fileName = attachment.name;
      if (attachment.size > options.maxBytes) {
        return replyAuthoringError(interaction, {
          kind: 'fileTooLarge',
          fileName,
          maxBytes: options.maxBytes,
          actualBytes: attachment.size,
        });
      }
      const downloaded = await downloadAttachmentText(attachment.url, options);
      if (!downloaded.ok) {
        const e = downloaded.error;
        return replyAuthoringError(
          interaction,
          e.kind === 'fileTooLarge'
            ? { kind: 'fileTooLarge', fileName, maxBytes: options.maxBytes, actualBytes: e.actualBytes }
            : e.kind === 'downloadFailed'
              ? { kind: 'downloadFailed', fileName, reason: e.reason }
              : { kind: 'notText', fileName },
        );
      }
      const result = await service.importQuiz(actor, {
        text: downloaded.value,
        format: formatOfFileName(fileName),
        fileName,
        replace: interaction.options.getBoolean('replace') ?? false,
      });
      if (!result.ok) return replyAuthoringError(interaction, result.error);
      const { quiz, questions, created } = result.value;
      ctx.logger.info(
        { guildId: actor.guildId, quizId: quiz.id, questions: questions.length, created },
        'quiz imported',
      );
      await respond(interaction, { content: renderImported(result.value, memberTranslator(interaction)) });
      return undefined;
    });
}
