/**
 * `/quiz take` and the resume choices, over the SoloRunner: the checks that need the store (quiz of
 * this guild, open, retake policy, questions), then a fresh session, the member's running one
 * redrawn, or — when an earlier attempt on this quiz was interrupted — the offer to Continue,
 * Start over or Give up. A click on a message of a session this process does not run (it was
 * interrupted by a restart, a crash, an idle pause) makes the same offer.
 */

import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { canStart, isOpen } from '../availability.js';
import { findQuizByRef } from '../findQuizByRef.js';
import {
  type AttemptRepository,
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type QuizRepository,
  type ResumableAttempt,
} from '../ports.js';
import { err, ok, type Result } from '../result.js';
import type { Question, Quiz } from '../types.js';
import type { InteractionRef, ResumeOfferView, SessionPresenter } from './presenter.js';
import type { ClickRejection, SoloRunner, TakeLogger } from './SoloRunner.js';
import { SoloSession, type SoloSessionState } from './SoloSession.js';

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
  | { status: 'started'; sessionId: string }
  | { status: 'queued'; position: number }
  /** The member already had a session: it continues in this interaction's reply. */
  | { status: 'resumed'; sessionId: string; quizName: string }
  /** The member was already waiting: same place, shown (and later started) in this reply. */
  | { status: 'stillQueued'; position: number; quizName: string }
  /** An interrupted attempt on this quiz: Continue / Start over / Give up offered. */
  | { status: 'offered'; sessionId: string };

export interface TakeRequest<TReply> {
  guildId: string;
  userId: string;
  /** The `quiz` option: an autocomplete choice (the id as text) or a typed name. */
  quizRef: string;
  interaction: InteractionRef<TReply>;
}

/** The member's choice on the offer (button `quiz-play:<choice>:<session>`). */
export type ResumeChoice = 'continue' | 'restart' | 'giveup';

export interface TakeServiceOptions<TReply> {
  runner: SoloRunner<TReply>;
  quizzes: Pick<QuizRepository, 'getById' | 'findByName' | 'listQuestions'>;
  attempts: Pick<AttemptRepository, 'hasCompleted' | 'findResumable' | 'claimForResume' | 'giveUp'>;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  presenter: SessionPresenter<TReply>;
  clock: Clock;
  logger: TakeLogger;
  /** Seeds each attempt's shuffle. @defaultValue a random 32-bit integer */
  newSeed?: () => number;
}

interface Member<TReply> {
  guildId: string;
  userId: string;
  interaction: InteractionRef<TReply>;
}

export class TakeService<TReply> {
  readonly #o: TakeServiceOptions<TReply>;

  constructor(options: TakeServiceOptions<TReply>) {
    this.#o = options;
  }

