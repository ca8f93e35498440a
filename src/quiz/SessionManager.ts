/**
 * Runs solo sessions: one per member (key `guildId:userId`), a cap on concurrent sessions with a
 * FIFO queue, question timers, auto-advance after feedback, the inactivity end, the
 * interaction-token age end, quiz deletion and shutdown. Pure domain: time comes from the injected
 * Clock and Scheduler; everything the member should see is an event the command layer renders.
 *
 * `TReply` is whatever the command layer needs to answer the member (e.g. its latest interaction).
 * The manager never looks inside it; it keeps the newest one per session and hands it back in
 * events, so nothing depends on a token older than `tokenMaxAgeMs`.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, Scheduler } from '../clock.js';
import { err, ok, type Result } from './result.js';
import {
  type AnswerOutcome,
  type AnswerRejection,
  type ExpiryReason,
  type SessionAttemptOutcome,
  type SessionQuestion,
  type SessionSummary,
  SoloSession,
  type SoloSessionState,
} from './SoloSession.js';
import type { Attempt, Question, Quiz } from './types.js';

/** Discord interaction tokens live 15 minutes; end a session a minute before its newest token dies. */
export const DEFAULT_TOKEN_MAX_AGE_MS = 14 * 60_000;
/** Pause on an answer's or timeout's feedback before the next question. */
export const DEFAULT_FEEDBACK_DELAY_MS = 5_000;
/**
 * The timeout fires this long after the deadline, so a click Discord received just in time (its
 * interaction id says when) but that reached us late still counts.
 */
export const DEFAULT_TIMEOUT_GRACE_MS = 1_000;
/**
 * Queue changes (promotions, members leaving) are gathered for this long before waiting members
 * hear their new places, so a burst of promotions costs one update per member, not one each.
 */
export const DEFAULT_QUEUE_UPDATE_DELAY_MS = 1_000;
/** A waiting member's place is redrawn at most this often (each redraw is a webhook PATCH). */
export const DEFAULT_QUEUE_UPDATE_MIN_INTERVAL_MS = 5_000;
/** A place that moved but stayed in its band (see `positionBand`) is still redrawn after this long. */
export const DEFAULT_QUEUE_UPDATE_STALE_MS = 30_000;

/**
 * Places 1–10 are shown exactly, then in tens up to 100, then in hundreds: a member's place is
 * redrawn when its band changes, so walking from place 1,000 to 1 costs at most ~28 redraws
 * however many members ahead of them start (plus one per `DEFAULT_QUEUE_UPDATE_STALE_MS`).
 */
export function positionBand(position: number): number {
  if (position <= 10) return position;
  if (position <= 100) return 10 + Math.ceil(position / 10);
  return 20 + Math.ceil(position / 100);
}

export interface SessionManagerOptions {
  clock: Clock;
  scheduler: Scheduler;
  /** Cap on concurrently running sessions (QUIZ_MAX_SESSIONS); more members wait in a FIFO queue. */
  maxSessions: number;
  /** A session with no member activity for this long ends (QUIZ_IDLE_TIMEOUT_SECONDS × 1000). */
  idleTimeoutMs: number;
  /** @defaultValue DEFAULT_FEEDBACK_DELAY_MS */
  feedbackDelayMs?: number;
  /** @defaultValue DEFAULT_TOKEN_MAX_AGE_MS */
  tokenMaxAgeMs?: number;
  /** @defaultValue DEFAULT_TIMEOUT_GRACE_MS */
  timeoutGraceMs?: number;
  /** @defaultValue 8 random base64url characters (short: it travels in button custom ids) */
  newSessionId?: () => string;
  /** Seeds each attempt's shuffle. @defaultValue a random 32-bit integer */
  newSeed?: () => number;
  /** @defaultValue DEFAULT_QUEUE_UPDATE_DELAY_MS */
  queueUpdateDelayMs?: number;
  /** @defaultValue DEFAULT_QUEUE_UPDATE_MIN_INTERVAL_MS */
  queueUpdateMinIntervalMs?: number;
  /** @defaultValue DEFAULT_QUEUE_UPDATE_STALE_MS */
  queueUpdateStaleMs?: number;
  /** A listener threw. The manager carries on; the caller logs and records it. */
  onListenerError?: (error: unknown, event: SessionEventName) => void;
}

