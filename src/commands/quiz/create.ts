import type { ChatInputCommandInteraction } from 'discord.js';
import type { QuizService, QuizSettingsChanges } from '../../quiz/QuizService.js';
import { renderQuizCreated, renderQuizEdited } from '../../render/quizAuthoringReplies.js';
import type { CommandContext, CommandResult } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { deferIfSlow, respond } from '../replies.js';
import { answerAuthoring, replyAuthoringError, withActor } from './authoringReplies.js';

/** `-` in an optional text option of `/quiz edit` clears the setting. */
const CLEAR = '-';

function clearable(value: string | null): string | null | undefined {
  if (value === null) return undefined;
  return value.trim() === CLEAR ? null : value;
}

/** `/quiz create name [description] [timer] [question-limit] [shuffle] [opens] [closes]`. */
export function createQuizHandler(service: QuizService) {
  return (interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const o = interaction.options;
      const result = await deferIfSlow(
        interaction,
        service.createQuiz(actor, {
          name: o.getString('name', true),
          description: o.getString('description'),
          timerSeconds: o.getInteger('timer'),
          questionLimit: o.getInteger('question-limit'),
          shuffle: o.getBoolean('shuffle'),
          opensAt: o.getString('opens'),
          closesAt: o.getString('closes'),
        }),
        { ephemeral: true },
      );
      if (!result.ok) return replyAuthoringError(interaction, result.error);
      ctx.logger.info({ guildId: actor.guildId, quizId: result.value.id }, 'quiz created');
      await respond(interaction, {
        content: renderQuizCreated(result.value, memberTranslator(interaction)),
        ephemeral: true,
      });
      return undefined;
    });
}

/** `/quiz edit quiz [name] [description] …`: only the given options change (`-` clears text ones). */
export function editQuizHandler(service: QuizService) {
  return (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const o = interaction.options;
      const limit = o.getInteger('question-limit');
      const changes: QuizSettingsChanges = {
        name: o.getString('name') ?? undefined,
        description: clearable(o.getString('description')),
        timerSeconds: o.getInteger('timer') ?? undefined,
        // 0 means "ask every question".
        questionLimit: limit === null ? undefined : limit === 0 ? null : limit,
        shuffle: o.getBoolean('shuffle') ?? undefined,
        opensAt: clearable(o.getString('opens')),
        closesAt: clearable(o.getString('closes')),
      };
      return answerAuthoring(
        interaction,
        service.editQuiz(actor, o.getString('quiz', true), changes),
        ({ before, after }, t) => ({ content: renderQuizEdited(before, after, t) }),
      );
    });
}
