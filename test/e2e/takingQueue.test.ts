import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  editedAt,
  firstEmbed,
  injectTake,
  quizInput,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// The session cap and its queue, a results channel Badgey may not post in, and SIGTERM in the
// middle of a quiz — with QUIZ_MAX_SESSIONS=1, ONE bot for the file.
// Build first: `npm run build`.

const TIMER_S = 60;
const QUESTIONS = [
  { text: 'Two plus two?', options: ['3', '4'], correctIndex: 1, points: 10, explanation: null },
  { text: 'Three times three?', options: ['9', '6'], correctIndex: 0, points: 10, explanation: null },
];

function expectedPoints(points: number, elapsedMs: number): number {
  const timerMs = TIMER_S * 1000;
  return Math.trunc((points * Math.max(0, timerMs - elapsedMs)) / timerMs);
}

let world: BotWorld<'admin' | 'ada' | 'bob' | 'carol' | 'dave'>;
let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let quizChannel: string;
let members: Record<'ada' | 'bob' | 'carol' | 'dave', EmulatedMember>;
let quizId: number;
let dbFile: string;
const messages: Partial<Record<keyof typeof members, string>> = {};
let bobElapsedMs = 0;

beforeAll(async () => {
  world = await startBotWorld({
    guild: { name: 'Busy Server' },
    members: { admin: { manager: true }, ada: {}, bob: {}, carol: {}, dave: {} },
    // Badgey may answer interactions here but not post messages: the results post gets a 403 (50013).
    prepare: ({ emu, channel }) => emu.setChannelPermissions(channel('quiz'), { botCanSend: false }),
    quizzes: [{ quiz: quizInput('Sums', TIMER_S), questions: QUESTIONS }],
    env: { QUIZ_MAX_SESSIONS: '1' },
  });
  ({ emu, bot, guild, members } = world);
  quizChannel = world.channel('quiz');
  dbFile = join(world.database?.dir ?? '', 'badgey.sqlite');
  quizId = world.quizIds[0] ?? 0;
}, 40_000);

afterAll(async () => {
  await world?.close();
});

function take(who: keyof typeof members): InteractionHandle {
  return injectTake(emu, { guildId: guild.id, channelId: quizChannel }, members[who].user.id, quizId);
}

function content(who: keyof typeof members): string {
  const id = messages[who];
  return id ? String(currentMessage(emu, id).content ?? '') : '';
}

/** Clicks the right answer `afterMs` after the question was drawn (or now, if that is past); returns the delay used. */
async function answerCorrectly(who: keyof typeof members, questionNumber: number, afterMs: number) {
  const messageId = messages[who] ?? '';
  const question = await waitForTitle(emu, messageId, new RegExp(`^Question ${questionNumber}/`));
  const button = buttons(question)[QUESTIONS[questionNumber - 1]?.correctIndex ?? 0];
  // A click stamped in the past would already be past Discord's 3 s answer deadline.
  const drawnAt = editedAt(question); // read now: the emulator's message object changes with each edit
  const at = Math.max(drawnAt + afterMs, Date.now());
  await click(emu, messageId, button?.custom_id ?? '', members[who].user.id, at);
  await waitForTitle(emu, messageId, new RegExp(`^Correct! ✅ · Question ${questionNumber}/`));
  return at - drawnAt;
}

async function next(who: keyof typeof members) {
  const messageId = messages[who] ?? '';
  const button = buttons(currentMessage(emu, messageId)).find((b) =>
    /Next question|See results/.test(b.label ?? ''),
  );
  await click(emu, messageId, button?.custom_id ?? '', members[who].user.id);
}

