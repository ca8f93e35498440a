/**
 * One end-to-end world per test file: the Discord emulator with one guild, its channels and
 * members, a seeded SQLite file, and the real bot serving them — started from a small description
 * in `beforeAll`, stopped by one `close()` in `afterAll`. Also the slash-command injection every
 * file needs (`/quiz take quiz:1` as a command line plus options) and the final answer to it.
 */
import { rmSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import {
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import type { GuildSettingsChanges } from '../../src/quiz/ports.js';
import type { QuestionInput, QuizInput } from '../../src/quiz/types.js';
import type { Database } from '../../src/store/openDatabase.js';
import { BotProcess } from '../support/botProcess.js';
import {
  type ChatInputInjection,
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
  type InteractionHandle,
  type InteractionResponse,
} from '../support/discord-emulator/index.js';
import { seedDatabase } from './takingHarness.js';

/** A member, named by its key in `WorldSpec.members` (the username). */
export interface MemberSpec {
  /** Manage Server (the quiz managers' permission); default none. */
  manager?: boolean;
  /** The member's Discord client language (sent on their interactions). */
  locale?: string;
  globalName?: string;
  nick?: string;
}

export interface WorldSpec<M extends string> {
  /** Default: "Test Guild", the emulator's default locale (en-US), one channel `quiz`. */
  guild?: { name?: string; locale?: string; channels?: string[] };
  /** Added in this order. The first manager creates the seeded quizzes. */
  members: Record<M, MemberSpec>;
  /** Quizzes to seed (their ids come back in order as `quizIds`). */
  quizzes?: { quiz: QuizInput; questions: QuestionInput[] }[];
  /** Guild settings to seed; a function gets the channel lookup (for a results channel). */
  settings?: GuildSettingsChanges | ((channel: ChannelLookup) => GuildSettingsChanges);
  /** More to write into the seeded database (attempts, quizzes by other members). */
  seed?: (db: Database, world: { guild: EmulatedGuild; members: Record<M, EmulatedMember> }) => Promise<void>;
  /** Runs before the bot starts (channel permissions, …). */
  prepare?: (world: { emu: DiscordEmulator; guild: EmulatedGuild; channel: ChannelLookup }) => void;
  /** Extra bot environment (DISCORD_* and DATABASE_URL are set from the world); a function gets the members. */
  env?: Record<string, string> | ((members: Record<M, EmulatedMember>) => Record<string, string>);
}

export interface BotWorld<M extends string> {
  emu: DiscordEmulator;
  bot: BotProcess;
  guild: EmulatedGuild;
  channel: ChannelLookup;
  members: Record<M, EmulatedMember>;
  quizIds: number[];
  /** The seeded database (undefined when nothing was seeded: the bot then uses its own file). */
  database: { dir: string; url: string } | undefined;
  /** Injects `/line` (e.g. `quiz take`) as `who` in the guild's first channel unless told otherwise. */
  command(who: Who, line: string, spec?: OptionSpec, extra?: CommandExtra): InteractionHandle;
  /** Stops the bot, closes the emulator, removes the seeded database. */
  close(): Promise<void>;
}

/** A channel's id by its name; throws for a name the guild lacks. */
export type ChannelLookup = (name: string) => string;

interface Who {
  user: { id: string };
}

export type OptionValue = string | number | boolean;
/** Option name → value: a string, integer or boolean option, or an explicit type (channel, user, …). */
export type OptionSpec = Record<string, OptionValue | { type: T; value: OptionValue }>;
export type CommandExtra = Partial<Pick<ChatInputInjection, 'channelId' | 'locale' | 'attachmentSizeLimit'>>;

/**
 * The options Discord sends for `/line spec…`: `line` is the command's path after its name
 * (`take`, or a group and a subcommand: `reset quiz`), the spec the leaf's options.
 */
export function commandOptions(
  path: string[],
  spec: OptionSpec = {},
): APIApplicationCommandInteractionDataOption[] {
  let options = Object.entries(spec).map(([name, value]) => {
    if (typeof value === 'object')
      return { name, type: value.type, value: value.value } as APIApplicationCommandInteractionDataOption;
    const type = typeof value === 'boolean' ? T.Boolean : typeof value === 'number' ? T.Integer : T.String;
    return { name, type, value } as APIApplicationCommandInteractionDataOption;
  });
  for (const [i, name] of [...path.entries()].reverse()) {
    const type = i === path.length - 1 ? T.Subcommand : T.SubcommandGroup;
    options = [{ type, name, options } as APIApplicationCommandInteractionDataOption];
  }
  return options;
}

/** Injects `/line` (`quiz take`, `scores reset quiz`) with `spec` as the leaf's options. */
export function injectCommand(
  emu: DiscordEmulator,
  where: { guildId: string; channelId: string },
  who: Who,
  line: string,
  spec: OptionSpec = {},
  extra: CommandExtra = {},
): InteractionHandle {
  const [name = '', ...path] = line.split(' ');
  return emu.injectChatInput({
    ...where,
    userId: who.user.id,
    name,
    options: commandOptions(path, spec),
    ...extra,
  });
}

/** The final answer to a command: the reply, or the deferred reply's edit (with the defer's flags). */
export async function finalAnswer(handle: InteractionHandle): Promise<InteractionResponse> {
  const first = await handle.waitForResponse(8000);
  if (first.type !== 5) return first;
  const [, edit] = await handle.waitForResponses(2, 15_000);
  if (!edit) throw new Error('no edit after the defer');
  return { ...edit, data: { ...edit.data, flags: first.data.flags } };
}

/**
 * Starts the world and the bot, and waits until the bot serves interactions. If any step fails,
 * what was started is stopped again before the error is thrown.
 */
export async function startBotWorld<M extends string>(spec: WorldSpec<M>): Promise<BotWorld<M>> {
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  let bot: BotProcess | undefined;
  let database: BotWorld<M>['database'];
  const close = async () => {
    try {
      await bot?.stop();
    } finally {
      await emu.close();
      if (database) rmSync(database.dir, { recursive: true, force: true });
    }
  };
  try {
    const guild = emu.addGuild({
      name: spec.guild?.name ?? 'Test Guild',
      ...(spec.guild?.locale ? { locale: spec.guild.locale } : {}),
      channels: (spec.guild?.channels ?? ['quiz']).map((name) => ({ name })),
    });
    const channel: ChannelLookup = (name) => {
      const found = guild.channels.find((c) => c.name === name);
      if (!found) throw new Error(`no channel #${name} in ${guild.name}`);
      return found.id;
    };
    const members = {} as Record<M, EmulatedMember>;
    for (const [name, member] of Object.entries(spec.members) as [M, MemberSpec][]) {
      members[name] = emu.addMember(guild.id, {
        user: {
          username: name,
          ...(member.locale ? { locale: member.locale } : {}),
          ...(member.globalName ? { globalName: member.globalName } : {}),
        },
        ...(member.nick ? { nick: member.nick } : {}),
        permissions: member.manager ? PermissionFlagsBits.ManageGuild : 0n,
      });
    }
    spec.prepare?.({ emu, guild, channel });
    let quizIds: number[] = [];
    if (spec.quizzes || spec.settings || spec.seed) {
      const creator = (Object.keys(spec.members) as M[]).find((name) => spec.members[name].manager);
      const seed = spec.seed;
      const seeded = await seedDatabase({
        guildId: guild.id,
        creatorId: creator ? members[creator].user.id : guild.ownerId,
        quizzes: spec.quizzes ?? [],
        ...(spec.settings
          ? { settings: typeof spec.settings === 'function' ? spec.settings(channel) : spec.settings }
          : {}),
        ...(seed ? { extra: (db: Database) => seed(db, { guild, members }) } : {}),
      });
      database = { dir: seeded.dir, url: seeded.url };
      quizIds = seeded.quizIds;
    }
    bot = await BotProcess.start({
      env: {
        DISCORD_API_URL: emu.apiBase,
        DISCORD_TOKEN: emu.token,
        DISCORD_GUILD_IDS: guild.id,
        ...(database ? { DATABASE_URL: database.url } : {}),
        ...(typeof spec.env === 'function' ? spec.env(members) : spec.env),
      },
    });
    await bot.waitUntilServing();
    const where = { guildId: guild.id, channelId: guild.channels[0]?.id ?? '' };
    return {
      emu,
      bot,
      guild,
      channel,
      members,
      quizIds,
      database,
      command: (who, line, options, extra) => injectCommand(emu, where, who, line, options, extra),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
