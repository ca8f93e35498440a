import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  DiscordAPIError,
  Events,
  HTTPError,
  type Interaction,
  MessageFlags,
  SlashCommandBuilder,
  type TextChannel,
} from 'discord.js';
import { InteractionResponseType, Routes } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator, type EmulatedGuild } from '../support/discord-emulator/index.js';
import { loginReady, newClient, startClientWorld } from './emulatorClient.js';

const commands = [
  new SlashCommandBuilder().setName('ping').setDescription('pong'),
  new SlashCommandBuilder().setName('rich').setDescription('reply with response'),
  new SlashCommandBuilder()
    .setName('import')
    .setDescription('reads an attachment')
    .addAttachmentOption((o) => o.setName('file').setDescription('quiz file').setRequired(true)),
  new SlashCommandBuilder().setName('export').setDescription('uploads a file'),
  new SlashCommandBuilder().setName('deferfollow').setDescription('defer then followUp'),
  new SlashCommandBuilder().setName('board').setDescription('button → deferUpdate + editReply'),
  new SlashCommandBuilder().setName('late').setDescription('answers after the deadline'),
  new SlashCommandBuilder().setName('slowedit').setDescription('edits after the token lifetime'),
].map((c) => c.toJSON());

const errorsSeen: unknown[] = [];

function installHandlers(client: Client): void {
  client.on(Events.InteractionCreate, async (interaction: Interaction) => {
    try {
      if (interaction.isButton()) {
        await interaction.deferUpdate();
        await interaction.editReply({ content: `clicked ${interaction.customId}`, components: [] });
        return;
      }
      if (!interaction.isChatInputCommand()) return;
      switch (interaction.commandName) {
        case 'ping':
          await interaction.reply('pong');
          return;
        case 'rich': {
          const response = await interaction.reply({ content: 'rich', withResponse: true });
          await interaction.followUp(`resource message ${response.resource?.message?.content}`);
          return;
        }
        case 'import': {
          const attachment = interaction.options.getAttachment('file', true);
          const text = await (await fetch(attachment.url)).text();
          await interaction.reply(`read ${attachment.name}: ${text}`);
          return;
        }
        case 'export':
          await interaction.reply({
            content: 'here',
            files: [{ attachment: Buffer.from('{"score":3}'), name: 'export.json' }],
            flags: MessageFlags.Ephemeral,
          });
          return;
        case 'deferfollow':
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          await interaction.followUp('finished');
          return;
        case 'board':
          await interaction.reply({
            content: 'board',
            components: [
              new ActionRowBuilder<ButtonBuilder>().addComponents(
                new ButtonBuilder().setCustomId('next').setLabel('Next').setStyle(ButtonStyle.Secondary),
              ),
            ],
          });
          return;
        case 'late':
          await new Promise((r) => setTimeout(r, 1500));
          await interaction.reply('too late');
          return;
        case 'slowedit':
          await interaction.deferReply();
          await new Promise((r) => setTimeout(r, 2600));
          await interaction.editReply('edited late');
          return;
      }
    } catch (error) {
      errorsSeen.push(error);
    }
  });
}

