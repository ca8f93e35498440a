import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRepository } from '../../../../src/quiz/ports.js';
import type { SessionPresenter } from '../../../../src/quiz/session/presenter.js';
import { SoloRunner, type TakeAnalytics } from '../../../../src/quiz/session/SoloRunner.js';
import { SoloSession, type SoloSessionState } from '../../../../src/quiz/session/SoloSession.js';
import type { Question } from '../../../../src/quiz/types.js';
import { type Database, openDatabase } from '../../../../src/store/openDatabase.js';
import { FakeClock } from '../../../support/FakeClock.js';

// The runner on the fake clock with a real (in-memory SQLite) store: what it draws, stores and
// schedules for each effect. Replies are plain labels; the presenter records every call.

const GUILD = '100000000000000001';
const TIMER_S = 20;
const IDLE_MS = 120_000;
const TOKEN_MS = 14 * 60_000;

type Reply = string;
let clock: FakeClock;
let db: Database;
let quizId: number;
let questions: Question[];
let calls: { method: string; reply: Reply; view: unknown }[];
let errors: string[];
let ended: string[];

function recorder(): SessionPresenter<Reply> {
  const record =
    (method: string) =>
    async (reply: Reply, view: unknown): Promise<undefined> => {
      calls.push({ method, reply, view });
      return undefined;
    };
  return {
    showQuestion: record('showQuestion'),
    showFeedback: record('showFeedback'),
    postResults: async (reply, view) => {
      calls.push({ method: 'postResults', reply, view });
      return { status: 'posted', channelId: '1' };
    },
    showSummary: record('showSummary'),
    showEnded: record('showEnded'),
    showResumed: record('showResumed'),
    showResumeOffer: record('showResumeOffer'),
    showGaveUp: record('showGaveUp'),
    showQueued: record('showQueued'),
    showQueueLeft: record('showQueueLeft'),
  };
}

const analytics: TakeAnalytics = {
  recordQuizStart: () => {},
  recordAnswer: () => {},
  recordQuizCompletion: () => {},
  recordError: (type) => void errors.push(type),
};

function runner(
  options: { maxSessions?: number; idleTimeoutMs?: number; attempts?: Partial<AttemptRepository> } = {},
): SoloRunner<Reply> {
  return new SoloRunner<Reply>({
    clock,
    scheduler: clock,
    maxSessions: options.maxSessions ?? 10,
    idleTimeoutMs: options.idleTimeoutMs ?? IDLE_MS,
    presenter: recorder(),
    attempts: {
      ...db.attempts,
      start: db.attempts.start.bind(db.attempts),
      saveProgress: db.attempts.saveProgress.bind(db.attempts),
      complete: db.attempts.complete.bind(db.attempts),
      suspend: db.attempts.suspend.bind(db.attempts),
      ...options.attempts,
    },
    guildSettings: db.guildSettings,
    analytics,
    logger: pino({ level: 'silent' }),
    observer: { sessionEnded: (reason) => void ended.push(reason) },
  });
}

let nextId = 0;
function session(userId: string): SoloSessionState {
  const created = SoloSession.create({
    sessionId: `s${++nextId}`,
    guildId: GUILD,
    userId,
    quiz: { id: quizId, name: 'Sums', timerSeconds: TIMER_S, questionLimit: null, shuffle: false },
    questions,
    seed: 1,
    startedAtMs: clock.now(),
  });
  if (!created.ok) throw new Error('create');
  return created.value;
}

const ref = (reply: Reply) => ({ reply, issuedAtMs: clock.now(), expiresAtMs: clock.now() + TOKEN_MS });
const methods = () => calls.map((c) => c.method);

async function attempts(): Promise<{ status: string; score: number }[]> {
  const rows = await Promise.all([1, 2, 3, 4, 5].map((id) => db.attempts.get(id)));
  return rows.filter((r) => r !== null).map((r) => ({ status: r.status, score: r.score }));
}

