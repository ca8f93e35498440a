/**
 * Members taking quizzes: the orchestration between the SessionManager (timers, queue, state), the
 * store (attempts, best scores, guild settings), analytics, and a presenter the Discord layer
 * implements. Pure domain: no discord.js, no SQL, no logger library; time from the injected Clock.
 *
 * Every presenter call of one member runs in order on that member's chain (a question is never
 * drawn over its feedback), and a failing call is recorded and skipped, never fatal.
 */
import type { Clock } from '../clock.js';
import { canStart, isOpen } from './availability.js';
import { findQuizByRef } from './findQuizByRef.js';
import {
  type AttemptRepository,
  type CompletionResult,
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type QuizRepository,
} from './ports.js';
import { err, ok, type Result } from './result.js';
import type {
  InteractionRef,
  ManagerAnswerRejection,
  NextRejection,
  QueueLeftReason,
  SessionEventMap,
  SessionManager,
} from './SessionManager.js';
import type {
  AnswerOutcome,
  EndReason,
  SessionQuestion,
  SessionSummary,
  SoloSessionState,
} from './SoloSession.js';
import { SoloSession } from './SoloSession.js';
import type { Quiz } from './types.js';

/** The analytics calls a quiz attempt makes (QuizAnalytics satisfies it). */
export interface TakeAnalytics {
  recordQuizStart(userId: string, quizId: string | number, guildId?: string | null): void;
  recordAnswer(
    isCorrect: boolean,
    timeTakenSeconds?: number,
    detail?: { timedOut?: boolean; mode?: string },
  ): void;
  recordQuizCompletion(userId: string, quizId: string | number, durationSeconds: number, score: number): void;
  recordError(type: string, details: unknown): void;
}

/** The logging the service does (a pino logger satisfies it). */
export interface TakeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Hears how sessions end (Prometheus `badgey_sessions_ended_total{reason}`). */
export interface TakeObserver {
  sessionEnded(reason: EndReason): void;
}

/** Answers mode label for analytics (`answers_by_mode`). */
export const SOLO_MODE = 'solo';

export interface QuestionView {
  sessionId: string;
  quizName: string;
  questionIndex: number;
  /** 1-based. */
  questionNumber: number;
  questionCount: number;
  question: SessionQuestion;
  /** When the time is up (epoch ms): shown as a relative Discord timestamp. */
  deadlineMs: number;
  timerSeconds: number;
  /** Points so far. */
  score: number;
}

export interface FeedbackView {
  sessionId: string;
  quizName: string;
  questionNumber: number;
  questionCount: number;
  question: SessionQuestion;
  outcome: AnswerOutcome;
  /** When the next question (or the results) comes by itself. */
  nextAtMs: number;
}

/** Where the public results post went. */
export type ResultsPostOutcome =
  | { status: 'posted'; channelId: string }
  /** Badgey may not post there (Discord 50013 / 50001) or the channel is gone. */
  | { status: 'forbidden'; channelId: string }
  | { status: 'failed'; channelId: string | null };

export interface ResultsPost {
  /** The guild's results channel; null: the channel the quiz was taken in. */
  channelId: string | null;
  guildId: string;
  userId: string;
  quizName: string;
  summary: SessionSummary;
}

export interface SummaryView {
  quizName: string;
  summary: SessionSummary;
  /** Best score on this quiz after this attempt; null when it could not be stored. */
  bestScore: number | null;
  isNewBest: boolean;
  /**
   * `pending`: the post is on its way (the summary is drawn first); the summary is drawn again only
   * when the post then fails. `channelId` null: the channel the quiz was taken in.
   */
  post: ResultsPostOutcome | { status: 'pending'; channelId: string | null };
}

export interface EndedView {
  quizName: string;
  reason: Exclude<EndReason, 'completed'>;
  summary: SessionSummary;
  /** The progress was stored (interrupted/abandoned attempt). */
  saved: boolean;
}

