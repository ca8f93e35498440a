import { rmSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/botProcess.js';
import {
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
} from '../support/discord-emulator/index.js';
import {
  ack,
  answer,
  channelMessages,
  expectedPoints,
  finalReply,
  hostAndStart,
  injectHost,
  titleOf,
  waitForChannelTitle,
  waitForQuestion,
} from './liveHarness.js';
import { buttons, quizInput, seedDatabase } from './takingHarness.js';

// Live games across restarts: the real bot (`node dist/main.js`) is stopped with SIGTERM or
// killed with SIGKILL in the middle of a question, a new process starts on the same database, and
// the game goes on — the interrupted question asked again with the channel told why, and every
// score announced before the restart kept. A scheduled game starts on time after a restart.
// Build first: `npm run build`.

const TIMER_S = 5;
const QUESTIONS = [
  { text: 'Q one', options: ['right', 'wrong'], correctIndex: 0, points: 10, explanation: null },
  { text: 'Q two', options: ['wrong', 'right'], correctIndex: 1, points: 20, explanation: null },
  { text: 'Q three', options: ['right', 'wrong'], correctIndex: 0, points: 30, explanation: null },
];
const LEASE_S = 3;

let emu: DiscordEmulator;
let guild: EmulatedGuild;
let admin: EmulatedMember;
let ada: EmulatedMember;
let bob: EmulatedMember;
let dbUrl: string;
let dbDir: string;
let quizId: number;
const bots: BotProcess[] = [];
let channelSeq = 0;

function startBot(): Promise<BotProcess> {
  return (async () => {
    const bot = await BotProcess.start({
      env: {
        DISCORD_API_URL: emu.apiBase,
        DISCORD_TOKEN: emu.token,
        DISCORD_GUILD_IDS: guild.id,
        DATABASE_URL: dbUrl,
        LIVE_GAME_INTERLUDE_SECONDS: '1',
        LIVE_GAME_LEASE_SECONDS: String(LEASE_S),
      },
    });
    bots.push(bot);
    await bot.waitUntilServing();
    return bot;
  })();
}

/** A fresh channel per test, so games never meet. */
function newChannel(): string {
  channelSeq += 1;
  return emu.addChannel(guild.id, { name: `night-${channelSeq}` }).id;
}

beforeAll(async () => {
  emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  guild = emu.addGuild({ name: 'Night Club', channels: [{ name: 'general' }] });
  admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  ada = emu.addMember(guild.id, { user: { username: 'ada' }, permissions: 0n });
  bob = emu.addMember(guild.id, { user: { username: 'bob' }, permissions: 0n });
  const seeded = await seedDatabase({
    guildId: guild.id,
    creatorId: admin.user.id,
    quizzes: [{ quiz: quizInput('Restarts', TIMER_S), questions: QUESTIONS }],
  });
  dbUrl = seeded.url;
  dbDir = seeded.dir;
  quizId = seeded.quizIds[0] ?? 0;
}, 30_000);

afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

afterAll(async () => {
  await emu?.close();
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
});

/**
 * Plays question 1 (ada right at 0.51 s, bob wrong), waits for question 2, ada answers it, then
 * `interrupt` ends the process mid-question. A new process resumes: question 2 is asked again
 * (ada's unscored answer does not count), both play it and question 3; the podium holds question
 * 1's points plus the rest.
 */
async function playThroughRestart(interrupt: (bot: BotProcess) => Promise<void>): Promise<void> {
  const channelId = newChannel();
  const where = { guildId: guild.id, channelId };
  const first = await startBot();
  await hostAndStart(emu, where, admin.user.id, quizId, { lobbyTitle: /^Live quiz: Restarts$/ });

  const q1 = await waitForQuestion(emu, channelId, 1);
  await ack(await answer(emu, q1, ada.user.id, 0, 510));
  await ack(await answer(emu, q1, bob.user.id, 1, 700));
  const q1Points = expectedPoints(10, TIMER_S, 510);
  await waitForChannelTitle(emu, channelId, /^Standings after question 1 of 3$/);

  const q2 = await waitForQuestion(emu, channelId, 2);
  expect(await ack(await answer(emu, q2, ada.user.id, 1, 200))).toBe('Locked in: **B**');
  await interrupt(first);

  await startBot();
  const again = await waitForQuestion(emu, channelId, 2, 30_000, q2.id);
  expect(again.content).toBe(
    'Badgey restarted during question 2, so it is asked again. Every score up to question 1 is kept.',
  );
  // The old question message is not the current one any more.
  expect(
    await ack(
      emu.injectComponent({
        messageId: q2.id,
        customId: buttons(q2)[1]?.custom_id ?? '',
        userId: bob.user.id,
      }),
    ),
  ).toBe('This question is closed.');
  await ack(await answer(emu, again, ada.user.id, 1, 1010));
  await ack(await answer(emu, again, bob.user.id, 1, 2010));
  const q3 = await waitForQuestion(emu, channelId, 3, 20_000);
  await ack(await answer(emu, q3, bob.user.id, 0, 310));
  const ada3 = q1Points + expectedPoints(20, TIMER_S, 1010);
  const bob3 = expectedPoints(20, TIMER_S, 2010) + expectedPoints(30, TIMER_S, 310);

  const podium = await waitForChannelTitle(emu, channelId, /^🏆 Final results: Restarts$/, 30_000);
  const lines = (podium.embeds[0]?.description ?? '').split('\n').filter((l) => l.includes('<@'));
  const score = (userId: string) =>
    Number(/\*\*(\d+)\*\*/.exec(lines.find((l) => l.includes(`<@${userId}>`)) ?? '')?.[1]);
  expect(score(ada.user.id)).toBe(ada3);
  expect(score(bob.user.id)).toBe(bob3);
  // Every question was asked once, except question 2, asked twice; one podium.
  const titles = channelMessages(emu, channelId).map(titleOf);
  expect(titles.filter((t) => /^Question 1 of 3/.test(t))).toHaveLength(1);
  expect(titles.filter((t) => /^Question 2 of 3/.test(t))).toHaveLength(2);
  expect(titles.filter((t) => /^Question 3 of 3/.test(t))).toHaveLength(1);
  expect(titles.filter((t) => /^🏆/.test(t))).toHaveLength(1);
}

describe('live games survive restarts', () => {
  it('SIGTERM mid-question leaves the game resumable: the next process asks it again and keeps earlier scores', async () => {
    await playThroughRestart(async (bot) => {
      bot.signal('SIGTERM');
      const exit = await bot.waitForExit(15_000);
      expect(exit.code).toBe(0);
      expect(
        bot.logs.some((l) => l.msg === 'live games left resumable for the next process' && l.released === 1),
      ).toBe(true);
    });
  }, 120_000);

  it('kill -9 mid-question: once the lease runs out the next process resumes it with earlier scores kept', async () => {
    await playThroughRestart(async (bot) => {
      bot.signal('SIGKILL');
      const exit = await bot.waitForExit(10_000);
      expect(exit.signal).toBe('SIGKILL');
    });
  }, 120_000);

  it('a scheduled game starts on time after a restart', async () => {
    const channelId = newChannel();
    const where = { guildId: guild.id, channelId };
    const bot = await startBot();
    const reply = await finalReply(injectHost(emu, where, admin.user.id, quizId, { starts: '8s' }));
    expect(reply).toMatch(/^Scheduled "Restarts"/);
    const lobby = await waitForChannelTitle(emu, channelId, /^Live quiz: Restarts$/);
    const startsAt = Number(/<t:(\d+):R>/.exec(lobby.embeds[0]?.description ?? '')?.[1]) * 1000;
    bot.signal('SIGTERM');
    await bot.waitForExit(15_000);
    expect(channelMessages(emu, channelId).filter((m) => /^Question/.test(titleOf(m)))).toHaveLength(0);
    await startBot();
    const q1 = await waitForQuestion(emu, channelId, 1, 30_000);
    const posted = Number((BigInt(q1.id) >> 22n) + 1420070400000n);
    expect(posted).toBeGreaterThanOrEqual(startsAt - 1000); // start times are shown to the second
    expect(posted - startsAt).toBeLessThan(5000);
    expect(q1.content).toBe(''); // a first ask, not a re-ask
    expect(/has started/.test(emu.message(lobby.id)?.message.embeds[0]?.description ?? '')).toBe(true);
  }, 90_000);
});
