import { PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLiveGame } from '../../src/quiz/live/LiveGame.js';
import { openDatabase } from '../../src/store/openDatabase.js';
import { type Scratch, scratchPostgres } from '../integration/store/storeTargets.js';
import { BotProcess } from '../support/botProcess.js';
import {
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
} from '../support/discord-emulator/index.js';
import { answer, channelMessages, titleOf, waitForChannelTitle, waitForQuestion } from './liveHarness.js';
import { quizInput, waitUntil } from './takingHarness.js';

// Two bot processes on ONE PostgreSQL and the same shard (as during a rollout: both receive every
// event of the guild). A scheduled game is free for either to take: exactly one runs it, the
// other stays silent (it does not even answer the clicks); when the one running it is killed
// (-9), the other takes it over once the lease has run out — never both at once.
// Build first: `npm run build`.

const TIMER_S = 5;
const LEASE_S = 3;

let emu: DiscordEmulator;
let guild: EmulatedGuild;
let channelId: string;
let admin: EmulatedMember;
let players: EmulatedMember[];
let scratch: Scratch;
const bots: BotProcess[] = [];

beforeAll(async () => {
  emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  guild = emu.addGuild({ name: 'Two Pods', channels: [{ name: 'quiz' }] });
  channelId = guild.channels[0]?.id ?? '';
  admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  players = emu.addMembers(guild.id, 5, 'player');
  scratch = await scratchPostgres();
}, 30_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await emu?.close();
  await scratch?.dispose();
});

describe('two processes, one PostgreSQL', () => {
  it('never both run a game: one runs it, the other takes over only after the first is killed', async () => {
    const db = await openDatabase({ url: scratch.url, logger: pino({ level: 'silent' }) });
    const gameId = 'twopods00001';
    try {
      await db.migrate();
      const quiz = await db.quizzes.create(guild.id, admin.user.id, quizInput('Pods', TIMER_S));
      const questions = [0, 1, 2].map((i) => ({
        text: `Question text ${i + 1}`,
        options: ['right', 'wrong'],
        correctIndex: 0,
        points: 10,
        explanation: null,
      }));
      for (const q of questions) await db.quizzes.addQuestion(guild.id, quiz.id, q);
      // Hosted by a process that is gone (its lease long expired): free for whoever sees the guild.
      const state = newLiveGame(
        {
          id: gameId,
          guildId: guild.id,
          channelId,
          quizId: quiz.id,
          quizName: 'Pods',
          hostId: admin.user.id,
          timerSeconds: TIMER_S,
          questions,
          startsAt: Date.now() + 6000,
        },
        Date.now(),
      );
      expect(await db.liveGames.create(state, { owner: 'gone', until: 0 }, 5)).toEqual({ ok: true });
    } finally {
      await db.close();
    }

    const env = {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      DATABASE_URL: scratch.url,
      LIVE_GAME_INTERLUDE_SECONDS: '1',
      LIVE_GAME_LEASE_SECONDS: String(LEASE_S),
    };
    const [a, b] = await Promise.all([BotProcess.start({ env }), BotProcess.start({ env })]);
    if (!a || !b) throw new Error('bots did not start');
    bots.push(a, b);
    await Promise.all([a.waitUntilServing(), b.waitUntilServing()]);
    expect(emu.sessions.filter((s) => s.state !== 'closed')).toHaveLength(2);

    const tookOver = (bot: BotProcess) =>
      bot.logs.filter((l) => l.msg === 'live game taken over' && l.gameId === gameId).length;
    const owner = await waitUntil(
      () => (tookOver(a) > 0 ? a : tookOver(b) > 0 ? b : undefined),
      'a process taking the game',
      20_000,
    );
    const standby = owner === a ? b : a;

    // Question 1 is asked once; every click gets exactly one answer (from the owner).
    const q1 = await waitForQuestion(emu, channelId, 1, 20_000);
    const clicks = await Promise.all(players.map((p, i) => answer(emu, q1, p.user.id, 0, 300 + i * 100)));
    for (const click of clicks) {
      const response = await click.waitForResponse(8000);
      expect(String(response.data.content)).toBe('Locked in: **A**');
    }
    await waitForChannelTitle(emu, channelId, /^Standings after question 1 of 3$/, 20_000);
    for (const click of clicks) {
      expect(click.responses).toHaveLength(1);
      expect(click.errors).toHaveLength(0); // the standby never tried to answer (no 40060)
    }
    expect(tookOver(standby)).toBe(0);

    // The owner dies mid-question 2; the standby takes over after the lease runs out.
    const q2 = await waitForQuestion(emu, channelId, 2, 20_000);
    owner.signal('SIGKILL');
    await owner.waitForExit(10_000);
    const killedAt = Date.now();
    const again = await waitForQuestion(emu, channelId, 2, 30_000, q2.id);
    expect(tookOver(standby)).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_S * 1000 + 10_000);
    expect(again.content).toMatch(/asked again/);
    const clicks2 = await Promise.all(players.map((p, i) => answer(emu, again, p.user.id, 0, 300 + i * 100)));
    for (const click of clicks2)
      expect(String((await click.waitForResponse(8000)).data.content)).toBe('Locked in: **A**');

    const podium = await waitForChannelTitle(emu, channelId, /^🏆 Final results: Pods$/, 40_000);
    expect(podium.embeds[0]?.footer?.text).toBe('5 players · 3 questions');
    const titles = channelMessages(emu, channelId).map(titleOf);
    expect(titles.filter((t) => /^Question 1 of 3/.test(t))).toHaveLength(1);
    expect(titles.filter((t) => /^Question 2 of 3/.test(t))).toHaveLength(2);
    expect(titles.filter((t) => /^Question 3 of 3/.test(t))).toHaveLength(1);
    expect(titles.filter((t) => /^🏆/.test(t))).toHaveLength(1);

    // The result is stored once: one live attempt per player.
    const check = await openDatabase({ url: scratch.url, logger: pino({ level: 'silent' }) });
    try {
      const rows = await check.leaderboard.top(guild.id, {
        period: 'all',
        now: Date.now(),
        limit: 25,
        mode: 'live',
      });
      expect(rows).toHaveLength(5);
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await check.close();
    }
  }, 150_000);
});
