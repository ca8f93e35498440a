import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import type { ParsedCustomId } from '../../components/customId.js';
import { QUIZ_LIST_HANDLER } from '../../components/handlerNames.js';
import type { QuizService } from '../../quiz/QuizService.js';
import { QUIZ_LIST_PAGE_SIZE, renderQuizList } from '../../render/quizList.js';
import type { CommandResult, ComponentHandler } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { NO_MENTIONS, replyError } from '../replies.js';
import { answerAuthoring, replyAuthoringError } from './authoringReplies.js';

/** `/quiz list [page]`: everyone; ephemeral, so each member pages on their own. */
export function listQuizzesHandler(service: QuizService) {
  return async (interaction: ChatInputCommandInteraction): Promise<CommandResult> => {
    if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
    const page = Math.max(0, (interaction.options.getInteger('page') ?? 1) - 1);
    // A page past the end: the service answers with the last page, which the renderer numbers.
    return answerAuthoring(
      interaction,
      service.listQuizzes(interaction.guildId, page, QUIZ_LIST_PAGE_SIZE),
      (result, t) => renderQuizList({ page, result }, t),
    );
  };
}

/** Page buttons: `quiz-list:page:<0-based page>`; the message is updated in place. */
export function listPageComponents(service: QuizService): Record<string, ComponentHandler> {
  const handler: ComponentHandler = async (
    interaction: MessageComponentInteraction,
    customId: ParsedCustomId,
  ): Promise<CommandResult> => {
    const page = Number(customId.args[0]);
    if (customId.action !== 'page' || !Number.isSafeInteger(page)) {
      return replyError(interaction, { kind: 'staleComponent' });
    }
    if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
    const wanted = Math.max(0, page);
    const result = await service.listQuizzes(interaction.guildId, wanted, QUIZ_LIST_PAGE_SIZE);
    if (!result.ok) return replyAuthoringError(interaction, result.error);
    await interaction.update({
      ...renderQuizList({ page: wanted, result: result.value }, memberTranslator(interaction)),
      allowedMentions: NO_MENTIONS,
    });
    return undefined;
  };
  return { [QUIZ_LIST_HANDLER]: handler };
}