/** The interaction a member just used: the reply handle and when Discord issued its token. */
export interface InteractionRef<TReply> {
  reply: TReply;
  /** The interaction id's snowflake timestamp (`snowflakeTimestampMs(interaction.id)`). */
  issuedAtMs: number;
}

export interface StartRequest<TReply> {
  guildId: string;
  userId: string;
  quiz: Pick<Quiz, 'id' | 'name' | 'timerSeconds' | 'questionLimit' | 'shuffle'>;
  questions: readonly Question[];
  interaction: InteractionRef<TReply>;
}

export type StartResult = { status: 'started'; sessionId: string } | { status: 'queued'; position: number };

export type StartError =
  | { kind: 'alreadyRunning'; sessionId: string }
  | { kind: 'alreadyQueued'; position: number }
  | { kind: 'noQuestions' }
  | { kind: 'shuttingDown' };

export type ManagerAnswerRejection = AnswerRejection | { kind: 'sessionNotFound' };

export type NextRejection =
  | { kind: 'sessionNotFound' }
  | { kind: 'notYourSession' }
  /** Not showing feedback (a double click on Next, or the auto-advance came first). */
  | { kind: 'alreadyAdvanced' };

export type QueueLeftReason = 'tokenAge' | 'quizDeleted' | 'shutdown' | 'cancelled';

interface SessionEventBase<TReply> {
  sessionId: string;
  /** The session's state after the change (plain JSON; do not mutate). */
  state: SoloSessionState;
  /** The newest interaction's reply handle. */
  reply: TReply;
}

interface SessionEndEvent<TReply> extends SessionEventBase<TReply> {
  summary: SessionSummary;
  /** The attempt row (status completed / interrupted / abandoned). */
  attempt: Omit<Attempt, 'id'>;
  /** For `AttemptRepository.complete` / `markInterrupted` / `markAbandoned`. */
  outcome: SessionAttemptOutcome;
}

export interface SessionEventMap<TReply> {
  /** Show this question (with answer buttons and a countdown to `deadlineMs`). */
  questionDue: SessionEventBase<TReply> & {
    questionIndex: number;
    question: SessionQuestion;
    /** 1-based, for "Question 3/10". */
    questionNumber: number;
    questionCount: number;
    deadlineMs: number;
  };
  /** Show the answer's or timeout's feedback; the next question follows at `nextAtMs` (or a Next click). */
  feedback: SessionEventBase<TReply> & { outcome: AnswerOutcome; nextAtMs: number };
  /** The last question is done: summary, public results post, store the attempt. */
  finished: SessionEndEvent<TReply>;
  /** Ended by inactivity, token age or the quiz's deletion; store the attempt unless `quizDeleted`. */
  expired: SessionEndEvent<TReply> & { reason: ExpiryReason };
  /** Shutdown: tell the member Badgey is restarting; store the interrupted attempt. */
  interrupted: SessionEndEvent<TReply>;
  /**
   * A waiting member's place changed (1 = next). Coalesced: at most one per member every
   * `queueUpdateMinIntervalMs`, and only when the place left its band (`positionBand`) or has
   * been stale for `queueUpdateStaleMs` — never one per promotion.
   */
  queuePosition: { guildId: string; userId: string; position: number; reply: TReply };
  /** A waiting member got a slot; their session starts right after this event. */
  promoted: { guildId: string; userId: string; sessionId: string; waitedMs: number; reply: TReply };
  /** A waiting member left the queue without starting. */
  queueLeft: { guildId: string; userId: string; reason: QueueLeftReason; reply: TReply };
}

export type SessionEventName = keyof SessionEventMap<unknown>;

type Listener<TReply, K extends SessionEventName> = (event: SessionEventMap<TReply>[K]) => void;

interface Running<TReply> {
  state: SoloSessionState;
  reply: TReply;
  tokenIssuedAtMs: number;
  cancelQuestionTimer?: () => void;
  cancelAdvanceTimer?: () => void;
  cancelIdleTimer?: () => void;
  cancelTokenTimer?: () => void;
}

interface Waiting<TReply> {
  request: StartRequest<TReply>;
  enqueuedAtMs: number;
  cancelTokenTimer: () => void;
  /** The place the member was last shown, and when. */
  shownPosition: number;
  shownAtMs: number;
  /** Doubly linked FIFO: promotion and leaving are O(1) whatever the queue's length. */
  prev: Waiting<TReply> | undefined;
  next: Waiting<TReply> | undefined;
}

