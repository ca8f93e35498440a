/**
 * One member taking one quiz, as a pure state machine: `step(state, event, rules)` returns the new
 * state and the effects to apply (show, schedule, persist, record, post, end). It never touches a
 * clock, a timer, Discord or the store — the SoloRunner does, in one switch. The state is plain
 * JSON; `toStored`/`restore` turn it into the small row persisted after every answer and back.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import { scoreAnswer } from '../scoring.js';
import type { Question, Quiz } from '../types.js';
import type { CancelEffect, ScheduleEffect, Step } from './effects.js';

export type SessionStatus = 'ready' | 'awaiting_answer' | 'showing_feedback' | 'finished' | 'interrupted';

/**
 * Why a session ended. Every reason but `completed` leaves the attempt resumable (Continue after
 * a restart, an idle pause or an expired Discord token) — except `quizDeleted`, which takes the
 * attempt with the quiz.
 */
export type EndReason = 'completed' | 'shutdown' | 'idle' | 'tokenAge' | 'quizDeleted';
export type ExpiryReason = Extract<EndReason, 'idle' | 'tokenAge' | 'quizDeleted'>;
export type AnswerOutcomeKind = 'correct' | 'incorrect' | 'timed_out';

export interface SessionQuestion {
  questionId: number;
  text: string;
  options: string[];
  correctIndex: number;
  points: number;
  explanation: string | null;
}

export interface AnswerRecord {
  /** Index within this session's questions (0-based). */
  questionIndex: number;
  questionId: number;
  outcome: AnswerOutcomeKind;
  /** The clicked option; null when no click came (a click after the deadline keeps it, as `timed_out`). */
  optionIndex: number | null;
  pointsAwarded: number;
  /** From delivery to the click (or to the timeout). */
  elapsedMs: number;
}

export interface SoloSessionState {
  sessionId: string;
  guildId: string;
  userId: string;
  quizId: number;
  quizName: string;
  timerSeconds: number;
  /** The questions of this attempt, limit and shuffle already applied. */
  questions: SessionQuestion[];
  status: SessionStatus;
  /** The question being asked or just answered; -1 before the first delivery. */
  currentIndex: number;
  /** When the current question was delivered (null before the first). */
  deliveredAtMs: number | null;
  answers: AnswerRecord[];
  score: number;
  /** Shifted by any downtime on resume, so a restart never counts in the duration. */
  startedAtMs: number;
  endedAtMs: number | null;
  endReason: EndReason | null;
  /** This session continues a stored one (Continue after a restart). */
  resumed: boolean;
}

/** Timings the machine needs (from config; the defaults in SoloRunner). */
export interface SoloRules {
  /** Pause on feedback before the next question comes by itself. */
  feedbackDelayMs: number;
  /** No member activity for this long ends the session (resumable). */
  idleTimeoutMs: number;
  /** The timeout fires this long after the deadline, so a click Discord stamped in time still counts. */
  timeoutGraceMs: number;
}

export type SoloEvent =
  /** Deliver the first question (for a resumed session: the interrupted one, with a full timer). */
  | { type: 'started'; atMs: number }
  /** The question reached Discord at `atMs`: scoring and the timeout count from then. */
  | { type: 'delivered'; questionIndex: number; atMs: number }
  /** A click on an answer button, stamped by Discord at `clickedAtMs`. */
  | {
      type: 'answered';
      userId: string;
      questionIndex: number;
      optionIndex: number;
      clickedAtMs: number;
      atMs: number;
    }
  | { type: 'timedOut'; questionIndex: number; atMs: number }
  /** The feedback pause ended (no `userId`) or the member clicked Next. */
  | { type: 'advanced'; atMs: number; userId?: string }
  | { type: 'expired'; reason: ExpiryReason; atMs: number }
  | { type: 'shutDown'; atMs: number };

export type SoloEventType = SoloEvent['type'];

export type SoloTimer = 'question' | 'advance' | 'idle';

