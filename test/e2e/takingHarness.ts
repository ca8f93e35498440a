/**
 * Helpers for the quiz-taking e2e tests: seed a quiz into the bot's SQLite file before the bot
 * starts, run `/quiz take`, read the session message as the emulator stores it, click its buttons
 * at a chosen Discord time (the interaction id's timestamp), and wait for states.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type APIActionRowComponent,
  type APIApplicationCommandInteractionDataOption,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessage,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { pino } from 'pino';
import type { GuildSettingsChanges } from '../../src/quiz/ports.js';
import type { QuestionInput, QuizInput } from '../../src/quiz/types.js';
import { type Database, openDatabase } from '../../src/store/openDatabase.js';
import type { DiscordEmulator, InteractionHandle } from '../support/discord-emulator/index.js';

export const EPHEMERAL = 64;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 20 ms until it returns a value; throws with `what` after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => T | undefined | null | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A temp dir with a migrated SQLite file holding the given quizzes and guild settings (then `extra`). */
export async function seedDatabase(seed: {
  guildId: string;
  creatorId: string;
  quizzes: { quiz: QuizInput; questions: QuestionInput[] }[];
  settings?: GuildSettingsChanges;
  extra?: (db: Database) => Promise<void>;
}): Promise<{ dir: string; url: string; quizIds: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'badgey-taking-'));
  const url = `sqlite:${join(dir, 'badgey.sqlite')}`;
  const db = await openDatabase({ url, logger: pino({ level: 'silent' }) });
  try {
    await db.migrate();
    const quizIds: number[] = [];
    for (const { quiz, questions } of seed.quizzes) {
      const created = await db.quizzes.create(seed.guildId, seed.creatorId, quiz);
      for (const question of questions) await db.quizzes.addQuestion(seed.guildId, created.id, question);
      quizIds.push(created.id);
    }
    if (seed.settings) await db.guildSettings.update(seed.guildId, seed.settings);
    await seed.extra?.(db);
    return { dir, url, quizIds };
  } finally {
    await db.close();
  }
}

/** A quiz with the given timer and default settings. */
export function quizInput(name: string, timerSeconds: number): QuizInput {
  return {
    name,
    description: null,
    timerSeconds,
    questionLimit: null,
    shuffle: false,
    opensAt: null,
    closesAt: null,
  };
}

/** Injects `/quiz take quiz:<id>`. */
export function injectTake(
  emu: DiscordEmulator,
  where: { guildId: string; channelId: string },
  userId: string,
  quizId: number,
): InteractionHandle {
  return emu.injectChatInput({
    ...where,
    userId,
    name: 'quiz',
    options: [
      {
        type: T.Subcommand,
        name: 'take',
        options: [{ type: T.String, name: 'quiz', value: String(quizId) }],
      } as APIApplicationCommandInteractionDataOption,
    ],
  });
}

/** The message a session lives in (the take reply), once the bot has created it. */
export async function sessionMessageId(take: InteractionHandle): Promise<string> {
  return waitUntil(() => take.originalMessage()?.id, 'the take reply');
}

export function currentMessage(emu: DiscordEmulator, messageId: string): APIMessage {
  const stored = emu.message(messageId);
  if (!stored) throw new Error(`message ${messageId} is gone`);
  return stored.message;
}

export function firstEmbed(message: APIMessage): APIEmbed | undefined {
  return message.embeds[0];
}

/** Waits until the session message's first embed title matches. Returns the message. */
export async function waitForTitle(
  emu: DiscordEmulator,
  messageId: string,
  title: RegExp,
  timeoutMs = 15_000,
): Promise<APIMessage> {
  return waitUntil(
    () => {
      const message = currentMessage(emu, messageId);
      return title.test(firstEmbed(message)?.title ?? '') ? message : undefined;
    },
    `a message titled ${title}`,
    timeoutMs,
  );
}

export function buttons(message: APIMessage): APIButtonComponentWithCustomId[] {
  const rows = (message.components ?? []) as APIActionRowComponent<APIComponentInMessageActionRow>[];
  return rows.flatMap((row) =>
    row.components.filter((c): c is APIButtonComponentWithCustomId => 'custom_id' in c && c.type === 2),
  );
}

/** When Discord shows the message as last edited (epoch ms): the delivery time the bot scores from. */
export function editedAt(message: APIMessage): number {
  if (!message.edited_timestamp) throw new Error(`message ${message.id} was never edited`);
  return Date.parse(message.edited_timestamp);
}

/**
 * Clicks a button as `userId`, the click stamped `at` (Discord time, epoch ms; default now). Waits
 * until `at` has passed, so the stamp is never in the future.
 */
export async function click(
  emu: DiscordEmulator,
  messageId: string,
  customId: string,
  userId: string,
  at?: number,
): Promise<InteractionHandle> {
  if (at !== undefined) {
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
  }
  return emu.injectComponent({ messageId, customId, userId, ...(at !== undefined ? { createdAt: at } : {}) });
}

/** The ephemeral text a rejected click got. */
export async function politeReply(handle: InteractionHandle): Promise<string> {
  const response = await handle.waitForResponse(8000);
  if ((Number(response.data.flags ?? 0) & EPHEMERAL) === 0) throw new Error('the reply is not ephemeral');
  return String(response.data.content ?? '');
}