  /** `/quiz take`. Resolves once the first screen (question, queue place or offer) is drawn. */
  async take(request: TakeRequest<TReply>): Promise<Result<TakeResult, TakeError>> {
    const { runner } = this.#o;
    const { guildId, userId, interaction } = request;
    const running = await runner.reattach(guildId, userId, interaction);
    if (running) return ok({ status: 'resumed', ...running });
    const queued = await runner.reattachQueued(guildId, userId, interaction);
    if (queued) return ok({ status: 'stillQueued', ...queued });
    return this.#guard<TakeResult, TakeError>(async () => {
      const quiz = await findQuizByRef(this.#o.quizzes, guildId, request.quizRef);
      if (!quiz) return err({ kind: 'quizNotFound', ref: request.quizRef.trim() });
      const resumable = await this.#o.attempts.findResumable(guildId, userId, { quizId: quiz.id });
      if (resumable) {
        await this.#offer(request, resumable, quiz);
        return ok({ status: 'offered', sessionId: resumable.sessionId });
      }
      return this.#startFresh(request, quiz);
    });
  }

  /**
   * A click on a session this process does not run. Offers the stored attempt back when there is
   * one for this member; otherwise the click is for an ended session.
   */
  async clickedUnknownSession(
    member: Member<TReply>,
    sessionId: string,
  ): Promise<Result<void, ClickRejection | { kind: 'databaseUnavailable' }>> {
    return this.#guard<void, ClickRejection>(async () => {
      const resumable = await this.#o.attempts.findResumable(member.guildId, member.userId, { sessionId });
      if (!resumable) return err({ kind: 'sessionNotFound' });
      const quiz = await this.#o.quizzes.getById(member.guildId, resumable.attempt.quizId);
      if (!quiz) return err({ kind: 'sessionNotFound' });
      await this.#offer(member, resumable, quiz);
      return ok(undefined);
    });
  }

  /** Continue / Start over / Give up on the offer. */
  async choose(
    member: Member<TReply>,
    sessionId: string,
    choice: ResumeChoice,
  ): Promise<Result<TakeResult | { status: 'gaveUp' }, TakeError | { kind: 'nothingToResume' }>> {
    const { attempts, runner } = this.#o;
    return this.#guard<TakeResult | { status: 'gaveUp' }, TakeError | { kind: 'nothingToResume' }>(
      async () => {
        // Already running (a double click on Continue): it is drawn here again.
        if (runner.sessionIdFor(member.guildId, member.userId) === sessionId) {
          const running = await runner.reattach(member.guildId, member.userId, member.interaction);
          if (running) return ok({ status: 'resumed', ...running });
        }
        const resumable = await attempts.findResumable(member.guildId, member.userId, { sessionId });
        if (!resumable) return err({ kind: 'nothingToResume' });
        const quiz = await this.#o.quizzes.getById(member.guildId, resumable.attempt.quizId);
        if (choice === 'giveup' || choice === 'restart' || !quiz) {
          if (!(await attempts.giveUp(resumable.attempt.id, this.#o.clock.now())))
            return err({ kind: 'nothingToResume' });
          this.#o.logger.info(
            { guildId: member.guildId, quizId: resumable.attempt.quizId, choice },
            'interrupted quiz dropped',
          );
          if (choice === 'restart' && quiz) return this.#startFresh(member, quiz);
          const stored = SoloSession.parseStored(resumable.state);
          await this.#o.presenter.showGaveUp(member.interaction.reply, {
            quizName: quiz?.name ?? '',
            score: resumable.attempt.score,
            answeredCount: stored.ok ? stored.value.answers.length : 0,
            questionCount: resumable.attempt.questionCount,
          });
          return ok({ status: 'gaveUp' });
        }
        const restored = await this.#restore(member, resumable, quiz);
        if (!restored) return err({ kind: 'nothingToResume' });
        if (!(await attempts.claimForResume(resumable.attempt.id))) return err({ kind: 'nothingToResume' });
        const started = await runner.start(restored, member.interaction, resumable.attempt.id);
        return started.ok ? ok(started.value) : err(this.#startError(started.error));
      },
    );
  }

  async #startFresh(member: Member<TReply>, quiz: Quiz): Promise<Result<TakeResult, TakeError>> {
    const { guildId, userId } = member;
    const open = isOpen(quiz, this.#o.clock.now());
    if (!open.ok) {
      return open.error.kind === 'notYetOpen'
        ? err({ kind: 'notYetOpen', opensAt: open.error.opensAt })
        : err({ kind: 'closed', closesAt: open.error.closesAt });
    }
    const settings = await this.#o.guildSettings.get(guildId);
    const hasCompleted =
      settings.retakePolicy === 'once' && (await this.#o.attempts.hasCompleted(guildId, userId, quiz.id));
    if (!canStart({ policy: settings.retakePolicy, hasCompleted }).ok) {
      return err({ kind: 'alreadyTaken', quizName: quiz.name });
    }
    const questions = await this.#o.quizzes.listQuestions(guildId, quiz.id);
    const created = SoloSession.create({
      sessionId: this.#o.runner.newSessionId(),
      guildId,
      userId,
      quiz,
      questions,
      seed: this.#o.newSeed?.() ?? randomBytes(4).readUInt32LE(0),
      startedAtMs: this.#o.clock.now(),
    });
    if (!created.ok) return err({ kind: 'noQuestions', quizName: quiz.name });
    const started = await this.#o.runner.start(created.value, member.interaction);
    return started.ok ? ok(started.value) : err(this.#startError(started.error));
  }

  async #offer(member: Member<TReply>, resumable: ResumableAttempt, quiz: Quiz): Promise<void> {
    const stored = SoloSession.parseStored(resumable.state);
    const questions = await this.#o.quizzes.listQuestions(member.guildId, quiz.id);
    const canContinue =
      stored.ok &&
      SoloSession.restore({ stored: stored.value, ...member, quiz, questions, nowMs: this.#o.clock.now() })
        .ok;
    const answered = stored.ok ? stored.value.answers.length : 0;
    const questionCount = resumable.attempt.questionCount;
    const view: ResumeOfferView = {
      sessionId: resumable.sessionId,
      quizName: quiz.name,
      questionNumber: Math.min(answered + 1, questionCount),
      questionCount,
      score: stored.ok ? stored.value.score : resumable.attempt.score,
      canContinue,
    };
    await this.#o.presenter.showResumeOffer(member.interaction.reply, view);
  }

  async #restore(
    member: Member<TReply>,
    resumable: ResumableAttempt,
    quiz: Quiz,
  ): Promise<SoloSessionState | null> {
    const stored = SoloSession.parseStored(resumable.state);
    if (!stored.ok) {
      this.#o.logger.warn(
        { quizId: quiz.id, problem: stored.error.message },
        'stored quiz session unreadable',
      );
      return null;
    }
    const questions: Question[] = await this.#o.quizzes.listQuestions(member.guildId, quiz.id);
    const restored = SoloSession.restore({
      stored: stored.value,
      guildId: member.guildId,
      userId: member.userId,
      quiz,
      questions,
      nowMs: this.#o.clock.now(),
    });
    return restored.ok ? restored.value : null;
  }

  #startError(
    error:
      | { kind: 'alreadyRunning' }
      | { kind: 'alreadyQueued'; position: number }
      | { kind: 'shuttingDown' },
  ): TakeError {
    switch (error.kind) {
      case 'alreadyRunning':
        return { kind: 'alreadyRunning' };
      case 'alreadyQueued':
        return { kind: 'alreadyQueued', position: error.position };
      case 'shuttingDown':
        return { kind: 'shuttingDown' };
    }
  }

  async #guard<T, E>(
    work: () => Promise<Result<T, E>>,
  ): Promise<Result<T, E | { kind: 'databaseUnavailable' }>> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return err({ kind: 'databaseUnavailable' });
      throw error;
    }
  }
}