export interface AnswerOutcome {
  questionIndex: number;
  outcome: AnswerOutcomeKind;
  optionIndex: number | null;
  pointsAwarded: number;
  /** The question's full points (for "you earned 7 of 10"). */
  maxPoints: number;
  correctIndex: number;
  correctOption: string;
  explanation: string | null;
  elapsedMs: number;
  /** The session's score after this answer. */
  score: number;
  isLastQuestion: boolean;
}

export interface SessionSummary {
  score: number;
  maxScore: number;
  correctCount: number;
  /** Questions answered or timed out. */
  answeredCount: number;
  questionCount: number;
  durationSeconds: number;
  status: SessionStatus;
  endReason: EndReason | null;
}

/** What is written to the store. `start` inserts the attempt; the others update it. */
export type PersistWrite = 'start' | 'answer' | 'complete' | 'suspend';

/** What analytics and metrics hear. */
export type RecordEvent =
  | { kind: 'start' }
  | { kind: 'resumed' }
  | { kind: 'answer'; outcome: AnswerOutcome }
  | { kind: 'completion'; summary: SessionSummary }
  | { kind: 'ended'; reason: Exclude<EndReason, 'completed'>; summary: SessionSummary };

export type SoloEffect =
  | { type: 'showQuestion'; questionIndex: number; deadlineMs: number }
  | { type: 'showFeedback'; outcome: AnswerOutcome; nextAtMs: number }
  | { type: 'showSummary'; summary: SessionSummary }
  | { type: 'showEnded'; reason: Exclude<EndReason, 'completed'>; summary: SessionSummary }
  | ScheduleEffect<SoloTimer, SoloEvent>
  | CancelEffect<SoloTimer>
  | { type: 'persist'; write: PersistWrite }
  | { type: 'record'; event: RecordEvent }
  | { type: 'postResults'; summary: SessionSummary }
  /** The session is over: the runner frees its slot and forgets it. */
  | { type: 'end'; reason: EndReason };

/** A click (or event) that cannot count; each click gets a polite reply and changes nothing. */
export type SoloRejection =
  | { kind: 'notYourSession' }
  | { kind: 'sessionOver'; status: SessionStatus }
  /** The click is on an earlier question's button. */
  | { kind: 'staleQuestion'; questionIndex: number; currentIndex: number }
  /** The current question was already answered (a double click) or timed out. */
  | { kind: 'alreadyAnswered'; questionIndex: number }
  /** A question not delivered yet (forged or corrupt custom id). */
  | { kind: 'questionNotDelivered'; questionIndex: number }
  | { kind: 'invalidOption'; optionIndex: number }
  /** Next clicked when no feedback is showing (a double click, or the pause ended first). */
  | { kind: 'alreadyAdvanced' }
  /** A timer or delivery for a question that moved on, or an event this status ignores. */
  | { kind: 'ignored'; status: SessionStatus; event: SoloEventType };

export type SoloStep = Step<SoloSessionState, SoloEffect, SoloRejection>;

/**
 * The whole lifecycle: where each event can lead from each status. Absent: the event is rejected
 * and nothing changes. (`advanced` leads to the next question, or to `finished` after the last.)
 */
export const SOLO_TRANSITIONS: Readonly<
  Record<SessionStatus, Partial<Record<SoloEventType, readonly SessionStatus[]>>>
> = {
  ready: { started: ['awaiting_answer'], expired: ['interrupted'], shutDown: ['interrupted'] },
  awaiting_answer: {
    delivered: ['awaiting_answer'],
    answered: ['showing_feedback'],
    timedOut: ['showing_feedback'],
    expired: ['interrupted'],
    shutDown: ['interrupted'],
  },
  showing_feedback: {
    advanced: ['awaiting_answer', 'finished'],
    expired: ['interrupted'],
    shutDown: ['interrupted'],
  },
  finished: {},
  interrupted: {},
};

export const SOLO_EVENT_TYPES: readonly SoloEventType[] = [
  'started',
  'delivered',
  'answered',
  'timedOut',
  'advanced',
  'expired',
  'shutDown',
];