/** What the Discord layer does for sessions. Every method may reject; the service records it and carries on. */
export interface SessionPresenter<TReply> {
  /**
   * Shows a question (with answer buttons and the countdown). Resolves with when the member could
   * see it (Discord's timestamp of the edit), or undefined when unknown.
   */
  showQuestion(reply: TReply, view: QuestionView): Promise<number | undefined>;
  showFeedback(reply: TReply, view: FeedbackView): Promise<void>;
  /** Posts the public results (mentions off). Never rejects for a missing permission: says so instead. */
  postResults(reply: TReply, post: ResultsPost): Promise<ResultsPostOutcome>;
  showSummary(reply: TReply, view: SummaryView): Promise<void>;
  /** Inactivity, token age, quiz deleted, or Badgey restarting. */
  showEnded(reply: TReply, view: EndedView): Promise<void>;
  /** The member ran `/quiz take` again during a session: it continues in this reply (the next question is on its way). */
  showResumed(reply: TReply, view: { quizName: string }): Promise<void>;
  showQueued(reply: TReply, view: { quizName: string; position: number }): Promise<void>;
  showQueueLeft(reply: TReply, view: { reason: QueueLeftReason }): Promise<void>;
}

export type TakeError =
  | { kind: 'quizNotFound'; ref: string }
  | { kind: 'notYetOpen'; opensAt: number }
  | { kind: 'closed'; closesAt: number }
  | { kind: 'alreadyTaken'; quizName: string }
  | { kind: 'noQuestions'; quizName: string }
  | { kind: 'alreadyRunning' }
  | { kind: 'alreadyQueued'; position: number }
  | { kind: 'shuttingDown' }
  | { kind: 'databaseUnavailable' };

export type TakeResult =
  | { status: 'started'; sessionId: string; quiz: Quiz }
  | { status: 'queued'; position: number; quiz: Quiz }
  /** The member already had a session: it continues in this interaction's reply. */
  | { status: 'resumed'; sessionId: string; quizName: string }
  /** The member was already waiting: same place, shown (and later started) in this reply. */
  | { status: 'stillQueued'; position: number; quizName: string };

export interface TakeRequest<TReply> {
  guildId: string;
  userId: string;
  /** The `quiz` option: an autocomplete choice (the id as text) or a typed name. */
  quizRef: string;
  interaction: InteractionRef<TReply>;
}

export interface TakeServiceOptions<TReply> {
  manager: SessionManager<TReply>;
  quizzes: Pick<QuizRepository, 'getById' | 'findByName' | 'listQuestions'>;
  attempts: Pick<
    AttemptRepository,
    'start' | 'complete' | 'markInterrupted' | 'markAbandoned' | 'hasCompleted'
  >;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  analytics: TakeAnalytics;
  presenter: SessionPresenter<TReply>;
  clock: Clock;
  logger: TakeLogger;
  observer?: TakeObserver;
}

function memberKey(guildId: string, userId: string): string {
  return `${guildId}:${userId}`;
}

export class TakeService<TReply> {
  readonly #manager: SessionManager<TReply>;
  readonly #quizzes: TakeServiceOptions<TReply>['quizzes'];
  readonly #attempts: TakeServiceOptions<TReply>['attempts'];
  readonly #settings: TakeServiceOptions<TReply>['guildSettings'];
  readonly #analytics: TakeAnalytics;
  readonly #presenter: SessionPresenter<TReply>;
  readonly #clock: Clock;
  readonly #logger: TakeLogger;
  readonly #observer: TakeObserver | undefined;
  /** Per member: the tail of their presenter calls. */
  readonly #chains = new Map<string, Promise<void>>();
  /** Per session: the id of its stored attempt (null when storing failed). */
  readonly #attemptIds = new Map<string, Promise<number | null>>();
  /** Results posts in flight (they run beside the members' chains). */
  readonly #background = new Set<Promise<void>>();
  /** Quiz names of queued members (the queue events carry no quiz). */
  readonly #queuedQuizNames = new Map<string, string>();

  constructor(options: TakeServiceOptions<TReply>) {
    this.#manager = options.manager;
    this.#quizzes = options.quizzes;
    this.#attempts = options.attempts;
    this.#settings = options.guildSettings;
    this.#analytics = options.analytics;
    this.#presenter = options.presenter;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#observer = options.observer;
    this.#subscribe();
  }

