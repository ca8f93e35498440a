import { describe, expect, it } from 'vitest';
import {
  isMsg,
  readyWithinOneSecond,
  slashCommand,
  startBot,
  startWorld,
  type World,
} from './discordHarness.js';

// Gateway and REST faults against the real bot process (`node dist/main.js`); build first.

async function readyBot(world: World) {
  const bot = await startBot(world);
  await bot.waitUntilServing(15_000);
  return bot;
}

function help(world: World) {
  return slashCommand(world, world.member.user.id, 'help');
}

describe('bot process against the Discord emulator: faults', () => {
  it('GIVEN close 4000 THEN /ready 503 within 1 s and 200 after the resume', async () => {
    const world = await startWorld();
    const bot = await readyBot(world);
    const resumed = world.emu.waitFor('resume', () => true, 5000);
    world.emu.closeGateway(4000);
    await readyWithinOneSecond(bot, 503);
    await resumed;
    await bot.waitForStatus('/ready', 200, 5000);
    expect((await bot.get('/metrics')).body).toMatch(/badgey_gateway_reconnects_total\{shard="0"\} 1/);
  });

  it('GIVEN a TCP drop THEN /ready 503, an interaction sent meanwhile is answered after the resume, then 200', async () => {
    const world = await startWorld();
    const bot = await readyBot(world);
    world.emu.dropGateway();
    await readyWithinOneSecond(bot, 503);
    const during = help(world); // dispatched while no socket is attached: replayed on RESUME
    const response = await during.waitForResponse(5000);
    expect(response.type).toBe(4);
    expect(during.errors).toEqual([]);
    await bot.waitForStatus('/ready', 200, 5000);
  });

  it('GIVEN op 9 (session not resumable) THEN the bot identifies again and is ready again', async () => {
    const world = await startWorld();
    const bot = await readyBot(world);
    const identified = world.emu.waitFor('identify', () => true, 15_000);
    world.emu.invalidateSession({ resumable: false });
    await readyWithinOneSecond(bot, 503);
    await identified; // after discord.js's 5 s identify spacing
    await bot.waitForStatus('/ready', 200, 15_000);
    const answer = await help(world).waitForResponse();
    expect(answer.type).toBe(4);
  });

  it('GIVEN a 429 on the interaction callback THEN the reply is retried and delivered', async () => {
    const world = await startWorld();
    await readyBot(world);
    const fault = world.emu.injectFault({
      method: 'POST',
      path: /^\/interactions\/[^/]+\/[^/]+\/callback$/,
      status: 429,
      times: 1,
      retryAfterSeconds: 0.5,
    });
    const handle = help(world);
    const response = await handle.waitForResponse(5000);
    expect(fault.hits).toBe(1);
    expect(response.type).toBe(4);
    expect(handle.errors).toEqual([]);
    // Two callback requests: the 429 (answered by the fault) and the retry the route accepted.
    const callbacks = world.emu.restCalls.filter((c) => c.path.endsWith('/callback'));
    expect(callbacks.map((c) => Boolean(c.fault))).toEqual([true, false]);
    expect(callbacks[0]?.status).toBe(429);
  });

  // A handler that throws, through a real failure path (no test-only command): the handler's reply
  // meets a 500 storm that outlasts discord.js's 3 retries, so `interaction.reply` rejects inside the
  // handler. The error boundary must answer with the friendly message once the storm has passed.
  it('GIVEN a handler that throws THEN the friendly ephemeral reply, one error log line and an error record', async () => {
    const world = await startWorld();
    const bot = await readyBot(world);
    world.emu.injectFault({
      method: 'POST',
      path: /^\/interactions\/[^/]+\/[^/]+\/callback$/,
      status: 500,
      times: 4,
    });
    const handle = help(world);
    const response = await handle.waitForResponse(5000);
    expect(response.data.flags).toBe(64);
    expect(response.data.content).toMatch(/Something went wrong/);
    const line = await bot.waitForLog(isMsg(/^command failed$/));
    expect(line).toMatchObject({ level: 50, command: 'help', guildId: world.guild.id });
    expect(bot.logs.filter(isMsg(/^command failed$/))).toHaveLength(1);
    const metrics = String((await bot.get('/metrics')).body);
    expect(metrics).toMatch(/badgey_interactions_total\{type="chat_input",outcome="error"\} 1/);
    expect(metrics).toMatch(/badgey_errors_total\{[^}]*command_failed[^}]*\} 1/);
  });
});
