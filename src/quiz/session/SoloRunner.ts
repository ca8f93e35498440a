/**
 * Runs solo sessions: feeds events to the pure SoloSession and applies the effects it returns, in
 * one switch. It owns what the machine must not: timers (Scheduler), the store, analytics, the
 * presenter, the cap on running sessions with its queue, and each session's newest reply.
 *
 * Ordering: timer effects apply at once (the state already moved on, so a timer that fires late is
 * rejected by the machine); everything else of one session applies in order on that session's own
 * `work` tail, so a question is never drawn over its feedback. `dispatch` resolves when the
 * effects of that event are applied — a click handler awaits exactly its own screen.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, Scheduler } from '../../clock.js';
import type { AttemptRepository, CompletionResult, GuildSettingsRepository } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { Timers } from './effects.js';
import type { InteractionRef, QueueLeftReason, ResultsPostOutcome, SessionPresenter } from './presenter.js';
import { SessionQueue } from './SessionQueue.js';
import {
  type EndReason,
  type SessionSummary,
  type SoloEffect,
  type SoloEvent,
  type SoloRejection,
  type SoloRules,
  SoloSession,
  type SoloSessionState,
  type SoloTimer,
} from './SoloSession.js';

/** Pause on an answer's or timeout's feedback before the next question. */
export const DEFAULT_FEEDBACK_DELAY_MS = 5_000;
/**
 * The timeout fires this long after the deadline, so a click Discord received just in time (its
 * interaction id says when) but that reached us late still counts.
 */
export const DEFAULT_TIMEOUT_GRACE_MS = 1_000;

/** The analytics calls a quiz attempt makes (QuizAnalytics satisfies it). */
export interface TakeAnalytics {
  recordQuizStart(
    userId: string,
    quizId: string | number,
    guildId?: string | null,
    detail?: { mode?: string },
  ): void;
  recordAnswer(
    isCorrect: boolean,
    timeTakenSeconds?: number,
    detail?: { timedOut?: boolean; mode?: string },
  ): void;
  recordQuizCompletion(
    userId: string,
    quizId: string | number,
    durationSeconds: number,
    score: number,
    detail?: { mode?: string },
  ): void;
  recordError(type: string, details: unknown): void;
}

/** The logging the runner does (a pino logger satisfies it). */
export interface TakeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Hears how sessions end (Prometheus `badgey_sessions_ended_total{reason}`); `resumed`: a stored one continued. */
export interface TakeObserver {
  sessionEnded(reason: EndReason | 'resumed'): void;
}

/** Mode label for analytics (`answers_by_mode`, `quizzes_*_by_mode`). */
export const SOLO_MODE = 'solo';

export interface SoloRunnerOptions<TReply> {
  clock: Clock;
  scheduler: Scheduler;
  /** Cap on concurrently running sessions (QUIZ_MAX_SESSIONS); more members wait in a FIFO queue. */
  maxSessions: number;
  /** QUIZ_IDLE_TIMEOUT_SECONDS × 1000. */
  idleTimeoutMs: number;
  feedbackDelayMs?: number;
  timeoutGraceMs?: number;
  presenter: SessionPresenter<TReply>;
  attempts: Pick<AttemptRepository, 'start' | 'saveProgress' | 'complete' | 'suspend'>;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  analytics: TakeAnalytics;
  logger: TakeLogger;
  observer?: TakeObserver;
  /** @defaultValue 8 random base64url characters (short: it travels in button custom ids) */
  newSessionId?: () => string;
}

interface Running<TReply> {
  state: SoloSessionState;
  /** The newest interaction: where screens without a click of their own are drawn. */
  interaction: InteractionRef<TReply>;
  timers: Timers<SoloTimer | 'token'>;
  /**
   * The stored attempt's id once inserted (null when storing failed). A promise: the first question
   * is drawn while the row is inserted, and every later write of the session awaits it.
   */
  attemptId: Promise<number | null>;
  completion: CompletionResult | null;
  /** The tail of this session's effects. */
  work: Promise<void>;
}

export type StartResult = { status: 'started'; sessionId: string } | { status: 'queued'; position: number };
export type StartError =
  | { kind: 'alreadyRunning'; sessionId: string }
  | { kind: 'alreadyQueued'; position: number }
  | { kind: 'shuttingDown' };
