/** Helpers for the emulator self-tests: a real discord.js Client pointed at the emulator. */
import { Client, type ClientOptions, Events, GatewayIntentBits, SlashCommandBuilder } from 'discord.js';
import type { RESTPutAPIApplicationGuildCommandsJSONBody } from 'discord-api-types/v10';
import {
  DiscordEmulator,
  type DiscordEmulatorOptions,
  type EmulatedGuild,
} from '../support/discord-emulator/index.js';

export function newClient(emu: DiscordEmulator, extra: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: emu.apiBase },
    waitGuildTimeout: 2_000,
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    ...extra,
  });
}

/** Logs in and resolves on clientReady. */
export async function loginReady(client: Client, token: string): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
}

export const testCommands = [
  new SlashCommandBuilder()
    .setName('ping')
    .setDescription('Replies pong')
    .addBooleanOption((o) => o.setName('secret').setDescription('ephemeral reply')),
  new SlashCommandBuilder().setName('slow').setDescription('Defers then edits'),
  new SlashCommandBuilder().setName('quiz').setDescription('Shows a button'),
  new SlashCommandBuilder().setName('name').setDescription('Shows a modal'),
  new SlashCommandBuilder()
    .setName('pick')
    .setDescription('Autocomplete')
    .addStringOption((o) =>
      o.setName('topic').setDescription('a topic').setAutocomplete(true).setRequired(true),
    ),
  new SlashCommandBuilder()
    .setName('admin')
    .setDescription('Subcommands')
    .addSubcommand((s) =>
      s
        .setName('stats')
        .setDescription('stats')
        .addIntegerOption((o) => o.setName('days').setDescription('days')),
    ),
].map((b) => b.toJSON());

export interface ClientWorld {
  emu: DiscordEmulator;
  client: Client;
  guild: EmulatedGuild;
  /** The guild's first channel. */
  channelId: string;
  /** The member `ada`. */
  userId: string;
}

/**
 * An emulator with one guild and its member `ada`, and a discord.js client with `install`ed
 * handlers, logged in and with `commands` (default `testCommands`) registered in the guild.
 */
export async function startClientWorld(options: {
  emulator?: DiscordEmulatorOptions;
  guild: Parameters<DiscordEmulator['addGuild']>[0];
  install: (client: Client) => void;
  commands?: RESTPutAPIApplicationGuildCommandsJSONBody;
}): Promise<ClientWorld> {
  const emu = await DiscordEmulator.start(options.emulator);
  const guild = emu.addGuild(options.guild);
  const channelId = guild.channels[0]!.id;
  const userId = emu.addMember(guild.id, { user: { username: 'ada' } }).user.id;
  const client = newClient(emu);
  options.install(client);
  await loginReady(client, emu.token);
  await client.application!.commands.set(options.commands ?? testCommands, guild.id);
  return { emu, client, guild, channelId, userId };
}
