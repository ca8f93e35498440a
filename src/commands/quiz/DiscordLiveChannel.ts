/**
 * Live games in Discord: ordinary channel messages sent and edited with the bot token (never an
 * interaction token, so a game has no 15-minute limit). discord.js's REST client waits out 429s
 * (per-route buckets, Retry-After) and retries 5xx, so a rate limit delays a message but never
 * loses it. Access errors become `LiveChannelGoneError`, which ends the game with results so far.
 * Every post is in the game's language (`LiveGameState.locale`, the server's when it was hosted).
 */
import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import { snowflakeTimestampMs } from '../../components/snowflake.js';
import { type Translate, translatorFor } from '../../i18n/index.js';
import type { LiveGameState, RankedPlayer } from '../../quiz/live/LiveGame.js';
import {
  LiveChannelGoneError,
  type LiveGameChannel,
  type LivePodiumView,
  type LiveQuestionView,
  type LiveRevealView,
} from '../../quiz/live/ports.js';
import {
  renderLiveCounter,
  renderLiveQuestion,
  renderLiveResultsPost,
  renderLobby,
  renderPodium,
  renderReveal,
  renderStandings,
} from '../../render/liveGame.js';

const GONE: ReadonlyMap<number, 'channel_deleted' | 'no_access'> = new Map([
  [RESTJSONErrorCodes.UnknownChannel, 'channel_deleted'],
  [RESTJSONErrorCodes.MissingAccess, 'no_access'],
  [RESTJSONErrorCodes.MissingPermissions, 'no_access'],
  // Someone deleted the game's message: it can no longer be edited.
  [RESTJSONErrorCodes.UnknownMessage, 'no_access'],
]);

function translate(error: unknown): never {
  if (error instanceof DiscordAPIError && typeof error.code === 'number') {
    const reason = GONE.get(error.code);
    if (reason) throw new LiveChannelGoneError(reason, { cause: error });
  }
  throw error;
}

/** The language of the game's posts, fixed when it was hosted. */
function gameTranslator(game: LiveGameState): Translate {
  return translatorFor(game.locale);
}

export class DiscordLiveChannel implements LiveGameChannel {
  readonly #rest: () => REST;

  /** `rest`: the bot's REST client (the current discord.js client's). */
  constructor(rest: () => REST) {
    this.#rest = rest;
  }

  async #post(channelId: string, body: object): Promise<APIMessage> {
    try {
      return (await this.#rest().post(Routes.channelMessages(channelId), { body })) as APIMessage;
    } catch (error) {
      return translate(error);
    }
  }

  async #edit(channelId: string, messageId: string, body: object): Promise<void> {
    try {
      await this.#rest().patch(Routes.channelMessage(channelId, messageId), { body });
    } catch (error) {
      translate(error);
    }
  }

  async postLobby(game: LiveGameState): Promise<string> {
    return (await this.#post(game.channelId, renderLobby(game, gameTranslator(game)))).id;
  }

  async editLobby(game: LiveGameState): Promise<void> {
    if (game.lobbyMessageId)
      await this.#edit(game.channelId, game.lobbyMessageId, renderLobby(game, gameTranslator(game)));
  }

  async postQuestion(view: LiveQuestionView): Promise<{ messageId: string; postedAt: number }> {
    const message = await this.#post(
      view.game.channelId,
      renderLiveQuestion(view, 0, gameTranslator(view.game)),
    );
    // The message's own timestamp (its snowflake) starts the clock, as Discord shows it.
    const postedAt = snowflakeTimestampMs(message.id) ?? Date.parse(message.timestamp);
    return { messageId: message.id, postedAt };
  }

  async updateCounter(game: LiveGameState, answered: number): Promise<void> {
    if (!game.questionMessageId) return;
    const view = { game, index: game.index, reasked: game.reasked > 0 };
    await this.#edit(
      game.channelId,
      game.questionMessageId,
      renderLiveCounter(view, answered, gameTranslator(game)),
    );
  }

  async reveal(view: LiveRevealView): Promise<void> {
    await this.#edit(view.game.channelId, view.messageId, renderReveal(view, gameTranslator(view.game)));
  }

  async postStandings(game: LiveGameState, top: RankedPlayer[], more: number): Promise<void> {
    await this.#post(game.channelId, renderStandings(game, top, more, game.index, gameTranslator(game)));
  }

  async postPodium(view: LivePodiumView): Promise<void> {
    await this.#post(view.game.channelId, renderPodium(view, gameTranslator(view.game)));
  }

  async postResults(channelId: string, view: LivePodiumView): Promise<void> {
    await this.#post(channelId, renderLiveResultsPost(view, gameTranslator(view.game)));
  }
}
