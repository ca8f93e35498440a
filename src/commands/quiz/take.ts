/**
 * `/quiz take` and its buttons (`quiz-play:answer|next|leave`). Thin: parse, call the TakeService,
 * answer rejections politely. Everything the session shows is drawn by the presenter.
 */
import { type BaseInteraction, MessageFlags } from 'discord.js';
import type { Clock } from '../../clock.js';
import { QUIZ_PLAY_HANDLER } from '../../components/handlerNames.js';
import type { InteractionRef } from '../../quiz/SessionManager.js';
import { snowflakeTimestampMs } from '../../quiz/snowflake.js';
import type { TakeService } from '../../quiz/TakeService.js';
import { renderAnswerRejection, renderTakeError } from '../../render/sessionMessages.js';
import type { CommandResult, ComponentHandler } from '../Command.js';
import { replyError, respond } from '../replies.js';
import { type SessionInteraction, SessionReply } from './DiscordSessionPresenter.js';
import type { QuizSubcommand } from './index.js';

export interface TakeSubcommandDeps {
  service: TakeService<SessionReply>;
  clock: Clock;
}

/** The interaction as the session manager sees it: the reply handle and when Discord issued it. */
function refOf(
  interaction: SessionInteraction & BaseInteraction,
  clock: Clock,
): InteractionRef<SessionReply> {
  return {
    reply: new SessionReply(interaction),
    issuedAtMs: snowflakeTimestampMs(interaction.id) ?? clock.now(),
  };
}

/** A non-negative integer argument of a custom id, or null. */
function indexArg(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,4}$/.test(value) ? Number(value) : null;
}

export function createTakeSubcommand(deps: TakeSubcommandDeps): QuizSubcommand {
  const { service, clock } = deps;

  const play: ComponentHandler = async (interaction, customId): Promise<CommandResult> => {
    if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
    const [sessionId, first, second] = customId.args;
    if (customId.action === 'leave') {
      await interaction.deferUpdate();
      if (!service.leaveQueue(interaction.guildId, interaction.user.id)) {
        await respond(interaction, { content: "You're not waiting in the queue any more.", ephemeral: true });
        return 'rejected';
      }
      return undefined;
    }
    const questionIndex = indexArg(first);
    if (sessionId === undefined || questionIndex === null) {
      return replyError(interaction, { kind: 'staleComponent' });
    }
    if (customId.action === 'answer') {
      const optionIndex = indexArg(second);
      if (optionIndex === null) return replyError(interaction, { kind: 'staleComponent' });
      const result = await service.answer({
        sessionId,
        userId: interaction.user.id,
        questionIndex,
        optionIndex,
        interaction: refOf(interaction, clock),
      });
      if (result.ok) return undefined;
      await respond(interaction, { content: renderAnswerRejection(result.error), ephemeral: true });
      return 'rejected';
    }
    if (customId.action === 'next') {
      // The next question is drawn as this click's update. After the last one the attempt is stored
      // and the results posted first: acknowledge now so Discord's 3 s deadline never depends on that.
      if (second === 'last') await interaction.deferUpdate();
      const result = await service.next({
        sessionId,
        userId: interaction.user.id,
        interaction: refOf(interaction, clock),
      });
      if (result.ok) return undefined;
      await respond(interaction, { content: renderAnswerRejection(result.error), ephemeral: true });
      return 'rejected';
    }
    return replyError(interaction, { kind: 'staleComponent' });
  };

  return {
    description: 'Take a quiz: timed questions, only you see them; results are posted for the server',

    async execute(interaction) {
      if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
      // The checks read the database; the session then edits this (ephemeral) reply.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const result = await service.take({
        guildId: interaction.guildId,
        userId: interaction.user.id,
        quizRef: interaction.options.getString('quiz', true),
        interaction: refOf(interaction, clock),
      });
      if (result.ok) return undefined;
      await respond(interaction, { content: renderTakeError(result.error), ephemeral: true });
      return 'rejected';
    },

    components: { [QUIZ_PLAY_HANDLER]: play },
  };
}