describe('discord.js against the emulator: REST behaviour', () => {
  let emu: DiscordEmulator;
  let client: Client;
  let guild: EmulatedGuild;
  let channelId: string;
  let userId: string;

  beforeAll(async () => {
    // Short deadlines so the late/expired paths are quick; every other handler answers in a few ms.
    ({ emu, client, guild, channelId, userId } = await startClientWorld({
      emulator: { heartbeatIntervalMs: 5000, ackDeadlineMs: 400, tokenLifetimeMs: 1000 },
      guild: { name: 'REST guild', channels: [{ name: 'general' }, { name: 'read-only' }] },
      install: installHandlers,
      commands,
    }));
  });

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  const inject = (name: string, options?: Parameters<DiscordEmulator['injectChatInput']>[0]['options']) =>
    emu.injectChatInput({ guildId: guild.id, channelId, userId, name, ...(options ? { options } : {}) });

  it('429 injected on the callback → discord.js waits Retry-After and succeeds', async () => {
    const fault = emu.injectFault({
      method: 'POST',
      path: /^\/interactions\/.*\/callback$/,
      status: 429,
      times: 1,
      retryAfterSeconds: 0.1,
    });
    const h = inject('ping');
    expect((await h.waitForResponse()).data.content).toBe('pong');
    expect(fault.hits).toBe(1);
    const calls = emu.restCalls.filter((c) => c.path.startsWith(`/interactions/${h.id}/`));
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
  });

  it('a global 429 fires the rateLimited event and the call still succeeds', async () => {
    const limited = new Promise<{ global: boolean }>((resolve) => client.rest.once('rateLimited', resolve));
    emu.injectFault({
      method: 'GET',
      path: /^\/users\/@me$/,
      status: 429,
      times: 1,
      retryAfterSeconds: 0.2,
      global: true,
    });
    const me = await client.rest.get('/users/@me');
    expect((me as { id: string }).id).toBe(emu.applicationId);
    expect((await limited).global).toBe(true);
  });

  it('5xx: retried up to 3 times, then HTTPError', async () => {
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    const twice = emu.injectFault({ method: 'POST', path: /\/messages$/, status: 502, times: 2 });
    const sent = await channel.send('after two 502s');
    expect(sent.content).toBe('after two 502s');
    expect(twice.hits).toBe(2);
    emu.injectFault({ method: 'POST', path: /\/messages$/, status: 500, times: 4 });
    await expect(channel.send('never')).rejects.toBeInstanceOf(HTTPError);
  });

  it('channel messages: allowed_mentions recorded; 403 50013 when the bot may not send', async () => {
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    await channel.send({ content: 'hi <@1>', allowedMentions: { parse: [] } });
    const stored = emu.storedMessages(channelId).find((s) => s.message.content === 'hi <@1>');
    expect(stored?.allowedMentions).toEqual({ parse: [] });
    expect((await emu.waitForMessage(channelId, (m) => m.content === 'hi <@1>')).author.id).toBe(
      emu.applicationId,
    );

    const readOnlyId = guild.channels[1]!.id;
    emu.setChannelPermissions(readOnlyId, { botCanSend: false });
    const readOnly = (await client.channels.fetch(readOnlyId)) as TextChannel;
    const error = await readOnly.send('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50013);
    expect((error as DiscordAPIError).status).toBe(403);
  });

  it('withResponse: true gets the interaction callback resource', async () => {
    const h = inject('rich');
    const [, followup] = await h.waitForResponses(2);
    expect(followup?.data.content).toBe('resource message rich');
  });

  it('a user-uploaded attachment is resolved in the payload and downloadable', async () => {
    const attachment = emu.addAttachment('quiz.json', '{"q":1}', 'application/json');
    const h = inject('import', [{ name: 'file', type: 11, value: attachment.id }]);
    expect((await h.waitForResponse()).data.content).toBe('read quiz.json: {"q":1}');
  });

  it('files uploaded by the bot (multipart) are stored and readable', async () => {
    const h = inject('export');
    const reply = await h.waitForResponse();
    expect(reply.files.map((f) => [f.name, f.content.toString()])).toEqual([['export.json', '{"score":3}']]);
    const message = h.originalMessage()!;
    expect(message.flags).toBe(MessageFlags.Ephemeral);
    expect(message.attachments).toHaveLength(1);
    expect(emu.attachmentContent(message.attachments[0]!.url)?.toString()).toBe('{"score":3}');
    const download = await fetch(message.attachments[0]!.url);
    expect(await download.text()).toBe('{"score":3}');
  });

  it('the first followUp after a deferred reply completes the loading message', async () => {
    const h = inject('deferfollow');
    const [defer, followup] = await h.waitForResponses(2);
    expect(defer?.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(followup?.kind).toBe('followup');
    expect(followup?.messageId).toBe(defer?.messageId);
    expect(h.originalMessage()).toMatchObject({ content: 'finished', flags: MessageFlags.Ephemeral });
    expect(h.followups).toEqual([]);
  });

  it('deferUpdate + editReply on a button edit the message carrying the button', async () => {
    const h = inject('board');
    await h.waitForResponse();
    const messageId = h.originalMessage()!.id;
    const click = emu.injectComponent({ messageId, customId: 'next', userId });
    const [ack, edit] = await click.waitForResponses(2);
    expect(ack?.type).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(edit).toMatchObject({ kind: 'edit_original', messageId });
    expect(emu.message(messageId)?.message.content).toBe('clicked next');
  });

  it('unknown routes answer 404 code 0 and are recorded', async () => {
    const error = await client.rest.get('/definitely/not/a/route').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(0);
    expect(emu.unhandledCalls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /definitely/not/a/route']);
  });

  it('guild, member and channel fetches', async () => {
    const fetched = await client.guilds.fetch({ guild: guild.id, force: true });
    expect(fetched.name).toBe('REST guild');
    const member = await fetched.members.fetch(userId);
    expect(member.user.username).toBe('ada');
    const channel = await client.channels.fetch(channelId, { force: true });
    expect(channel?.id).toBe(channelId);
  });
});

describe('deadlines: ack (10062) and token lifetime (50027)', () => {
  let emu: DiscordEmulator;
  let client: Client;
  let guild: EmulatedGuild;
  let channelId: string;
  let userId: string;

  beforeAll(async () => {
    // Short deadlines so the late/expired paths are quick; the handlers overshoot them by far.
    ({ emu, client, guild, channelId, userId } = await startClientWorld({
      emulator: { heartbeatIntervalMs: 5000, ackDeadlineMs: 400, tokenLifetimeMs: 1000 },
      guild: { name: 'deadline guild' },
      install: installHandlers,
      commands,
    }));
  });

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  const inject = (name: string) => emu.injectChatInput({ guildId: guild.id, channelId, userId, name });

  it('a first response after the ack deadline → 404 10062 Unknown interaction', async () => {
    const before = errorsSeen.length;
    const h = inject('late');
    const refused = await h.waitForError(5000);
    expect(refused).toMatchObject({ status: 404, code: 10062 });
    expect(h.responses).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    const seen = errorsSeen.slice(before).find((e) => e instanceof DiscordAPIError) as
      | DiscordAPIError
      | undefined;
    expect(seen?.code).toBe(10062);
  });

  it('a webhook edit after the token lifetime → 401 50027 Invalid Webhook Token', async () => {
    const h = inject('slowedit');
    expect((await h.waitForResponse()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const refused = await h.waitForError(6000);
    expect(refused).toMatchObject({ status: 401, code: 50027 });
    expect(h.responses).toHaveLength(1);
  });
});

describe('emulator protocol checks (raw HTTP)', () => {
  let emu: DiscordEmulator;
  let guild: EmulatedGuild;
  let userId: string;

  beforeAll(async () => {
    emu = await DiscordEmulator.start();
    guild = emu.addGuild({ name: 'raw' });
    userId = emu.addMember(guild.id, { user: { username: 'bob' } }).user.id;
    const put = await fetch(
      `${emu.apiBase}/v10${Routes.applicationGuildCommands(emu.applicationId, guild.id)}`,
      {
        method: 'PUT',
        headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ name: 'ping', description: 'pong' }]),
      },
    );
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await emu?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.apiBase}/v10${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      body: res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>),
    };
  };

  const inject = () =>
    emu.injectChatInput({ guildId: guild.id, channelId: guild.channels[0]!.id, userId, name: 'ping' });

  it('webhook before ACK → 10015; empty reply → 50006; second ACK → 40060; %40original decoded', async () => {
    const h = inject();
    const callback = `/interactions/${h.id}/${h.token}/callback`;
    expect(
      (await call('PATCH', `/webhooks/${emu.applicationId}/${h.token}/messages/@original`, { content: 'x' }))
        .body?.code,
    ).toBe(10015);
    expect((await call('POST', callback, { type: 4, data: { content: '' } })).body?.code).toBe(50006);
    expect(
      (await call('POST', `${callback}?with_response=false`, { type: 4, data: { content: 'hi' } })).status,
    ).toBe(204);
    expect((await call('POST', callback, { type: 4, data: { content: 'again' } })).body?.code).toBe(40060);
    const edit = await call('PATCH', `/webhooks/${emu.applicationId}/${h.token}/messages/%40original`, {
      content: 'edited',
    });
    expect(edit.status).toBe(200);
    expect(edit.body?.content).toBe('edited');
    expect(h.errors.map((e) => e.code)).toEqual([10015, 50006, 40060]);
  });

  it('invalid payloads answer 50035 with the field path', async () => {
    const h = inject();
    const long = await call('POST', `/interactions/${h.id}/${h.token}/callback`, {
      type: 4,
      data: { content: 'x'.repeat(2001) },
    });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
    const wrongType = await call('POST', `/interactions/${h.id}/${h.token}/callback`, {
      type: 8,
      data: { choices: [] },
    });
    expect(wrongType.body?.code).toBe(50035);
  });

  it('an unavailable Discord answers 503 and refuses gateway connections', async () => {
    emu.setAvailable(false);
    const res = await fetch(`${emu.apiBase}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${emu.token}` },
    });
    expect(res.status).toBe(503);
    const { WebSocket } = await import('ws');
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
      ws.on('open', () => resolve('open'));
      ws.on('error', (e) => resolve(String(e.message)));
    });
    expect(outcome).toContain('503');
    emu.setAvailable(true);
    expect(
      (await fetch(`${emu.apiBase}/v10/gateway/bot`, { headers: { authorization: `Bot ${emu.token}` } }))
        .status,
    ).toBe(200);
  });

  it('interaction ids are snowflakes carrying the injection time', () => {
    const before = Date.now();
    const h = inject();
    const ms = Number((BigInt(h.id) >> 22n) + 1420070400000n);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBe(h.createdAt);
    expect(h.token).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('enforced rate limits (rateLimit option)', () => {
  let emu: DiscordEmulator;
  let client: Client | undefined;

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  it('truthful headers, 429 beyond the limit, and discord.js paces itself from the headers', async () => {
    emu = await DiscordEmulator.start({ rateLimit: { limit: 2, windowMs: 400 } });
    const guild = emu.addGuild({ name: 'limited' });
    const channelId = guild.channels[0]!.id;
    const post = () =>
      fetch(`${emu.apiBase}/v10/channels/${channelId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'x' }),
      });
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post();
      statuses.push(res.status);
      remaining.push(res.headers.get('x-ratelimit-remaining'));
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(remaining).toEqual(['1', '0', '0']);

    client = newClient(emu);
    await loginReady(client, emu.token);
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    const before = emu.restCalls.length;
    const sent = await Promise.all([1, 2, 3, 4, 5].map((n) => channel.send(`paced ${n}`)));
    expect(sent.map((m) => m.content)).toEqual(['paced 1', 'paced 2', 'paced 3', 'paced 4', 'paced 5']);
    const limited = emu.restCalls.slice(before).filter((c) => c.status === 429);
    // At most the request in flight while discord.js learns the bucket hash is refused.
    expect(limited.length).toBeLessThanOrEqual(1);
  });
});
