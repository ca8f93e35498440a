import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import type { ParsedCustomId } from '../../components/customId.js';
import { QUIZ_DELETE_HANDLER } from '../../components/handlerNames.js';
import type { QuizService } from '../../quiz/QuizService.js';
import { renderAuthoringError } from '../../render/quizAuthoringError.js';
import {
  renderDeleteCancelled,
  renderDeleteConfirmation,
  renderNotYourButton,
  renderQuizDeleted,
} from '../../render/quizAuthoringReplies.js';
import type { CommandContext, CommandResult, ComponentHandler } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { NO_MENTIONS, replyError, respond } from '../replies.js';
import { answerAuthoring, withActor } from './authoringReplies.js';

/** `/quiz delete quiz`: asks for confirmation with buttons only the requesting member may press. */
export function deleteQuizHandler(service: QuizService) {
  return (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, (actor) =>
      answerAuthoring(
        interaction,
        service.prepareDelete(actor, interaction.options.getString('quiz', true)),
        ({ quiz, questionCount }, t) => renderDeleteConfirmation(quiz, questionCount, actor.userId, t),
      ),
    );
}

/** The confirmation buttons: `quiz-delete:<confirm|cancel>:<quizId>:<requesting user id>`. */
export function deleteConfirmationComponents(service: QuizService): Record<string, ComponentHandler> {
  const handler: ComponentHandler = async (
    interaction: MessageComponentInteraction,
    customId: ParsedCustomId,
    ctx: CommandContext,
  ): Promise<CommandResult> => {
    const [quizIdText, ownerId] = customId.args;
    const quizId = Number(quizIdText);
    if (!ownerId || !Number.isSafeInteger(quizId) || !['confirm', 'cancel'].includes(customId.action)) {
      return replyError(interaction, { kind: 'staleComponent' });
    }
    // The confirmation is ephemeral: only its member sees it, in their language.
    const t = memberTranslator(interaction);
    if (interaction.user.id !== ownerId) {
      await respond(interaction, { content: renderNotYourButton(ownerId, t), ephemeral: true });
      return 'rejected';
    }
    const finish = (content: string) =>
      interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
    if (customId.action === 'cancel') {
      await finish(renderDeleteCancelled(t));
      return undefined;
    }
    return withActor(interaction, async (actor) => {
      // Permission is checked again: roles may have changed since the command ran.
      const result = await service.deleteQuiz(actor, quizId);
      if (!result.ok) {
        await finish(renderAuthoringError(result.error, t));
        return 'rejected';
      }
      ctx.logger.info({ guildId: actor.guildId, quizId }, 'quiz deleted');
      await finish(renderQuizDeleted(result.value, t));
      return undefined;
    });
  };
  return { [QUIZ_DELETE_HANDLER]: handler };
}
