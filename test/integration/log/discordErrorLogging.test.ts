import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { redactRoute } from '../../../src/logErrors.js';
import { DiscordEmulator, type EmulatedMember } from '../../support/discord-emulator/index.js';

// Issue 12 items 1–2: a failed Discord REST call used to be logged whole — its URL holds the
// interaction token on interaction routes, its requestBody the message text and `<@member>`
// mentions. Real discord.js REST errors from the emulator, through the real logger.

class CapturedLines {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}

let emu: DiscordEmulator;
let rest: REST;
let member: EmulatedMember;
let channelId: string;
let guildId: string;

beforeAll(async () => {
  emu = await DiscordEmulator.start();
  const guild = emu.addGuild({ name: 'Logs', channels: [{ name: 'quiz' }] });
  guildId = guild.id;
  channelId = guild.channels[0]?.id ?? '';
  emu.setChannelPermissions(channelId, { botCanSend: false });
  member = emu.addMember(guild.id, { user: { username: 'ada' }, permissions: 0n });
  rest = new REST({ api: emu.apiBase, retries: 0 }).setToken(emu.token);
  await rest.put(`/applications/${emu.applicationId}/guilds/${guildId}/commands`, {
    body: [{ name: 'help', description: 'What Badgey can do' }],
  });
});

afterAll(async () => {
  await emu.close();
});

async function failure(call: () => Promise<unknown>): Promise<Error> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('the call did not fail');
  return error;
}

describe('Discord REST errors in the log', () => {
  it('a failed call on an interaction route logs code, status, method and a redacted route — no token, no body', async () => {
    const handle = emu.injectChatInput({ guildId, channelId, userId: member.user.id, name: 'help' });
    const token = handle.token;
    const secretText = 'The answer to question 3 is Saturn';
    // No callback yet: editing @original is 404 10015 Unknown Webhook.
    const webhook = await failure(() =>
      rest.patch(`/webhooks/${emu.applicationId}/${token}/messages/@original`, {
        body: { content: `${secretText} <@${member.user.id}>` },
        auth: false,
      }),
    );
    // Callback on a made-up interaction id: 404 10062.
    const callback = await failure(() =>
      rest.post(`/interactions/1234567890123456789/${token}/callback`, {
        body: { type: 4, data: { content: secretText } },
        auth: false,
      }),
    );
    // The results post in a channel Badgey may not post in: 403 50013, the body mentions the member.
    const post = await failure(() =>
      rest.post(`/channels/${channelId}/messages`, {
        body: { content: `<@${member.user.id}> scored 30 — ${secretText}` },
      }),
    );
    expect(JSON.stringify(webhook)).toContain(token); // the raw error does carry it: the test can fail

    const out = new CapturedLines();
    const log = createLogger({ level: 'info', format: 'json', destination: out });
    log.warn({ err: webhook, step: 'showFeedback' }, 'session render failed');
    log.warn({ error: callback }, 'callback failed');
    log.error({ err: new Error('wrapped', { cause: post }) }, 'results post failed');
    const text = out.lines.join('');
    expect(text).not.toContain(token);
    expect(text).not.toContain(secretText);
    expect(text).not.toContain(member.user.id);
    expect(text).not.toContain('requestBody');

    const [first, second] = out.lines.map((line) => JSON.parse(line));
    expect(first.err).toMatchObject({
      code: 10015,
      status: 404,
      method: 'PATCH',
      route: `/webhooks/${emu.applicationId}/:token/messages/@original`,
    });
    expect(second.error).toMatchObject({
      code: 10062,
      status: 404,
      method: 'POST',
      route: '/interactions/1234567890123456789/:token/callback',
    });
  });

  it('routes keep channel, guild and message ids; tokens, queries and user ids go', () => {
    expect(
      redactRoute(
        'https://discord.com/api/v10/webhooks/11111111111111111/aW50tok/messages/@original?wait=true',
      ),
    ).toBe('/webhooks/11111111111111111/:token/messages/@original');
    expect(
      redactRoute('http://127.0.0.1:1/api/v10/channels/222222222222222222/messages/333333333333333333'),
    ).toBe('/channels/222222222222222222/messages/333333333333333333');
    expect(redactRoute('/guilds/222222222222222222/members/444444444444444444')).toBe(
      '/guilds/222222222222222222/members/:id',
    );
    expect(redactRoute('/users/444444444444444444/channels')).toBe('/users/:id/channels');
  });
});
