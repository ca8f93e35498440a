import { rmSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  hostAndStart,
  injectGames,
  titleOf,
  waitForChannelTitle,
  waitForQuestion,
} from './liveHarness.js';
import { buttons, quizInput, seedDatabase, waitUntil } from './takingHarness.js';

// Live games when Discord pushes back: a channel at Discord's message rate limit (5 per 5 s per
// channel, plus injected 429 storms on the reveal edits) with a crowd answering, and a channel
// deleted in the middle of a game. Build first: `npm run build`.

const TIMER_S = 5;
const QUESTIONS = [
  { text: 'One', options: ['yes', 'no'], correctIndex: 0, points: 10, explanation: null },
  { text: 'Two', options: ['no', 'yes'], correctIndex: 1, points: 20, explanation: null },
  { text: 'Three', options: ['yes', 'no'], correctIndex: 0, points: 30, explanation: null },
];

let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let admin: EmulatedMember;
let crowd: EmulatedMember[];
let resultsChannel: string;
let quizId: number;
let doomedQuizId: number;
let dbDir: string;

beforeAll(async () => {
  // Discord's real per-channel budget for bot messages.
  emu = await DiscordEmulator.start({
    heartbeatIntervalMs: 1000,
    channelMessageRateLimit: { limit: 5, windowMs: 5000 },
  });
  guild = emu.addGuild({ name: 'Busy', channels: [{ name: 'general' }, { name: 'results' }] });
  resultsChannel = guild.channels[1]?.id ?? '';
  admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  crowd = emu.addMembers(guild.id, 40, 'fan');
  const seeded = await seedDatabase({
    guildId: guild.id,
    creatorId: admin.user.id,
    quizzes: [
      { quiz: quizInput('Storm', TIMER_S), questions: QUESTIONS },
      { quiz: quizInput('Doomed', TIMER_S), questions: QUESTIONS },
    ],
    settings: { resultsChannelId: resultsChannel },
  });
  dbDir = seeded.dir;
  quizId = seeded.quizIds[0] ?? 0;
  doomedQuizId = seeded.quizIds[1] ?? 0;
  bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      DATABASE_URL: seeded.url,
      LIVE_GAME_INTERLUDE_SECONDS: '1',
      LIVE_GAME_LEASE_SECONDS: '3',
    },
  });
  await bot.waitUntilServing();
}, 40_000);

afterAll(async () => {
  await bot?.stop();
  await emu?.close();
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
});

async function hostAndStartHere(channelId: string, quiz = quizId): Promise<void> {
  await hostAndStart(emu, { guildId: guild.id, channelId }, admin.user.id, quiz);
}

