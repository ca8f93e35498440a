import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type SessionStatus,
  SOLO_EVENT_TYPES,
  SOLO_TRANSITIONS,
  type SoloEffect,
  type SoloEvent,
  type SoloEventType,
  type SoloRules,
  SoloSession,
  type SoloSessionState,
} from '../../../../src/quiz/session/SoloSession.js';
import type { Question } from '../../../../src/quiz/types.js';
import { FakeClock } from '../../../support/FakeClock.js';

const USER = '200000000000000001';
const OTHER = '200000000000000002';
const RULES: SoloRules = { feedbackDelayMs: 5_000, idleTimeoutMs: 300_000, timeoutGraceMs: 1_000 };

function questions(count: number): Question[] {
  return Array.from({ length: count }, (_, i) => ({
    id: 100 + i,
    quizId: 7,
    position: i,
    text: `Question ${i + 1}?`,
    options: ['right', 'wrong', 'other'],
    correctIndex: 0,
    points: 10,
    explanation: i === 0 ? 'Because.' : null,
  }));
}

function fresh(
  clock: FakeClock,
  count = 3,
  quiz: Partial<{ questionLimit: number | null; shuffle: boolean; timerSeconds: number }> = {},
  seed = 1,
): SoloSessionState {
  const created = SoloSession.create({
    sessionId: 's1',
    guildId: '100000000000000001',
    userId: USER,
    quiz: { id: 7, name: 'Q', timerSeconds: 20, questionLimit: null, shuffle: false, ...quiz },
    questions: questions(count),
    seed,
    startedAtMs: clock.now(),
  });
  if (!created.ok) throw new Error('create failed');
  return created.value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Feeds the event; fails the test on a rejection. */
function apply(
  state: SoloSessionState,
  event: SoloEvent,
): { state: SoloSessionState; effects: SoloEffect[] } {
  const step = SoloSession.step(state, event, RULES);
  if (step.rejection) throw new Error(`rejected: ${JSON.stringify(step.rejection)}`);
  return step;
}

const types = (effects: SoloEffect[]) =>
  effects.map((e) => (e.type === 'persist' ? `persist:${e.write}` : e.type));

/** A session in each status, reached through events on the fake clock (question 0 of 3 current). */
function inStatus(status: SessionStatus, clock: FakeClock): SoloSessionState {
  let state = fresh(clock);
  if (status === 'ready') return state;
  state = apply(state, { type: 'started', atMs: clock.now() }).state;
  if (status === 'awaiting_answer') return state;
  clock.advance(2_000);
  state = apply(state, {
    type: 'answered',
    userId: USER,
    questionIndex: 0,
    optionIndex: 0,
    clickedAtMs: clock.now(),
    atMs: clock.now(),
  }).state;
  if (status === 'showing_feedback') return state;
  if (status === 'interrupted') return apply(state, { type: 'shutDown', atMs: clock.now() }).state;
  for (let i = 1; i < 3; i++) {
    state = apply(state, { type: 'advanced', atMs: clock.now() }).state;
    state = apply(state, { type: 'timedOut', questionIndex: i, atMs: clock.now() }).state;
  }
  return apply(state, { type: 'advanced', atMs: clock.now() }).state;
}

/** A well-formed event of each type for the state's current question. */
function eventOf(type: SoloEventType, state: SoloSessionState, atMs: number): SoloEvent {
  const questionIndex = Math.max(0, state.currentIndex);
  switch (type) {
    case 'started':
      return { type, atMs };
    case 'delivered':
      return { type, questionIndex, atMs };
    case 'answered':
      return { type, userId: USER, questionIndex, optionIndex: 0, clickedAtMs: atMs, atMs };
    case 'timedOut':
      return { type, questionIndex, atMs };
    case 'advanced':
      return { type, atMs };
    case 'expired':
      return { type, reason: 'idle', atMs };
    case 'shutDown':
      return { type, atMs };
  }
}

const STATUSES = Object.keys(SOLO_TRANSITIONS) as SessionStatus[];

describe('SoloSession transition table (every event in every state, on the fake clock)', () => {
  for (const status of STATUSES) {
    for (const type of SOLO_EVENT_TYPES) {
      const allowed = SOLO_TRANSITIONS[status][type];
      it(`${status} + ${type} → ${allowed ? allowed.join(' | ') : 'rejected, nothing changes'}`, () => {
        const clock = new FakeClock();
        const before = deepFreeze(inStatus(status, clock));
        expect(before.status).toBe(status);
        clock.advance(1_000);
        const step = SoloSession.step(before, eventOf(type, before, clock.now()), RULES);
        if (allowed) {
          expect(step.rejection).toBeUndefined();
          expect(allowed).toContain(step.state.status);
        } else {
          expect(step.rejection).toBeDefined();
          expect(step.state).toBe(before);
          expect(step.effects).toEqual([]);
        }
      });
    }
  }

  it('lists every status and event type', () => {
    expect(STATUSES.sort()).toEqual([
      'awaiting_answer',
      'finished',
      'interrupted',
      'ready',
      'showing_feedback',
    ]);
    expect(new Set(SOLO_EVENT_TYPES).size).toBe(7);
  });
});

describe('SoloSession effects', () => {
  it('started: stores the attempt, records the start, shows question 1, arms its timer and the idle timer', () => {
    const clock = new FakeClock();
    const { state, effects } = apply(fresh(clock), { type: 'started', atMs: clock.now() });
    expect(types(effects)).toEqual(['persist:start', 'record', 'showQuestion', 'schedule', 'schedule']);
    expect(effects[2]).toEqual({ type: 'showQuestion', questionIndex: 0, deadlineMs: clock.now() + 20_000 });
    expect(effects[3]).toMatchObject({ timer: 'question', atMs: clock.now() + 21_000 });
    expect(effects[4]).toMatchObject({ timer: 'idle', atMs: clock.now() + 300_000 });
    expect(state).toMatchObject({ status: 'awaiting_answer', currentIndex: 0, deliveredAtMs: clock.now() });
  });

  it('answered: 5 of 20 s → 7 points, persisted before the feedback shows', () => {
    const clock = new FakeClock();
    let state = apply(fresh(clock), { type: 'started', atMs: clock.now() }).state;
    const delivered = clock.now() + 300;
    state = apply(state, { type: 'delivered', questionIndex: 0, atMs: delivered }).state;
    clock.advanceTo(delivered + 5_000);
    const step = apply(state, {
      type: 'answered',
      userId: USER,
      questionIndex: 0,
      optionIndex: 0,
      clickedAtMs: clock.now(),
      atMs: clock.now() + 40,
    });
    expect(types(step.effects)).toEqual([
      'cancel',
      'persist:answer',
      'record',
      'showFeedback',
      'schedule',
      'schedule',
    ]);
    expect(step.state.score).toBe(7);
    expect(step.state.answers).toEqual([
      {
        questionIndex: 0,
        questionId: 100,
        outcome: 'correct',
        optionIndex: 0,
        pointsAwarded: 7,
        elapsedMs: 5_000,
      },
    ]);
  });

  it('delivered moves the clock start later, never earlier, and re-arms the question timer', () => {
    const clock = new FakeClock();
    const state = apply(fresh(clock), { type: 'started', atMs: clock.now() }).state;
    const later = apply(state, { type: 'delivered', questionIndex: 0, atMs: clock.now() + 500 });
    expect(later.state.deliveredAtMs).toBe(clock.now() + 500);
    expect(later.effects).toEqual([
      {
        type: 'schedule',
        timer: 'question',
        atMs: clock.now() + 21_500,
        event: { type: 'timedOut', questionIndex: 0, atMs: clock.now() + 21_500 },
      },
    ]);
    expect(
      apply(state, { type: 'delivered', questionIndex: 0, atMs: clock.now() - 500 }).state.deliveredAtMs,
    ).toBe(clock.now());
  });

  it('the rejections of a click: not yours, double, stale, not delivered, no such option, too late', () => {
    const clock = new FakeClock();
    const started = apply(fresh(clock), { type: 'started', atMs: clock.now() }).state;
    const click = (state: SoloSessionState, over: Partial<Extract<SoloEvent, { type: 'answered' }>>) =>
      SoloSession.step(
        state,
        {
          type: 'answered',
          userId: USER,
          questionIndex: 0,
          optionIndex: 0,
          clickedAtMs: clock.now(),
          atMs: clock.now(),
          ...over,
        },
        RULES,
      );
    expect(click(started, { userId: OTHER }).rejection).toEqual({ kind: 'notYourSession' });
    expect(click(started, { questionIndex: 1 }).rejection).toEqual({
      kind: 'questionNotDelivered',
      questionIndex: 1,
    });
    expect(click(started, { optionIndex: 3 }).rejection).toEqual({ kind: 'invalidOption', optionIndex: 3 });
    const answered = click(started, {}).state;
    expect(click(answered, {}).rejection).toEqual({ kind: 'alreadyAnswered', questionIndex: 0 });
    const second = apply(answered, { type: 'advanced', atMs: clock.now() }).state;
    expect(click(second, {}).rejection).toEqual({ kind: 'staleQuestion', questionIndex: 0, currentIndex: 1 });
    const late = click(started, { clickedAtMs: clock.now() + 20_000 });
    expect(late.state.answers[0]).toMatchObject({ outcome: 'timed_out', pointsAwarded: 0 });
    const nextByOther = SoloSession.step(
      answered,
      { type: 'advanced', atMs: clock.now(), userId: OTHER },
      RULES,
    );
    expect(nextByOther.rejection).toEqual({ kind: 'notYourSession' });
    expect(SoloSession.step(second, { type: 'advanced', atMs: 0, userId: USER }, RULES).rejection).toEqual({
      kind: 'alreadyAdvanced',
    });
  });

  it('a timer for a question already answered is ignored', () => {
    const clock = new FakeClock();
    const started = apply(fresh(clock), { type: 'started', atMs: clock.now() }).state;
    const second = apply(apply(started, { type: 'timedOut', questionIndex: 0, atMs: 1 }).state, {
      type: 'advanced',
      atMs: 2,
    }).state;
    expect(
      SoloSession.step(second, { type: 'timedOut', questionIndex: 0, atMs: 3 }, RULES).rejection,
    ).toMatchObject({
      kind: 'ignored',
    });
  });

  it('after the last feedback: stored as complete, summary, results post, end', () => {
    const clock = new FakeClock();
    const finished = inStatus('finished', clock);
    expect(finished).toMatchObject({ status: 'finished', endReason: 'completed', score: 9 });
    const clock2 = new FakeClock();
    const lastFeedback = (() => {
      let state = inStatus('showing_feedback', clock2);
      state = apply(state, { type: 'advanced', atMs: clock2.now() }).state;
      state = apply(state, { type: 'timedOut', questionIndex: 1, atMs: clock2.now() }).state;
      state = apply(state, { type: 'advanced', atMs: clock2.now() }).state;
      return apply(state, { type: 'timedOut', questionIndex: 2, atMs: clock2.now() }).state;
    })();
    const end = apply(lastFeedback, { type: 'advanced', atMs: clock2.now() });
    expect(types(end.effects)).toEqual([
      'cancel',
      'persist:complete',
      'record',
      'showSummary',
      'postResults',
      'end',
    ]);
  });

  it('shutdown and expiry keep the answers and store them resumable; a deleted quiz stores nothing', () => {
    const clock = new FakeClock();
    const feedback = inStatus('showing_feedback', clock);
    const stopped = apply(feedback, { type: 'shutDown', atMs: clock.now() });
    expect(types(stopped.effects)).toEqual(['persist:suspend', 'record', 'showEnded', 'end']);
    expect(stopped.state).toMatchObject({ status: 'interrupted', endReason: 'shutdown', score: 9 });
    const idle = apply(feedback, { type: 'expired', reason: 'idle', atMs: clock.now() });
    expect(types(idle.effects)).toEqual(['persist:suspend', 'record', 'showEnded', 'end']);
    const deleted = apply(feedback, { type: 'expired', reason: 'quizDeleted', atMs: clock.now() });
    expect(types(deleted.effects)).toEqual(['record', 'showEnded', 'end']);
  });
});

describe('SoloSession stored form and resume', () => {
  it('orders by position, applies the question limit, shuffles reproducibly', () => {
    const clock = new FakeClock();
    expect(fresh(clock, 5, { questionLimit: 2 }).questions.map((q) => q.questionId)).toEqual([100, 101]);
    const order = (seed: number) =>
      fresh(clock, 10, { shuffle: true }, seed).questions.map((q) => q.questionId);
    expect(order(42)).toEqual(order(42));
    expect(order(42)).not.toEqual(order(43));
  });

  it('stores order, current question, delivery time, answers and score; restores to ask the next unanswered question with a full timer', () => {
    const clock = new FakeClock();
    const feedback = inStatus('showing_feedback', clock); // question 1 answered after 2 s: 9 points
    const text = SoloSession.toStored(feedback, clock.now());
    expect(Buffer.byteLength(text)).toBeLessThan(400);
    const stored = SoloSession.parseStored(text);
    if (!stored.ok) throw new Error(stored.error.message);
    expect(stored.value).toMatchObject({ order: [100, 101, 102], currentIndex: 0, score: 9 });
    clock.advance(3_600_000); // an hour of downtime
    const restored = SoloSession.restore({
      stored: stored.value,
      guildId: feedback.guildId,
      userId: USER,
      quiz: { id: 7, name: 'Q', timerSeconds: 20 },
      questions: questions(3),
      nowMs: clock.now(),
    });
    if (!restored.ok) throw new Error(restored.error.kind);
    expect(restored.value).toMatchObject({ status: 'ready', score: 9, resumed: true, currentIndex: 0 });
    const { state, effects } = apply(restored.value, { type: 'started', atMs: clock.now() });
    expect(types(effects)).toEqual(['record', 'showQuestion', 'schedule', 'schedule']);
    expect(effects[1]).toEqual({ type: 'showQuestion', questionIndex: 1, deadlineMs: clock.now() + 20_000 });
    // The downtime is not in the duration.
    expect(SoloSession.summarize(state, clock.now()).durationSeconds).toBe(2);
  });

  it('refuses to restore when a question of the attempt was deleted, or garbage', () => {
    const clock = new FakeClock();
    const stored = SoloSession.parseStored(SoloSession.toStored(inStatus('showing_feedback', clock), 0));
    if (!stored.ok) throw new Error('parse');
    const restore = (qs: Question[]) =>
      SoloSession.restore({
        stored: stored.value,
        guildId: 'g',
        userId: USER,
        quiz: { id: 7, name: 'Q', timerSeconds: 20 },
        questions: qs,
        nowMs: 0,
      });
    expect(restore(questions(2))).toEqual({ ok: false, error: { kind: 'questionsChanged' } });
    expect(SoloSession.parseStored('{"v":1}').ok).toBe(false);
    expect(SoloSession.parseStored('nope')).toEqual({
      ok: false,
      error: { kind: 'corruptState', message: 'not JSON' },
    });
  });
});

describe('SoloSession invariants under any sequence of events', () => {
  it('never mutates, never scores twice, the score is the sum of the answers, a rejection changes nothing', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('started' as const) }),
      fc.record({ type: fc.constant('delivered' as const), questionIndex: fc.integer({ min: -1, max: 4 }) }),
      fc.record({
        type: fc.constant('answered' as const),
        questionIndex: fc.integer({ min: -1, max: 4 }),
        optionIndex: fc.integer({ min: -1, max: 3 }),
        other: fc.boolean(),
      }),
      fc.record({ type: fc.constant('timedOut' as const), questionIndex: fc.integer({ min: -1, max: 4 }) }),
      fc.record({ type: fc.constant('advanced' as const), byMember: fc.boolean() }),
      fc.record({ type: fc.constant('expired' as const) }),
      fc.record({ type: fc.constant('shutDown' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(event, fc.integer({ min: 0, max: 30_000 })), { maxLength: 40 }),
        (events) => {
          const clock = new FakeClock();
          let state = deepFreeze(fresh(clock, 4));
          for (const [e, wait] of events) {
            clock.advance(wait);
            const at = clock.now();
            const full: SoloEvent =
              e.type === 'answered'
                ? {
                    type: 'answered',
                    userId: e.other ? OTHER : USER,
                    questionIndex: e.questionIndex,
                    optionIndex: e.optionIndex,
                    clickedAtMs: at,
                    atMs: at,
                  }
                : e.type === 'advanced'
                  ? { type: 'advanced', atMs: at, ...(e.byMember ? { userId: USER } : {}) }
                  : e.type === 'expired'
                    ? { type: 'expired', reason: 'idle', atMs: at }
                    : e.type === 'delivered' || e.type === 'timedOut'
                      ? { type: e.type, questionIndex: e.questionIndex, atMs: at }
                      : { type: e.type, atMs: at };
            const step = SoloSession.step(state, full, RULES);
            if (step.rejection) {
              expect(step.state).toBe(state);
              expect(step.effects).toEqual([]);
            } else {
              const allowed = SOLO_TRANSITIONS[state.status][full.type] ?? [];
              expect(allowed).toContain(step.state.status);
            }
            state = deepFreeze(step.state);
            expect(state.score).toBe(state.answers.reduce((s, a) => s + a.pointsAwarded, 0));
            expect(new Set(state.answers.map((a) => a.questionIndex)).size).toBe(state.answers.length);
            expect(state.answers.length).toBeLessThanOrEqual(state.questions.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
