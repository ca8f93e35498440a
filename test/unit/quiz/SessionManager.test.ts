import { describe, expect, it } from 'vitest';
import {
  type SessionEventMap,
  type SessionEventName,
  SessionManager,
} from '../../../src/quiz/SessionManager.js';
import type { Question } from '../../../src/quiz/types.js';
import { FakeClock } from '../../support/FakeClock.js';

const GUILD = '100000000000000001';
const TIMER_S = 20;
const FEEDBACK_MS = 5_000;
const GRACE_MS = 1_000;

function questions(count: number, quizId = 7): Question[] {
  return Array.from({ length: count }, (_, i) => ({
    id: quizId * 100 + i,
    quizId,
    position: i,
    text: `Q${i + 1}?`,
    options: ['right', 'wrong'],
    correctIndex: 0,
    points: 10,
    explanation: null,
  }));
}

function quiz(id = 7) {
  return { id, name: `Quiz ${id}`, timerSeconds: TIMER_S, questionLimit: null, shuffle: false };
}

type Recorded = {
  [K in SessionEventName]: { event: K; payload: SessionEventMap<string>[K] };
}[SessionEventName];

function setup(opts: { maxSessions?: number; idleTimeoutMs?: number; tokenMaxAgeMs?: number } = {}) {
  const clock = new FakeClock();
  let ids = 0;
  const manager = new SessionManager<string>({
    clock,
    scheduler: clock,
    maxSessions: opts.maxSessions ?? 10,
    idleTimeoutMs: opts.idleTimeoutMs ?? 3_600_000,
    feedbackDelayMs: FEEDBACK_MS,
    ...(opts.tokenMaxAgeMs !== undefined ? { tokenMaxAgeMs: opts.tokenMaxAgeMs } : {}),
    newSessionId: () => `s${++ids}`,
    newSeed: () => 1,
  });
  const events: Recorded[] = [];
  const names: SessionEventName[] = [
    'questionDue',
    'feedback',
    'finished',
    'expired',
    'interrupted',
    'queuePosition',
    'promoted',
    'queueLeft',
  ];
  for (const event of names) {
    manager.on(event, (payload) => events.push({ event, payload } as Recorded));
  }
  let tokens = 0;
  /** A fresh interaction "now" (its token is issued at the current time). */
  const interaction = () => ({ reply: `token-${++tokens}`, issuedAtMs: clock.now() });
  const start = (userId: string, count = 3, quizId = 7) =>
    manager.start({
      guildId: GUILD,
      userId,
      quiz: quiz(quizId),
      questions: questions(count, quizId),
      interaction: interaction(),
    });
  const click = (sessionId: string, userId: string, questionIndex: number, optionIndex = 0) =>
    manager.answer({ sessionId, userId, questionIndex, optionIndex, interaction: interaction() });
  const of = <K extends SessionEventName>(event: K) =>
    events.filter((e) => e.event === event).map((e) => e.payload as SessionEventMap<string>[K]);
  return { clock, manager, events, start, click, of, interaction };
}

function sessionIdOf(result: ReturnType<SessionManager['start']>): string {
  if (!result.ok || result.value.status !== 'started')
    throw new Error(`not started: ${JSON.stringify(result)}`);
  return result.value.sessionId;
}