export interface CreateSoloSessionInput {
  sessionId: string;
  guildId: string;
  userId: string;
  quiz: Pick<Quiz, 'id' | 'name' | 'timerSeconds' | 'questionLimit' | 'shuffle'>;
  questions: readonly Pick<
    Question,
    'id' | 'position' | 'text' | 'options' | 'correctIndex' | 'points' | 'explanation'
  >[];
  /** Seeds the shuffle, so an attempt's order is reproducible. */
  seed: number;
  startedAtMs: number;
}

/** mulberry32: a small, well-distributed seeded PRNG (reproducible shuffles, not security). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toSessionQuestion(q: CreateSoloSessionInput['questions'][number]): SessionQuestion {
  return {
    questionId: q.id,
    text: q.text,
    options: [...q.options],
    correctIndex: q.correctIndex,
    points: q.points,
    explanation: q.explanation,
  };
}

function create(input: CreateSoloSessionInput): Result<SoloSessionState, { kind: 'noQuestions' }> {
  const ordered = [...input.questions].sort((a, b) => a.position - b.position);
  if (ordered.length === 0) return err({ kind: 'noQuestions' });
  if (input.quiz.shuffle) {
    const random = seededRandom(input.seed);
    for (let i = ordered.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ordered[i], ordered[j]] = [ordered[j]!, ordered[i]!];
    }
  }
  const limit = input.quiz.questionLimit ?? ordered.length;
  return ok({
    sessionId: input.sessionId,
    guildId: input.guildId,
    userId: input.userId,
    quizId: input.quiz.id,
    quizName: input.quiz.name,
    timerSeconds: input.quiz.timerSeconds,
    questions: ordered.slice(0, Math.max(1, limit)).map(toSessionQuestion),
    status: 'ready',
    currentIndex: -1,
    deliveredAtMs: null,
    answers: [],
    score: 0,
    startedAtMs: input.startedAtMs,
    endedAtMs: null,
    endReason: null,
    resumed: false,
  });
}

// ── transitions ─────────────────────────────────────────────────────────────────────────────

const same = (state: SoloSessionState, rejection: SoloRejection): SoloStep => ({
  state,
  effects: [],
  rejection,
});

const ignored = (state: SoloSessionState, event: SoloEvent): SoloStep =>
  same(state, { kind: 'ignored', status: state.status, event: event.type });

function deadlineOf(state: SoloSessionState): number {
  return (state.deliveredAtMs ?? 0) + state.timerSeconds * 1000;
}

function questionTimer(state: SoloSessionState, rules: SoloRules): SoloEffect {
  const atMs = deadlineOf(state) + rules.timeoutGraceMs;
  return {
    type: 'schedule',
    timer: 'question',
    atMs,
    event: { type: 'timedOut', questionIndex: state.currentIndex, atMs },
  };
}

function idleTimer(atMs: number, rules: SoloRules): SoloEffect {
  const dueMs = atMs + rules.idleTimeoutMs;
  return {
    type: 'schedule',
    timer: 'idle',
    atMs: dueMs,
    event: { type: 'expired', reason: 'idle', atMs: dueMs },
  };
}

/** Asks question `index` from now, with a full timer. */
function ask(state: SoloSessionState, index: number, atMs: number, rules: SoloRules): SoloStep {
  const next: SoloSessionState = {
    ...state,
    status: 'awaiting_answer',
    currentIndex: index,
    deliveredAtMs: atMs,
  };
  return {
    state: next,
    effects: [
      { type: 'showQuestion', questionIndex: index, deadlineMs: deadlineOf(next) },
      questionTimer(next, rules),
    ],
  };
}

