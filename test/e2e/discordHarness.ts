import { PermissionFlagsBits } from 'discord.js';
import { afterEach } from 'vitest';
import { BotProcess, type StartBotOptions } from '../support/botProcess.js';
import type {
  DiscordEmulatorOptions,
  EmulatedGuild,
  EmulatedMember,
  InteractionHandle,
} from '../support/discord-emulator/index.js';
import { DiscordEmulator } from '../support/discord-emulator/index.js';

/** An emulator with one guild (#quiz, an admin with Manage Server, a member without it). */
export interface World {
  emu: DiscordEmulator;
  guild: EmulatedGuild;
  channelId: string;
  admin: EmulatedMember;
  member: EmulatedMember;
}

const cleanups: (() => Promise<void>)[] = [];

// Every bot and emulator started by a test is stopped after it, pass or fail.
afterEach(async () => {
  const errors: unknown[] = [];
  while (cleanups.length > 0)
    await cleanups
      .pop()?.()
      .catch((error: unknown) => errors.push(error));
  // A bot that logged one of its secrets fails the test (BotProcess.stop reports it); other
  // cleanup errors stay ignored, as before.
  const leak = errors.find((error) => error instanceof Error && /logged a secret/.test(error.message));
  if (leak) throw leak;
});

/** Heartbeats every 1 s keep zombie detection and latency reporting quick. */
export async function startWorld(options: DiscordEmulatorOptions = {}): Promise<World> {
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000, ...options });
  cleanups.push(() => emu.close());
  const guild = emu.addGuild({ name: 'Test Guild', channels: [{ name: 'quiz' }] });
  const admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  const member = emu.addMember(guild.id, { user: { username: 'ada' }, permissions: 0n });
  const channelId = guild.channels[0]?.id;
  if (!channelId) throw new Error('emulator created no channel');
  return { emu, guild, channelId, admin, member };
}

/** Starts `node dist/main.js` pointed at the emulator, commands registered in the world's guild. */
export async function startBot(world: World, options: StartBotOptions = {}): Promise<BotProcess> {
  const bot = await BotProcess.start({
    ...options,
    env: {
      DISCORD_API_URL: world.emu.apiBase,
      DISCORD_TOKEN: world.emu.token,
      DISCORD_GUILD_IDS: world.guild.id,
      ...options.env,
    },
  });
  cleanups.push(() => bot.stop());
  return bot;
}

/** A member runs the option-less slash command `name` in the world's #quiz channel. */
export function slashCommand(world: World, userId: string, name: string): InteractionHandle {
  return world.emu.injectChatInput({ guildId: world.guild.id, channelId: world.channelId, userId, name });
}

/** Polls `/ready` every 50 ms for up to 1 s until it answers `status`; resolves with that body. */
export async function readyWithinOneSecond(bot: BotProcess, status: number): Promise<unknown> {
  return bot.waitForStatus('/ready', status, 1000, 50);
}

export function isMsg(pattern: RegExp): (line: { msg?: string }) => boolean {
  return (line) => typeof line.msg === 'string' && pattern.test(line.msg);
}
