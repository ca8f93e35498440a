import { AttachmentBuilder, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { QuizService } from '../../quiz/QuizService.js';
import { renderExported } from '../../render/quizAuthoringReplies.js';
import type { CommandResult } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { NO_MENTIONS } from '../replies.js';
import { replyAuthoringError, withActor } from './authoringReplies.js';

/** `/quiz export quiz [format]`: the quiz file (with answers) as an ephemeral attachment. */
export function exportQuizHandler(service: QuizService) {
  return (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const format = interaction.options.getString('format') === 'json' ? 'json' : 'yaml';
      const result = await service.exportQuiz(actor, interaction.options.getString('quiz', true), format);
      if (!result.ok) return replyAuthoringError(interaction, result.error);
      const file = new AttachmentBuilder(Buffer.from(result.value.content, 'utf8'), {
        name: result.value.fileName,
      });
      await interaction.reply({
        content: renderExported(result.value, format, memberTranslator(interaction)),
        files: [file],
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return undefined;
    });
}
