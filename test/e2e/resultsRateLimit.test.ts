import { rmSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/botProcess.js';
import { DiscordEmulator } from '../support/discord-emulator/index.js';
import {
  buttons,
  click,
  firstEmbed,
  injectTake,
  quizInput,
  seedDatabase,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// A results channel rate-limited for an hour (one 429 with retry_after 3,600 s): the member is told
// their results could not be posted, the failure is recorded, and a later SIGTERM still exits 0.
// Before, the post slept out the hour: the summary said "being posted" for good and every SIGTERM
// waited 8 s on it, then exited 1 (the end-sessions step timed out). Build first.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('a long rate limit on the results channel', { timeout: 60_000 }, () => {
  it('gives up on the post (member told, failure recorded) and never holds up shutdown', async () => {
    const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
    cleanups.push(() => emu.close());
    const guild = emu.addGuild({ name: 'Club', channels: [{ name: 'quiz' }, { name: 'results' }] });
    const [quizChannel, resultsChannel] = guild.channels.map((c) => c.id);
    const admin = emu.addMember(guild.id, {
      user: { username: 'admin' },
      permissions: PermissionFlagsBits.ManageGuild,
    });
    const ada = emu.addMember(guild.id, { user: { username: 'ada' }, permissions: 0n });
    const seeded = await seedDatabase({
      guildId: guild.id,
      creatorId: admin.user.id,
      quizzes: [
        {
          quiz: quizInput('One', 30),
          questions: [
            { text: '1 + 1?', options: ['2', '3'], correctIndex: 0, points: 10, explanation: null },
          ],
        },
      ],
      settings: { resultsChannelId: resultsChannel ?? null, retakePolicy: 'unlimited' },
    });
    cleanups.push(() => rmSync(seeded.dir, { recursive: true, force: true }));
    const bot = await BotProcess.start({
      env: {
        DISCORD_API_URL: emu.apiBase,
        DISCORD_TOKEN: emu.token,
        DISCORD_GUILD_IDS: guild.id,
        DATABASE_URL: seeded.url,
        LOG_LEVEL: 'info',
      },
    });
    cleanups.push(() => bot.stop());
    await bot.waitUntilServing();

    const fault = emu.injectFault({
      method: 'POST',
      path: new RegExp(`^/channels/${resultsChannel}/messages$`),
      status: 429,
      times: 1,
      retryAfterSeconds: 3600,
    });
    const take = injectTake(
      emu,
      { guildId: guild.id, channelId: quizChannel ?? '' },
      ada.user.id,
      seeded.quizIds[0] ?? 0,
    );
    const messageId = await sessionMessageId(take);
    const question = await waitForTitle(emu, messageId, /^Question 1\/1/);
    await click(emu, messageId, buttons(question)[0]?.custom_id ?? '', ada.user.id);
    const feedback = await waitForTitle(emu, messageId, /^Correct!/);
    const seeResults = buttons(feedback).find((b) => b.label === 'See results');
    await click(emu, messageId, seeResults?.custom_id ?? '', ada.user.id);

    // The member's summary says the public post did not happen (it said "being posted" for good).
    await waitUntil(() => {
      const summary = emu.message(messageId)?.message;
      const text = JSON.stringify(summary ? firstEmbed(summary) : {});
      return /couldn't post your results/.test(text);
    }, 'the summary saying the results could not be posted');
    expect(fault.hits).toBe(1);
    await bot.waitForLog((line) => line.msg === 'results post failed');

    bot.signal('SIGTERM');
    const exit = await bot.waitForExit(15_000);
    expect(exit.code, bot.dump()).toBe(0);
  });
});
