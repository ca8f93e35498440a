/**
 * Draws quiz sessions in Discord. A session's message is the ephemeral reply of `/quiz take`; every
 * later change edits it through the NEWEST interaction of the session (the SessionManager hands it
 * over), so no edit depends on a token older than the manager's token-age limit.
 */
import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Message,
  type MessageComponentInteraction,
  MessageFlags,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type { Clock } from '../clock.js';
import type { QueueLeftReason } from '../quiz/SessionManager.js';
import type {
  EndedView,
  FeedbackView,
  QuestionView,
  ResultsPost,
  ResultsPostOutcome,
  SessionPresenter,
  SummaryView,
} from '../quiz/TakeService.js';
import {
  renderEnded,
  renderFeedback,
  renderQuestion,
  renderQueued,
  renderQueueLeft,
  renderResultsPost,
  renderSummary,
  type SessionMessage,
} from '../render/sessionMessages.js';
import { NO_MENTIONS } from './replies.js';

/** The interactions a session is driven by: `/quiz take` and its buttons. */
export type SessionInteraction = ChatInputCommandInteraction | MessageComponentInteraction;

/** Discord refuses the post for lack of access, not because something broke. */
const NOT_ALLOWED_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.UnknownChannel,
]);

/**
 * Edits the session message: a button click not yet answered is answered with an update (that IS
 * the edit); otherwise the interaction's original message is edited. Returns the edited message.
 */
export async function editSessionMessage(
  interaction: SessionInteraction,
  message: SessionMessage,
): Promise<Message | null> {
  const body = { ...message, allowedMentions: NO_MENTIONS };
  if (!interaction.deferred && !interaction.replied) {
    if (interaction.isMessageComponent()) {
      const response = await interaction.update({ ...body, withResponse: true });
      return response.resource?.message ?? null;
    }
    const response = await interaction.reply({ ...body, flags: MessageFlags.Ephemeral, withResponse: true });
    return response.resource?.message ?? null;
  }
  return interaction.editReply(body);
}

export class DiscordSessionPresenter implements SessionPresenter<SessionInteraction> {
  readonly #clock: Clock;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  async showQuestion(reply: SessionInteraction, view: QuestionView): Promise<number | undefined> {
    const message = await editSessionMessage(reply, renderQuestion(view));
    // Discord's own time of the edit: the click's interaction id uses the same clock, so scoring
    // measures exactly what the member saw. Without it, now (just after Discord answered).
    return message?.editedTimestamp ?? this.#clock.now();
  }

  async showFeedback(reply: SessionInteraction, view: FeedbackView): Promise<void> {
    await editSessionMessage(reply, renderFeedback(view));
  }

  async postResults(reply: SessionInteraction, post: ResultsPost): Promise<ResultsPostOutcome> {
    const channelId = post.channelId ?? reply.channelId;
    if (channelId === null) return { status: 'failed', channelId: null };
    try {
      await reply.client.rest.post(Routes.channelMessages(channelId), { body: renderResultsPost(post) });
      return { status: 'posted', channelId };
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        typeof error.code === 'number' &&
        NOT_ALLOWED_CODES.has(error.code)
      ) {
        return { status: 'forbidden', channelId };
      }
      throw error;
    }
  }

  async showSummary(reply: SessionInteraction, view: SummaryView): Promise<void> {
    await editSessionMessage(reply, renderSummary(view));
  }

  async showEnded(reply: SessionInteraction, view: EndedView): Promise<void> {
    await editSessionMessage(reply, renderEnded(view));
  }

  async showQueued(reply: SessionInteraction, view: { quizName: string; position: number }): Promise<void> {
    await editSessionMessage(reply, renderQueued(view));
  }

  async showQueueLeft(reply: SessionInteraction, view: { reason: QueueLeftReason }): Promise<void> {
    await editSessionMessage(reply, renderQueueLeft(view));
  }
}
