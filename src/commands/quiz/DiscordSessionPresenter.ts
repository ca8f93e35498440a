/**
 * Draws quiz sessions in Discord. A session's message is the ephemeral reply of `/quiz take`; every
 * later change edits it through the NEWEST interaction of the session (the SoloRunner hands it
 * over), so no edit depends on a token older than the runner's token-age limit.
 *
 * A click is answered with an update (the interaction callback). Edits without a click (timeouts,
 * auto-advance, results) go to the interaction webhook through a REST client of their own: Discord
 * does not count interaction endpoints against the bot's global rate limit, but discord.js's
 * client-side limiter (50/s per process) would, and with hundreds of sessions running every
 * timed-out question would queue behind it for seconds.
 */

import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  HTTPError,
  type MessageComponentInteraction,
  MessageFlags,
  REST,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Clock } from '../../clock.js';
import type { Translate } from '../../i18n/index.js';
import type {
  EndedView,
  FeedbackView,
  GaveUpView,
  QuestionView,
  QueueLeftReason,
  ResultsPost,
  ResultsPostOutcome,
  ResumeOfferView,
  SessionPresenter,
  SummaryView,
} from '../../quiz/session/presenter.js';
import {
  renderEnded,
  renderFeedback,
  renderGaveUp,
  renderQuestion,
  renderQueued,
  renderQueueLeft,
  renderResultsPost,
  renderResumed,
  renderResumeOffer,
  renderSummary,
  type SessionMessage,
} from '../../render/sessionMessages.js';
import { memberTranslator, serverTranslator } from '../locale.js';
import { NO_MENTIONS } from '../replies.js';

/** The interactions a session is driven by: `/quiz take` and its buttons. */
export type SessionInteraction = ChatInputCommandInteraction | MessageComponentInteraction;

/** Discord refuses the post for lack of access, not because something broke. */
const NOT_ALLOWED_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.UnknownChannel,
]);

/**
 * What a session keeps of an interaction: its webhook (application id + token), its channel, the
 * bot's REST client (shared) and — only until it is answered — the interaction itself. Holding the
 * discord.js objects of every running session for up to 14 minutes would cost memory for nothing.
 */
export class SessionReply {
  readonly applicationId: string;
  readonly token: string;
  readonly channelId: string | null;
  /** The member's language (the session's messages are theirs alone). */
  readonly t: Translate;
  /** The server's Discord language, under `/settings language` for the public results post. */
  readonly guildLocale: string | null;
  /** The bot's REST client (bot-authenticated: the public results post). */
  readonly rest: REST;
  #pending: SessionInteraction | undefined;

  constructor(interaction: SessionInteraction) {
    this.applicationId = interaction.applicationId;
    this.token = interaction.token;
    this.channelId = interaction.channelId;
    this.t = memberTranslator(interaction);
    this.guildLocale = interaction.guildLocale;
    this.rest = interaction.client.rest;
    this.#pending = interaction;
  }

  /** The interaction if it still awaits its first answer (then forgotten); otherwise undefined. */
  takeUnanswered(): SessionInteraction | undefined {
    const interaction = this.#pending;
    this.#pending = undefined;
    return interaction && !interaction.deferred && !interaction.replied ? interaction : undefined;
  }
}

/** A failure on Discord's side (5xx after discord.js's retries, or no answer), not a refusal. */
function isServerSideFailure(error: unknown): boolean {
  if (error instanceof HTTPError) return error.status >= 500;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === 'AbortError' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

/**
 * `work`, or a rejection the moment `signal` aborts (the work itself goes on unobserved: discord.js
 * cannot cancel a request sleeping out a rate limit).
 */
function abandonOnAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  const abandoned = () => new Error('results post abandoned: shutting down');
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(abandoned());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abandoned());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A REST client for interaction webhooks only: no client-side global limit (Discord applies none). */
export function createInteractionWebhookRest(apiUrl: string): REST {
  return new REST({ api: apiUrl, globalRequestsPerSecond: Number.MAX_SAFE_INTEGER });
}

export class DiscordSessionPresenter implements SessionPresenter<SessionReply> {
  readonly #clock: Clock;
  readonly #webhooks: REST;

