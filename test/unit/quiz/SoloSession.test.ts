import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSION_TRANSITIONS, SoloSession, type SoloSessionState } from '../../../src/quiz/SoloSession.js';
import type { Question } from '../../../src/quiz/types.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const USER = '200000000000000001';

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

function session(
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
    startedAtMs: T0,
  });
  if (!created.ok) throw new Error('create failed');
  return created.value;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Delivered question 0 at T0. */
function started(count = 3): SoloSessionState {
  return unwrap(SoloSession.deliverQuestion(session(count), T0)).state;
}

describe('SoloSession.create', () => {
  it('orders by position, applies the question limit, and refuses an empty quiz', () => {
    const s = session(5, { questionLimit: 2 });
    expect(s.status).toBe('ready');
    expect(s.questions.map((q) => q.questionId)).toEqual([100, 101]);
    const empty = SoloSession.create({
      sessionId: 'x',
      guildId: 'g',
      userId: 'u',
      quiz: { id: 1, name: 'n', timerSeconds: 20, questionLimit: null, shuffle: false },
      questions: [],
      seed: 1,
      startedAtMs: T0,
    });
    expect(empty).toEqual({ ok: false, error: { kind: 'noQuestions' } });
  });

  it('shuffles reproducibly from the seed', () => {
    const order = (seed: number) => session(10, { shuffle: true }, seed).questions.map((q) => q.questionId);
    expect(order(42)).toEqual(order(42));
    expect(order(42)).not.toEqual(order(43));
    expect([...order(42)].sort()).toEqual(questions(10).map((q) => q.id));
  });
});

describe('SoloSession answers', () => {
  it('scores a correct answer from delivery to the click (5 of 20 s → 7 points)', () => {
    const { state, outcome } = unwrap(
      SoloSession.answer(started(), {
        userId: USER,
        questionIndex: 0,
        optionIndex: 0,
        clickedAtMs: T0 + 5_000,
      }),
    );
    expect(state.status).toBe('showing_feedback');
    expect(state.score).toBe(7);
    expect(outcome).toEqual({
      questionIndex: 0,
      outcome: 'correct',
      optionIndex: 0,
      pointsAwarded: 7,
      maxPoints: 10,
      correctIndex: 0,
      correctOption: 'right',
      explanation: 'Because.',
      elapsedMs: 5_000,
      score: 7,
      isLastQuestion: false,
    });
  });

  it('a wrong answer scores 0 and names the right answer', () => {
    const { state, outcome } = unwrap(
      SoloSession.answer(started(), { userId: USER, questionIndex: 0, optionIndex: 2, clickedAtMs: T0 + 1 }),
    );
    expect(state.score).toBe(0);
    expect(outcome).toMatchObject({ outcome: 'incorrect', pointsAwarded: 0, correctOption: 'right' });
  });

  it('a double click is refused politely and never scores twice', () => {
    const first = unwrap(
      SoloSession.answer(started(), { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 }),
    ).state;
    deepFreeze(first);
    const second = SoloSession.answer(first, {
      userId: USER,
      questionIndex: 0,
      optionIndex: 0,
      clickedAtMs: T0 + 10,
    });
    expect(second).toEqual({ ok: false, error: { kind: 'alreadyAnswered', questionIndex: 0 } });
    expect(first.score).toBe(10);
  });

  it('a click on an earlier question is stale', () => {
    let s = unwrap(
      SoloSession.answer(started(), { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 }),
    ).state;
    s = unwrap(SoloSession.deliverQuestion(s, T0 + 5_000)).state;
    expect(
      SoloSession.answer(s, { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 + 6_000 }),
    ).toEqual({
      ok: false,
      error: { kind: 'staleQuestion', questionIndex: 0, currentIndex: 1 },
    });
  });

  it("another member's click is refused, whatever the state", () => {
    expect(
      SoloSession.answer(started(), {
        userId: 'someone-else',
        questionIndex: 0,
        optionIndex: 0,
        clickedAtMs: T0,
      }),
    ).toEqual({ ok: false, error: { kind: 'notYourSession' } });
  });

  it('refuses a question not delivered yet and an option that does not exist', () => {
    expect(
      SoloSession.answer(started(), { userId: USER, questionIndex: 1, optionIndex: 0, clickedAtMs: T0 }),
    ).toEqual({
      ok: false,
      error: { kind: 'questionNotDelivered', questionIndex: 1 },
    });
    expect(
      SoloSession.answer(started(), { userId: USER, questionIndex: 0, optionIndex: 3, clickedAtMs: T0 }),
    ).toEqual({
      ok: false,
      error: { kind: 'invalidOption', optionIndex: 3 },
    });
  });

  it('a click Discord received after the deadline (racing the timeout) is a timeout with 0 points', () => {
    const { outcome } = unwrap(
      SoloSession.answer(started(), {
        userId: USER,
        questionIndex: 0,
        optionIndex: 0,
        clickedAtMs: T0 + 20_000,
      }),
    );
    expect(outcome).toMatchObject({ outcome: 'timed_out', optionIndex: 0, pointsAwarded: 0 });
  });

  it('confirmDelivery moves the start of the clock later, never earlier', () => {
    let s = started();
    s = unwrap(SoloSession.confirmDelivery(s, 0, T0 + 400)).state;
    s = unwrap(SoloSession.confirmDelivery(s, 0, T0 + 100)).state;
    expect(s.deliveredAtMs).toBe(T0 + 400);
    const { outcome } = unwrap(
      SoloSession.answer(s, { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 + 400 }),
    );
    expect(outcome.pointsAwarded).toBe(10);
  });
});

