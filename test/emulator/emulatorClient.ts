/** Helpers for the emulator self-tests: a real discord.js Client pointed at the emulator. */
import { Client, type ClientOptions, Events, GatewayIntentBits, SlashCommandBuilder } from 'discord.js';
import type { DiscordEmulator } from '../support/discord-emulator/index.js';

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

/** Registers `testCommands` in the guild once the client is ready. */
export async function registerGuildCommands(client: Client, guildId: string): Promise<void> {
  await client.application!.commands.set(testCommands, guildId);
}
