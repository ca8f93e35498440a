import { describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import { isMsg, readyWithinOneSecond, slashCommand, startBot, startWorld } from './discordHarness.js';

// The real bot process (`node dist/main.js`, as `make run`) against the Discord emulator.
// Build first: `npm run build` (`make test` does).

const EPHEMERAL = 64;

/** Polls /ready every 50 ms until its body (as JSON text) matches. */
async function pollReady(bot: BotProcess, match: (body: string) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, body } = await bot.get('/ready');
    const text = JSON.stringify(body ?? null);
    if (match(text)) return { status, body: text };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`/ready never matched within ${timeoutMs} ms`);
}

describe('bot process against the Discord emulator: lifecycle', () => {
  it('answers /ready 503 until logged in (retrying while Discord is down), then 200; registers its commands', async () => {
    const world = await startWorld();
    world.emu.setAvailable(false);
    const bot = await startBot(world);

    await bot.waitForStatus('/ready', 503);
    await bot.waitForLog(isMsg(/Discord login failed; retrying/));
    const notReady = await bot.get('/ready');
    expect(notReady.status).toBe(503);
    expect(JSON.stringify(notReady.body)).toMatch(/discord/);

    world.emu.setAvailable(true);
    await bot.waitForStatus('/ready', 200, 15_000);
    await bot.waitForLog(isMsg(/slash commands registered/));

    const commands = world.emu.registeredCommands({ guildId: world.guild.id });
    expect(commands.map((c) => c.name).sort()).toEqual([
      'help',
      'leaderboard',
      'mydata',
      'quiz',
      'scores',
      'settings',
      'stats',
      'status',
    ]);
    const status = commands.find((c) => c.name === 'status');
    expect(status?.default_member_permissions).toBe('32'); // Manage Server
    expect(world.emu.registeredCommands()).toEqual([]); // guild-scoped only
    expect(world.emu.unhandledCalls).toEqual([]);
  });

  it('does not re-register unchanged commands on the next start', async () => {
    const world = await startWorld();
    const first = await startBot(world);
    await first.waitForLog(isMsg(/slash commands registered/), 15_000);
    expect(world.emu.commandRegistrations).toBe(1);
    first.signal('SIGTERM');
    await first.waitForExit();

    const second = await startBot(world);
    await second.waitForLog(isMsg(/slash commands unchanged/), 15_000);
    expect(world.emu.commandRegistrations).toBe(1);
  });

  it('registers the commands despite a 5xx storm that outlasts discord.js own retries', async () => {
    const world = await startWorld();
    // discord.js retries a 5xx 3 times (4 attempts); 6 failures force one outer retry with backoff.
    const fault = world.emu.injectFault({ method: 'GET', path: /\/commands$/, status: 502, times: 6 });
    const bot = await startBot(world);
    await bot.waitForLog(isMsg(/slash command registration failed; retrying/), 15_000);
    await bot.waitForLog(isMsg(/slash commands registered/), 15_000);
    expect(fault.hits).toBe(6);
    expect(
      world.emu
        .registeredCommands({ guildId: world.guild.id })
        .map((c) => c.name)
        .sort(),
    ).toEqual(['help', 'leaderboard', 'mydata', 'quiz', 'scores', 'settings', 'stats', 'status']);
  });

  it('answers /status to a server manager with the health fields, ephemeral; rejects a plain member; /help; stale buttons', async () => {
    const world = await startWorld();
    const owner = world.emu.addMember(world.guild.id, { user: { username: 'owner' }, permissions: 0n });
    const bot = await startBot(world, { env: { BOT_OWNER_IDS: owner.user.id } });
    await bot.waitForStatus('/ready', 200, 15_000);
    await bot.waitForLog(isMsg(/slash commands registered/));

    const handle = slashCommand(world, world.admin.user.id, 'status');
    const response = await handle.waitForResponse();
    expect(handle.errors).toEqual([]); // the emulator refuses callbacks after the 3 s deadline
    expect(response.type).toBe(4);
    expect(response.data.flags).toBe(EPHEMERAL);
    const embed = response.data.embeds?.[0] as { fields: { name: string; value: string }[] };
    const fields = Object.fromEntries(embed.fields.map((f) => [f.name, f.value]));
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining(['Uptime', 'Gateway latency', 'Shards', 'Memory', 'Quizzes running', 'Version']),
    );
    expect(fields.Shards).toMatch(/shard 0: ready/);
    expect(fields.Uptime).toMatch(/^\d+d \d+h \d+m \d+s$/);
    expect(fields['Quizzes running']).toBe('0');

    const denied = slashCommand(world, world.member.user.id, 'status');
    const deniedResponse = await denied.waitForResponse();
    expect(deniedResponse.data.flags).toBe(EPHEMERAL);
    expect(deniedResponse.data.content).toMatch(/Manage Server/);
    expect(deniedResponse.data.embeds ?? []).toEqual([]);

    // BOT_OWNER_IDS may run /status without Manage Server.
    const byOwner = slashCommand(world, owner.user.id, 'status');
    expect((await byOwner.waitForResponse()).data.embeds).toHaveLength(1);

    const help = slashCommand(world, world.member.user.id, 'help');
    const helpResponse = await help.waitForResponse();
    expect(JSON.stringify(helpResponse.data.embeds)).toMatch(/\/status.*server managers/);
    expect(helpResponse.data.allowed_mentions).toEqual({ parse: [] });

    // A button from the first Badgey's custom-id scheme ("answer:4") on one of our messages.
    const messageId = helpResponse.messageId ?? help.originalMessage()?.id;
    expect(messageId).toBeDefined();
    const stale = world.emu.injectComponent({
      messageId: messageId ?? '',
      customId: 'answer:4',
      userId: world.member.user.id,
    });
    const staleResponse = await stale.waitForResponse();
    expect(staleResponse.data.flags).toBe(EPHEMERAL);
    expect(staleResponse.data.content).toMatch(/older version of Badgey/);
    expect(bot.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);

    const metrics = String((await bot.get('/metrics')).body);
    expect(metrics).toMatch(/badgey_interactions_total\{type="chat_input",outcome="ok"\} 3/);
    expect(metrics).toMatch(/badgey_interactions_total\{type="chat_input",outcome="rejected"\} 1/);
    expect(metrics).toMatch(/badgey_interactions_total\{type="button",outcome="rejected"\} 1/);
    expect(metrics).toMatch(/badgey_gateway_shard_ready\{shard="0"\} 1/);
  });

  it('stays 503 while only one of two shards is ready, then 200; follows each shard', async () => {
    // max_concurrency 1: discord.js spaces the two IDENTIFYs ~5 s apart, so shard 0 is ready
    // well before shard 1 — the window in which a process-wide "ready" flag would lie.
    const world = await startWorld({ shardCount: 2, maxConcurrency: 1 });
    const bot = await startBot(world);
    const partial = await pollReady(bot, (body) => /shard 0 ready/.test(body), 10_000);
    expect(partial.status).toBe(503);
    expect(partial.body).toMatch(/shard 1/);

    await bot.waitForStatus('/ready', 200, 15_000);
    const sessions = world.emu.sessions.map((s) => `${s.shard}/${s.shardCount}`).sort();
    expect(sessions).toEqual(['0/2', '1/2']);

    world.emu.closeGateway(4000, { shard: 1 });
    const body = JSON.stringify(await readyWithinOneSecond(bot, 503));
    expect(body).toMatch(/shard-1/);
    expect(body).not.toMatch(/shard-0/);
    await bot.waitForStatus('/ready', 200, 5000);
  });

  it('without DISCORD_GUILD_IDS registers globally; closes the gateway with 1000 and exits 0 on SIGTERM', async () => {
    const world = await startWorld();
    const bot = await startBot(world, { env: { DISCORD_GUILD_IDS: undefined } });
    await bot.waitForStatus('/ready', 200, 15_000);
    await bot.waitForLog(isMsg(/slash commands registered/));
    expect(
      world.emu
        .registeredCommands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['help', 'leaderboard', 'mydata', 'quiz', 'scores', 'settings', 'stats', 'status']);
    expect(world.emu.registeredCommands({ guildId: world.guild.id })).toEqual([]);
    const [session] = world.emu.sessions;
    expect(session?.intents).toBe(1); // Guilds only: no privileged intents
    expect(session?.presence).toMatchObject({
      status: 'online',
      activities: [{ name: 'Monitoring Comms!', type: 0 }], // 0 = Playing, as the seed's bot
    });
    const closed = world.emu.waitFor('close', (e) => e.by === 'client', 10_000);
    bot.signal('SIGTERM');
    const close = await closed;
    expect(close.code).toBe(1000);
    expect(await bot.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('GIVEN a token Discord rejects at login (401) THEN one fatal line saying what to fix and exit 78', async () => {
    const world = await startWorld();
    const bot = await startBot(world, { env: { DISCORD_TOKEN: 'not-the-token' } });
    const exit = await bot.waitForExit(15_000);
    expect(exit.code).toBe(78);
    const fatal = bot.logs.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.msg).toMatch(/DISCORD_TOKEN is invalid: reset it in the Discord Developer Portal/);
    expect(bot.dump()).not.toContain('not-the-token');
  });

  it('GIVEN the gateway closes with 4004 THEN one fatal line and exit 78', async () => {
    const world = await startWorld();
    const bot = await startBot(world);
    await bot.waitForStatus('/ready', 200, 15_000);
    world.emu.closeGateway(4004);
    const exit = await bot.waitForExit(15_000);
    expect(exit.code).toBe(78);
    const fatal = bot.logs.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ closeCode: 4004, closeName: 'AuthenticationFailed' });
    expect(fatal[0]?.msg).toMatch(/DISCORD_TOKEN is invalid/);
  });
});