beforeEach(async () => {
  clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  calls = [];
  errors = [];
  ended = [];
  db = await openDatabase({ url: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  await db.migrate();
  const quiz = await db.quizzes.create(GUILD, '1', {
    name: 'Sums',
    description: null,
    timerSeconds: TIMER_S,
    questionLimit: null,
    shuffle: false,
    opensAt: null,
    closesAt: null,
  });
  quizId = quiz.id;
  for (const text of ['1+1?', '2+2?']) {
    await db.quizzes.addQuestion(GUILD, quiz.id, {
      text,
      options: ['a', 'b'],
      correctIndex: 0,
      points: 10,
      explanation: null,
    });
  }
  questions = await db.quizzes.listQuestions(GUILD, quiz.id);
});

afterEach(async () => {
  await db.close();
});

describe('SoloRunner on the fake clock', () => {
  it('a click: stored, then its feedback drawn in the click’s own reply; the feedback pause brings the next question', async () => {
    const r = runner();
    await r.start(session('u1'), ref('take'));
    expect(calls).toMatchObject([{ method: 'showQuestion', reply: 'take', view: { questionNumber: 1 } }]);
    clock.advance(5_000);
    const sessionId = r.sessionIdFor(GUILD, 'u1') ?? '';
    const answered = await r.answer({
      sessionId,
      userId: 'u1',
      questionIndex: 0,
      optionIndex: 0,
      interaction: ref('click1'),
    });
    expect(answered.ok).toBe(true);
    expect(calls.at(-1)).toMatchObject({
      method: 'showFeedback',
      reply: 'click1',
      view: { outcome: { pointsAwarded: 7 } },
    });
    expect(await attempts()).toEqual([{ status: 'in_progress', score: 7 }]);
    const stored = await db.attempts.findResumable(GUILD, 'u1', { sessionId });
    expect(JSON.parse(stored?.state ?? '{}')).toMatchObject({
      currentIndex: 0,
      score: 7,
      order: questions.map((q) => q.id),
    });

    clock.advance(5_000); // the feedback pause
    await r.whenIdle();
    expect(calls.at(-1)).toMatchObject({
      method: 'showQuestion',
      reply: 'click1',
      view: { questionNumber: 2 },
    });
    // Someone else's click and a double click change nothing.
    expect(
      await r.answer({ sessionId, userId: 'u2', questionIndex: 1, optionIndex: 0, interaction: ref('x') }),
    ).toEqual({ ok: false, error: { kind: 'notYourSession' } });
    await r.answer({ sessionId, userId: 'u1', questionIndex: 1, optionIndex: 1, interaction: ref('click2') });
    expect(
      await r.answer({
        sessionId,
        userId: 'u1',
        questionIndex: 1,
        optionIndex: 0,
        interaction: ref('click3'),
      }),
    ).toEqual({ ok: false, error: { kind: 'alreadyAnswered', questionIndex: 1 } });
    await r.next({ sessionId, userId: 'u1', interaction: ref('next') });
    await r.whenIdle();
    expect(methods().slice(-3)).toEqual(['showFeedback', 'showSummary', 'postResults']);
    expect(calls.find((c) => c.method === 'showSummary')?.view).toMatchObject({
      bestScore: 7,
      isNewBest: true,
    });
    expect(await attempts()).toEqual([{ status: 'completed', score: 7 }]);
    expect(r.counts()).toEqual({ running: 0, queued: 0 });
    expect(ended).toEqual(['completed']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('no click: the question times out after its timer and the grace, with 0 points', async () => {
    const r = runner();
    await r.start(session('u1'), ref('take'));
    clock.advance(TIMER_S * 1000 + 999);
    await r.whenIdle();
    expect(methods()).toEqual(['showQuestion']);
    clock.advance(1);
    await r.whenIdle();
    expect(calls.at(-1)).toMatchObject({
      method: 'showFeedback',
      view: { outcome: { outcome: 'timed_out', pointsAwarded: 0 } },
    });
  });

  it('idle and token age stop the session resumable; SIGTERM too', async () => {
    const r = runner({ idleTimeoutMs: 10_000 });
    await r.start(session('idle'), ref('a'));
    clock.advance(10_000);
    await r.whenIdle();
    expect(calls.at(-1)).toMatchObject({ method: 'showEnded', view: { reason: 'idle', saved: true } });
    expect(await db.attempts.findResumable(GUILD, 'idle', { quizId })).not.toBeNull();

    // Token age: the member keeps clicking (no idle end) until the newest reply is about to die.
    const s = session('token');
    await r.start(s, {
      reply: 'old',
      issuedAtMs: clock.now() - TOKEN_MS + 1_000,
      expiresAtMs: clock.now() + 1_000,
    });
    clock.advance(1_000);
    await r.whenIdle();
    expect(calls.at(-1)).toMatchObject({
      method: 'showEnded',
      reply: 'old',
      view: { reason: 'tokenAge', saved: true },
    });

    await r.start(session('term'), ref('t'));
    await r.start(session('gone'), ref('g'));
    expect(r.endForDeletedQuiz(quizId + 1)).toBe(0);
    expect(await r.shutdown()).toBe(2);
    expect(
      calls.filter((c) => c.method === 'showEnded').map((c) => (c.view as { reason: string }).reason),
    ).toEqual(['idle', 'tokenAge', 'shutdown', 'shutdown']);
    expect((await attempts()).map((a) => a.status)).toEqual([
      'abandoned',
      'abandoned',
      'interrupted',
      'interrupted',
    ]);
    expect(ended).toEqual(['idle', 'tokenAge', 'shutdown', 'shutdown']);
    expect((await r.start(session('late'), ref('l'))).ok).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a deleted quiz ends its sessions without storing', async () => {
    const r = runner();
    await r.start(session('u1'), ref('a'));
    expect(r.endForDeletedQuiz(quizId)).toBe(1);
    await r.whenIdle();
    expect(calls.at(-1)).toMatchObject({
      method: 'showEnded',
      view: { reason: 'quizDeleted', saved: false },
    });
    expect(await attempts()).toEqual([{ status: 'in_progress', score: 0 }]);
  });

  it('a failing write is recorded; the member still sees the feedback', async () => {
    const r = runner({
      attempts: {
        saveProgress: async () => {
          throw new Error('disk full');
        },
      },
    });
    await r.start(session('u1'), ref('take'));
    await r.answer({
      sessionId: r.sessionIdFor(GUILD, 'u1') ?? '',
      userId: 'u1',
      questionIndex: 0,
      optionIndex: 0,
      interaction: ref('c'),
    });
    expect(errors).toEqual(['attempt_store_failed']);
    expect(calls.at(-1)?.method).toBe('showFeedback');
  });

  it('the queue: FIFO, leaving, promotion when a slot frees, token age; places redrawn after a pause', async () => {
    const r = runner({ maxSessions: 1 });
    await r.start(session('first'), ref('f'));
    for (let i = 0; i < 12; i++) {
      expect(await r.start(session(`w${i}`), ref(`w${i}`))).toEqual({
        ok: true,
        value: { status: 'queued', position: i + 1 },
      });
    }
    expect(await r.start(session('w0'), ref('again'))).toEqual({
      ok: false,
      error: { kind: 'alreadyQueued', position: 1 },
    });
    expect(await r.reattachQueued(GUILD, 'w3', ref('w3-new'))).toEqual({ position: 4, quizName: 'Sums' });
    calls = [];
    expect(r.leaveQueue(GUILD, 'w1')).toBe(true);
    await r.whenIdle();
    expect(calls).toMatchObject([{ method: 'showQueueLeft', reply: 'w1', view: { reason: 'cancelled' } }]);
    // Places are redrawn after the changes are gathered, at most every 5 s, when they leave their
    // band (exact to 10): w2…w10 move up to 2…10; w11 (12 → 11, same band) waits.
    clock.advance(5_000);
    await r.whenIdle();
    const told = calls.filter((c) => c.method === 'showQueued');
    expect(told.map((c) => c.reply)).toEqual([
      'w2',
      'w3-new',
      ...Array.from({ length: 7 }, (_, i) => `w${i + 4}`),
    ]);
    expect(told.map((c) => (c.view as { position: number }).position)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // The running session ends: the first waiter starts in its own reply.
    calls = [];
    const first = { sessionId: r.sessionIdFor(GUILD, 'first') ?? '', userId: 'first' };
    for (const questionIndex of [0, 1]) {
      await r.answer({ ...first, questionIndex, optionIndex: 0, interaction: ref('f1') });
      await r.next({ ...first, interaction: ref('f2') });
    }
    await r.whenIdle();
    expect(r.sessionIdFor(GUILD, 'w0')).toBeDefined();
    expect(calls.filter((c) => c.method === 'showQuestion').at(-1)?.reply).toBe('w0');
    expect(r.counts()).toEqual({ running: 1, queued: 10 });

    // A waiter whose reply dies leaves the queue (it could never be shown its quiz).
    calls = [];
    await r.start(session('late'), {
      reply: 'late',
      issuedAtMs: clock.now(),
      expiresAtMs: clock.now() + 1_000,
    });
    clock.advance(1_000);
    await r.whenIdle();
    expect(r.counts()).toEqual({ running: 1, queued: 10 });
    expect(calls.filter((c) => c.method === 'showQueueLeft')).toMatchObject([
      { reply: 'late', view: { reason: 'tokenAge' } },
    ]);
    // Shutdown drops the queue.
    await r.shutdown();
    expect(r.counts()).toEqual({ running: 0, queued: 0 });
    expect(calls.filter((c) => c.method === 'showQueueLeft')).toHaveLength(11);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('/quiz take again during a session redraws it in the new reply without restarting the clock', async () => {
    const r = runner();
    await r.start(session('u1'), ref('take'));
    const deadline = (calls[0]?.view as { deadlineMs: number } | undefined)?.deadlineMs;
    clock.advance(3_000);
    expect(await r.reattach(GUILD, 'u1', ref('again'))).toMatchObject({ quizName: 'Sums' });
    expect(calls.at(-1)).toMatchObject({
      method: 'showQuestion',
      reply: 'again',
      view: { deadlineMs: deadline },
    });
    expect(await r.reattach(GUILD, 'nobody', ref('x'))).toBeNull();
  });
});