/**
 * The waiting members in FIFO order with O(1) push, shift and removal (an array's shift and
 * splice move every later member), and an index by member.
 */
class WaitingQueue<TReply> {
  private head: Waiting<TReply> | undefined;
  private tail: Waiting<TReply> | undefined;
  private readonly byMember = new Map<string, Waiting<TReply>>();

  get length(): number {
    return this.byMember.size;
  }

  get(key: string): Waiting<TReply> | undefined {
    return this.byMember.get(key);
  }

  push(waiting: Waiting<TReply>): void {
    waiting.prev = this.tail;
    waiting.next = undefined;
    if (this.tail) this.tail.next = waiting;
    else this.head = waiting;
    this.tail = waiting;
    this.byMember.set(memberKey(waiting.request.guildId, waiting.request.userId), waiting);
  }

  shift(): Waiting<TReply> | undefined {
    const first = this.head;
    if (first) this.remove(first);
    return first;
  }

  /** Removes `waiting` if it is still queued; returns whether it was. */
  remove(waiting: Waiting<TReply>): boolean {
    const key = memberKey(waiting.request.guildId, waiting.request.userId);
    if (this.byMember.get(key) !== waiting) return false;
    this.byMember.delete(key);
    if (waiting.prev) waiting.prev.next = waiting.next;
    else this.head = waiting.next;
    if (waiting.next) waiting.next.prev = waiting.prev;
    else this.tail = waiting.prev;
    waiting.prev = waiting.next = undefined;
    return true;
  }

  /** 1-based place: a walk, so only for one member's own request, never per promotion. */
  positionOf(waiting: Waiting<TReply>): number {
    let position = 1;
    for (let w = this.head; w !== undefined && w !== waiting; w = w.next) position++;
    return position;
  }

  *[Symbol.iterator](): Generator<Waiting<TReply>> {
    for (let w = this.head; w !== undefined; ) {
      const next = w.next;
      yield w;
      w = next;
    }
  }
}

function memberKey(guildId: string, userId: string): string {
  return `${guildId}:${userId}`;
}

export class SessionManager<TReply = unknown> {
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly maxSessions: number;
  private readonly idleTimeoutMs: number;
  private readonly feedbackDelayMs: number;
  private readonly tokenMaxAgeMs: number;
  private readonly timeoutGraceMs: number;
  private readonly newSessionId: () => string;
  private readonly newSeed: () => number;
  private readonly onListenerError: (error: unknown, event: SessionEventName) => void;

  private readonly sessions = new Map<string, Running<TReply>>();
  private readonly sessionByMember = new Map<string, string>();
  private readonly queue = new WaitingQueue<TReply>();
  private readonly queueUpdateDelayMs: number;
  private readonly queueUpdateMinIntervalMs: number;
  private readonly queueUpdateStaleMs: number;
  private cancelQueueUpdate: (() => void) | undefined;
  private readonly listeners: { [K in SessionEventName]?: Listener<TReply, K>[] } = {};
  private shuttingDown = false;