async function metric(name: string): Promise<number> {
  const response = await fetch(bot.url('/metrics'));
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

describe('rate-limit storms', () => {
  it('at 5 messages per 5 s per channel, with 429 storms on the reveals and 40 members answering, no question or reveal is lost', async () => {
    const channelId = emu.addChannel(guild.id, { name: 'storm' }).id;
    // Every reveal edit is refused with a 429 three times first (Retry-After 1 s).
    emu.injectFault({
      method: 'PATCH',
      path: new RegExp(`^/channels/${channelId}/messages/`),
      status: 429,
      times: 6,
      retryAfterSeconds: 1,
    });
    const before = emu.restCalls.length;
    await hostAndStartHere(channelId);
    const expected = new Map<string, number>();
    for (let q = 1; q <= 3; q++) {
      const question = await waitForQuestion(emu, channelId, q, 30_000);
      const correct = QUESTIONS[q - 1]?.correctIndex ?? 0;
      // The crowd answers through the first four seconds; every click is acknowledged.
      const clicks = crowd.map((member, i) =>
        answer(emu, question, member.user.id, i % 3 === 0 ? 1 - correct : correct, 100 + i * 95).then(ack),
      );
      const acks = await Promise.all(clicks);
      expect(acks.every((a) => a.startsWith('Locked in:'))).toBe(true);
      for (const [i, member] of crowd.entries()) {
        if (i % 3 === 0) continue;
        const points = expectedPoints(QUESTIONS[q - 1]?.points ?? 0, TIMER_S, 100 + i * 95);
        expected.set(member.user.id, (expected.get(member.user.id) ?? 0) + points);
      }
      await waitUntil(
        () => /the answer is/.test(titleOf(emu.message(question.id)?.message)),
        `the reveal of question ${q}`,
        30_000,
      );
    }
    const podium = await waitForChannelTitle(emu, channelId, /^🏆 Final results: Storm$/, 30_000);
    expect(podium.embeds[0]?.footer?.text).toBe('40 players · 3 questions');
    const top = /<@(\d+)> — \*\*(\d+)\*\*/.exec(podium.embeds[0]?.description ?? '');
    expect(Number(top?.[2])).toBe(Math.max(...expected.values()));
    expect(expected.get(top?.[1] ?? '')).toBe(Number(top?.[2]));

    const calls = emu.restCalls
      .slice(before)
      .filter((c) => c.path.startsWith(`/channels/${channelId}/messages`));
    const refused = calls.filter((c) => c.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(6); // the storm happened…
    // …and every question, reveal and standings landed exactly once, in order.
    const titles = channelMessages(emu, channelId).map(titleOf);
    expect(titles).toEqual([
      'Live quiz: Storm',
      'Question 1 of 3: the answer is A',
      'Standings after question 1 of 3',
      'Question 2 of 3: the answer is B',
      'Standings after question 2 of 3',
      'Question 3 of 3: the answer is A',
      '🏆 Final results: Storm',
    ]);
    // The counter gave way to the reveals when the channel's budget was short.
    expect(await metric('badgey_live_edits_deferred_total')).toBeGreaterThan(0);
  }, 150_000);
});

describe('a deleted channel mid-game', () => {
  it('ends the game cleanly with the results so far: posted in the results channel and stored', async () => {
    const channelId = emu.addChannel(guild.id, { name: 'doomed' }).id;
    await hostAndStartHere(channelId);
    const fan = crowd[0];
    if (!fan) throw new Error('no crowd');
    const q1 = await waitForQuestion(emu, channelId, 1, 30_000);
    await ack(await answer(emu, q1, fan.user.id, 0, 1010));
    await waitForChannelTitle(emu, channelId, /^Standings after question 1 of 3$/, 30_000);
    await waitForQuestion(emu, channelId, 2, 30_000);
    emu.deleteChannel(channelId);

    const post = await waitUntil(
      () =>
        channelMessages(emu, resultsChannel).find((m) =>
          /game channel was deleted/.test(m.embeds[0]?.description ?? ''),
        ),
      'the results post',
      30_000,
    );
    expect(post.embeds[0]?.description).toContain(
      `<@${fan.user.id}> — **${expectedPoints(10, TIMER_S, 1010)}**`,
    );
    // The channel is free again and the game is gone from /quiz games.
    const games = injectGames(
      emu,
      { guildId: guild.id, channelId: guild.channels[0]?.id ?? '' },
      admin.user.id,
    );
    await waitUntil(() => games.originalMessage()?.embeds[0]?.description, 'the games list');
    expect(games.originalMessage()?.embeds[0]?.description).toMatch(/No scheduled or running games/);
    const finished = bot.logs.filter((l) => l.msg === 'live game finished').at(-1);
    // Question 2's timer ran out before its reveal found the channel gone: it was played, so it counts.
    expect(finished).toMatchObject({ reason: 'channel_deleted', questions: 2, players: 1 });
  }, 90_000);
});

describe('a quiz deleted mid-game', () => {
  it('ends the game at once with the results so far, shown in the channel and not stored', async () => {
    const channelId = emu.addChannel(guild.id, { name: 'quiz-gone' }).id;
    await hostAndStartHere(channelId, doomedQuizId);
    const fan = crowd[1];
    if (!fan) throw new Error('no crowd');
    const q1 = await waitForQuestion(emu, channelId, 1, 30_000);
    await ack(await answer(emu, q1, fan.user.id, 0, 2010));
    await waitForChannelTitle(emu, channelId, /^Standings after question 1 of 3$/, 30_000);
    await waitForQuestion(emu, channelId, 2, 30_000);

    const where = { guildId: guild.id, channelId };
    const ask = emu.injectChatInput({
      ...where,
      userId: admin.user.id,
      name: 'quiz',
      options: [
        {
          type: 1,
          name: 'delete',
          options: [{ type: 3, name: 'quiz', value: String(doomedQuizId) }],
        } as never,
      ],
    });
    const confirm = await waitUntil(() => {
      const reply = ask.originalMessage();
      const button = reply ? buttons(reply).find((b) => b.custom_id.includes(':confirm:')) : undefined;
      return reply && button ? { reply, button } : undefined;
    }, 'the delete confirmation');
    emu.injectComponent({
      messageId: confirm.reply.id,
      customId: confirm.button.custom_id,
      userId: admin.user.id,
    });

    const podium = await waitForChannelTitle(emu, channelId, /^🏆 Final results: Doomed$/, 20_000);
    expect(podium.embeds[0]?.description).toContain(
      'The quiz was deleted, so the game ended. Results so far (not stored):',
    );
    expect(podium.embeds[0]?.description).toContain(
      `<@${fan.user.id}> — **${expectedPoints(10, TIMER_S, 2010)}**`,
    );
    expect(podium.embeds[0]?.description).not.toContain('/leaderboard');
    const finished = bot.logs.filter((l) => l.msg === 'live game finished').at(-1);
    expect(finished).toMatchObject({ reason: 'quiz_deleted', players: 1 });
  }, 90_000);
});
