import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsExportFile } from '../../src/analytics/index.js';
import type { BotProcess } from '../support/botProcess.js';
import type {
  DiscordEmulator,
  EmulatedGuild,
  EmulatedMember,
  InteractionHandle,
} from '../support/discord-emulator/index.js';
import { type BotWorld, startBotWorld } from './botWorld.js';
import {
  buttons,
  click,
  currentMessage,
  EPHEMERAL,
  editedAt,
  firstEmbed,
  injectTake,
  politeReply,
  quizInput,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// Members taking a quiz end to end: the real bot (`node dist/main.js`) against the emulator, ONE
// bot for the file, two members playing at once. Clicks are stamped with chosen Discord times, so
// every score is exact: points × (timer − t) / timer, truncated, with t from the question
// message's edit time to the click's interaction id time. Build first: `npm run build`.

const TIMER_S = 5;
const QUESTIONS = [
  {
    text: 'Closest planet to the Sun?',
    options: ['Mercury', 'Venus', 'Mars'],
    correctIndex: 0,
    points: 10,
    explanation: null,
  },
  {
    text: 'Largest planet?',
    options: ['Saturn', 'Jupiter'],
    correctIndex: 1,
    points: 20,
    explanation: 'Jupiter is more massive than all the other planets together.',
  },
  {
    text: 'Which planet is red?',
    options: ['Mars', 'Venus'],
    correctIndex: 0,
    points: 30,
    explanation: 'Iron oxide dust.',
  },
  {
    text: 'How many moons has Mars?',
    options: ['1', '2', '3'],
    correctIndex: 1,
    points: 40,
    explanation: null,
  },
];

/**
 * Click offsets sit just past a point boundary for every question's points (multiples of 500 ms are
 * boundaries for 10/20/30/40 points at 5 s), so the expected score holds with ≥ 100 ms to spare.
 */
const BOB_AFTER_MS = 510;

/** The formula, independently: trunc(points × (timer − t) / timer) for a correct answer. */
function expectedPoints(points: number, elapsedMs: number): number {
  const timerMs = TIMER_S * 1000;
  return Math.trunc((points * Math.max(0, timerMs - elapsedMs)) / timerMs);
}

let world: BotWorld<'admin' | 'ada' | 'bob'>;
let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let quizChannel: string;
let resultsChannel: string;
let admin: EmulatedMember;
let ada: EmulatedMember;
let bob: EmulatedMember;
let quizId: number;

/** Button clicks injected (each is one `recordCommand` of the quiz-play handler). */
let clicks = 0;
let rejectedClicks = 0;

async function press(messageId: string, customId: string, userId: string, at?: number) {
  clicks++;
  return click(emu, messageId, customId, userId, at);
}

beforeAll(async () => {
  world = await startBotWorld({
    guild: { name: 'Space Club', channels: ['quiz', 'results'] },
    members: { admin: { manager: true }, ada: {}, bob: {} },
    quizzes: [{ quiz: quizInput('Planets', TIMER_S), questions: QUESTIONS }],
    settings: (channel) => ({ resultsChannelId: channel('results'), retakePolicy: 'unlimited' }),
    env: ({ admin }) => ({ BOT_OWNER_IDS: admin.user.id }),
  });
  ({ emu, bot, guild } = world);
  ({ admin, ada, bob } = world.members);
  quizChannel = world.channel('quiz');
  resultsChannel = world.channel('results');
  quizId = world.quizIds[0] ?? 0;
}, 40_000);

afterAll(async () => {
  await world?.close();
});

function where() {
  return { guildId: guild.id, channelId: quizChannel };
}

/** Answers the question showing now with `option`, the click stamped `afterMs` after the question was shown. */
async function answerAt(
  messageId: string,
  userId: string,
  questionNumber: number,
  option: number,
  afterMs: number,
) {
  const question = await waitForTitle(emu, messageId, new RegExp(`^Question ${questionNumber}/`));
  const shownAt = editedAt(question);
  const button = buttons(question)[option];
  if (!button) throw new Error(`no button ${option} on question ${questionNumber}`);
  const handle = await press(messageId, button.custom_id, userId, shownAt + afterMs);
  return { handle, question, shownAt, customId: button.custom_id };
}

async function nextQuestion(messageId: string, userId: string): Promise<InteractionHandle> {
  const feedback = currentMessage(emu, messageId);
  const next = buttons(feedback).find((b) => b.label === 'Next question' || b.label === 'See results');
  if (!next) throw new Error('no Next button on the feedback');
  return press(messageId, next.custom_id, userId);
}

function fieldValue(messageId: string, name: string): string {
  return firstEmbed(currentMessage(emu, messageId))?.fields?.find((f) => f.name === name)?.value ?? '';
}

const results: { ada?: number; bob?: number } = {};

describe('/quiz take', () => {
  it('scores right, wrong and timed-out answers exactly while two members play at once', async () => {
    const adaTake = injectTake(emu, where(), ada.user.id, quizId);
    const bobTake = injectTake(emu, where(), bob.user.id, quizId);
    expect((await adaTake.waitForResponse()).data.flags).toBe(EPHEMERAL); // deferred, ephemeral
    const adaMessage = await sessionMessageId(adaTake);
    const bobMessage = await sessionMessageId(bobTake);

    const adaPlays = (async () => {
      // Q1 right after 1.25 s.
      const q1 = await answerAt(adaMessage, ada.user.id, 1, 0, 1250);
      await waitForTitle(emu, adaMessage, /^Correct! ✅ · Question 1\/4/);
      const q1Points = expectedPoints(10, 1250);
      expect(fieldValue(adaMessage, 'Points')).toBe(`You earned **${q1Points}** of 10 points.`);
      // A double click on the answered question, and bob clicking ada's message: polite, not scored.
      clicks += 2;
      rejectedClicks += 2;
      const again = emu.injectComponent({
        messageId: adaMessage,
        customId: q1.customId,
        userId: ada.user.id,
      });
      expect(await politeReply(again)).toMatch(/already answered/);
      const foreign = emu.injectComponent({
        messageId: adaMessage,
        customId: q1.customId,
        userId: bob.user.id,
      });
      expect(await politeReply(foreign)).toMatch(/isn't your quiz/);
      await nextQuestion(adaMessage, ada.user.id);

      // Q2 wrong: the feedback shows the right answer and the explanation.
      await answerAt(adaMessage, ada.user.id, 2, 0, 500);
      await waitForTitle(emu, adaMessage, /^Incorrect ❌ · Question 2\/4/);
      expect(fieldValue(adaMessage, 'Points')).toBe('You earned **0** of 20 points.');
      expect(fieldValue(adaMessage, 'The correct answer')).toContain('Jupiter');
      expect(fieldValue(adaMessage, 'Explanation')).toContain('more massive');
      // A click on question 1's button now is stale.
      clicks++;
      rejectedClicks++;
      const stale = emu.injectComponent({
        messageId: adaMessage,
        customId: q1.customId,
        userId: ada.user.id,
      });
      expect(await politeReply(stale)).toMatch(/already behind you/);
      await nextQuestion(adaMessage, ada.user.id);

      // Q3: no answer. Time's up after the timer; the next question comes by itself.
      await waitForTitle(emu, adaMessage, /^Question 3\/4/);
      await waitForTitle(emu, adaMessage, /^Time's up! ⌛ · Question 3\/4/, 10_000);
      expect(fieldValue(adaMessage, 'The correct answer')).toContain('Mars');
      expect(fieldValue(adaMessage, 'Explanation')).toContain('Iron oxide');

      // Q4 (auto-advanced) right after 2.51 s.
      await answerAt(adaMessage, ada.user.id, 4, 1, 2510);
      await waitForTitle(emu, adaMessage, /^Correct! ✅ · Question 4\/4/);
      const q4Points = expectedPoints(40, 2510);
      await nextQuestion(adaMessage, ada.user.id); // "See results"
      return q1Points + q4Points;
    })();

    const bobPlays = (async () => {
      let total = 0;
      for (const [i, q] of QUESTIONS.entries()) {
        await answerAt(bobMessage, bob.user.id, i + 1, q.correctIndex, BOB_AFTER_MS);
        await waitForTitle(emu, bobMessage, new RegExp(`^Correct! ✅ · Question ${i + 1}/4`));
        total += expectedPoints(q.points, BOB_AFTER_MS);
        await nextQuestion(bobMessage, bob.user.id);
      }
      return total;
    })();

    const [adaTotal, bobTotal] = await Promise.all([adaPlays, bobPlays]);
    results.ada = adaTotal;
    results.bob = bobTotal;
    expect(adaTotal).toBe(7 + 19);

    for (const [messageId, total, correct] of [
      [adaMessage, adaTotal, 2],
      [bobMessage, bobTotal, 4],
    ] as const) {
      const summary = await waitForTitle(emu, messageId, /^Quiz complete: Planets/);
      expect(fieldValue(messageId, 'Score')).toBe(`**${total}** of 100 points`);
      expect(fieldValue(messageId, 'Correct')).toBe(`${correct} of 4`);
      expect(firstEmbed(summary)?.description).toContain(`being posted in <#${resultsChannel}>`);
      expect(summary.components ?? []).toEqual([]);
    }
  }, 60_000);

  it('posts the results publicly in the configured channel without pinging anyone', async () => {
    const posts = await waitUntil(
      () => (emu.storedMessages(resultsChannel).length >= 2 ? emu.storedMessages(resultsChannel) : undefined),
      'two results posts',
    );
    expect(posts).toHaveLength(2);
    for (const [member, total] of [
      [ada, results.ada],
      [bob, results.bob],
    ] as const) {
      const post = posts.find((p) => firstEmbed(p.message)?.description?.includes(`<@${member.user.id}>`));
      expect(post, `results post of ${member.user.username}`).toBeDefined();
      expect((post?.message.flags ?? 0) & EPHEMERAL).toBe(0);
      expect(post?.allowedMentions).toEqual({ parse: [] });
      expect(firstEmbed(post!.message)?.fields?.find((f) => f.name === 'Score')?.value).toBe(
        `**${total}** of 100 points`,
      );
    }
  });

  it('/leaderboard ranks the scores and shows the member’s own rank outside the top rows', async () => {
    const handle = emu.injectChatInput({
      ...where(),
      userId: ada.user.id,
      name: 'leaderboard',
      options: [{ type: T.Integer, name: 'rows', value: 1 }],
    });
    const response = await handle.waitForResponse(8000);
    const embed = response.data.embeds?.[0] as { description?: string; title?: string } | undefined;
    expect(response.data.allowed_mentions).toEqual({ parse: [] });
    expect(embed?.title).toBe('Leaderboard · all quizzes · All time');
    const lines = (embed?.description ?? '').split('\n');
    expect(lines[0]).toBe(`🥇 <@${bob.user.id}> — **${results.bob}** points · 1 attempt`);
    expect(lines[1]).toBe('…');
    expect(lines[2]).toBe(`🥈 <@${ada.user.id}> (you) — **${results.ada}** points · 1 attempt`);

    // One quiz (by its autocomplete value), the last 24 hours, as bob.
    const filtered = emu.injectChatInput({
      ...where(),
      userId: bob.user.id,
      name: 'leaderboard',
      options: [
        { type: T.String, name: 'quiz', value: String(quizId) },
        { type: T.String, name: 'period', value: 'day' },
      ],
    });
    const board = (await filtered.waitForResponse(8000)).data.embeds?.[0] as
      | { description?: string; title?: string; footer?: { text?: string } }
      | undefined;
    expect(board?.title).toBe('Leaderboard · Planets · Last 24 hours');
    expect(board?.description?.split('\n')).toHaveLength(2);
    expect(board?.description).toContain(`<@${bob.user.id}> (you)`);
    expect(board?.footer?.text).toBe('2 players');

    const unknown = emu.injectChatInput({
      ...where(),
      userId: bob.user.id,
      name: 'leaderboard',
      options: [{ type: T.String, name: 'quiz', value: 'Nope' }],
    });
    const refused = await unknown.waitForResponse(8000);
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(String(refused.data.content)).toMatch(/can't find a quiz called "Nope"/);
  });

  it('/stats shows this server’s numbers to managers and bot-wide analytics only to owners', async () => {
    const server = emu.injectChatInput({ ...where(), userId: admin.user.id, name: 'stats' });
    const [, edit] = await server.waitForResponses(2, 8000);
    const fields =
      (edit?.data.embeds?.[0] as { fields?: { name: string; value: string }[] } | undefined)?.fields ?? [];
    const field = (name: string) => fields.find((f) => f.name === name)?.value;
    expect(field('Attempts')).toBe('2');
    expect(field('Completed')).toBe('2');
    expect(field('Completion rate')).toBe('100.0 %');
    expect(field('Players')).toBe('2');

    const notOwner = emu.injectChatInput({
      ...where(),
      userId: ada.user.id,
      name: 'stats',
      options: [{ type: T.String, name: 'scope', value: 'bot' }],
    });
    expect(String((await notOwner.waitForResponse(8000)).data.content)).toMatch(/Bot owner/);
    const memberServer = emu.injectChatInput({ ...where(), userId: ada.user.id, name: 'stats' });
    const [, refused] = await memberServer.waitForResponses(2, 8000);
    expect(String(refused?.data.content)).toMatch(/Manage Server/);

    const owner = emu.injectChatInput({
      ...where(),
      userId: admin.user.id,
      name: 'stats',
      options: [{ type: T.String, name: 'scope', value: 'bot' }],
    });
    // Deferred (the bot-wide figures are a database query now), then the embed.
    const [deferred, bot] = await owner.waitForResponses(2, 8000);
    expect(deferred?.data.flags).toBe(EPHEMERAL);
    const botFields =
      (bot?.data.embeds?.[0] as { fields?: { name: string; value: string }[] } | undefined)?.fields ?? [];
    expect(botFields.find((f) => f.name === 'Quizzes started')?.value).toBe('2');
    expect(botFields.find((f) => f.name === 'Quizzes completed')?.value).toBe('2');
    expect(botFields.find((f) => f.name === 'Timed out (this process)')?.value).toBe('1');
  });

  it('/metrics and the analytics export count every step', async () => {
    const metrics = String((await bot.get('/metrics')).body);
    const value = (series: string) => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('badgey_quizzes_started_total')).toBe(2);
    expect(value('badgey_quizzes_completed_total')).toBe(2);
    expect(value('badgey_answers_total{outcome="correct"}')).toBe(6);
    expect(value('badgey_answers_total{outcome="incorrect"}')).toBe(1);
    expect(value('badgey_answers_total{outcome="timeout"}')).toBe(1);
    expect(value('badgey_answer_time_seconds_count')).toBe(7);
    expect(value('badgey_quiz_duration_seconds_count')).toBe(2);
    expect(value('badgey_sessions_ended_total{reason="completed"}')).toBe(2);
    expect(value('badgey_sessions_running')).toBe(0);
    expect(value('badgey_sessions_queued')).toBe(0);
    const buttonCount = metrics
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('badgey_command_duration_seconds_count{') && l.includes('command="button_quiz_play"'),
      )
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(buttonCount).toBe(clicks);
    expect(metrics).not.toContain(ada.user.id);
    expect(metrics).not.toContain(guild.id);

    // The final export is written on SIGTERM; the process exits 0.
    bot.signal('SIGTERM');
    expect((await bot.waitForExit(20_000)).code).toBe(0);
    const file = JSON.parse(
      readFileSync(join(bot.dataDir, 'analytics', 'analytics-latest.json'), 'utf8'),
    ) as AnalyticsExportFile;
    const stats = file.statistics;
    expect(stats.quizzes_started).toBe(2);
    expect(stats.quizzes_completed).toBe(2);
    expect(stats.questions_answered).toBe(8);
    expect(stats.correct_answers).toBe(6);
    expect(stats.timed_out_answers).toBe(1);
    expect(stats.answers_by_mode).toEqual({ solo: 8 });
    expect(stats.quizzes_started_by_mode).toEqual({ solo: 2 });
    expect(stats.quizzes_completed_by_mode).toEqual({ solo: 2 });
    expect(stats.score_percentiles.p50).toBeGreaterThan(0);
    const playKey = Object.keys(stats.command_performance).find((k) => k === 'button_quiz_play');
    expect(playKey).toBeDefined();
    const play = stats.command_performance[playKey!];
    expect(play?.count).toBe(clicks);
    expect(play?.outcomes.rejected).toBe(rejectedClicks);
    expect(stats.command_performance.quiz_take?.count).toBe(2);
    expect(stats.command_performance.leaderboard?.count).toBe(3);
    expect(stats.command_performance.stats?.count).toBe(4);
    expect(JSON.stringify(file)).not.toContain(ada.user.id);
  }, 30_000);
});
