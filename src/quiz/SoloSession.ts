/**
 * One member taking one quiz: a serialisable state machine. The state is plain JSON (so a later
 * release can store it and resume after a restart); every transition is a pure function
 * `(state, input) → Result<{ state, … }, error>` checked against one transition table. An invalid
 * transition returns an error and the caller keeps the old state: nothing is mutated, ever.
 */
import { z } from 'zod';
import { err, ok, type Result } from './result.js';
import { scoreAnswer } from './scoring.js';
import type { Attempt, AttemptStatus, Question, Quiz } from './types.js';

export const SessionStatus = {
  /** Created; the first question is not delivered yet. */
  Ready: 'ready',
  AwaitingAnswer: 'awaiting_answer',
  /** The current question was answered or timed out; its feedback is showing. */
  ShowingFeedback: 'showing_feedback',
  Finished: 'finished',
  /** Stopped by a shutdown; progress kept (stored as an interrupted attempt). */
  Interrupted: 'interrupted',
  /** Ended by inactivity, the interaction-token age, or the quiz being deleted; progress kept. */
  Expired: 'expired',
} as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

export type SessionAction =
  | 'deliver'
  | 'confirmDelivery'
  | 'answer'
  | 'timeout'
  | 'finish'
  | 'interrupt'
  | 'expire';

/** The whole lifecycle. Anything not listed is refused with `invalidTransition`. */
export const SESSION_TRANSITIONS: Readonly<
  Record<SessionStatus, Partial<Record<SessionAction, SessionStatus>>>
> = {
  ready: { deliver: 'awaiting_answer', interrupt: 'interrupted', expire: 'expired' },
  awaiting_answer: {
    confirmDelivery: 'awaiting_answer',
    answer: 'showing_feedback',
    timeout: 'showing_feedback',
    interrupt: 'interrupted',
    expire: 'expired',
  },
  showing_feedback: {
    deliver: 'awaiting_answer',
    finish: 'finished',
    interrupt: 'interrupted',
    expire: 'expired',
  },
  finished: {},
  interrupted: {},
  expired: {},
};

export const TERMINAL_STATUSES: readonly SessionStatus[] = ['finished', 'interrupted', 'expired'];

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
  version: 1;
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
  startedAtMs: number;
  endedAtMs: number | null;
  endReason: EndReason | null;
}

export type SessionError =
  | { kind: 'invalidTransition'; from: SessionStatus; action: SessionAction }
  | { kind: 'noQuestionsLeft' }
  | { kind: 'questionsRemaining'; remaining: number }
  /** A timer for a question that is no longer awaiting an answer (it was answered first). */
  | { kind: 'staleTimeout'; questionIndex: number; currentIndex: number };

/** A click that cannot count; each gets a polite reply and changes nothing. */
export type AnswerRejection =
  | { kind: 'notYourSession' }
  | { kind: 'sessionOver'; status: SessionStatus }
  /** The click is on an earlier question's button. */
  | { kind: 'staleQuestion'; questionIndex: number; currentIndex: number }
  /** The current question was already answered (a double click) or timed out. */
  | { kind: 'alreadyAnswered'; questionIndex: number }
  /** A question not delivered yet (forged or corrupt custom id). */
  | { kind: 'questionNotDelivered'; questionIndex: number }
  | { kind: 'invalidOption'; optionIndex: number };

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

type Transition<T> = Result<{ state: SoloSessionState } & T, SessionError>;

function check(state: SoloSessionState, action: SessionAction): SessionError | null {
  return SESSION_TRANSITIONS[state.status][action] === undefined
    ? { kind: 'invalidTransition', from: state.status, action }
    : null;
}

function isTerminal(status: SessionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
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
    version: 1,
    sessionId: input.sessionId,
    guildId: input.guildId,
    userId: input.userId,
    quizId: input.quiz.id,
    quizName: input.quiz.name,
    timerSeconds: input.quiz.timerSeconds,
    questions: ordered.slice(0, Math.max(1, limit)).map((q) => ({
      questionId: q.id,
      text: q.text,
      options: [...q.options],
      correctIndex: q.correctIndex,
      points: q.points,
      explanation: q.explanation,
    })),
    status: 'ready',
    currentIndex: -1,
    deliveredAtMs: null,
    answers: [],
    score: 0,
    startedAtMs: input.startedAtMs,
    endedAtMs: null,
    endReason: null,
  });
}

/** Delivers the next question (from `ready`, or after feedback when one remains). */
function deliverQuestion(state: SoloSessionState, atMs: number): Transition<{ questionIndex: number }> {
  const invalid = check(state, 'deliver');
  if (invalid) return err(invalid);
  const next = state.currentIndex + 1;
  if (next >= state.questions.length) return err({ kind: 'noQuestionsLeft' });
  return ok({
    state: { ...state, status: 'awaiting_answer', currentIndex: next, deliveredAtMs: atMs },
    questionIndex: next,
  });
}

/**
 * Moves the delivery time later, to when the question message actually reached Discord, so bot
 * lag never costs the member points. Never moves it earlier.
 */
