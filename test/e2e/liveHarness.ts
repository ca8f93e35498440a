/**
 * Helpers for the live-game e2e tests: host a game, find the game's channel messages as the
 * emulator stores them, click answer buttons at a chosen Discord time, and read the ephemeral
 * acknowledgements.
 */
import {
  type APIApplicationCommandInteractionDataOption,
  type APIMessage,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import type { DiscordEmulator, InteractionHandle } from '../support/discord-emulator/index.js';
import { snowflakeTimestamp } from '../support/discord-emulator/index.js';
import { buttons, EPHEMERAL, sleep, waitUntil } from './takingHarness.js';

export interface Where {
  guildId: string;
  channelId: string;
}

/** `/quiz host quiz:<id> [channel] [starts]` as `userId`. */
export function injectHost(
  emu: DiscordEmulator,
  where: Where,
  userId: string,
  quizId: number,
  extra: { channelId?: string; starts?: string } = {},
): InteractionHandle {
  const options: APIApplicationCommandInteractionDataOption[] = [
    { type: T.String, name: 'quiz', value: String(quizId) },
  ];
  if (extra.channelId) options.push({ type: T.Channel, name: 'channel', value: extra.channelId });
  if (extra.starts) options.push({ type: T.String, name: 'starts', value: extra.starts });
  return emu.injectChatInput({
    ...where,
    userId,
    name: 'quiz',
    options: [{ type: T.Subcommand, name: 'host', options } as APIApplicationCommandInteractionDataOption],
  });
}

/** `/quiz games` as `userId`. */
export function injectGames(emu: DiscordEmulator, where: Where, userId: string): InteractionHandle {
  return emu.injectChatInput({
    ...where,
    userId,
    name: 'quiz',
    options: [
      { type: T.Subcommand, name: 'games', options: [] } as APIApplicationCommandInteractionDataOption,
    ],
  });
}

/**
 * Hosts a game as `hostId`, waits for its lobby (titled `lobbyTitle`) and presses **Start now**.
 * Returns the lobby message.
 */
export async function hostAndStart(
  emu: DiscordEmulator,
  where: Where,
  hostId: string,
  quizId: number,
  options: { lobbyTitle?: RegExp; timeoutMs?: number } = {},
): Promise<APIMessage> {
  await finalReply(injectHost(emu, where, hostId, quizId), options.timeoutMs);
  const lobby = await waitForChannelTitle(emu, where.channelId, options.lobbyTitle ?? /^Live quiz: /);
  await emu
    .injectComponent({ messageId: lobby.id, customId: buttons(lobby)[0]?.custom_id ?? '', userId: hostId })
    .waitForResponse(8000);
  return lobby;
}

/** The final text of a deferred ephemeral command reply. */
export async function finalReply(handle: InteractionHandle, timeoutMs = 10_000): Promise<string> {
  return waitUntil(
    () => {
      const message = handle.originalMessage();
      if (!message || ((message.flags ?? 0) & 128) !== 0) return undefined; // still "thinking…"
      return message.content || message.embeds[0]?.description || message.embeds[0]?.title || undefined;
    },
    'the command reply',
    timeoutMs,
  );
}

/** Non-ephemeral bot messages in the channel (oldest first). */
export function channelMessages(emu: DiscordEmulator, channelId: string): APIMessage[] {
  return emu.messages(channelId).filter((m) => ((m.flags ?? 0) & EPHEMERAL) === 0);
}

export function titleOf(message: APIMessage | undefined): string {
  return message?.embeds[0]?.title ?? '';
}

/** Waits for a channel message whose first embed title matches. */
export async function waitForChannelTitle(
  emu: DiscordEmulator,
  channelId: string,
  title: RegExp,
  timeoutMs = 20_000,
  after?: string,
): Promise<APIMessage> {
  return waitUntil(
    () =>
      channelMessages(emu, channelId).find(
        (m) => title.test(titleOf(m)) && (after === undefined || BigInt(m.id) > BigInt(after)),
      ),
    `a channel message titled ${title}`,
    timeoutMs,
  );
}

/** The question message `n` (1-based) while it is asked (buttons still on it). */
export async function waitForQuestion(
  emu: DiscordEmulator,
  channelId: string,
  n: number,
  timeoutMs = 20_000,
  after?: string,
): Promise<APIMessage> {
  return waitUntil(
    () =>
      channelMessages(emu, channelId).find(
        (m) =>
          new RegExp(`^Question ${n} of \\d+$`).test(titleOf(m)) &&
          buttons(m).length > 0 &&
          (after === undefined || BigInt(m.id) > BigInt(after)),
      ),
    `question ${n}`,
    timeoutMs,
  );
}

/** When the question message was posted (its snowflake): the bot scores from here. */
export function postedAt(message: APIMessage): number {
  return snowflakeTimestamp(message.id);
}

/** Clicks option `option` of a question message as `userId`, stamped `afterMs` after it was posted. */
export async function answer(
  emu: DiscordEmulator,
  question: APIMessage,
  userId: string,
  option: number,
  afterMs?: number,
): Promise<InteractionHandle> {
  const button = buttons(question)[option];
  if (!button) throw new Error(`no option ${option} on ${question.id}`);
  const at = afterMs === undefined ? undefined : postedAt(question) + afterMs;
  if (at !== undefined) {
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
  }
  return emu.injectComponent({
    messageId: question.id,
    customId: button.custom_id,
    userId,
    ...(at !== undefined ? { createdAt: at } : {}),
  });
}

/** The ephemeral acknowledgement text of a click. */
export async function ack(handle: InteractionHandle, timeoutMs = 8000): Promise<string> {
  const response = await handle.waitForResponse(timeoutMs);
  if ((Number(response.data.flags ?? 0) & EPHEMERAL) === 0)
    throw new Error('the acknowledgement is not ephemeral');
  return String(response.data.content ?? '');
}

/** trunc(points × (timer − t) / timer): the solo formula, independently. */
export function expectedPoints(points: number, timerSeconds: number, elapsedMs: number): number {
  const timerMs = timerSeconds * 1000;
  return Math.trunc((points * Math.max(0, timerMs - elapsedMs)) / timerMs);
}