async function metric(series: string): Promise<number | undefined> {
  const text = String((await bot.get('/metrics')).body);
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the session cap (QUIZ_MAX_SESSIONS=1)', () => {
  it('queues members beyond the cap and tells each their position', async () => {
    const adaTake = take('ada');
    messages.ada = await sessionMessageId(adaTake);
    await waitForTitle(emu, messages.ada, /^Question 1\/2/);
    for (const who of ['bob', 'carol', 'dave'] as const) {
      messages[who] = await sessionMessageId(take(who));
      await waitUntil(() => content(who).includes('queue') || content(who).includes('next'), `${who} queued`);
    }
    expect(content('bob')).toMatch(/You're next for "Sums"/);
    expect(content('carol')).toMatch(/You're number \*\*2\*\* in the queue/);
    expect(content('dave')).toMatch(/You're number \*\*3\*\* in the queue/);
    expect(await metric('badgey_sessions_running')).toBe(1);
    expect(await metric('badgey_sessions_queued')).toBe(3);
  });

  it('a member may leave the queue; the others keep their places', async () => {
    const leave = buttons(currentMessage(emu, messages.dave ?? '')).find(
      (b) => b.label === 'Leave the queue',
    );
    await click(emu, messages.dave ?? '', leave?.custom_id ?? '', members.dave.user.id);
    await waitUntil(() => content('dave') === 'You left the queue.', 'dave left');
    expect(content('carol')).toMatch(/number \*\*2\*\*/);
    // /metrics is rendered at most once a second (shared by scrapers): poll past the cached render.
    await expect.poll(() => metric('badgey_sessions_queued'), { timeout: 3_000 }).toBe(2);
  });

  it('a second /quiz take brings the running quiz back in the new reply (e.g. after dismissing it)', async () => {
    const first = messages.ada ?? '';
    const again = take('ada');
    messages.ada = await sessionMessageId(again);
    expect(messages.ada).not.toBe(first);
    const redrawn = await waitForTitle(emu, messages.ada, /^Question 1\/2/);
    expect(buttons(redrawn).map((b) => b.custom_id)).toEqual(
      buttons(currentMessage(emu, first)).map((b) => b.custom_id),
    );
    expect(await metric('badgey_quizzes_started_total')).toBe(1);
  });

  it('tells the member when the results cannot be posted, and the next in line starts', async () => {
    await answerCorrectly('ada', 1, 200);
    await next('ada');
    await answerCorrectly('ada', 2, 200);
    await next('ada');
    await waitForTitle(emu, messages.ada ?? '', /^Quiz complete: Sums/);
    // First "being posted", then — the post refused (50013) — the member is told.
    await waitUntil(
      () =>
        firstEmbed(currentMessage(emu, messages.ada ?? ''))?.description?.includes(
          `I couldn't post your results in <#${quizChannel}>`,
        ),
      'the refused-post notice',
    );
    expect(emu.messages(quizChannel).filter((m) => ((m.flags ?? 0) & 64) === 0)).toHaveLength(0);

    // bob's queue message becomes his first question; carol moves up.
    await waitForTitle(emu, messages.bob ?? '', /^Question 1\/2/);
    await waitUntil(() => /You're next/.test(content('carol')), 'carol next');
  });

  it('SIGTERM mid-quiz tells the member, stores the interrupted attempt and exits 0', async () => {
    // bob's question was drawn before the previous test waited for carol's place (redrawn up to
    // 5 s later since places are coalesced): his click may come later than 300 ms.
    bobElapsedMs = await answerCorrectly('bob', 1, 300);
    await next('bob');
    await waitForTitle(emu, messages.bob ?? '', /^Question 2\/2/);

    bot.signal('SIGTERM');
    expect((await bot.waitForExit(20_000)).code).toBe(0);
    expect(firstEmbed(currentMessage(emu, messages.bob ?? ''))?.title).toBe('Badgey is restarting: Sums');
    expect(firstEmbed(currentMessage(emu, messages.bob ?? ''))?.description).toContain(
      'progress so far was saved',
    );
    expect(content('carol')).toMatch(/Badgey is restarting, so your place in the queue was dropped/);

    const steps = bot.logs.filter((l) => l.msg === 'shutdown step done').map((l) => String(l.step));
    expect(steps.indexOf('end-sessions')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('end-sessions')).toBeLessThan(steps.indexOf('close-gateway'));
    expect(bot.logs.find((l) => l.msg === 'quiz sessions ended for shutdown')?.interrupted).toBe(1);

    const db = new Database(dbFile, { readonly: true });
    try {
      const rows = db
        .prepare('select user_id, status, score, correct_count from attempts order by id')
        .all() as { user_id: string; status: string; score: number; correct_count: number }[];
      expect(rows).toEqual([
        {
          user_id: members.ada.user.id,
          status: 'completed',
          score: 2 * expectedPoints(10, 200),
          correct_count: 2,
        },
        {
          user_id: members.bob.user.id,
          status: 'interrupted',
          score: expectedPoints(10, bobElapsedMs),
          correct_count: 1,
        },
      ]);
    } finally {
      db.close();
    }
  }, 30_000);
});