function confirmDelivery(state: SoloSessionState, questionIndex: number, atMs: number): Transition<object> {
  const invalid = check(state, 'confirmDelivery');
  if (invalid) return err(invalid);
  if (questionIndex !== state.currentIndex) {
    return err({ kind: 'staleTimeout', questionIndex, currentIndex: state.currentIndex });
  }
  return ok({ state: { ...state, deliveredAtMs: Math.max(state.deliveredAtMs ?? atMs, atMs) } });
}

export interface AnswerInput {
  userId: string;
  /** From the button's custom id. */
  questionIndex: number;
  optionIndex: number;
  /** When Discord received the click: the interaction id's snowflake timestamp. */
  clickedAtMs: number;
}

function outcomeOf(state: SoloSessionState, record: AnswerRecord, score: number): AnswerOutcome {
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
    score,
    isLastQuestion: record.questionIndex === state.questions.length - 1,
  };
}

function answer(
  state: SoloSessionState,
  input: AnswerInput,
): Result<{ state: SoloSessionState; outcome: AnswerOutcome }, AnswerRejection> {
  if (input.userId !== state.userId) return err({ kind: 'notYourSession' });
  if (isTerminal(state.status)) return err({ kind: 'sessionOver', status: state.status });
  if (input.questionIndex < state.currentIndex) {
    return err({
      kind: 'staleQuestion',
      questionIndex: input.questionIndex,
      currentIndex: state.currentIndex,
    });
  }
  if (input.questionIndex > state.currentIndex || state.status === 'ready') {
    return err({ kind: 'questionNotDelivered', questionIndex: input.questionIndex });
  }
  // Same question, no longer awaiting: the answer (or the timeout) already counted.
  if (check(state, 'answer') !== null)
    return err({ kind: 'alreadyAnswered', questionIndex: input.questionIndex });
  const question = state.questions[state.currentIndex]!;
  if (
    !Number.isInteger(input.optionIndex) ||
    input.optionIndex < 0 ||
    input.optionIndex >= question.options.length
  ) {
    return err({ kind: 'invalidOption', optionIndex: input.optionIndex });
  }
  const elapsedMs = Math.max(0, input.clickedAtMs - (state.deliveredAtMs ?? input.clickedAtMs));
  const correct = input.optionIndex === question.correctIndex;
  const pointsAwarded = scoreAnswer({
    points: question.points,
    timerSeconds: state.timerSeconds,
    elapsedMs,
    correct,
  });
  const record: AnswerRecord = {
    questionIndex: state.currentIndex,
    questionId: question.questionId,
    // Discord received the click after the deadline (it raced the timeout): it is a timeout.
    outcome: elapsedMs >= state.timerSeconds * 1000 ? 'timed_out' : correct ? 'correct' : 'incorrect',
    optionIndex: input.optionIndex,
    pointsAwarded,
    elapsedMs,
  };
  const next: SoloSessionState = {
    ...state,
    status: 'showing_feedback',
    answers: [...state.answers, record],
    score: state.score + pointsAwarded,
  };
  return ok({ state: next, outcome: outcomeOf(next, record, next.score) });
}

/** The question's time ran out. A timer for an already answered question is refused (`staleTimeout`). */
function timeout(
  state: SoloSessionState,
  questionIndex: number,
  atMs: number,
): Transition<{ outcome: AnswerOutcome }> {
  const invalid = check(state, 'timeout');
  if (invalid) return err(invalid);
  if (questionIndex !== state.currentIndex) {
    return err({ kind: 'staleTimeout', questionIndex, currentIndex: state.currentIndex });
  }
  const question = state.questions[questionIndex]!;
  const record: AnswerRecord = {
    questionIndex,
    questionId: question.questionId,
    outcome: 'timed_out',
    optionIndex: null,
    pointsAwarded: 0,
    elapsedMs: Math.max(0, atMs - (state.deliveredAtMs ?? atMs)),
  };
  const next: SoloSessionState = {
    ...state,
    status: 'showing_feedback',
    answers: [...state.answers, record],
  };
  return ok({ state: next, outcome: outcomeOf(next, record, next.score) });
}

/** After the last question's feedback. */
function finish(state: SoloSessionState, atMs: number): Transition<{ summary: SessionSummary }> {
  const invalid = check(state, 'finish');
  if (invalid) return err(invalid);
  const remaining = state.questions.length - 1 - state.currentIndex;
  if (remaining > 0) return err({ kind: 'questionsRemaining', remaining });
  const next: SoloSessionState = { ...state, status: 'finished', endedAtMs: atMs, endReason: 'completed' };
  return ok({ state: next, summary: summarize(next, atMs) });
}

/** Delivers the next question, or finishes after the last one. */
function advance(
  state: SoloSessionState,
  atMs: number,
): Result<
  | { state: SoloSessionState; kind: 'questionDelivered'; questionIndex: number }
  | { state: SoloSessionState; kind: 'finished'; summary: SessionSummary },
  SessionError
> {
  const delivered = deliverQuestion(state, atMs);
  if (delivered.ok) return ok({ ...delivered.value, kind: 'questionDelivered' });
  if (delivered.error.kind !== 'noQuestionsLeft') return delivered;
  const finished = finish(state, atMs);
  return finished.ok ? ok({ ...finished.value, kind: 'finished' }) : finished;
}

