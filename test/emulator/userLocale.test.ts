import { Routes } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator, type EmulatedGuild } from '../support/discord-emulator/index.js';

// A user's client language, as Discord sends it: every interaction of the user carries the user's
// `locale` (slash commands, clicks, DMs) and the server's `guild_locale`; an injection may name
// another (the member switched their client's language).

let emu: DiscordEmulator;
let guild: EmulatedGuild;

beforeAll(async () => {
  emu = await DiscordEmulator.start();
  guild = emu.addGuild({ name: 'Weltraum', locale: 'fr', channels: [{ name: 'quiz' }] });
  const registered = await fetch(
    `${emu.apiBase}/v10${Routes.applicationGuildCommands(emu.applicationId, guild.id)}`,
    {
      method: 'PUT',
      headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'help', description: 'What the bot does' }]),
    },
  );
  expect(registered.status).toBe(200);
});

afterAll(async () => {
  await emu?.close();
});

describe("a user's locale", () => {
  it('is sent on every interaction of the user, with the guild locale beside it', () => {
    const greta = emu.addMember(guild.id, { user: { username: 'greta', locale: 'de' }, permissions: 0n });
    const ed = emu.addMember(guild.id, { user: { username: 'ed' }, permissions: 0n });
    const channelId = guild.channels[0]?.id ?? '';
    const fromGreta = emu.injectChatInput({
      guildId: guild.id,
      channelId,
      userId: greta.user.id,
      name: 'help',
    });
    const fromEd = emu.injectChatInput({ guildId: guild.id, channelId, userId: ed.user.id, name: 'help' });
    expect(fromGreta.payload).toMatchObject({ locale: 'de', guild_locale: 'fr' });
    expect(fromEd.payload).toMatchObject({ locale: 'en-US', guild_locale: 'fr' });
    const switched = emu.injectChatInput({
      guildId: guild.id,
      channelId,
      userId: greta.user.id,
      name: 'help',
      locale: 'ja',
    });
    expect(switched.payload).toMatchObject({ locale: 'ja' });
  });
});
