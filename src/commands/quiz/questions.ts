import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import type { ParsedCustomId } from '../../components/customId.js';
import { QUIZ_QUESTIONS_HANDLER } from '../../components/handlerNames.js';
import type { QuizService } from '../../quiz/QuizService.js';
import { renderQuestionRemoved } from '../../render/quizAuthoringReplies.js';
import { renderQuizQuestions } from '../../render/quizQuestions.js';
import type { CommandResult, ComponentHandler } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { NO_MENTIONS, replyError } from '../replies.js';
import { answerAuthoring, replyAuthoringError, withActor } from './authoringReplies.js';

/** `/quiz questions quiz`: managers only, ephemeral — the one place answers are shown. */
export function listQuestionsHandler(service: QuizService) {
  return (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, (actor) =>
      answerAuthoring(
        interaction,
        service.listQuestions(actor, interaction.options.getString('quiz', true)),
        (found, t) => renderQuizQuestions({ ...found, page: 0 }, t),
      ),
    );
}

/** Page buttons: `quiz-questions:page:<quizId>:<page>`; permission is checked again on every page. */
export function questionPageComponents(service: QuizService): Record<string, ComponentHandler> {
  const handler: ComponentHandler = (
    interaction: MessageComponentInteraction,
    customId: ParsedCustomId,
  ): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const [quizId, page] = customId.args.map(Number);
      if (customId.action !== 'page' || !Number.isSafeInteger(quizId) || !Number.isSafeInteger(page)) {
        return replyError(interaction, { kind: 'staleComponent' });
      }
      const result = await service.listQuestions(actor, String(quizId));
      if (!result.ok) return replyAuthoringError(interaction, result.error);
      await interaction.update({
        ...renderQuizQuestions({ ...result.value, page: page ?? 0 }, memberTranslator(interaction)),
        allowedMentions: NO_MENTIONS,
      });
      return undefined;
    });
  return { [QUIZ_QUESTIONS_HANDLER]: handler };
}

/** `/quiz remove-question quiz number`. */
export function removeQuestionHandler(service: QuizService) {
  return (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const number = interaction.options.getInteger('number', true);
      return answerAuthoring(
        interaction,
        service.removeQuestion(actor, interaction.options.getString('quiz', true), number),
        ({ quiz, question }, t) => ({ content: renderQuestionRemoved(quiz, number, question, t) }),
      );
    });
}