export type ClickRejection = SoloRejection | { kind: 'sessionNotFound' };

interface PendingStart<TReply> {
  state: SoloSessionState;
  attemptId: number | null;
  interaction: InteractionRef<TReply>;
}

function memberKey(guildId: string, userId: string): string {
  return `${guildId}:${userId}`;
}

export class SoloRunner<TReply> {
  readonly #o: SoloRunnerOptions<TReply>;
  readonly #rules: SoloRules;
  readonly #sessions = new Map<string, Running<TReply>>();
  readonly #byMember = new Map<string, string>();
  readonly #queue: SessionQueue<PendingStart<TReply>>;
  /** Work no session waits on (results posts) and session tails, for whenIdle. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #shuttingDown = false;

  constructor(options: SoloRunnerOptions<TReply>) {
    if (!(options.maxSessions >= 1)) throw new RangeError('maxSessions must be at least 1');
    this.#o = options;
    this.#rules = {
      feedbackDelayMs: options.feedbackDelayMs ?? DEFAULT_FEEDBACK_DELAY_MS,
      idleTimeoutMs: options.idleTimeoutMs,
      timeoutGraceMs: options.timeoutGraceMs ?? DEFAULT_TIMEOUT_GRACE_MS,
    };
    this.#queue = new SessionQueue<PendingStart<TReply>>({
      scheduler: options.scheduler,
      clock: options.clock,
      onPosition: (pending, position) =>
        this.#background(() =>
          this.#o.presenter.showQueued(pending.interaction.reply, {
            quizName: pending.state.quizName,
            position,
          }),
        ),
      onLeft: (pending, reason) => this.#queueLeft(pending, reason),
    });
  }

  newSessionId(): string {
    const make = this.#o.newSessionId ?? (() => randomBytes(6).toString('base64url'));
    for (;;) {
      const id = make();
      if (!this.#sessions.has(id)) return id;
    }
  }

  /**
   * Starts the session (its first question drawn before this resolves), or queues it when the cap
   * is reached. `attemptId`: the stored attempt a resumed session continues.
   */
  async start(
    state: SoloSessionState,
    interaction: InteractionRef<TReply>,
    attemptId: number | null = null,
  ): Promise<Result<StartResult, StartError>> {
    if (this.#shuttingDown) return err({ kind: 'shuttingDown' });
    const key = memberKey(state.guildId, state.userId);
    const running = this.#byMember.get(key);
    if (running !== undefined) return err({ kind: 'alreadyRunning', sessionId: running });
    const queued = this.#queue.positionOf(key);
    if (queued !== null) return err({ kind: 'alreadyQueued', position: queued });
    if (this.#sessions.size >= this.#o.maxSessions) {
      const position = this.#queue.push(key, { state, attemptId, interaction }, interaction.expiresAtMs);
      // With 'queued quiz promoted', tells an operator (and bench/queue.ts) how the queue moves.
      this.#o.logger.info({ guildId: state.guildId, quizId: state.quizId, position }, 'quiz queued');
      await this.#o.presenter
        .showQueued(interaction.reply, { quizName: state.quizName, position })
        .catch((error: unknown) => this.#failed('session_render_failed', error, { step: 'showQueued' }));
      return ok({ status: 'queued', position });
    }
    await this.#begin({ state, attemptId, interaction });
    return ok({ status: 'started', sessionId: state.sessionId });
  }

  /** A click on an answer button. Resolves after its feedback is drawn; a rejection changed nothing. */
  answer(input: {
    sessionId: string;
    userId: string;
    questionIndex: number;
    optionIndex: number;
    interaction: InteractionRef<TReply>;
  }): Promise<Result<void, ClickRejection>> {
    const { interaction } = input;
    return this.#click(input.sessionId, input.userId, interaction, {
      type: 'answered',
      userId: input.userId,
      questionIndex: input.questionIndex,
      optionIndex: input.optionIndex,
      clickedAtMs: interaction.issuedAtMs,
      atMs: this.#o.clock.now(),
    });
  }