describe('SoloSession timeouts and the end', () => {
  it('a timeout records timed_out with 0 points; a later click is already answered', () => {
    const { state, outcome } = unwrap(SoloSession.timeout(started(), 0, T0 + 20_000));
    expect(outcome).toMatchObject({
      outcome: 'timed_out',
      pointsAwarded: 0,
      optionIndex: null,
      elapsedMs: 20_000,
    });
    expect(
      SoloSession.answer(state, { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 + 20_001 }),
    ).toEqual({
      ok: false,
      error: { kind: 'alreadyAnswered', questionIndex: 0 },
    });
  });

  it('a timeout for a question already answered is stale and changes nothing', () => {
    const answered = deepFreeze(
      unwrap(
        SoloSession.answer(started(), { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 }),
      ).state,
    );
    expect(SoloSession.timeout(answered, 0, T0 + 20_000)).toEqual({
      ok: false,
      error: { kind: 'invalidTransition', from: 'showing_feedback', action: 'timeout' },
    });
  });

  it('after the last question advance finishes with the summary', () => {
    let s = started(2);
    s = unwrap(
      SoloSession.answer(s, { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 }),
    ).state;
    const second = unwrap(SoloSession.advance(s, T0 + 3_000));
    expect(second.kind).toBe('questionDelivered');
    s = unwrap(
      SoloSession.answer(second.state, {
        userId: USER,
        questionIndex: 1,
        optionIndex: 0,
        clickedAtMs: T0 + 13_000,
      }),
    ).state;
    expect(SoloSession.deliverQuestion(s, T0 + 14_000)).toEqual({
      ok: false,
      error: { kind: 'noQuestionsLeft' },
    });
    const end = unwrap(SoloSession.advance(s, T0 + 15_000));
    expect(end.kind).toBe('finished');
    expect(end.kind === 'finished' && end.summary).toEqual({
      score: 15,
      maxScore: 20,
      correctCount: 2,
      answeredCount: 2,
      questionCount: 2,
      durationSeconds: 15,
      status: 'finished',
      endReason: 'completed',
    });
    expect(SoloSession.toAttempt(end.state, T0 + 15_000)).toEqual({
      guildId: '100000000000000001',
      userId: USER,
      quizId: 7,
      score: 15,
      maxScore: 20,
      correctCount: 2,
      questionCount: 2,
      startedAt: T0,
      completedAt: T0 + 15_000,
      durationSeconds: 15,
      status: 'completed',
    });
    expect(
      SoloSession.answer(end.state, { userId: USER, questionIndex: 1, optionIndex: 0, clickedAtMs: T0 }),
    ).toEqual({
      ok: false,
      error: { kind: 'sessionOver', status: 'finished' },
    });
  });

  it('finish is refused while questions remain', () => {
    const s = unwrap(
      SoloSession.answer(started(3), { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 }),
    ).state;
    expect(SoloSession.finish(s, T0)).toEqual({
      ok: false,
      error: { kind: 'questionsRemaining', remaining: 2 },
    });
  });

  it('interrupt keeps the progress; ended sessions refuse every transition', () => {
    let s = unwrap(
      SoloSession.answer(started(3), { userId: USER, questionIndex: 0, optionIndex: 0, clickedAtMs: T0 }),
    ).state;
    s = unwrap(SoloSession.deliverQuestion(s, T0 + 5_000)).state;
    const { state, summary } = unwrap(SoloSession.interrupt(s, T0 + 8_000));
    expect(summary).toMatchObject({
      score: 10,
      correctCount: 1,
      answeredCount: 1,
      questionCount: 3,
      status: 'interrupted',
    });
    expect(SoloSession.toAttempt(state, T0 + 8_000).status).toBe('interrupted');
    deepFreeze(state);
    expect(SoloSession.interrupt(state, T0)).toEqual({
      ok: false,
      error: { kind: 'invalidTransition', from: 'interrupted', action: 'interrupt' },
    });
    expect(SoloSession.expire(state, T0, 'idle').ok).toBe(false);
    expect(SoloSession.deliverQuestion(state, T0).ok).toBe(false);
  });

  it('expiry ends with the reason and an abandoned attempt', () => {
    const { state } = unwrap(SoloSession.expire(started(), T0 + 600_000, 'idle'));
    expect(state).toMatchObject({ status: 'expired', endReason: 'idle', endedAtMs: T0 + 600_000 });
    expect(SoloSession.toAttempt(state, T0).status).toBe('abandoned');
  });
});

