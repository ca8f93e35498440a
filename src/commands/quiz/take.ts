/**
 * `/quiz take` and its buttons (`quiz-play:answer|next|leave|continue|restart|giveup`). Thin: parse,
 * call the runner or the TakeService, answer rejections politely. Everything a session shows is
 * drawn by the presenter.
 */
import { MessageFlags } from 'discord.js';
import { QUIZ_PLAY_HANDLER } from '../../components/handlerNames.js';
import type { InteractionRef } from '../../quiz/session/presenter.js';
import type { ClickRejection, SoloRunner } from '../../quiz/session/SoloRunner.js';
import type { TakeService } from '../../quiz/session/TakeService.js';
import { renderAnswerRejection, renderNotQueued, renderTakeError } from '../../render/sessionMessages.js';
import type { CommandContext, CommandResult, ComponentHandler } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { replyError, respond } from '../replies.js';
import { type SessionInteraction, SessionReply } from './DiscordSessionPresenter.js';
import type { QuizSubcommand } from './index.js';

export interface TakeSubcommandDeps {
  service: TakeService<SessionReply>;
  runner: SoloRunner<SessionReply>;
}

/** The interaction as a session sees it: the reply handle and its times (from the router). */
function refOf(interaction: SessionInteraction, ctx: CommandContext): InteractionRef<SessionReply> {
  return { reply: new SessionReply(interaction), ...ctx.times };
}

/** A non-negative integer argument of a custom id, or null. */
function indexArg(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,4}$/.test(value) ? Number(value) : null;
}

const RESUME_CHOICES = { continue: 'continue', restart: 'restart', giveup: 'giveup' } as const;

export function createTakeSubcommand(deps: TakeSubcommandDeps): QuizSubcommand {
  const { service, runner } = deps;

  const play: ComponentHandler = async (interaction, customId, ctx): Promise<CommandResult> => {
    if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
    const member = { guildId: interaction.guildId, userId: interaction.user.id };
    const [sessionId, first, second] = customId.args;
    const rejected = async (
      rejection: Parameters<typeof renderAnswerRejection>[0],
    ): Promise<CommandResult> => {
      await respond(interaction, {
        content: renderAnswerRejection(rejection, memberTranslator(interaction)),
        ephemeral: true,
      });
      return 'rejected';
    };
    if (customId.action === 'leave') {
      await interaction.deferUpdate();
      if (!runner.leaveQueue(member.guildId, member.userId)) {
        await respond(interaction, {
          content: renderNotQueued(memberTranslator(interaction)),
          ephemeral: true,
        });
        return 'rejected';
      }
      return undefined;
    }
    if (sessionId === undefined) return replyError(interaction, { kind: 'staleComponent' });
    const choice = RESUME_CHOICES[customId.action as keyof typeof RESUME_CHOICES];
    if (choice !== undefined) {
      // Reading the stored attempt and the quiz comes first: acknowledge within Discord's 3 s.
      await interaction.deferUpdate();
      const result = await service.choose(
        { ...member, interaction: refOf(interaction, ctx) },
        sessionId,
        choice,
      );
      if (result.ok) return undefined;
      if (result.error.kind === 'nothingToResume') return rejected(result.error);
      await respond(interaction, {
        content: renderTakeError(result.error, memberTranslator(interaction)),
        ephemeral: true,
      });
      return 'rejected';
    }
    const questionIndex = indexArg(first);
    if (questionIndex === null) return replyError(interaction, { kind: 'staleComponent' });
    const ref = refOf(interaction, ctx);
    let result: Awaited<ReturnType<typeof runner.answer>>;
    if (customId.action === 'answer') {
      const optionIndex = indexArg(second);
      if (optionIndex === null) return replyError(interaction, { kind: 'staleComponent' });
      result = await runner.answer({
        sessionId,
        userId: member.userId,
        questionIndex,
        optionIndex,
        interaction: ref,
      });
    } else if (customId.action === 'next') {
      // The next question is drawn as this click's update. After the last one the attempt is stored
      // and the results posted first: acknowledge now so Discord's 3 s deadline never depends on that.
      if (second === 'last') await interaction.deferUpdate();
      result = await runner.next({ sessionId, userId: member.userId, interaction: ref });
    } else {
      return replyError(interaction, { kind: 'staleComponent' });
    }
    if (result.ok) return undefined;
    if (result.error.kind === 'sessionNotFound') return offerStored(interaction, ref, sessionId, member);
    return rejected(result.error);
  };

  /** A button of a session this process does not run: offer its stored attempt back, if any. */
  async function offerStored(
    interaction: SessionInteraction,
    ref: InteractionRef<SessionReply>,
    sessionId: string,
    member: { guildId: string; userId: string },
  ): Promise<CommandResult> {
    if (!interaction.deferred && !interaction.replied && interaction.isMessageComponent()) {
      await interaction.deferUpdate();
    }
    const offered = await service.clickedUnknownSession({ ...member, interaction: ref }, sessionId);
    if (offered.ok) return undefined;
    const rejection: ClickRejection | { kind: 'databaseUnavailable' } = offered.error;
    await respond(interaction, {
      content: renderAnswerRejection(rejection, memberTranslator(interaction)),
      ephemeral: true,
    });
    return 'rejected';
  }

  return {
    async execute(interaction, ctx) {
      if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
      // The checks read the database; the session then edits this (ephemeral) reply.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const result = await service.take({
        guildId: interaction.guildId,
        userId: interaction.user.id,
        quizRef: interaction.options.getString('quiz', true),
        interaction: refOf(interaction, ctx),
      });
      if (result.ok) return undefined;
      await respond(interaction, {
        content: renderTakeError(result.error, memberTranslator(interaction)),
        ephemeral: true,
      });
      return 'rejected';
    },

    components: { [QUIZ_PLAY_HANDLER]: play },
  };
}
