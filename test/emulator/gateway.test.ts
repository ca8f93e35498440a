import { type Client, Events, type Interaction } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator, type EmulatedGuild } from '../support/discord-emulator/index.js';
import { loginReady, newClient, startClientWorld } from './emulatorClient.js';

function answerPings(client: Client): void {
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (interaction.isChatInputCommand()) {
      interaction.reply(`pong from shard ${interaction.guild?.shardId}`).catch(() => {});
    }
  });
}

/** Resolves with the next event of the given name on the client. */
function nextClientEvent<T extends unknown[]>(client: Client, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

describe('discord.js against the emulator: gateway behaviour', () => {
  let emu: DiscordEmulator;
  let client: Client;
  let guild: EmulatedGuild;
  let channelId: string;
  let userId: string;

  beforeEach(async () => {
    ({ emu, client, guild, channelId, userId } = await startClientWorld({
      emulator: { heartbeatIntervalMs: 1000 },
      guild: { name: 'Gateway guild' },
      install: answerPings,
    }));
  });

  afterEach(async () => {
    // @discordjs/ws can hang in destroy() when it lands mid-IDENTIFY (it reconnects instead); bound it.
    await Promise.race([client?.destroy(), new Promise((r) => setTimeout(r, 3000))]);
    await emu?.close();
  });

  it('READY then GUILD_CREATE with sequence numbers; session is ready', () => {
    const dispatches = emu.gatewayFrames.filter((f) => f.direction === 'out' && f.op === 0);
    expect(dispatches.slice(0, 2).map((f) => [f.t, f.s])).toEqual([
      ['READY', 1],
      ['GUILD_CREATE', 2],
    ]);
    expect(emu.sessions).toHaveLength(1);
    expect(emu.sessionFor(0)).toMatchObject({
      shard: 0,
      shardCount: 1,
      state: 'ready',
      connected: true,
      intents: 1,
    });
  });

  it('addGuild / removeGuild after READY send GUILD_CREATE / GUILD_DELETE', async () => {
    const joined = nextClientEvent<[{ id: string; available: boolean }]>(client, Events.GuildCreate);
    const added = emu.addGuild({ name: 'Joined later' });
    const [guildJoined] = await joined;
    expect(guildJoined.id).toBe(added.id);
    expect(guildJoined.available).toBe(true);
    const left = nextClientEvent<[{ id: string }]>(client, Events.GuildDelete);
    emu.removeGuild(added.id);
    expect((await left)[0].id).toBe(added.id);
    expect(client.guilds.cache.has(added.id)).toBe(false);
  });

  it('answers heartbeats with op 11 (client ping becomes known)', async () => {
    await emu.waitFor('heartbeat', (h) => h.acked, 5000);
    // The client computes its ping when it reads the ACK; poll briefly instead of guessing a delay.
    for (let i = 0; i < 100 && client.ws.ping < 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
    expect(emu.gatewayFrames.some((f) => f.direction === 'out' && f.op === 11)).toBe(true);
  });

  it('TCP drop → RESUME replays the events dispatched while disconnected', async () => {
    const sessionId = emu.sessionFor(0)!.sessionId;
    const resumed = emu.waitFor('resume', () => true, 10_000);
    emu.dropGateway();
    // Sent while the client is down: a guild rename and a slash command.
    emu.updateGuild(guild.id, { name: 'Renamed while away' });
    const h = emu.injectChatInput({ guildId: guild.id, channelId, userId, name: 'ping' });
    expect(h.deliveredTo).toBe(1);
    const resume = await resumed;
    expect(resume.sessionId).toBe(sessionId);
    expect(resume.replayed).toBe(2);
    expect((await h.waitForResponse(5000)).data.content).toBe('pong from shard 0');
    expect(client.guilds.cache.get(guild.id)?.name).toBe('Renamed while away');
    expect(emu.sessions).toHaveLength(1); // resumed, not re-identified
    expect(emu.sessionFor(0)?.state).toBe('resumed');
  });

  it('close 4000 → shardReconnecting then shardResume', async () => {
    const reconnecting = nextClientEvent(client, Events.ShardReconnecting);
    const resumedEvent = nextClientEvent<[number, number]>(client, Events.ShardResume);
    emu.closeGateway(4000);
    await reconnecting;
    const [shardId, replayed] = await resumedEvent;
    expect(shardId).toBe(0);
    expect(replayed).toBe(1); // only RESUMED itself
    const resumeFrames = emu.gatewayFrames.filter((f) => f.direction === 'in' && f.op === 6);
    expect(resumeFrames).toHaveLength(1);
  });

  it('op 7 RECONNECT → the client reconnects and resumes', async () => {
    const resumed = emu.waitFor('resume', () => true, 10_000);
    emu.sendReconnect();
    await resumed;
    expect(emu.sessions.filter((s) => s.state !== 'closed')).toHaveLength(1);
  });

  it('withheld heartbeat ACKs → zombie close by the client → resume', async () => {
    emu.stopHeartbeatAcks();
    const close = await emu.waitFor('close', (c) => c.by === 'client', 10_000);
    expect(close.code).toBe(4200);
    emu.resumeHeartbeatAcks();
    await emu.waitFor('resume', () => true, 10_000);
  });

  it('op 9 non-resumable → new IDENTIFY → READY (clientReady is not re-emitted)', async () => {
    const firstSession = emu.sessionFor(0)!.sessionId;
    const shardReady = nextClientEvent<[number]>(client, Events.ShardReady);
    emu.invalidateSession({ resumable: false });
    const identify = await emu.waitFor('identify', () => true, 10_000);
    expect(identify.sessionId).not.toBe(firstSession);
    await shardReady;
    expect(emu.sessions.find((s) => s.sessionId === firstSession)?.state).toBe('closed');
    expect(emu.sessionFor(0)?.state).toBe('ready');
  });

  it('op 9 resumable → the client RESUMEs the same session on the same socket', async () => {
    const session = emu.sessionFor(0)!;
    const resumed = emu.waitFor('resume', () => true, 5000);
    emu.invalidateSession({ resumable: true });
    expect((await resumed).sessionId).toBe(session.sessionId);
    expect(emu.sessions).toHaveLength(1);
    expect(
      emu.gatewayFrames.filter((f) => f.direction === 'in' && f.op === 6).map((f) => f.connectionId),
    ).toEqual([emu.gatewayFrames.find((f) => f.direction === 'in' && f.op === 2)!.connectionId]);
  });

  it('RESUME of a forgotten session gets op 9 d:false and the client re-identifies', async () => {
    // 4009 (session timed out) makes discord.js try to resume a session the server forgot.
    const shardReady = nextClientEvent<[number]>(client, Events.ShardReady);
    emu.closeGateway(4009);
    const identify = await emu.waitFor('identify', () => true, 10_000);
    expect(identify.shard).toBe(0);
    await shardReady;
    const sentOp9 = emu.gatewayFrames.some((f) => f.direction === 'out' && f.op === 9);
    expect(sentOp9).toBe(true);
  });

  it('close 1000 → new IDENTIFY on the main gateway URL', async () => {
    const shardReady = nextClientEvent<[number]>(client, Events.ShardReady);
    emu.closeGateway(1000);
    await shardReady;
    expect(emu.sessions.map((s) => s.state)).toEqual(['closed', 'ready']);
  });

  it('close 4004 → shardDisconnect and no reconnection', async () => {
    const disconnect = nextClientEvent<[{ code: number }, number]>(client, Events.ShardDisconnect);
    client.on(Events.ShardError, () => {}); // discord.js reports the fatal close here too
    emu.closeGateway(4004);
    const [event] = await disconnect;
    expect(event.code).toBe(4004);
    // Give a reconnect (500 ms fixed delay in @discordjs/ws) ample time to show up if it were coming.
    await new Promise((r) => setTimeout(r, 1500));
    expect(emu.openGatewayConnections).toBe(0);
    expect(emu.sessions.every((s) => s.state === 'closed')).toBe(true);
  });

  it('the client destroying itself (close 1000) ends the session', async () => {
    const closed = emu.waitFor('close', (c) => c.by === 'client');
    await client.destroy();
    expect((await closed).code).toBe(1000);
    expect(emu.sessionFor(0)).toBeUndefined();
  });
});

describe('discord.js against the emulator: login failures and sharding', () => {
  let emu: DiscordEmulator;
  const clients: Client[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    await emu?.close();
  });

  it('a bad token → /gateway/bot 401 → login rejects with TokenInvalid', async () => {
    emu = await DiscordEmulator.start({ token: 'the-right-token' });
    const client = newClient(emu);
    clients.push(client);
    await expect(client.login('a-wrong-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    const call = emu.restCalls.find((c) => c.path === '/gateway/bot');
    expect(call?.status).toBe(401);
  });

  it('identify rate limit (max_concurrency 1 per 5 s): the extra IDENTIFY gets op 9 and succeeds later', async () => {
    emu = await DiscordEmulator.start({ shardCount: 2, enforceIdentifyConcurrency: true, maxConcurrency: 1 });
    emu.addGuild({ name: 'even', shard: 0 });
    emu.addGuild({ name: 'odd', shard: 1 });
    const limited = emu.waitFor('identifyRateLimited', () => true, 5000);
    const client = newClient(emu, { shards: 'auto' }); // no-op identify throttler: it will hit the limit
    clients.push(client);
    await loginReady(client, emu.token);
    expect((await limited).shard).toBe(1);
    const ready = emu.sessions.filter((s) => s.state === 'ready').map((s) => s.shard);
    expect(ready.sort()).toEqual([0, 1]);
  });

  it('records the presence from IDENTIFY and from op 3 updates', async () => {
    emu = await DiscordEmulator.start();
    const { ActivityType } = await import('discord.js');
    const client = newClient(emu, {
      presence: {
        activities: [{ name: 'Monitoring Comms!', type: ActivityType.Watching }],
        status: 'online',
      },
    });
    clients.push(client);
    await loginReady(client, emu.token);
    expect(emu.sessionFor(0)?.presence).toMatchObject({
      activities: [{ name: 'Monitoring Comms!', type: 3 }],
    });
    const updated = emu.waitFor('frame', (f) => f.direction === 'in' && f.op === 3);
    client.user!.setPresence({ status: 'idle', activities: [{ name: 'Quizzing' }] });
    await updated;
    expect(emu.sessionFor(0)?.presence).toMatchObject({ status: 'idle', activities: [{ name: 'Quizzing' }] });
  });

  it('compression and wrong API versions are refused with 4002 / 4012', async () => {
    emu = await DiscordEmulator.start();
    const { WebSocket } = await import('ws');
    const closeCode = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => {});
      });
    expect(await closeCode(`${emu.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`)).toBe(4002);
    expect(await closeCode(`${emu.gatewayUrl}?v=9&encoding=json`)).toBe(4012);
  });

  it('raw gateway: IDENTIFY with a bad token → 4004; RESUME of an unknown session → op 9 d:false', async () => {
    emu = await DiscordEmulator.start();
    const { WebSocket } = await import('ws');
    const session = (first: object) =>
      new Promise<{ frames: Array<{ op: number; d: unknown }>; code: number | null }>((resolve) => {
        const frames: Array<{ op: number; d: unknown }> = [];
        const ws = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
        ws.on('message', (raw) => {
          const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
          frames.push(frame);
          if (frame.op === 10) ws.send(JSON.stringify(first));
          if (frame.op === 9) {
            ws.close(1000);
          }
        });
        ws.on('close', (code) => resolve({ frames, code }));
        ws.on('error', () => {});
      });
    const badIdentify = await session({ op: 2, d: { token: 'nope', intents: 1, properties: {} } });
    expect(badIdentify.code).toBe(4004);
    const unknownResume = await session({ op: 6, d: { token: emu.token, session_id: 'unknown', seq: 3 } });
    expect(unknownResume.frames.map((f) => [f.op, f.d])).toEqual([
      [10, { heartbeat_interval: 41250 }],
      [9, false],
    ]);
  });

  it('privileged intents are refused with 4014 unless allowed', async () => {
    emu = await DiscordEmulator.start();
    const { GatewayIntentBits } = await import('discord.js');
    const client = newClient(emu, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] });
    clients.push(client);
    client.on(Events.ShardError, () => {});
    const disconnect = nextClientEvent<[{ code: number }]>(client, Events.ShardDisconnect);
    client.login(emu.token).catch(() => {});
    expect((await disconnect)[0].code).toBe(4014);
  });

  it('2 shards: guilds are routed by (id >> 22) % 2 and interactions reach the owning shard', async () => {
    emu = await DiscordEmulator.start({ shardCount: 2, heartbeatIntervalMs: 1000 });
    const g0 = emu.addGuild({ name: 'even', shard: 0 });
    const g1 = emu.addGuild({ name: 'odd', shard: 1 });
    expect(Number((BigInt(g0.id) >> 22n) % 2n)).toBe(0);
    expect(Number((BigInt(g1.id) >> 22n) % 2n)).toBe(1);
    const u0 = emu.addMember(g0.id, { user: { username: 'a' } }).user.id;
    const u1 = emu.addMember(g1.id, { user: { id: u0, username: 'a' } }).user.id;
    const client = newClient(emu, { shards: 'auto' });
    clients.push(client);
    answerPings(client);
    await loginReady(client, emu.token);
    expect(client.ws.shards.size).toBe(2);
    const infos = emu.sessions.map((s) => [s.shard, s.shardCount, s.state]).sort();
    expect(infos).toEqual([
      [0, 2, 'ready'],
      [1, 2, 'ready'],
    ]);
    expect(client.guilds.cache.get(g0.id)?.shardId).toBe(0);
    expect(client.guilds.cache.get(g1.id)?.shardId).toBe(1);
    await client.application!.commands.set([{ name: 'ping', description: 'pong' }]);
    const h0 = emu.injectChatInput({
      guildId: g0.id,
      channelId: g0.channels[0]!.id,
      userId: u0,
      name: 'ping',
    });
    const h1 = emu.injectChatInput({
      guildId: g1.id,
      channelId: g1.channels[0]!.id,
      userId: u1,
      name: 'ping',
    });
    expect((await h0.waitForResponse()).data.content).toBe('pong from shard 0');
    expect((await h1.waitForResponse()).data.content).toBe('pong from shard 1');
    // Dropping shard 1 only: shard 0 keeps its connection.
    const resumed = emu.waitFor('resume', (r) => r.shard === 1, 10_000);
    expect(emu.dropGateway({ shard: 1 })).toBe(1);
    await resumed;
    expect(emu.sessions.filter((s) => s.shard === 0).map((s) => s.state)).toEqual(['ready']);
  });
});