describe('SessionManager: a member taking a quiz', () => {
  it('delivers, scores an answer, shows feedback, then advances by itself', () => {
    const { clock, start, click, of } = setup();
    const id = sessionIdOf(start('u1'));
    expect(of('questionDue')).toHaveLength(1);
    expect(of('questionDue')[0]).toMatchObject({
      sessionId: id,
      questionIndex: 0,
      questionNumber: 1,
      questionCount: 3,
      deadlineMs: clock.now() + TIMER_S * 1000,
      reply: 'token-1',
    });
    clock.advance(5_000);
    const answered = click(id, 'u1', 0);
    expect(answered.ok && answered.value.pointsAwarded).toBe(7);
    expect(of('feedback')[0]).toMatchObject({
      outcome: { outcome: 'correct', pointsAwarded: 7, score: 7 },
      nextAtMs: clock.now() + FEEDBACK_MS,
      reply: 'token-2',
    });
    clock.advance(FEEDBACK_MS);
    expect(of('questionDue').map((e) => e.questionIndex)).toEqual([0, 1]);
  });

  it('a timeout shows timed_out feedback and advances by itself', () => {
    const { clock, start, of } = setup();
    start('u1');
    clock.advance(TIMER_S * 1000 + GRACE_MS - 1);
    expect(of('feedback')).toHaveLength(0);
    clock.advance(1);
    expect(of('feedback')[0]?.outcome).toMatchObject({ outcome: 'timed_out', pointsAwarded: 0 });
    clock.advance(FEEDBACK_MS);
    expect(of('questionDue').map((e) => e.questionIndex)).toEqual([0, 1]);
  });

  it('a click Discord received in time but delivered late (within the grace) still counts', () => {
    const { clock, start, manager, of } = setup();
    const id = sessionIdOf(start('u1'));
    const deliveredAt = clock.now();
    clock.advance(TIMER_S * 1000 + 500); // past the deadline, inside the 1 s grace: no timeout yet
    expect(of('feedback')).toHaveLength(0);
    const late = manager.answer({
      sessionId: id,
      userId: 'u1',
      questionIndex: 0,
      optionIndex: 0,
      interaction: { reply: 'late', issuedAtMs: deliveredAt + 18_000 }, // stamped by Discord at 18 s
    });
    expect(late.ok && late.value).toMatchObject({ outcome: 'correct', pointsAwarded: 1 });
  });

  it('the last question finishes the session with the exact score and frees the slot', () => {
    const { clock, manager, start, click, of } = setup();
    const id = sessionIdOf(start('u1'));
    click(id, 'u1', 0); // instant: 10
    clock.advance(FEEDBACK_MS + 10_000);
    click(id, 'u1', 1, 1); // wrong: 0
    clock.advance(FEEDBACK_MS);
    clock.advance(TIMER_S * 1000 + GRACE_MS); // timed out: 0
    expect(of('finished')).toHaveLength(0);
    clock.advance(FEEDBACK_MS);
    const finished = of('finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]?.summary).toMatchObject({
      score: 10,
      maxScore: 30,
      correctCount: 1,
      answeredCount: 3,
    });
    expect(finished[0]?.attempt).toMatchObject({ status: 'completed', score: 10, userId: 'u1', quizId: 7 });
    expect(finished[0]?.outcome).toEqual({
      score: 10,
      correctCount: 1,
      completedAt: clock.now(),
      durationSeconds: (clock.now() - finished[0]!.state.startedAtMs) / 1000,
    });
    expect(manager.counts()).toEqual({ running: 0, queued: 0 });
    expect(manager.sessionIdFor(GUILD, 'u1')).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('double click, stale click and another member’s click are refused and never double-score', () => {
    const { clock, manager, start, click, of } = setup();
    const id = sessionIdOf(start('u1'));
    expect(click(id, 'u1', 0).ok).toBe(true);
    expect(click(id, 'u1', 0)).toEqual({ ok: false, error: { kind: 'alreadyAnswered', questionIndex: 0 } });
    clock.advance(FEEDBACK_MS);
    expect(click(id, 'u1', 0)).toEqual({
      ok: false,
      error: { kind: 'staleQuestion', questionIndex: 0, currentIndex: 1 },
    });
    expect(click(id, 'intruder', 1)).toEqual({ ok: false, error: { kind: 'notYourSession' } });
    expect(click('no-such-session', 'u1', 1)).toEqual({ ok: false, error: { kind: 'sessionNotFound' } });
    expect(of('feedback')).toHaveLength(1);
    expect(manager.getState(id)?.score).toBe(10);
  });

  it('Next skips the feedback pause; a second Next is refused', () => {
    const { manager, start, click, of, interaction } = setup();
    const id = sessionIdOf(start('u1'));
    click(id, 'u1', 0);
    expect(manager.next({ sessionId: id, userId: 'u1', interaction: interaction() })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(of('questionDue').map((e) => e.questionIndex)).toEqual([0, 1]);
    expect(manager.next({ sessionId: id, userId: 'u1', interaction: interaction() })).toEqual({
      ok: false,
      error: { kind: 'alreadyAdvanced' },
    });
    expect(manager.next({ sessionId: id, userId: 'u2', interaction: interaction() })).toEqual({
      ok: false,
      error: { kind: 'notYourSession' },
    });
  });

  it('scores from the confirmed delivery time, and the timeout moves with it', () => {
    const { clock, manager, start, click, of } = setup();
    const id = sessionIdOf(start('u1'));
    const t0 = clock.now();
    expect(manager.confirmDelivered(id, 0, t0 + 2_000)).toBe(true); // the message took 2 s to reach Discord
    clock.advance(TIMER_S * 1000);
    expect(of('feedback')).toHaveLength(0);
    const answered = click(id, 'u1', 0); // 18 s after the real delivery
    expect(answered.ok && answered.value.pointsAwarded).toBe(1);
  });

  it('allows one running session per member (per guild)', () => {
    const { start, manager } = setup();
    const id = sessionIdOf(start('u1'));
    expect(start('u1')).toEqual({ ok: false, error: { kind: 'alreadyRunning', sessionId: id } });
    const otherGuild = manager.start({
      guildId: '999',
      userId: 'u1',
      quiz: quiz(),
      questions: questions(1),
      interaction: { reply: 'x', issuedAtMs: 0 },
    });
    expect(otherGuild.ok).toBe(true);
  });

  it('refuses a quiz without questions', () => {
    const { start } = setup();
    expect(start('u1', 0)).toEqual({ ok: false, error: { kind: 'noQuestions' } });
  });
});

describe('SessionManager: ending sessions', () => {
  // Original bug 5: an abandoned quiz held its slot forever.
  it('ends on inactivity with the score kept and frees the slot', () => {
    const { clock, manager, start, click, of } = setup({ idleTimeoutMs: 60_000, maxSessions: 1 });
    const id = sessionIdOf(start('u1', 10));
    click(id, 'u1', 0);
    expect(start('u2').ok && 'queued').toBe('queued');
    clock.advance(59_999);
    expect(of('expired')).toHaveLength(0);
    clock.advance(1);
    const expired = of('expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      reason: 'idle',
      summary: { score: 10 },
      attempt: { status: 'abandoned', score: 10 },
    });
    // The slot went to the waiting member.
    expect(of('promoted').map((p) => p.userId)).toEqual(['u2']);
    expect(manager.counts()).toEqual({ running: 1, queued: 0 });
  });

  // Original bug 21: sessions outlived their 15-minute interaction token.
  it('ends before the newest token is 14 minutes old, using the newest token', () => {
    const { clock, start, click, of } = setup({ idleTimeoutMs: 3_600_000 });
    const id = sessionIdOf(start('u1', 200));
    const startedAt = clock.now();
    // The member answers every question for 10 minutes: each click brings a fresh token.
    let lastClickAt = startedAt;
    for (let q = 0; clock.now() - startedAt < 10 * 60_000; q++) {
      clock.advance(1_000);
      expect(click(id, 'u1', q).ok).toBe(true);
      lastClickAt = clock.now();
      clock.advance(FEEDBACK_MS);
    }
    const lastToken = of('feedback').at(-1)?.reply;
    expect(of('expired')).toHaveLength(0);
    // Then walks away: questions time out one after another on the same (aging) token.
    clock.advanceTo(lastClickAt + 14 * 60_000 - 1);
    expect(of('expired')).toHaveLength(0);
    clock.advance(1);
    const expired = of('expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ reason: 'tokenAge', reply: lastToken });
    expect(expired[0]?.summary.score).toBeGreaterThan(0);
    // The session outlived its first token by far, but never its newest one.
    expect(clock.now() - startedAt).toBeGreaterThan(15 * 60_000);
    expect(clock.now() - lastClickAt).toBeLessThan(15 * 60_000);
  });

  it('a session promoted from the queue still ends by its start token’s age', () => {
    const { clock, manager, start, of } = setup({ maxSessions: 1 });
    start('u1', 100, 7);
    start('u2', 50, 8); // queued at t0: its token is issued now
    clock.advance(10 * 60_000);
    manager.endForDeletedQuiz(7); // the slot frees after 10 minutes
    expect(of('promoted').map((p) => [p.userId, p.waitedMs])).toEqual([['u2', 10 * 60_000]]);
    clock.advance(4 * 60_000 - 1);
    expect(of('expired').filter((e) => e.state.userId === 'u2')).toHaveLength(0);
    clock.advance(1);
    const expired = of('expired').find((e) => e.state.userId === 'u2');
    expect(expired?.reason).toBe('tokenAge');
    expect(expired?.state.endedAtMs).toBe(expired!.state.startedAtMs + 4 * 60_000);
  });

  it('a waiter whose token is dead by the time a slot frees is not promoted', () => {
    const { clock, start, of } = setup({ maxSessions: 1 });
    start('u1', 100); // ends by token age at 14 min, the same instant u2's queued token runs out
    start('u2');
    clock.advance(14 * 60_000);
    expect(of('expired').map((e) => e.reason)).toEqual(['tokenAge']);
    expect(of('promoted')).toHaveLength(0);
    expect(of('queueLeft')).toEqual([{ guildId: GUILD, userId: 'u2', reason: 'tokenAge', reply: 'token-2' }]);
  });

  it('shutdown interrupts every session with progress kept, empties the queue, refuses new starts', () => {
    const { clock, manager, start, click, of } = setup({ maxSessions: 2 });
    const a = sessionIdOf(start('u1'));
    const b = sessionIdOf(start('u2'));
    start('u3');
    click(a, 'u1', 0);
    clock.advance(FEEDBACK_MS);
    const interrupted = manager.shutdown();
    expect(interrupted.map((s) => [s.sessionId, s.status, s.score])).toEqual([
      [a, 'interrupted', 10],
      [b, 'interrupted', 0],
    ]);
    expect(of('interrupted').map((e) => e.attempt.status)).toEqual(['interrupted', 'interrupted']);
    expect(of('interrupted')[0]?.summary).toMatchObject({ score: 10, answeredCount: 1, questionCount: 3 });
    expect(of('queueLeft')).toEqual([{ guildId: GUILD, userId: 'u3', reason: 'shutdown', reply: 'token-3' }]);
    expect(of('promoted')).toHaveLength(0);
    expect(start('u4')).toEqual({ ok: false, error: { kind: 'shuttingDown' } });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a deleted quiz ends its sessions politely and drops its waiters; other quizzes continue', () => {
    const { manager, start, of } = setup({ maxSessions: 2 });
    sessionIdOf(start('u1', 3, 7));
    const other = sessionIdOf(start('u2', 3, 8));
    start('u3', 3, 7);
    start('u4', 3, 8);
    expect(manager.endForDeletedQuiz(7)).toBe(1);
    expect(of('expired').map((e) => [e.state.userId, e.reason])).toEqual([['u1', 'quizDeleted']]);
    expect(of('queueLeft').map((e) => [e.userId, e.reason])).toEqual([['u3', 'quizDeleted']]);
    // u1's slot went to u4 (quiz 8), the remaining waiter.
    expect(of('promoted').map((p) => p.userId)).toEqual(['u4']);
    expect(manager.getState(other)?.status).toBe('awaiting_answer');
  });
});

describe('SessionManager: the queue', () => {
  it('queues past the cap, reports positions, and promotes in FIFO order when slots free', () => {
    const { clock, manager, start, click, of } = setup({ maxSessions: 2 });
    const a = sessionIdOf(start('u1', 1));
    sessionIdOf(start('u2', 1));
    expect(start('u3')).toEqual({ ok: true, value: { status: 'queued', position: 1 } });
    expect(start('u4')).toEqual({ ok: true, value: { status: 'queued', position: 2 } });
    expect(start('u4')).toEqual({ ok: false, error: { kind: 'alreadyQueued', position: 2 } });
    expect(manager.counts()).toEqual({ running: 2, queued: 2 });

    clock.advance(3_000);
    click(a, 'u1', 0);
    clock.advance(FEEDBACK_MS); // u1 finishes → u3 promoted, u4 moves up
    expect(of('queuePosition')).toEqual([]); // not yet: places are redrawn after a pause that gathers changes
    clock.advance(1_000);
    expect(of('promoted')).toEqual([
      { guildId: GUILD, userId: 'u3', sessionId: 's3', waitedMs: 8_000, reply: 'token-3' },
    ]);
    expect(of('questionDue').at(-1)).toMatchObject({ sessionId: 's3', questionIndex: 0 });
    expect(of('queuePosition')).toEqual([{ guildId: GUILD, userId: 'u4', position: 1, reply: 'token-4' }]);
    expect(manager.queuePositionOf(GUILD, 'u4')).toBe(1);
    expect(manager.counts()).toEqual({ running: 2, queued: 1 });
  });

  it('a waiter whose token is about to expire leaves the queue; the rest move up', () => {
    const { clock, manager, start, click, of } = setup({ maxSessions: 1 });
    const first = sessionIdOf(start('u1', 100));
    start('u2'); // token issued at t0
    clock.advance(60_000);
    expect(click(first, 'u1', 2).ok).toBe(true); // u1 stays active: a fresh token
    start('u3');
    clock.advance(13 * 60_000 - 1);
    expect(of('queueLeft')).toHaveLength(0);
    clock.advance(1);
    expect(of('queueLeft')).toEqual([{ guildId: GUILD, userId: 'u2', reason: 'tokenAge', reply: 'token-2' }]);
    clock.advance(1_000); // places are redrawn after a pause that gathers changes
    expect(of('queuePosition')).toEqual([{ guildId: GUILD, userId: 'u3', position: 1, reply: 'token-4' }]);
    expect(manager.queuePositionOf(GUILD, 'u2')).toBeNull();
    expect(manager.getState(first)).toBeDefined(); // u1's session runs on
  });

  it('a 1,000-deep queue drains with place redraws linear in its length, not one per promotion', () => {
    // Issue 12: every promotion used to redraw every waiting member's place (a webhook PATCH
    // each): 300 running + 300 waiting cost 45,450 PATCHes. Now each member's place is redrawn
    // only when it leaves its band (exact to 10, tens to 100, then hundreds), at most every 5 s.
    const { clock, manager, start, of } = setup({ maxSessions: 300 });
    for (let i = 0; i < 300; i++) {
      start(`r${i}`, 1); // one question each: it times out and the slot frees 26 s after its start
      clock.advance(50); // spread the finishes, so promotions come one at a time
    }
    const waiting = 1_000;
    const lastShown = new Map<string, { position: number; atMs: number; count: number }>();
    const wrong: string[] = []; // the manager swallows a listener's throw, so collect instead
    manager.on('queuePosition', (e) => {
      const before = lastShown.get(e.userId);
      const actual = manager.queuePositionOf(GUILD, e.userId);
      if (e.position !== actual) wrong.push(`${e.userId} shown ${e.position}, is ${actual}`);
      if (before && e.position >= before.position) wrong.push(`${e.userId} went back to ${e.position}`);
      if (before && clock.now() - before.atMs < 5_000) wrong.push(`${e.userId} redrawn within 5 s`);
      lastShown.set(e.userId, { position: e.position, atMs: clock.now(), count: (before?.count ?? 0) + 1 });
    });
    for (let i = 0; i < waiting; i++) {
      const queued = start(`w${i}`, 1);
      expect(queued).toEqual({ ok: true, value: { status: 'queued', position: i + 1 } });
    }
    for (let t = 0; t < 20 && manager.counts().queued > 0; t++) clock.advance(30_000);

    expect(manager.counts().queued).toBe(0);
    expect(of('promoted')).toHaveLength(waiting);
    expect(wrong.slice(0, 5)).toEqual([]);
    const redraws = of('queuePosition').length;
    // Was ~ waiting²/2 (≈ 500,000); bands + the 5 s minimum bound it to a few per member.
    expect(redraws).toBeLessThanOrEqual(10 * waiting);
    expect(Math.max(...[...lastShown.values()].map((v) => v.count))).toBeLessThanOrEqual(28);
  });

  it('a member may leave the queue', () => {
    const { manager, start, of } = setup({ maxSessions: 1 });
    start('u1');
    start('u2');
    expect(manager.leaveQueue(GUILD, 'u2')).toBe(true);
    expect(manager.leaveQueue(GUILD, 'u2')).toBe(false);
    expect(of('queueLeft').map((e) => e.reason)).toEqual(['cancelled']);
  });
});

describe('SessionManager: listeners', () => {
  it('a throwing listener is reported and the session carries on', () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    const manager = new SessionManager<string>({
      clock,
      scheduler: clock,
      maxSessions: 1,
      idleTimeoutMs: 60_000,
      onListenerError: (_error, event) => errors.push(event),
    });
    manager.on('questionDue', () => {
      throw new Error('Discord is down');
    });
    const seen: number[] = [];
    const off = manager.on('questionDue', (e) => seen.push(e.questionIndex));
    const started = manager.start({
      guildId: GUILD,
      userId: 'u1',
      quiz: quiz(),
      questions: questions(2),
      interaction: { reply: 't', issuedAtMs: clock.now() },
    });
    expect(started.ok).toBe(true);
    expect(errors).toEqual(['questionDue']);
    off();
    clock.advance(TIMER_S * 1000 + GRACE_MS + 5_000); // the default feedback pause
    expect(seen).toEqual([0]);
    expect(errors).toEqual(['questionDue', 'questionDue']);
  });
});