describe('SoloSession serialisation', () => {
  it('serialise → deserialise → continue gives identical results', () => {
    let a = unwrap(
      SoloSession.answer(started(3), {
        userId: USER,
        questionIndex: 0,
        optionIndex: 1,
        clickedAtMs: T0 + 2_000,
      }),
    ).state;
    a = unwrap(SoloSession.deliverQuestion(a, T0 + 4_000)).state;
    const b = unwrap(SoloSession.deserialize(SoloSession.serialize(a)));
    expect(b).toEqual(a);
    const continueFrom = (s: SoloSessionState) => {
      let next = unwrap(
        SoloSession.answer(s, { userId: USER, questionIndex: 1, optionIndex: 0, clickedAtMs: T0 + 9_000 }),
      ).state;
      next = unwrap(SoloSession.advance(next, T0 + 10_000)).state;
      next = unwrap(SoloSession.timeout(next, 2, T0 + 30_000)).state;
      return unwrap(SoloSession.advance(next, T0 + 31_000));
    };
    expect(continueFrom(b)).toEqual(continueFrom(a));
  });

  it('refuses a corrupt state instead of resuming garbage', () => {
    expect(SoloSession.deserialize('{nope')).toEqual({
      ok: false,
      error: { kind: 'corruptState', message: 'not JSON' },
    });
    const bad = JSON.parse(SoloSession.serialize(started())) as Record<string, unknown>;
    bad.status = 'dancing';
    expect(SoloSession.deserialize(JSON.stringify(bad)).ok).toBe(false);
    bad.status = 'awaiting_answer';
    bad.currentIndex = 9;
    expect(SoloSession.deserialize(JSON.stringify(bad))).toEqual({
      ok: false,
      error: { kind: 'corruptState', message: 'currentIndex is past the last question' },
    });
  });
});

describe('SoloSession transition table', () => {
  it('terminal states allow nothing', () => {
    expect(SESSION_TRANSITIONS.finished).toEqual({});
    expect(SESSION_TRANSITIONS.interrupted).toEqual({});
    expect(SESSION_TRANSITIONS.expired).toEqual({});
  });

  // Any sequence of events: inputs are never mutated, refusals leave the state as it was,
  // the score is exactly the sum of awarded points, and no question is scored twice.
  it('holds its invariants under any sequence of events', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('deliver' as const) }),
      fc.record({
        kind: fc.constant('answer' as const),
        user: fc.constantFrom(USER, 'intruder'),
        questionIndex: fc.integer({ min: -1, max: 4 }),
        optionIndex: fc.integer({ min: -1, max: 3 }),
        delayMs: fc.integer({ min: 0, max: 30_000 }),
      }),
      fc.record({ kind: fc.constant('timeout' as const), questionIndex: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('advance' as const) }),
      fc.record({ kind: fc.constant('finish' as const) }),
      fc.record({ kind: fc.constant('interrupt' as const) }),
      fc.record({ kind: fc.constant('expire' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let state = deepFreeze(session(4));
        let now = T0;
        for (const o of ops) {
          now += 1_000;
          const before = state;
          const result =
            o.kind === 'deliver'
              ? SoloSession.deliverQuestion(state, now)
              : o.kind === 'answer'
                ? SoloSession.answer(state, {
                    userId: o.user,
                    questionIndex: o.questionIndex,
                    optionIndex: o.optionIndex,
                    clickedAtMs: now - o.delayMs,
                  })
                : o.kind === 'timeout'
                  ? SoloSession.timeout(state, o.questionIndex, now)
                  : o.kind === 'advance'
                    ? SoloSession.advance(state, now)
                    : o.kind === 'finish'
                      ? SoloSession.finish(state, now)
                      : o.kind === 'interrupt'
                        ? SoloSession.interrupt(state, now)
                        : SoloSession.expire(state, now, 'idle');
          if (result.ok) {
            expect(SESSION_TRANSITIONS[before.status]).toBeDefined();
            state = deepFreeze(result.value.state);
          } else {
            expect(state).toBe(before);
          }
          expect(state.score).toBe(state.answers.reduce((sum, a) => sum + a.pointsAwarded, 0));
          const indexes = state.answers.map((a) => a.questionIndex);
          expect(new Set(indexes).size).toBe(indexes.length);
          expect(state.score).toBeLessThanOrEqual(40);
        }
      }),
      { numRuns: 300 },
    );
  });
});