function outcomeOf(state: SoloSessionState, record: AnswerRecord): AnswerOutcome {
  const question = state.questions[record.questionIndex]!;
  return {
    questionIndex: record.questionIndex,
    outcome: record.outcome,
    optionIndex: record.optionIndex,
    pointsAwarded: record.pointsAwarded,
    maxPoints: question.points,
    correctIndex: question.correctIndex,
    correctOption: question.options[question.correctIndex] ?? '',
    explanation: question.explanation,
    elapsedMs: record.elapsedMs,
    score: state.score,
    isLastQuestion: record.questionIndex === state.questions.length - 1,
  };
}

/** The current question is done (answered or timed out): store it, show its feedback, pause. */
function settle(state: SoloSessionState, record: AnswerRecord, atMs: number, rules: SoloRules): SoloStep {
  const next: SoloSessionState = {
    ...state,
    status: 'showing_feedback',
    answers: [...state.answers, record],
    score: state.score + record.pointsAwarded,
  };
  const outcome = outcomeOf(next, record);
  const nextAtMs = atMs + rules.feedbackDelayMs;
  return {
    state: next,
    effects: [
      { type: 'cancel', timer: 'question' },
      { type: 'persist', write: 'answer' },
      { type: 'record', event: { kind: 'answer', outcome } },
      { type: 'showFeedback', outcome, nextAtMs },
      { type: 'schedule', timer: 'advance', atMs: nextAtMs, event: { type: 'advanced', atMs: nextAtMs } },
    ],
  };
}

function answered(
  state: SoloSessionState,
  event: Extract<SoloEvent, { type: 'answered' }>,
  rules: SoloRules,
): SoloStep {
  if (event.userId !== state.userId) return same(state, { kind: 'notYourSession' });
  if (state.status === 'finished' || state.status === 'interrupted') {
    return same(state, { kind: 'sessionOver', status: state.status });
  }
  if (event.questionIndex < state.currentIndex) {
    return same(state, {
      kind: 'staleQuestion',
      questionIndex: event.questionIndex,
      currentIndex: state.currentIndex,
    });
  }
  if (event.questionIndex > state.currentIndex || state.status === 'ready') {
    return same(state, { kind: 'questionNotDelivered', questionIndex: event.questionIndex });
  }
  // Same question, no longer awaiting: the answer (or the timeout) already counted.
  if (state.status !== 'awaiting_answer') {
    return same(state, { kind: 'alreadyAnswered', questionIndex: event.questionIndex });
  }
  const question = state.questions[state.currentIndex]!;
  const { optionIndex } = event;
  if (!Number.isInteger(optionIndex) || optionIndex < 0 || optionIndex >= question.options.length) {
    return same(state, { kind: 'invalidOption', optionIndex });
  }
  const elapsedMs = Math.max(0, event.clickedAtMs - (state.deliveredAtMs ?? event.clickedAtMs));
  const correct = optionIndex === question.correctIndex;
  const record: AnswerRecord = {
    questionIndex: state.currentIndex,
    questionId: question.questionId,
    // Discord received the click after the deadline (it raced the timeout): it is a timeout.
    outcome: elapsedMs >= state.timerSeconds * 1000 ? 'timed_out' : correct ? 'correct' : 'incorrect',
    optionIndex,
    pointsAwarded: scoreAnswer({
      points: question.points,
      timerSeconds: state.timerSeconds,
      elapsedMs,
      correct,
    }),
    elapsedMs,
  };
  const step = settle(state, record, event.atMs, rules);
  step.effects.push(idleTimer(event.atMs, rules));
  return step;
}

function finish(state: SoloSessionState, atMs: number): SoloStep {
  const next: SoloSessionState = { ...state, status: 'finished', endedAtMs: atMs, endReason: 'completed' };
  const summary = summarize(next, atMs);
  return {
    state: next,
    effects: [
      { type: 'cancel', timer: 'advance' },
      { type: 'persist', write: 'complete' },
      { type: 'record', event: { kind: 'completion', summary } },
      { type: 'showSummary', summary },
      { type: 'postResults', summary },
      { type: 'end', reason: 'completed' },
    ],
  };
}