  /** A click on "Next": the next question (or the results) now. */
  next(input: {
    sessionId: string;
    userId: string;
    interaction: InteractionRef<TReply>;
  }): Promise<Result<void, ClickRejection>> {
    return this.#click(input.sessionId, input.userId, input.interaction, {
      type: 'advanced',
      userId: input.userId,
      atMs: this.#o.clock.now(),
    });
  }

  async #click(
    sessionId: string,
    userId: string,
    interaction: InteractionRef<TReply>,
    event: SoloEvent,
  ): Promise<Result<void, ClickRejection>> {
    const running = this.#sessions.get(sessionId);
    if (running === undefined) return err({ kind: 'sessionNotFound' });
    // Only the member's own click may become the session's reply.
    if (userId === running.state.userId) this.#adopt(running, interaction);
    const rejection = this.#dispatch(running, event, interaction);
    if (rejection) return err(rejection);
    await running.work;
    return ok(undefined);
  }

  /**
   * The member ran `/quiz take` again during their session (e.g. they dismissed its message): it
   * continues in this reply, redrawn as it is. Returns null when they have no running session.
   */
  async reattach(
    guildId: string,
    userId: string,
    interaction: InteractionRef<TReply>,
  ): Promise<{ sessionId: string; quizName: string } | null> {
    const sessionId = this.#byMember.get(memberKey(guildId, userId));
    const running = sessionId === undefined ? undefined : this.#sessions.get(sessionId);
    if (sessionId === undefined || running === undefined) return null;
    this.#adopt(running, interaction);
    this.#resetIdle(running);
    const { state } = running;
    // Redrawn as it was: same deadline, scoring keeps counting from the first delivery. During
    // feedback the next question (drawn in this reply) is on its way.
    if (state.status === 'awaiting_answer') {
      this.#enqueue(
        running,
        {
          type: 'showQuestion',
          questionIndex: state.currentIndex,
          deadlineMs: SoloSession.deadlineOf(state),
        },
        interaction,
        true,
      );
    } else {
      this.#enqueue(running, { type: 'showResumed' }, interaction);
    }
    await running.work;
    return { sessionId, quizName: state.quizName };
  }

  /** A waiting member asked again: same place, drawn in the newer reply. Null when not waiting. */
  async reattachQueued(
    guildId: string,
    userId: string,
    interaction: InteractionRef<TReply>,
  ): Promise<{ position: number; quizName: string } | null> {
    const key = memberKey(guildId, userId);
    const found = this.#queue.update(
      key,
      (pending) => ({ ...pending, interaction }),
      interaction.expiresAtMs,
    );
    if (found === null) return null;
    const view = { quizName: found.item.state.quizName, position: found.position };
    await this.#o.presenter
      .showQueued(interaction.reply, view)
      .catch((error: unknown) => this.#failed('session_render_failed', error, { step: 'showQueued' }));
    return view;
  }

  /** Removes a waiting member from the queue (the Leave button). */
  leaveQueue(guildId: string, userId: string): boolean {
    return this.#queue.remove(memberKey(guildId, userId), 'cancelled');
  }

  /** The quiz was deleted: its sessions end politely and its waiters leave the queue. */
  endForDeletedQuiz(quizId: number): number {
    this.#queue.removeWhere((pending) => pending.state.quizId === quizId, 'quizDeleted');
    let ended = 0;
    for (const running of [...this.#sessions.values()]) {
      if (running.state.quizId !== quizId) continue;
      this.#dispatch(running, { type: 'expired', reason: 'quizDeleted', atMs: this.#o.clock.now() });
      ended++;
    }
    return ended;
  }

  /**
   * Shutdown: refuses new sessions, stops every running one (stored, resumable: the member is told
   * how to continue) and empties the queue. Resolves when all of that is done; returns how many stopped.
   */
  async shutdown(): Promise<number> {
    this.#shuttingDown = true;
    this.#queue.removeWhere(() => true, 'shutdown');
    let stopped = 0;
    for (const running of [...this.#sessions.values()]) {
      if (!this.#dispatch(running, { type: 'shutDown', atMs: this.#o.clock.now() })) stopped++;
    }
    await this.whenIdle();
    return stopped;
  }

  /** Resolves once every pending effect (screens, writes, posts) is done. */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  counts(): { running: number; queued: number } {
    return { running: this.#sessions.size, queued: this.#queue.size };
  }

  sessionIdFor(guildId: string, userId: string): string | undefined {
    return this.#byMember.get(memberKey(guildId, userId));
  }

  getState(sessionId: string): SoloSessionState | undefined {
    return this.#sessions.get(sessionId)?.state;
  }

  // ── the machine and its effects ─────────────────────────────────────────────────────────────

  async #begin(pending: PendingStart<TReply>): Promise<void> {
    const { state, interaction } = pending;
    const running: Running<TReply> = {
      state,
      interaction,
      timers: new Timers(this.#o.scheduler.schedule.bind(this.#o.scheduler)),
      attemptId: Promise.resolve(pending.attemptId),
      completion: null,
      work: Promise.resolve(),
    };
    this.#sessions.set(state.sessionId, running);
    this.#byMember.set(memberKey(state.guildId, state.userId), state.sessionId);
    this.#armTokenTimer(running);
    this.#dispatch(running, { type: 'started', atMs: this.#o.clock.now() }, interaction);
    await running.work;
  }

  /** Steps the machine; applies the effects. Returns the rejection, if the event did not apply. */
  #dispatch(
    running: Running<TReply>,
    event: SoloEvent,
    interaction: InteractionRef<TReply> = running.interaction,
  ): SoloRejection | undefined {
    const step = SoloSession.step(running.state, event, this.#rules);
    if (step.rejection) return step.rejection;
    running.state = step.state;
    for (const effect of step.effects) this.#enqueue(running, effect, interaction);
    return undefined;
  }

  /** Timer and end effects apply now; the rest in order on the session's tail. */
  #enqueue(
    running: Running<TReply>,
    effect: SoloEffect | { type: 'showResumed' },
    interaction: InteractionRef<TReply>,
    redraw = false,
  ): void {
    switch (effect.type) {
      case 'schedule':
        running.timers.set(effect.timer, effect.atMs - this.#o.clock.now(), () =>
          this.#dispatch(running, effect.event),
        );
        return;
      case 'cancel':
        running.timers.cancel(effect.timer);
        return;
      case 'end':
        this.#end(running, effect.reason);
        return;
    }
    const state = running.state;
    const task = running.work.then(() =>
      this.#apply(running, state, effect, interaction.reply, redraw).catch((error: unknown) =>
        this.#failed(effect.type === 'persist' ? 'attempt_store_failed' : 'session_render_failed', error, {
          step: effect.type,
          quizId: state.quizId,
        }),
      ),
    );
    running.work = task;
    this.#track(task);
  }

  /** The one switch: what each effect does. `state` is the session as the effect's event left it. */
  async #apply(
    running: Running<TReply>,
    state: SoloSessionState,
    effect: Exclude<SoloEffect, { type: 'schedule' | 'cancel' | 'end' }> | { type: 'showResumed' },
    reply: TReply,
    redraw: boolean,
  ): Promise<void> {
    const { presenter, attempts, clock } = this.#o;
    switch (effect.type) {
      case 'showQuestion': {
        const question = state.questions[effect.questionIndex]!;
        const deliveredAtMs = await presenter.showQuestion(reply, {
          sessionId: state.sessionId,
          quizName: state.quizName,
          questionIndex: effect.questionIndex,
          questionNumber: effect.questionIndex + 1,
          questionCount: state.questions.length,
          question,
          deadlineMs: effect.deadlineMs,
          timerSeconds: state.timerSeconds,
          score: state.score,
        });
        // A redraw keeps the first delivery time: scoring never restarts for the same question.
        if (deliveredAtMs !== undefined && !redraw && this.#sessions.get(state.sessionId) === running) {
          this.#dispatch(running, {
            type: 'delivered',
            questionIndex: effect.questionIndex,
            atMs: deliveredAtMs,
          });
        }
        return;
      }
      case 'showFeedback':
        return presenter.showFeedback(reply, {
          sessionId: state.sessionId,
          quizName: state.quizName,
          questionNumber: effect.outcome.questionIndex + 1,
          questionCount: state.questions.length,
          question: state.questions[effect.outcome.questionIndex]!,
          outcome: effect.outcome,
          nextAtMs: effect.nextAtMs,
        });
      case 'showResumed':
        return presenter.showResumed(reply, { quizName: state.quizName });
      case 'persist':
        switch (effect.write) {
          case 'start': {
            // Not awaited: the /quiz take acknowledgement does not wait for the insert.
            const inserted = attempts.start({
              guildId: state.guildId,
              userId: state.userId,
              quizId: state.quizId,
              maxScore: state.questions.reduce((sum, q) => sum + q.points, 0),
              questionCount: state.questions.length,
              startedAt: state.startedAtMs,
              session: { id: state.sessionId, state: SoloSession.toStored(state, clock.now()) },
            });
            running.attemptId = inserted.then(
              (attempt) => attempt.id,
              (error: unknown) => {
                this.#failed('attempt_store_failed', error, { step: 'persist', quizId: state.quizId });
                return null;
              },
            );
            this.#track(running.attemptId);
            return;
          }
          case 'answer': {
            const id = await running.attemptId;
            if (id === null) return;
            return attempts.saveProgress(id, {
              state: SoloSession.toStored(state, clock.now()),
              score: state.score,
              correctCount: SoloSession.summarize(state, clock.now()).correctCount,
              savedAt: clock.now(),
            });
          }
          case 'complete': {
            const id = await running.attemptId;
            if (id === null) return;
            running.completion = await attempts.complete(id, this.#outcome(state));
            return;
          }
          case 'suspend': {
            const id = await running.attemptId;
            if (id === null) return;
            await attempts.suspend(id, {
              ...this.#outcome(state),
              status: state.endReason === 'shutdown' ? 'interrupted' : 'abandoned',
              state: SoloSession.toStored(state, state.endedAtMs ?? clock.now()),
            });
            return;
          }
        }
        return;
      case 'record':
        return this.#record(state, effect.event);
      case 'showSummary': {
        const { resultsChannelId, language } = await this.#resultsSettings(state);
        const view = {
          quizName: state.quizName,
          summary: effect.summary,
          bestScore: running.completion?.best.score ?? null,
          isNewBest: running.completion?.isNewBest ?? false,
        };
        await presenter.showSummary(reply, {
          ...view,
          post: { status: 'pending', channelId: resultsChannelId },
        });
        // Off the session's tail: Discord allows ~5 posts per 5 s in a channel, so a busy results
        // channel must delay neither this summary nor the member's next quiz. Only a failed post
        // comes back to say so.
        this.#background(async () => {
          const post = await presenter
            .postResults(reply, {
              channelId: resultsChannelId,
              language,
              guildId: state.guildId,
              userId: state.userId,
              quizName: state.quizName,
              summary: effect.summary,
            })
            .catch((error: unknown): ResultsPostOutcome => {
              this.#failed('results_post_failed', error, { quizId: state.quizId });
              return { status: 'failed', channelId: resultsChannelId };
            });
          if (post.status !== 'posted') await presenter.showSummary(reply, { ...view, post });
        });
        return;
      }
      case 'postResults':
        // Posted with the summary above (it needs the channel the summary names).
        return;
      case 'showEnded':
        return presenter.showEnded(reply, {
          sessionId: state.sessionId,
          quizName: state.quizName,
          reason: effect.reason,
          summary: effect.summary,
          saved: effect.reason !== 'quizDeleted' && (await running.attemptId) !== null,
        });
    }
  }

  #record(state: SoloSessionState, event: Extract<SoloEffect, { type: 'record' }>['event']): void {
    const { analytics, logger, observer } = this.#o;
    const where = { guildId: state.guildId, quizId: state.quizId };
    switch (event.kind) {
      case 'start':
        analytics.recordQuizStart(state.userId, state.quizId, state.guildId, { mode: SOLO_MODE });
        logger.info({ ...where, questions: state.questions.length }, 'quiz started');
        return;
      case 'resumed':
        observer?.sessionEnded('resumed');
        logger.info({ ...where, answered: state.answers.length }, 'quiz resumed');
        return;
      case 'answer': {
        const timedOut = event.outcome.outcome === 'timed_out';
        analytics.recordAnswer(
          event.outcome.outcome === 'correct',
          timedOut ? undefined : event.outcome.elapsedMs / 1000,
          {
            timedOut,
            mode: SOLO_MODE,
          },
        );
        return;
      }
      case 'completion':
        analytics.recordQuizCompletion(
          state.userId,
          state.quizId,
          event.summary.durationSeconds,
          event.summary.score,
          { mode: SOLO_MODE },
        );
        observer?.sessionEnded('completed');
        logger.info(
          { ...where, score: event.summary.score, durationSeconds: event.summary.durationSeconds },
          'quiz completed',
        );
        return;
      case 'ended':
        observer?.sessionEnded(event.reason);
        logger.info(
          { ...where, reason: event.reason, answered: event.summary.answeredCount },
          'quiz session ended early',
        );
        return;
    }
  }

  #outcome(state: SoloSessionState): {
    score: number;
    correctCount: number;
    completedAt: number;
    durationSeconds: number;
  } {
    const summary: SessionSummary = SoloSession.summarize(state, this.#o.clock.now());
    return {
      score: summary.score,
      correctCount: summary.correctCount,
      completedAt: state.endedAtMs ?? this.#o.clock.now(),
      durationSeconds: summary.durationSeconds,
    };
  }

  /** Where the results are posted, and in which language (null: the server's Discord language). */
  async #resultsSettings(
    state: SoloSessionState,
  ): Promise<{ resultsChannelId: string | null; language: string | null }> {
    try {
      const settings = await this.#o.guildSettings.get(state.guildId);
      return { resultsChannelId: settings.resultsChannelId, language: settings.language };
    } catch (error) {
      this.#failed('settings_read_failed', error, { quizId: state.quizId });
      return { resultsChannelId: null, language: null };
    }
  }

  /** Frees the slot and every timer; the next member in the queue starts. */
  #end(running: Running<TReply>, _reason: EndReason): void {
    running.timers.cancelAll();
    const { state } = running;
    if (this.#sessions.get(state.sessionId) === running) this.#sessions.delete(state.sessionId);
    const key = memberKey(state.guildId, state.userId);
    if (this.#byMember.get(key) === state.sessionId) this.#byMember.delete(key);
    this.#promote();
  }

  #promote(): void {
    if (this.#shuttingDown) return;
    while (this.#sessions.size < this.#o.maxSessions) {
      const next = this.#queue.shift();
      if (next === undefined) return;
      this.#o.logger.info(
        { guildId: next.item.state.guildId, waitedMs: next.waitedMs },
        'queued quiz promoted',
      );
      // Its start time is now, not when it queued.
      const state = { ...next.item.state, startedAtMs: this.#o.clock.now() };
      this.#track(this.#begin({ ...next.item, state }));
    }
  }

  #queueLeft(pending: PendingStart<TReply>, reason: QueueLeftReason): void {
    this.#background(() => this.#o.presenter.showQueueLeft(pending.interaction.reply, { reason }));
  }

  /** Member activity: adopt the newer interaction (its token lives longer) and re-arm the token timer. */
  #adopt(running: Running<TReply>, interaction: InteractionRef<TReply>): void {
    if (interaction.issuedAtMs < running.interaction.issuedAtMs) return;
    running.interaction = interaction;
    this.#armTokenTimer(running);
  }

  #resetIdle(running: Running<TReply>): void {
    const atMs = this.#o.clock.now() + this.#rules.idleTimeoutMs;
    running.timers.set('idle', this.#rules.idleTimeoutMs, () =>
      this.#dispatch(running, { type: 'expired', reason: 'idle', atMs }),
    );
  }

  /** Discord's token age: once the newest reply can no longer be edited, the session stops (resumable). */
  #armTokenTimer(running: Running<TReply>): void {
    const atMs = running.interaction.expiresAtMs;
    running.timers.set('token', atMs - this.#o.clock.now(), () =>
      this.#dispatch(running, { type: 'expired', reason: 'tokenAge', atMs }),
    );
  }

  #background(work: () => Promise<unknown>): void {
    this.#track(
      work().catch((error: unknown) => this.#failed('session_render_failed', error, { step: 'background' })),
    );
  }

  #track(task: Promise<unknown>): void {
    this.#inFlight.add(task);
    void task.finally(() => this.#inFlight.delete(task));
  }

  #failed(type: string, error: unknown, context: Record<string, unknown>): void {
    this.#o.analytics.recordError(type, error);
    this.#o.logger.warn({ err: error, ...context }, type.replaceAll('_', ' '));
  }
}