  readonly #stopPosts: AbortSignal | undefined;

  /**
   * `stopPosts` (main: the shutdown signal) abandons every results post still waiting (a rate
   * limit, a slow Discord) the moment it aborts: shutdown never waits on a public post.
   */
  constructor(options: { clock: Clock; webhooks: REST; stopPosts?: AbortSignal }) {
    this.#clock = options.clock;
    this.#webhooks = options.webhooks;
    this.#stopPosts = options.stopPosts;
  }

  /**
   * Edits the session message: a click not yet answered gets an update (that IS the edit);
   * otherwise the interaction's original message is edited through its webhook. Resolves with
   * Discord's time of the edit when Discord says it.
   */
  async edit(reply: SessionReply, message: SessionMessage): Promise<number | null> {
    const interaction = reply.takeUnanswered();
    if (interaction) {
      const body = { ...message, allowedMentions: NO_MENTIONS, withResponse: true as const };
      try {
        const response = interaction.isMessageComponent()
          ? await interaction.update(body)
          : await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
        const sent = response.resource?.message;
        return sent ? (sent.editedTimestamp ?? sent.createdTimestamp) : null;
      } catch (error) {
        // Discord failed the answer every retry (5xx, network): acknowledge once more and draw
        // through the webhook below. Left unacknowledged, the click would show "interaction failed"
        // and every later screen of the session would go to a webhook Discord never opened (10015).
        // (Found by test/faults/restFaultsUnderLoad.test.ts.)
        if (interaction.deferred || interaction.replied || !isServerSideFailure(error)) throw error;
        if (interaction.isMessageComponent()) await interaction.deferUpdate();
        else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      }
    }
    const edited = (await this.#webhooks.patch(
      Routes.webhookMessage(reply.applicationId, reply.token, '@original'),
      { body: { ...message, allowed_mentions: NO_MENTIONS }, auth: false },
    )) as APIMessage;
    return edited.edited_timestamp ? Date.parse(edited.edited_timestamp) : null;
  }

  async showQuestion(reply: SessionReply, view: QuestionView): Promise<number | undefined> {
    // Discord's own time of the edit: the click's interaction id uses the same clock, so scoring
    // measures exactly what the member saw. Without it, now (just after Discord answered).
    return (await this.edit(reply, renderQuestion(view, reply.t))) ?? this.#clock.now();
  }

  async showFeedback(reply: SessionReply, view: FeedbackView): Promise<void> {
    await this.edit(reply, renderFeedback(view, reply.t));
  }

  async postResults(reply: SessionReply, post: ResultsPost): Promise<ResultsPostOutcome> {
    const channelId = post.channelId ?? reply.channelId;
    if (channelId === null) return { status: 'failed', channelId: null };
    try {
      await abandonOnAbort(
        reply.rest.post(Routes.channelMessages(channelId), {
          body: renderResultsPost(post, serverTranslator(post.language, reply.guildLocale)),
        }),
        this.#stopPosts,
      );
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

  async showSummary(reply: SessionReply, view: SummaryView): Promise<void> {
    await this.edit(reply, renderSummary(view, reply.t));
  }

  async showEnded(reply: SessionReply, view: EndedView): Promise<void> {
    await this.edit(reply, renderEnded(view, reply.t));
  }

  async showResumed(reply: SessionReply, view: { quizName: string }): Promise<void> {
    await this.edit(reply, renderResumed(view, reply.t));
  }

  async showResumeOffer(reply: SessionReply, view: ResumeOfferView): Promise<void> {
    await this.edit(reply, renderResumeOffer(view, reply.t));
  }

  async showGaveUp(reply: SessionReply, view: GaveUpView): Promise<void> {
    await this.edit(reply, renderGaveUp(view, reply.t));
  }

  async showQueued(reply: SessionReply, view: { quizName: string; position: number }): Promise<void> {
    await this.edit(reply, renderQueued(view, reply.t));
  }

  async showQueueLeft(reply: SessionReply, view: { reason: QueueLeftReason }): Promise<void> {
    await this.edit(reply, renderQueueLeft(view, reply.t));
  }
}