/** Shutdown or expiry: stop where we are; the answered questions are kept for Continue. */
function interrupt(state: SoloSessionState, reason: Exclude<EndReason, 'completed'>, atMs: number): SoloStep {
  const next: SoloSessionState = { ...state, status: 'interrupted', endedAtMs: atMs, endReason: reason };
  const summary = summarize(next, atMs);
  return {
    state: next,
    effects: [
      // A deleted quiz took its attempts with it: nothing to store.
      ...(reason === 'quizDeleted' ? [] : [{ type: 'persist', write: 'suspend' } as const]),
      { type: 'record', event: { kind: 'ended', reason, summary } },
      { type: 'showEnded', reason, summary },
      { type: 'end', reason },
    ],
  };
}

/** The one transition function. Rejected events return the same state, no effects, and why. */
function step(state: SoloSessionState, event: SoloEvent, rules: SoloRules): SoloStep {
  if (event.type === 'answered') return answered(state, event, rules);
  if (SOLO_TRANSITIONS[state.status][event.type] === undefined) {
    if (event.type === 'advanced' && event.userId !== undefined) {
      if (event.userId !== state.userId) return same(state, { kind: 'notYourSession' });
      return same(state, { kind: 'alreadyAdvanced' });
    }
    return ignored(state, event);
  }
  switch (event.type) {
    case 'started': {
      const first = ask(state, state.answers.length, event.atMs, rules);
      first.effects.unshift(
        state.resumed ? { type: 'record', event: { kind: 'resumed' } } : { type: 'persist', write: 'start' },
        ...(state.resumed ? [] : [{ type: 'record', event: { kind: 'start' } } as const]),
      );
      first.effects.push(idleTimer(event.atMs, rules));
      return first;
    }
    case 'delivered': {
      if (event.questionIndex !== state.currentIndex) return ignored(state, event);
      // Never earlier: bot lag never costs the member points.
      const next = { ...state, deliveredAtMs: Math.max(state.deliveredAtMs ?? event.atMs, event.atMs) };
      return { state: next, effects: [questionTimer(next, rules)] };
    }
    case 'timedOut': {
      if (event.questionIndex !== state.currentIndex) return ignored(state, event);
      const question = state.questions[state.currentIndex]!;
      return settle(
        state,
        {
          questionIndex: state.currentIndex,
          questionId: question.questionId,
          outcome: 'timed_out',
          optionIndex: null,
          pointsAwarded: 0,
          elapsedMs: Math.max(0, event.atMs - (state.deliveredAtMs ?? event.atMs)),
        },
        event.atMs,
        rules,
      );
    }
    case 'advanced': {
      if (event.userId !== undefined && event.userId !== state.userId) {
        return same(state, { kind: 'notYourSession' });
      }
      if (state.currentIndex + 1 >= state.questions.length) return finish(state, event.atMs);
      const next = ask(state, state.currentIndex + 1, event.atMs, rules);
      next.effects.unshift({ type: 'cancel', timer: 'advance' });
      if (event.userId !== undefined) next.effects.push(idleTimer(event.atMs, rules));
      return next;
    }
    case 'expired':
      return interrupt(state, event.reason, event.atMs);
    case 'shutDown':
      return interrupt(state, 'shutdown', event.atMs);
  }
}

function summarize(state: SoloSessionState, nowMs: number): SessionSummary {
  const endMs = state.endedAtMs ?? nowMs;
  return {
    score: state.score,
    maxScore: state.questions.reduce((sum, q) => sum + q.points, 0),
    correctCount: state.answers.filter((a) => a.outcome === 'correct').length,
    answeredCount: state.answers.length,
    questionCount: state.questions.length,
    durationSeconds: Math.max(0, endMs - state.startedAtMs) / 1000,
    status: state.status,
    endReason: state.endReason,
  };
}

// ── the stored form ─────────────────────────────────────────────────────────────────────────

/**
 * What is persisted after every answer: question order, current question, delivery time, answers,
 * score. Question texts are not copied (the quiz has them), which keeps the per-answer write small.
 */