/** Shutdown: stop with the progress so far (the unanswered current question does not count). */
function interrupt(state: SoloSessionState, atMs: number): Transition<{ summary: SessionSummary }> {
  const invalid = check(state, 'interrupt');
  if (invalid) return err(invalid);
  const next: SoloSessionState = { ...state, status: 'interrupted', endedAtMs: atMs, endReason: 'shutdown' };
  return ok({ state: next, summary: summarize(next, atMs) });
}

function expire(
  state: SoloSessionState,
  atMs: number,
  reason: ExpiryReason,
): Transition<{ summary: SessionSummary }> {
  const invalid = check(state, 'expire');
  if (invalid) return err(invalid);
  const next: SoloSessionState = { ...state, status: 'expired', endedAtMs: atMs, endReason: reason };
  return ok({ state: next, summary: summarize(next, atMs) });
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

/** How the store records this session: finished → completed, interrupted → interrupted, expired → abandoned. */
function attemptStatus(state: SoloSessionState): AttemptStatus {
  switch (state.status) {
    case 'finished':
      return 'completed';
    case 'interrupted':
      return 'interrupted';
    case 'expired':
      return 'abandoned';
    default:
      return 'in_progress';
  }
}

/** The attempt row for this session (id assigned by the store). */
function toAttempt(state: SoloSessionState, nowMs: number): Omit<Attempt, 'id'> {
  const summary = summarize(state, nowMs);
  return {
    guildId: state.guildId,
    userId: state.userId,
    quizId: state.quizId,
    score: summary.score,
    maxScore: summary.maxScore,
    correctCount: summary.correctCount,
    questionCount: summary.questionCount,
    startedAt: state.startedAtMs,
    completedAt: state.endedAtMs,
    durationSeconds: state.endedAtMs === null ? null : summary.durationSeconds,
    status: attemptStatus(state),
  };
}

/** What the store records when the attempt starts (`AttemptRepository.start`). */
export interface SessionAttemptStart {
  guildId: string;
  userId: string;
  quizId: number;
  maxScore: number;
  questionCount: number;
  startedAt: number;
}

/** What the store records when the attempt ends (`complete` / `markInterrupted` / `markAbandoned`). */
export interface SessionAttemptOutcome {
  score: number;
  correctCount: number;
  completedAt: number;
  durationSeconds: number;
}

function toAttemptStart(state: SoloSessionState): SessionAttemptStart {
  return {
    guildId: state.guildId,
    userId: state.userId,
    quizId: state.quizId,
    maxScore: state.questions.reduce((sum, q) => sum + q.points, 0),
    questionCount: state.questions.length,
    startedAt: state.startedAtMs,
  };
}

/** The outcome so far; for an ended session, as it ended. */
function toAttemptOutcome(state: SoloSessionState, nowMs: number): SessionAttemptOutcome {
  const summary = summarize(state, nowMs);
  return {
    score: summary.score,
    correctCount: summary.correctCount,
    completedAt: state.endedAtMs ?? nowMs,
    durationSeconds: summary.durationSeconds,
  };
}

// ---------------------------------------------------------------------------------------------
// Serialisation
// ---------------------------------------------------------------------------------------------

const stateSchema = z.strictObject({
  version: z.literal(1),
  sessionId: z.string().min(1),
  guildId: z.string(),
  userId: z.string(),
  quizId: z.number().int(),
  quizName: z.string(),
  timerSeconds: z.number().positive(),
  questions: z
    .array(
      z.strictObject({
        questionId: z.number().int(),
        text: z.string(),
        options: z.array(z.string()).min(1),
        correctIndex: z.number().int().min(0),
        points: z.number().int().min(0),
        explanation: z.string().nullable(),
      }),
    )
    .min(1),
  status: z.enum(['ready', 'awaiting_answer', 'showing_feedback', 'finished', 'interrupted', 'expired']),
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
  endedAtMs: z.number().nullable(),
  endReason: z.enum(['completed', 'shutdown', 'idle', 'tokenAge', 'quizDeleted']).nullable(),
});

function serialize(state: SoloSessionState): string {
  return JSON.stringify(state);
}

function deserialize(text: string): Result<SoloSessionState, { kind: 'corruptState'; message: string }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return err({ kind: 'corruptState', message: 'not JSON' });
  }
  const parsed = stateSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err({
      kind: 'corruptState',
      message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    });
  }
  const state = parsed.data;
  if (state.currentIndex >= state.questions.length) {
    return err({ kind: 'corruptState', message: 'currentIndex is past the last question' });
  }
  return ok(state);
}

/** The solo session's pure operations, grouped: `SoloSession.answer(state, input)` etc. */
export const SoloSession = {
  create,
  deliverQuestion,
  confirmDelivery,
  answer,
  timeout,
  finish,
  advance,
  interrupt,
  expire,
  summarize,
  toAttempt,
  toAttemptStart,
  toAttemptOutcome,
  attemptStatus,
  isTerminal,
  serialize,
  deserialize,
} as const;
