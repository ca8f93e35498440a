import { type Client, Events, PermissionFlagsBits, REST, Routes, type TextChannel } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../support/discord-emulator/index.js';
import { loginReady, newClient } from './emulatorClient.js';

// What live channel games need from the emulator: Discord's per-channel message limit (429 with
// retry_after, one bucket for posts and edits of a channel), every earlier version of an edited
// message, deleted channels, bot permission overwrites the client's cache sees, and crowds.

let emu: DiscordEmulator | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu?.close();
  emu = undefined;
});

function raw(e: DiscordEmulator, method: string, path: string, body?: unknown) {
  return fetch(`${e.apiBase}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${e.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('per-channel message rate limit', () => {
  it('posts and edits of one channel share a bucket; beyond it 429 with retry_after; other channels are unaffected', async () => {
    emu = await DiscordEmulator.start({ channelMessageRateLimit: { limit: 3, windowMs: 600 } });
    const guild = emu.addGuild({ name: 'busy', channels: [{ name: 'a' }, { name: 'b' }] });
    const [a, b] = [guild.channels[0]?.id ?? '', guild.channels[1]?.id ?? ''];
    const first = (await (
      await raw(emu, 'POST', `/channels/${a}/messages`, { content: '1' })
    ).json()) as APIMessage;
    expect((await raw(emu, 'PATCH', `/channels/${a}/messages/${first.id}`, { content: '1b' })).status).toBe(
      200,
    );
    expect((await raw(emu, 'POST', `/channels/${a}/messages`, { content: '2' })).status).toBe(200);
    const limited = await raw(emu, 'PATCH', `/channels/${a}/messages/${first.id}`, { content: '1c' });
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(0.6);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await raw(emu, 'POST', `/channels/${b}/messages`, { content: 'elsewhere' })).status).toBe(200);
    // Reads are not limited.
    expect((await raw(emu, 'GET', `/channels/${a}/messages`)).status).toBe(200);
  });

  it('discord.js waits the limit out: twelve posts and edits in one channel all land, in order', async () => {
    emu = await DiscordEmulator.start({ channelMessageRateLimit: { limit: 5, windowMs: 500 } });
    const guild = emu.addGuild({ name: 'storm' });
    const channelId = guild.channels[0]?.id ?? '';
    const rest = new REST({ api: emu.apiBase }).setToken(emu.token);
    const posted = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        rest.post(Routes.channelMessages(channelId), { body: { content: `m${i}` } }),
      ),
    );
    const target = (posted[0] as APIMessage).id;
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        rest.patch(Routes.channelMessage(channelId, target), { body: { content: `edit ${n}` } }),
      ),
    );
    expect(emu.messages(channelId).map((m) => m.content)).toEqual([
      expect.stringMatching(/^edit \d$/),
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
    ]);
    const stored = emu.message(target);
    expect(stored?.history?.map((m) => m.content)[0]).toBe('m0');
    expect(stored?.history).toHaveLength(4);
  });
});

describe('channels and permissions', () => {
  it('a deleted channel answers 404 10003 and the client hears CHANNEL_DELETE', async () => {
    emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
    const guild = emu.addGuild({ name: 'g', channels: [{ name: 'keep' }, { name: 'doomed' }] });
    const doomed = guild.channels[1]?.id ?? '';
    client = newClient(emu);
    await loginReady(client, emu.token);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const deleted = new Promise<string>((resolve) =>
      client?.once(Events.ChannelDelete, (c) => resolve(c.id)),
    );
    emu.deleteChannel(doomed);
    expect(await deleted).toBe(doomed);
    const res = await raw(emu, 'POST', `/channels/${doomed}/messages`, { content: 'x' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: number }).code).toBe(10003);
    expect(emu.guild(guild.id)?.channels.map((c) => c.name)).toEqual(['keep']);
  });

  it('botDeny: the client computes the same permissions from its cache; View Channel → 50001, Send Messages → 50013', async () => {
    emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
    const guild = emu.addGuild({ name: 'g', channels: [{ name: 'locked' }] });
    const channelId = guild.channels[0]?.id ?? '';
    client = newClient(emu);
    await loginReady(client, emu.token);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const updated = new Promise<void>((resolve) => client?.once(Events.ChannelUpdate, () => resolve()));
    emu.setChannelPermissions(channelId, {
      botDeny: PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks,
    });
    await updated;
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const me = channel.guild.members.me;
    expect(me).toBeTruthy();
    const perms = channel.permissionsFor(me ?? '');
    expect(perms?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(perms?.has(PermissionFlagsBits.EmbedLinks)).toBe(false);
    expect(perms?.has(PermissionFlagsBits.ViewChannel)).toBe(true);
    const send = await raw(emu, 'POST', `/channels/${channelId}/messages`, { content: 'x' });
    expect(((await send.json()) as { code: number }).code).toBe(50013);
    emu.setChannelPermissions(channelId, { botDeny: PermissionFlagsBits.ViewChannel });
    const view = await raw(emu, 'GET', `/channels/${channelId}`);
    expect(view.status).toBe(403);
    expect(((await view.json()) as { code: number }).code).toBe(50001);
  });

  it('addMembers adds a crowd that can click at once', async () => {
    emu = await DiscordEmulator.start();
    const guild = emu.addGuild({ name: 'crowd' });
    const members = emu.addMembers(guild.id, 1000, 'fan');
    expect(members).toHaveLength(1000);
    expect(new Set(members.map((m) => m.user.id)).size).toBe(1000);
    expect(members[999]?.user.username).toBe('fan1000');
    expect(emu.guild(guild.id)?.members.length).toBe(1002); // owner + bot + crowd
  });
});