  constructor(options: SessionManagerOptions) {
    if (!(options.maxSessions >= 1)) throw new RangeError('maxSessions must be at least 1');
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.maxSessions = options.maxSessions;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.feedbackDelayMs = options.feedbackDelayMs ?? DEFAULT_FEEDBACK_DELAY_MS;
    this.tokenMaxAgeMs = options.tokenMaxAgeMs ?? DEFAULT_TOKEN_MAX_AGE_MS;
    this.timeoutGraceMs = options.timeoutGraceMs ?? DEFAULT_TIMEOUT_GRACE_MS;
    this.queueUpdateDelayMs = options.queueUpdateDelayMs ?? DEFAULT_QUEUE_UPDATE_DELAY_MS;
    this.queueUpdateMinIntervalMs = options.queueUpdateMinIntervalMs ?? DEFAULT_QUEUE_UPDATE_MIN_INTERVAL_MS;
    this.queueUpdateStaleMs = options.queueUpdateStaleMs ?? DEFAULT_QUEUE_UPDATE_STALE_MS;
    this.newSessionId = options.newSessionId ?? (() => randomBytes(6).toString('base64url'));
    this.newSeed = options.newSeed ?? (() => randomBytes(4).readUInt32LE(0));
    this.onListenerError = options.onListenerError ?? (() => {});
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends SessionEventName>(event: K, listener: Listener<TReply, K>): () => void {
    const list: Listener<TReply, K>[] = (this.listeners[event] as Listener<TReply, K>[] | undefined) ?? [];
    this.listeners[event] = list as (typeof this.listeners)[K];
    list.push(listener);
    return () => {
      const index = list.indexOf(listener);
      if (index !== -1) list.splice(index, 1);
    };
  }

  /**
   * Starts a session now, or queues the member when the cap is reached. The first question is
   * emitted as `questionDue` before this returns, so defer the interaction first. Retake policy
   * and open/close dates are the caller's checks (`canStart`, `isOpen`): they need the store.
   */
  start(request: StartRequest<TReply>): Result<StartResult, StartError> {
    if (this.shuttingDown) return err({ kind: 'shuttingDown' });
    if (request.questions.length === 0) return err({ kind: 'noQuestions' });
    const key = memberKey(request.guildId, request.userId);
    const running = this.sessionByMember.get(key);
    if (running !== undefined) return err({ kind: 'alreadyRunning', sessionId: running });
    const queued = this.queuePositionOf(request.guildId, request.userId);
    if (queued !== null) return err({ kind: 'alreadyQueued', position: queued });

    if (this.sessions.size >= this.maxSessions) {
      const now = this.clock.now();
      const waiting: Waiting<TReply> = {
        request,
        enqueuedAtMs: now,
        cancelTokenTimer: this.scheduler.schedule(
          request.interaction.issuedAtMs + this.tokenMaxAgeMs - now,
          () => this.leaveQueueWith(waiting, 'tokenAge'),
        ),
        // The caller draws the place returned here.
        shownPosition: this.queue.length + 1,
        shownAtMs: now,
        prev: undefined,
        next: undefined,
      };
      this.queue.push(waiting);
      return ok({ status: 'queued', position: this.queue.length });
    }
    return this.begin(request);
  }

  /** A click on an answer button. Accepted clicks emit `feedback`; rejections change nothing. */
  answer(input: {
    sessionId: string;
    userId: string;
    questionIndex: number;
    optionIndex: number;
    interaction: InteractionRef<TReply>;
  }): Result<AnswerOutcome, ManagerAnswerRejection> {
    const running = this.sessions.get(input.sessionId);
    if (running === undefined) return err({ kind: 'sessionNotFound' });
    const result = SoloSession.answer(running.state, {
      userId: input.userId,
      questionIndex: input.questionIndex,
      optionIndex: input.optionIndex,
      clickedAtMs: input.interaction.issuedAtMs,
    });
    if (!result.ok) return result;
    running.state = result.value.state;
    running.cancelQuestionTimer?.();
    this.touch(running, input.interaction);
    this.showFeedback(running, result.value.outcome);
    return ok(result.value.outcome);
  }

  /** A click on "Next" during feedback: the next question now instead of after the pause. */
  next(input: {
    sessionId: string;
    userId: string;
    interaction: InteractionRef<TReply>;
  }): Result<void, NextRejection> {
    const running = this.sessions.get(input.sessionId);
    if (running === undefined) return err({ kind: 'sessionNotFound' });
    if (running.state.userId !== input.userId) return err({ kind: 'notYourSession' });
    if (running.state.status !== 'showing_feedback') return err({ kind: 'alreadyAdvanced' });
    this.touch(running, input.interaction);
    this.advance(running);
    return ok(undefined);
  }

  /**
   * The question message reached Discord at `atMs` (later than the manager's delivery time):
   * scoring and the timeout count from then, so bot lag costs nobody points.
   */
  confirmDelivered(sessionId: string, questionIndex: number, atMs: number): boolean {
    const running = this.sessions.get(sessionId);
    if (running === undefined) return false;
    const result = SoloSession.confirmDelivery(running.state, questionIndex, atMs);
    if (!result.ok) return false;
    running.state = result.value.state;
    this.scheduleQuestionTimer(running);
    return true;
  }

  /**
   * The member asked for their quiz again (e.g. they dismissed its message): the session adopts
   * this interaction, so everything from now on is drawn in its reply. Returns the session's state
   * for the caller to redraw; nothing else changes (the question keeps its delivery time).
   */
  reattach(input: {
    guildId: string;
    userId: string;
    interaction: InteractionRef<TReply>;
  }): Result<
    { sessionId: string; state: SoloSessionState; deadlineMs: number },
    { kind: 'sessionNotFound' }
  > {
    const sessionId = this.sessionByMember.get(memberKey(input.guildId, input.userId));
    const running = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    if (sessionId === undefined || running === undefined) return err({ kind: 'sessionNotFound' });
    this.touch(running, input.interaction);
    return ok({ sessionId, state: running.state, deadlineMs: this.deadlineOf(running.state) });
  }

  /**
   * A waiting member asked again: they keep their place, and the newer interaction's reply is where
   * their position and then their quiz are drawn (its token also lives longer). Returns the
   * position, or null when not waiting.
   */
  reattachQueued(input: {
    guildId: string;
    userId: string;
    interaction: InteractionRef<TReply>;
  }): number | null {
    const waiting = this.queue.get(memberKey(input.guildId, input.userId));
    if (waiting === undefined) return null;
    if (input.interaction.issuedAtMs >= waiting.request.interaction.issuedAtMs) {
      waiting.request = { ...waiting.request, interaction: input.interaction };
      waiting.cancelTokenTimer();
      waiting.cancelTokenTimer = this.scheduler.schedule(
        input.interaction.issuedAtMs + this.tokenMaxAgeMs - this.clock.now(),
        () => this.leaveQueueWith(waiting, 'tokenAge'),
      );
    }
    // The caller draws this place in the new reply.
    waiting.shownPosition = this.queue.positionOf(waiting);
    waiting.shownAtMs = this.clock.now();
    return waiting.shownPosition;
  }

  /** Removes a waiting member from the queue (e.g. a Cancel button). */
  leaveQueue(guildId: string, userId: string): boolean {
    const waiting = this.queue.get(memberKey(guildId, userId));
    if (waiting === undefined) return false;
    this.leaveQueueWith(waiting, 'cancelled');
    return true;
  }

  /** The quiz was deleted: its sessions end (`expired`, reason `quizDeleted`) and its waiters leave the queue. */
  endForDeletedQuiz(quizId: number): number {
    let ended = 0;
    for (const waiting of this.queue) {
      if (waiting.request.quiz.id === quizId) this.leaveQueueWith(waiting, 'quizDeleted');
    }
    for (const running of [...this.sessions.values()]) {
      if (running.state.quizId === quizId) {
        this.expire(running, 'quizDeleted');
        ended++;
      }
    }
    return ended;
  }

  /**
   * Shutdown: refuses new sessions, interrupts every running one (progress kept, `interrupted`
   * emitted for each) and empties the queue. Returns the interrupted states.
   */
  shutdown(): SoloSessionState[] {
    this.shuttingDown = true;
    for (const waiting of this.queue) this.leaveQueueWith(waiting, 'shutdown');
    this.cancelQueueUpdate?.();
    this.cancelQueueUpdate = undefined;
    const interrupted: SoloSessionState[] = [];
    const now = this.clock.now();
    for (const running of [...this.sessions.values()]) {
      const result = SoloSession.interrupt(running.state, now);
      if (!result.ok) continue;
      running.state = result.value.state;
      this.release(running);
      interrupted.push(running.state);
      this.emit('interrupted', this.endEvent(running, result.value.summary));
    }
    return interrupted;
  }

  getState(sessionId: string): SoloSessionState | undefined {
    return this.sessions.get(sessionId)?.state;
  }

  sessionIdFor(guildId: string, userId: string): string | undefined {
    return this.sessionByMember.get(memberKey(guildId, userId));
  }

  /** 1-based queue position, or null when not waiting. */
  queuePositionOf(guildId: string, userId: string): number | null {
    const waiting = this.queue.get(memberKey(guildId, userId));
    return waiting === undefined ? null : this.queue.positionOf(waiting);
  }

  counts(): { running: number; queued: number } {
    return { running: this.sessions.size, queued: this.queue.length };
  }

  // -------------------------------------------------------------------------------------------

  private begin(
    request: StartRequest<TReply>,
    sessionId = this.uniqueSessionId(),
  ): Result<StartResult, StartError> {
    const now = this.clock.now();
    const created = SoloSession.create({
      sessionId,
      guildId: request.guildId,
      userId: request.userId,
      quiz: request.quiz,
      questions: request.questions,
      seed: this.newSeed(),
      startedAtMs: now,
    });
    if (!created.ok) return err(created.error);
    const running: Running<TReply> = {
      state: created.value,
      reply: request.interaction.reply,
      tokenIssuedAtMs: request.interaction.issuedAtMs,
    };
    this.sessions.set(sessionId, running);
    this.sessionByMember.set(memberKey(request.guildId, request.userId), sessionId);
    this.touch(running, request.interaction);
    this.advance(running);
    return ok({ status: 'started', sessionId });
  }

  private uniqueSessionId(): string {
    for (;;) {
      const id = this.newSessionId();
      if (!this.sessions.has(id)) return id;
    }
  }

  /** Member activity: adopt the newest interaction and restart the idle and token-age timers. */
  private touch(running: Running<TReply>, interaction: InteractionRef<TReply>): void {
    if (interaction.issuedAtMs >= running.tokenIssuedAtMs) {
      running.reply = interaction.reply;
      running.tokenIssuedAtMs = interaction.issuedAtMs;
    }
    const now = this.clock.now();
    running.cancelIdleTimer?.();
    running.cancelIdleTimer = this.scheduler.schedule(this.idleTimeoutMs, () => this.expire(running, 'idle'));
    running.cancelTokenTimer?.();
    running.cancelTokenTimer = this.scheduler.schedule(
      running.tokenIssuedAtMs + this.tokenMaxAgeMs - now,
      () => this.expire(running, 'tokenAge'),
    );
  }

  private advance(running: Running<TReply>): void {
    running.cancelAdvanceTimer?.();
    running.cancelAdvanceTimer = undefined;
    const result = SoloSession.advance(running.state, this.clock.now());
    if (!result.ok) return;
    running.state = result.value.state;
    if (result.value.kind === 'finished') {
      this.release(running);
      this.emit('finished', this.endEvent(running, result.value.summary));
      this.promote();
      return;
    }
    const questionIndex = result.value.questionIndex;
    this.scheduleQuestionTimer(running);
    this.emit('questionDue', {
      ...this.base(running),
      questionIndex,
      question: running.state.questions[questionIndex]!,
      questionNumber: questionIndex + 1,
      questionCount: running.state.questions.length,
      deadlineMs: this.deadlineOf(running.state),
    });
  }

  private deadlineOf(state: SoloSessionState): number {
    return (state.deliveredAtMs ?? this.clock.now()) + state.timerSeconds * 1000;
  }

  private scheduleQuestionTimer(running: Running<TReply>): void {
    running.cancelQuestionTimer?.();
    const questionIndex = running.state.currentIndex;
    running.cancelQuestionTimer = this.scheduler.schedule(
      this.deadlineOf(running.state) + this.timeoutGraceMs - this.clock.now(),
      () => {
        running.cancelQuestionTimer = undefined;
        const result = SoloSession.timeout(running.state, questionIndex, this.clock.now());
        if (!result.ok) return; // answered meanwhile
        running.state = result.value.state;
        this.showFeedback(running, result.value.outcome);
      },
    );
  }

  private showFeedback(running: Running<TReply>, outcome: AnswerOutcome): void {
    const nextAtMs = this.clock.now() + this.feedbackDelayMs;
    running.cancelAdvanceTimer?.();
    running.cancelAdvanceTimer = this.scheduler.schedule(this.feedbackDelayMs, () => {
      running.cancelAdvanceTimer = undefined;
      this.advance(running);
    });
    this.emit('feedback', { ...this.base(running), outcome, nextAtMs });
  }

  private expire(running: Running<TReply>, reason: ExpiryReason): void {
    if (this.sessions.get(running.state.sessionId) !== running) return;
    const result = SoloSession.expire(running.state, this.clock.now(), reason);
    if (!result.ok) return;
    running.state = result.value.state;
    this.release(running);
    this.emit('expired', { ...this.endEvent(running, result.value.summary), reason });
    this.promote();
  }

  /** Frees the slot and cancels every timer of a session that has ended. */
  private release(running: Running<TReply>): void {
    running.cancelQuestionTimer?.();
    running.cancelAdvanceTimer?.();
    running.cancelIdleTimer?.();
    running.cancelTokenTimer?.();
    running.cancelQuestionTimer = running.cancelAdvanceTimer = running.cancelIdleTimer = undefined;
    running.cancelTokenTimer = undefined;
    this.sessions.delete(running.state.sessionId);
    const key = memberKey(running.state.guildId, running.state.userId);
    if (this.sessionByMember.get(key) === running.state.sessionId) this.sessionByMember.delete(key);
  }

  private promote(): void {
    if (this.shuttingDown) return;
    let moved = false;
    for (;;) {
      if (this.sessions.size >= this.maxSessions) break;
      const waiting = this.queue.shift();
      if (waiting === undefined) break;
      waiting.cancelTokenTimer();
      moved = true;
      const { request } = waiting;
      if (request.interaction.issuedAtMs + this.tokenMaxAgeMs <= this.clock.now()) {
        // Its token is as good as dead: the member could never be shown the session.
        this.emit('queueLeft', {
          guildId: request.guildId,
          userId: request.userId,
          reason: 'tokenAge',
          reply: request.interaction.reply,
        });
        continue;
      }
      const sessionId = this.uniqueSessionId();
      this.emit('promoted', {
        guildId: request.guildId,
        userId: request.userId,
        sessionId,
        waitedMs: this.clock.now() - waiting.enqueuedAtMs,
        reply: request.interaction.reply,
      });
      this.begin(request, sessionId);
    }
    if (moved) this.queueChanged();
  }

  private leaveQueueWith(waiting: Waiting<TReply>, reason: QueueLeftReason): void {
    if (!this.queue.remove(waiting)) return;
    waiting.cancelTokenTimer();
    const { request } = waiting;
    this.emit('queueLeft', {
      guildId: request.guildId,
      userId: request.userId,
      reason,
      reply: request.interaction.reply,
    });
    this.queueChanged();
  }

  /**
   * The places behind some point moved. Instead of telling every waiting member at once (one
   * webhook PATCH each, per promotion: quadratic in the queue), gather changes for
   * `queueUpdateDelayMs` and then tell only those whose place is worth redrawing.
   */
  private queueChanged(delayMs = this.queueUpdateDelayMs): void {
    if (this.cancelQueueUpdate !== undefined || this.queue.length === 0 || this.shuttingDown) return;
    this.cancelQueueUpdate = this.scheduler.schedule(delayMs, () => {
      this.cancelQueueUpdate = undefined;
      this.updateQueuePositions();
    });
  }

  /** One walk of the queue per `queueUpdateDelayMs` at most; each member redrawn per the rules above. */
  private updateQueuePositions(): void {
    const now = this.clock.now();
    let position = 0;
    let retryInMs = Number.POSITIVE_INFINITY;
    for (const waiting of this.queue) {
      position++;
      if (position === waiting.shownPosition) continue;
      const sinceShown = now - waiting.shownAtMs;
      const worthIt =
        positionBand(position) !== positionBand(waiting.shownPosition) ||
        sinceShown >= this.queueUpdateStaleMs;
      const dueAt = worthIt
        ? Math.max(0, this.queueUpdateMinIntervalMs - sinceShown)
        : this.queueUpdateStaleMs - sinceShown;
      if (dueAt > 0) {
        retryInMs = Math.min(retryInMs, dueAt);
        continue;
      }
      waiting.shownPosition = position;
      waiting.shownAtMs = now;
      this.emit('queuePosition', {
        guildId: waiting.request.guildId,
        userId: waiting.request.userId,
        position,
        reply: waiting.request.interaction.reply,
      });
    }
    if (retryInMs !== Number.POSITIVE_INFINITY)
      this.queueChanged(Math.max(retryInMs, this.queueUpdateDelayMs));
  }

  private base(running: Running<TReply>): SessionEventBase<TReply> {
    return { sessionId: running.state.sessionId, state: running.state, reply: running.reply };
  }

  private endEvent(running: Running<TReply>, summary: SessionSummary): SessionEndEvent<TReply> {
    const now = this.clock.now();
    return {
      ...this.base(running),
      summary,
      attempt: SoloSession.toAttempt(running.state, now),
      outcome: SoloSession.toAttemptOutcome(running.state, now),
    };
  }

  private emit<K extends SessionEventName>(event: K, payload: SessionEventMap<TReply>[K]): void {
    const list = this.listeners[event] as Listener<TReply, K>[] | undefined;
    if (!list) return;
    for (const listener of [...list]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