  /**
   * `/quiz take`: checks (quiz of this guild, open, retake policy, has questions), then starts the
   * session or queues the member. Resolves once the first message (question or queue position) is
   * shown. A member who already has a session gets it back in this reply (they may have dismissed
   * its message), whatever quiz they named. Errors are for the caller to render.
   */
  async take(request: TakeRequest<TReply>): Promise<Result<TakeResult, TakeError>> {
    const { guildId, userId } = request;
    const existing = await this.#continueExisting(request);
    if (existing) return existing;

    let quiz: Quiz | null;
    let questions: Awaited<ReturnType<QuizRepository['listQuestions']>>;
    try {
      quiz = await this.#findQuiz(guildId, request.quizRef);
      if (!quiz) return err({ kind: 'quizNotFound', ref: request.quizRef.trim() });
      const open = isOpen(quiz, this.#clock.now());
      if (!open.ok) {
        return open.error.kind === 'notYetOpen'
          ? err({ kind: 'notYetOpen', opensAt: open.error.opensAt })
          : err({ kind: 'closed', closesAt: open.error.closesAt });
      }
      const settings = await this.#settings.get(guildId);
      const hasCompleted =
        settings.retakePolicy === 'once' && (await this.#attempts.hasCompleted(guildId, userId, quiz.id));
      if (!canStart({ policy: settings.retakePolicy, hasCompleted }).ok) {
        return err({ kind: 'alreadyTaken', quizName: quiz.name });
      }
      questions = await this.#quizzes.listQuestions(guildId, quiz.id);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return err({ kind: 'databaseUnavailable' });
      throw error;
    }
    if (questions.length === 0) return err({ kind: 'noQuestions', quizName: quiz.name });

    const started = this.#manager.start({
      guildId,
      userId,
      quiz,
      questions,
      interaction: request.interaction,
    });
    if (!started.ok) {
      switch (started.error.kind) {
        // A second /quiz take raced this one past the first check.
        case 'alreadyRunning':
        case 'alreadyQueued':
          return (await this.#continueExisting(request)) ?? err({ kind: 'alreadyRunning' });
        case 'noQuestions':
          return err({ kind: 'noQuestions', quizName: quiz.name });
        case 'shuttingDown':
          return err({ kind: 'shuttingDown' });
      }
    }
    const key = memberKey(guildId, userId);
    if (started.value.status === 'queued') {
      const position = started.value.position;
      this.#queuedQuizNames.set(key, quiz.name);
      this.#logger.info({ guildId, quizId: quiz.id, position }, 'quiz queued');
      await this.#enqueue(key, 'showQueued', () =>
        this.#presenter.showQueued(request.interaction.reply, { quizName: quiz.name, position }),
      );
      return ok({ status: 'queued', position, quiz });
    }
    await this.#chains.get(key);
    return ok({ status: 'started', sessionId: started.value.sessionId, quiz });
  }