export interface StoredSession {
  v: 1;
  sessionId: string;
  /** Question ids in the order this attempt asks them. */
  order: number[];
  currentIndex: number;
  deliveredAtMs: number | null;
  answers: AnswerRecord[];
  score: number;
  startedAtMs: number;
  /** When this was written: on resume, the time between this and now is not counted. */
  savedAtMs: number;
}

const storedSchema = z.strictObject({
  v: z.literal(1),
  sessionId: z.string().min(1).max(64),
  order: z.array(z.number().int()).min(1),
  currentIndex: z.number().int().min(-1),
  deliveredAtMs: z.number().nullable(),
  answers: z.array(
    z.strictObject({
      questionIndex: z.number().int().min(0),
      questionId: z.number().int(),
      outcome: z.enum(['correct', 'incorrect', 'timed_out']),
      optionIndex: z.number().int().nullable(),
      pointsAwarded: z.number().int().min(0),
      elapsedMs: z.number().min(0),
    }),
  ),
  score: z.number().int().min(0),
  startedAtMs: z.number(),
  savedAtMs: z.number(),
});

function toStored(state: SoloSessionState, nowMs: number): string {
  const stored: StoredSession = {
    v: 1,
    sessionId: state.sessionId,
    order: state.questions.map((q) => q.questionId),
    currentIndex: state.currentIndex,
    deliveredAtMs: state.deliveredAtMs,
    answers: state.answers,
    score: state.score,
    startedAtMs: state.startedAtMs,
    savedAtMs: nowMs,
  };
  return JSON.stringify(stored);
}

function parseStored(text: string): Result<StoredSession, { kind: 'corruptState'; message: string }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return err({ kind: 'corruptState', message: 'not JSON' });
  }
  const parsed = storedSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err({
      kind: 'corruptState',
      message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    });
  }
  if (parsed.data.answers.length > parsed.data.order.length) {
    return err({ kind: 'corruptState', message: 'more answers than questions' });
  }
  return ok(parsed.data);
}

export type RestoreError = { kind: 'questionsChanged' } | { kind: 'alreadyFinished' };

/**
 * A stored session, ready to continue: `ready`, so `started` asks the first unanswered question
 * again with a full timer. The downtime is cut out of the duration. Refused when a question of the
 * attempt was deleted meanwhile (its points could not be scored).
 */
function restore(input: {
  stored: StoredSession;
  guildId: string;
  userId: string;
  quiz: Pick<Quiz, 'id' | 'name' | 'timerSeconds'>;
  questions: readonly Question[];
  nowMs: number;
}): Result<SoloSessionState, RestoreError> {
  const { stored } = input;
  const byId = new Map(input.questions.map((q) => [q.id, q]));
  const questions: SessionQuestion[] = [];
  for (const id of stored.order) {
    const question = byId.get(id);
    if (!question) return err({ kind: 'questionsChanged' });
    questions.push(toSessionQuestion(question));
  }
  if (stored.answers.length >= questions.length) return err({ kind: 'alreadyFinished' });
  return ok({
    sessionId: stored.sessionId,
    guildId: input.guildId,
    userId: input.userId,
    quizId: input.quiz.id,
    quizName: input.quiz.name,
    timerSeconds: input.quiz.timerSeconds,
    questions,
    status: 'ready',
    currentIndex: stored.answers.length - 1,
    deliveredAtMs: null,
    answers: stored.answers,
    score: stored.answers.reduce((sum, a) => sum + a.pointsAwarded, 0),
    startedAtMs: input.nowMs - Math.max(0, stored.savedAtMs - stored.startedAtMs),
    endedAtMs: null,
    endReason: null,
    resumed: true,
  });
}

/** The solo session's pure operations, grouped: `SoloSession.step(state, event, rules)` etc. */
export const SoloSession = {
  create,
  step,
  summarize,
  deadlineOf,
  toStored,
  parseStored,
  restore,
} as const;