  /** The member's running session or queue place continues in this reply; null when they have neither. */
  async #continueExisting(request: TakeRequest<TReply>): Promise<Result<TakeResult, TakeError> | null> {
    const { guildId, userId } = request;
    if (this.#manager.sessionIdFor(guildId, userId) !== undefined) return this.#resume(request);
    const queued = this.#manager.reattachQueued(request);
    if (queued === null) return null;
    const quizName = this.#queuedQuizNames.get(memberKey(guildId, userId)) ?? '';
    await this.#enqueue(memberKey(guildId, userId), 'showQueued', () =>
      this.#presenter.showQueued(request.interaction.reply, { quizName, position: queued }),
    );
    return ok({ status: 'stillQueued', position: queued, quizName });
  }

  async #resume(request: TakeRequest<TReply>): Promise<Result<TakeResult, TakeError>> {
    const attached = this.#manager.reattach(request);
    if (!attached.ok) return err({ kind: 'alreadyRunning' }); // it ended meanwhile
    const { sessionId, state: attachedState } = attached.value;
    const reply = request.interaction.reply;
    await this.#enqueue(memberKey(request.guildId, request.userId), 'resume', async () => {
      // As it is when drawn (earlier calls of the chain ran first); an ended session drew its end.
      const state = this.#manager.getState(sessionId);
      if (!state) return;
      const question = state.questions[state.currentIndex];
      if (state.status === 'awaiting_answer' && question) {
        // Redrawn as it was: same deadline, and scoring keeps counting from the first delivery.
        await this.#presenter.showQuestion(reply, {
          sessionId,
          quizName: state.quizName,
          questionIndex: state.currentIndex,
          questionNumber: state.currentIndex + 1,
          questionCount: state.questions.length,
          question,
          deadlineMs: (state.deliveredAtMs ?? this.#clock.now()) + state.timerSeconds * 1000,
          timerSeconds: state.timerSeconds,
          score: state.score,
        });
      } else {
        await this.#presenter.showResumed(reply, { quizName: state.quizName });
      }
    });
    this.#logger.info(
      { guildId: request.guildId, quizId: attachedState.quizId },
      'quiz session resumed in a new reply',
    );
    return ok({ status: 'resumed', sessionId, quizName: attachedState.quizName });
  }

  /**
   * A click on an answer button. Resolves after the feedback is shown; a rejection (double, stale
   * or someone else's click, or a session that is over) changes nothing and is for the caller to
   * answer politely.
   */
  async answer(input: {
    sessionId: string;
    userId: string;
    questionIndex: number;
    optionIndex: number;
    interaction: InteractionRef<TReply>;
  }): Promise<Result<AnswerOutcome, ManagerAnswerRejection>> {
    const state = this.#manager.getState(input.sessionId);
    const result = this.#manager.answer(input);
    if (result.ok && state) await this.#chains.get(memberKey(state.guildId, state.userId));
    return result;
  }

  /** A click on "Next": the next question (or the results) now. */
  async next(input: {
    sessionId: string;
    userId: string;
    interaction: InteractionRef<TReply>;
  }): Promise<Result<void, NextRejection>> {
    const state = this.#manager.getState(input.sessionId);
    const result = this.#manager.next(input);
    if (result.ok && state) await this.#chains.get(memberKey(state.guildId, state.userId));
    return result;
  }

  /** Leaves the queue (a Leave button). */
  leaveQueue(guildId: string, userId: string): boolean {
    return this.#manager.leaveQueue(guildId, userId);
  }

  /** Authoring deleted a quiz: its running sessions end politely and its waiters leave the queue. */
  quizDeleted(quizId: number): number {
    return this.#manager.endForDeletedQuiz(quizId);
  }

  counts(): { running: number; queued: number } {
    return this.#manager.counts();
  }

  /**
   * Shutdown: every running session is interrupted (the member is told Badgey is restarting, the
   * progress is stored as an interrupted attempt), the queue empties. Resolves when all of that is
   * done (bound it with a timeout). Returns how many sessions were interrupted.
   */
  async shutdown(): Promise<number> {
    const interrupted = this.#manager.shutdown();
    await this.whenIdle();
    return interrupted.length;
  }

  /** Resolves once every member's pending presenter and store work is done. */
  async whenIdle(): Promise<void> {
    while (this.#chains.size > 0 || this.#background.size > 0) {
      await Promise.allSettled([...this.#chains.values(), ...this.#background]);
    }
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────

  #subscribe(): void {
    const m = this.#manager;
    m.on('questionDue', (e) => this.#onQuestionDue(e));
    m.on('feedback', (e) => this.#onFeedback(e));
    m.on('finished', (e) => this.#onFinished(e));
    m.on('expired', (e) => this.#onEnded(e, e.reason));
    m.on('interrupted', (e) => this.#onEnded(e, 'shutdown'));
    m.on('queuePosition', (e) => {
      const quizName = this.#queuedQuizNames.get(memberKey(e.guildId, e.userId)) ?? '';
      void this.#enqueue(memberKey(e.guildId, e.userId), 'showQueued', () =>
        this.#presenter.showQueued(e.reply, { quizName, position: e.position }),
      );
    });
    m.on('promoted', (e) => {
      this.#queuedQuizNames.delete(memberKey(e.guildId, e.userId));
      this.#logger.info({ guildId: e.guildId, waitedMs: e.waitedMs }, 'queued quiz promoted');
    });
    m.on('queueLeft', (e) => {
      this.#queuedQuizNames.delete(memberKey(e.guildId, e.userId));
      void this.#enqueue(memberKey(e.guildId, e.userId), 'showQueueLeft', () =>
        this.#presenter.showQueueLeft(e.reply, { reason: e.reason }),
      );
    });
  }

  #onQuestionDue(e: SessionEventMap<TReply>['questionDue']): void {
    const { state } = e;
    if (!this.#attemptIds.has(e.sessionId)) this.#startAttempt(state);
    const view: QuestionView = {
      sessionId: e.sessionId,
      quizName: state.quizName,
      questionIndex: e.questionIndex,
      questionNumber: e.questionNumber,
      questionCount: e.questionCount,
      question: e.question,
      deadlineMs: e.deadlineMs,
      timerSeconds: state.timerSeconds,
      score: state.score,
    };
    void this.#enqueue(memberKey(state.guildId, state.userId), 'showQuestion', async () => {
      const deliveredAtMs = await this.#presenter.showQuestion(e.reply, view);
      if (deliveredAtMs !== undefined) {
        this.#manager.confirmDelivered(e.sessionId, e.questionIndex, deliveredAtMs);
      }
    });
  }

  #startAttempt(state: SoloSessionState): void {
    this.#analytics.recordQuizStart(state.userId, state.quizId, state.guildId);
    this.#logger.info(
      { guildId: state.guildId, quizId: state.quizId, questions: state.questions.length },
      'quiz started',
    );
    const stored = this.#attempts.start(SoloSession.toAttemptStart(state)).then(
      (attempt) => attempt.id,
      (error: unknown) => {
        this.#failed('attempt_store_failed', error, { quizId: state.quizId, step: 'start' });
        return null;
      },
    );
    this.#attemptIds.set(state.sessionId, stored);
  }

  #onFeedback(e: SessionEventMap<TReply>['feedback']): void {
    const { outcome, state } = e;
    const timedOut = outcome.outcome === 'timed_out';
    this.#analytics.recordAnswer(
      outcome.outcome === 'correct',
      timedOut ? undefined : outcome.elapsedMs / 1000,
      {
        timedOut,
        mode: SOLO_MODE,
      },
    );
    const view: FeedbackView = {
      sessionId: e.sessionId,
      quizName: state.quizName,
      questionNumber: outcome.questionIndex + 1,
      questionCount: state.questions.length,
      question: state.questions[outcome.questionIndex]!,
      outcome,
      nextAtMs: e.nextAtMs,
    };
    void this.#enqueue(memberKey(state.guildId, state.userId), 'showFeedback', () =>
      this.#presenter.showFeedback(e.reply, view),
    );
  }

  #onFinished(e: SessionEventMap<TReply>['finished']): void {
    const { state, summary } = e;
    this.#analytics.recordQuizCompletion(state.userId, state.quizId, summary.durationSeconds, summary.score);
    this.#observer?.sessionEnded('completed');
    this.#logger.info(
      {
        guildId: state.guildId,
        quizId: state.quizId,
        score: summary.score,
        durationSeconds: summary.durationSeconds,
      },
      'quiz completed',
    );
    const attemptId = this.#takeAttemptId(state.sessionId);
    void this.#enqueue(memberKey(state.guildId, state.userId), 'finish', async () => {
      const [completion, resultsChannelId] = await Promise.all([
        this.#complete(attemptId, e.outcome, state),
        this.#settings.get(state.guildId).then(
          (settings) => settings.resultsChannelId,
          (error: unknown) => {
            this.#failed('settings_read_failed', error, { quizId: state.quizId });
            return null;
          },
        ),
      ]);
      const view = {
        quizName: state.quizName,
        summary,
        bestScore: completion?.best.score ?? null,
        isNewBest: completion?.isNewBest ?? false,
      };
      await this.#presenter.showSummary(e.reply, {
        ...view,
        post: { status: 'pending', channelId: resultsChannelId },
      });
      // Off the member's chain: Discord allows ~5 posts per 5 s in a channel, so a busy results
      // channel must delay neither this summary nor the member's next quiz. Only a failed post
      // comes back to say so.
      this.#inBackground(async () => {
        const post = await this.#presenter
          .postResults(e.reply, {
            channelId: resultsChannelId,
            guildId: state.guildId,
            userId: state.userId,
            quizName: state.quizName,
            summary,
          })
          .catch((error: unknown): ResultsPostOutcome => {
            this.#failed('results_post_failed', error, { quizId: state.quizId });
            return { status: 'failed', channelId: resultsChannelId };
          });
        if (post.status !== 'posted') await this.#presenter.showSummary(e.reply, { ...view, post });
      });
    });
  }

  /** Work that no member's chain waits for (whenIdle does). A failure is recorded, not thrown. */
  #inBackground(work: () => Promise<void>): void {
    const task: Promise<void> = work()
      .catch((error: unknown) => this.#failed('session_render_failed', error, { step: 'background' }))
      .finally(() => this.#background.delete(task));
    this.#background.add(task);
  }

  async #complete(
    attemptId: Promise<number | null>,
    outcome: SessionEventMap<TReply>['finished']['outcome'],
    state: SoloSessionState,
  ): Promise<CompletionResult | null> {
    const id = await attemptId;
    if (id === null) return null;
    try {
      return await this.#attempts.complete(id, outcome);
    } catch (error) {
      this.#failed('attempt_store_failed', error, { quizId: state.quizId, step: 'complete' });
      return null;
    }
  }

  #onEnded(
    e: SessionEventMap<TReply>['interrupted'] | SessionEventMap<TReply>['expired'],
    reason: Exclude<EndReason, 'completed'>,
  ): void {
    const { state, summary } = e;
    this.#observer?.sessionEnded(reason);
    this.#logger.info(
      { guildId: state.guildId, quizId: state.quizId, reason, answered: summary.answeredCount },
      'quiz session ended early',
    );
    const attemptId = this.#takeAttemptId(state.sessionId);
    void this.#enqueue(memberKey(state.guildId, state.userId), 'end', async () => {
      let saved = false;
      // A deleted quiz took its attempts with it: nothing to store.
      if (reason !== 'quizDeleted') {
        const id = await attemptId;
        if (id !== null) {
          try {
            if (reason === 'shutdown') await this.#attempts.markInterrupted(id, e.outcome);
            else await this.#attempts.markAbandoned(id, e.outcome);
            saved = true;
          } catch (error) {
            this.#failed('attempt_store_failed', error, { quizId: state.quizId, step: reason });
          }
        }
      }
      await this.#presenter.showEnded(e.reply, { quizName: state.quizName, reason, summary, saved });
    });
  }

  #takeAttemptId(sessionId: string): Promise<number | null> {
    const id = this.#attemptIds.get(sessionId) ?? Promise.resolve(null);
    this.#attemptIds.delete(sessionId);
    return id;
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  /** Runs `work` after the member's earlier presenter calls; a failure is recorded, not thrown. */
  #enqueue(key: string, step: string, work: () => Promise<unknown>): Promise<void> {
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.#failed('session_render_failed', error, { step }),
      )
      .finally(() => {
        if (this.#chains.get(key) === next) this.#chains.delete(key);
      });
    this.#chains.set(key, next);
    return next;
  }

  #failed(type: string, error: unknown, context: Record<string, unknown>): void {
    this.#analytics.recordError(type, error);
    this.#logger.warn({ err: error, ...context }, type.replaceAll('_', ' '));
  }

  #findQuiz(guildId: string, ref: string): Promise<Quiz | null> {
    return findQuizByRef(this.#quizzes, guildId, ref);
  }
}
