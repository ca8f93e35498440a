import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuizAnalytics } from '../../../src/analytics/index.js';
import { DatabaseUnavailableError } from '../../../src/quiz/ports.js';
import { SessionManager } from '../../../src/quiz/SessionManager.js';
import {
  type EndedView,
  type FeedbackView,
  type QuestionView,
  type ResultsPost,
  type ResultsPostOutcome,
  type SessionPresenter,
  type SummaryView,
  TakeService,
  type TakeServiceOptions,
} from '../../../src/quiz/TakeService.js';
import type { QuestionInput, QuizInput } from '../../../src/quiz/types.js';
import { type Database, openDatabase } from '../../../src/store/openDatabase.js';
import { FakeClock } from '../../support/FakeClock.js';

// The TakeService over a real (in-memory SQLite) store, the real QuizAnalytics, and a recording
// presenter, on a fake clock: no sleeping, every timer fired by the test.

const GUILD = '100000000000000001';
const ADA = '200000000000000001';
const BOB = '200000000000000002';
const TIMER_S = 20;
const FEEDBACK_MS = 5_000;
const IDLE_MS = 120_000;

type Call =
  | { method: 'showQuestion'; reply: string; view: QuestionView }
  | { method: 'showFeedback'; reply: string; view: FeedbackView }
  | { method: 'postResults'; reply: string; view: ResultsPost }
  | { method: 'showSummary'; reply: string; view: SummaryView }
  | { method: 'showEnded'; reply: string; view: EndedView }
  | { method: 'showResumed'; reply: string; view: { quizName: string } }
  | { method: 'showQueued'; reply: string; view: { quizName: string; position: number } }
  | { method: 'showQueueLeft'; reply: string; view: { reason: string } };

/** Records every call; `deliveryLagMs` = how much later than now Discord "showed" a question. */
class RecordingPresenter implements SessionPresenter<string> {
  readonly calls: Call[] = [];
  deliveryLagMs = 0;
  failNext: Call['method'] | undefined;
  postOutcome: (post: ResultsPost) => ResultsPostOutcome = (post) => ({
    status: 'posted',
    channelId: post.channelId ?? 'invoking-channel',
  });

  constructor(private readonly clock: FakeClock) {}

  #record(call: Call): void {
    this.calls.push(call);
    if (this.failNext === call.method) {
      this.failNext = undefined;
      throw new Error(`${call.method} failed (test)`);
    }
  }
  async showQuestion(reply: string, view: QuestionView) {
    this.#record({ method: 'showQuestion', reply, view });
    return this.clock.now() + this.deliveryLagMs;
  }
  async showFeedback(reply: string, view: FeedbackView) {
    this.#record({ method: 'showFeedback', reply, view });
  }
  async postResults(reply: string, view: ResultsPost) {
    this.#record({ method: 'postResults', reply, view });
    return this.postOutcome(view);
  }
  async showSummary(reply: string, view: SummaryView) {
    this.#record({ method: 'showSummary', reply, view });
  }
  async showEnded(reply: string, view: EndedView) {
    this.#record({ method: 'showEnded', reply, view });
  }
  async showResumed(reply: string, view: { quizName: string }) {
    this.#record({ method: 'showResumed', reply, view });
  }
  async showQueued(reply: string, view: { quizName: string; position: number }) {
    this.#record({ method: 'showQueued', reply, view });
  }
  async showQueueLeft(reply: string, view: { reason: string }) {
    this.#record({ method: 'showQueueLeft', reply, view });
  }

  last<M extends Call['method']>(method: M): Extract<Call, { method: M }> | undefined {
    return this.calls.filter((c): c is Extract<Call, { method: M }> => c.method === method).at(-1);
  }
  count(method: Call['method']): number {
    return this.calls.filter((c) => c.method === method).length;
  }
}

function quizInput(overrides: Partial<QuizInput> = {}): QuizInput {
  return {
    name: 'Planets',
    description: null,
    timerSeconds: TIMER_S,
    questionLimit: null,
    shuffle: false,
    opensAt: null,
    closesAt: null,
    ...overrides,
  };
}

const QUESTIONS: QuestionInput[] = [
  { text: 'Q1', options: ['right', 'wrong'], correctIndex: 0, points: 10, explanation: null },
  { text: 'Q2', options: ['right', 'wrong'], correctIndex: 0, points: 20, explanation: 'Because.' },
  { text: 'Q3', options: ['wrong', 'right'], correctIndex: 1, points: 30, explanation: null },
];

let db: Database;
let clock: FakeClock;
let presenter: RecordingPresenter;
let analytics: QuizAnalytics;
let service: TakeService<string>;
let ended: string[];

function setup(
  options: {
    maxSessions?: number;
    attempts?: TakeServiceOptions<string>['attempts'];
    quizzes?: TakeServiceOptions<string>['quizzes'];
  } = {},
) {
  const manager = new SessionManager<string>({
    clock,
    scheduler: clock,
    maxSessions: options.maxSessions ?? 10,
    idleTimeoutMs: IDLE_MS,
    feedbackDelayMs: FEEDBACK_MS,
    newSeed: () => 42,
  });
  service = new TakeService<string>({
    manager,
    quizzes: options.quizzes ?? db.quizzes,
    attempts: options.attempts ?? db.attempts,
    guildSettings: db.guildSettings,
    analytics,
    presenter,
    clock,
    logger: pino({ level: 'silent' }),
    observer: { sessionEnded: (reason) => ended.push(reason) },
  });
}

beforeEach(async () => {
  db = await openDatabase({ url: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  await db.migrate();
  clock = new FakeClock(Date.UTC(2026, 4, 1, 12));
  presenter = new RecordingPresenter(clock);
  analytics = new QuizAnalytics({ salt: 'test-salt-0123456789abcdef', clock });
  ended = [];
  setup();
});

afterEach(async () => {
  await db.close();
});

async function createQuiz(overrides: Partial<QuizInput> = {}, questions = QUESTIONS) {
  const quiz = await db.quizzes.create(GUILD, ADA, quizInput(overrides));
  for (const question of questions) await db.quizzes.addQuestion(GUILD, quiz.id, question);
  return quiz;
}

/** Moves the fake clock and lets the service's async work (store, presenter) finish. */
async function advance(ms: number) {
  clock.advance(ms);
  await service.whenIdle();
}

function take(userId: string, quizRef: string, reply = `take-${userId}`) {
  return service.take({ guildId: GUILD, userId, quizRef, interaction: { reply, issuedAtMs: clock.now() } });
}

async function answer(userId: string, option: number, afterMs: number, reply = `click-${userId}`) {
  const question = presenter.last('showQuestion');
  if (!question) throw new Error('no question shown');
  const deliveredAt = clock.now(); // the recording presenter delivers at now (+ lag)
  return service.answer({
    sessionId: question.view.sessionId,
    userId,
    questionIndex: question.view.questionIndex,
    optionIndex: option,
    interaction: { reply, issuedAtMs: deliveredAt + presenter.deliveryLagMs + afterMs },
  });
}

async function attempts() {
  const stats = await db.stats.guildStats(GUILD);
  return stats;
}

describe('TakeService', () => {
  it('plays a whole quiz: stores the attempt, scores answers and a timeout, posts and summarises', async () => {
    const quiz = await createQuiz();
    await db.guildSettings.update(GUILD, { resultsChannelId: 'results-channel' });
    const started = await take(ADA, String(quiz.id));
    expect(started.ok && started.value.status).toBe('started');
    expect(presenter.last('showQuestion')?.view).toMatchObject({
      questionNumber: 1,
      questionCount: 3,
      score: 0,
    });
    expect(presenter.last('showQuestion')?.reply).toBe(`take-${ADA}`);
    expect((await attempts()).inProgress).toBe(1);

    // Q1 right after 5 s of 20: trunc(10 × 15/20) = 7.
    const first = await answer(ADA, 0, 5_000);
    expect(first.ok && first.value.pointsAwarded).toBe(7);
    expect(presenter.last('showFeedback')?.view.outcome.outcome).toBe('correct');
    expect(presenter.last('showFeedback')?.reply).toBe(`click-${ADA}`);

    // Q2 times out (20 s + 1 s grace) and the next question comes by itself after the feedback.
    await advance(FEEDBACK_MS);
    expect(presenter.last('showQuestion')?.view.questionNumber).toBe(2);
    await advance(TIMER_S * 1000 + 1_000);
    expect(presenter.last('showFeedback')?.view.outcome).toMatchObject({
      outcome: 'timed_out',
      explanation: 'Because.',
    });
    await advance(FEEDBACK_MS);
    expect(presenter.last('showQuestion')?.view.questionNumber).toBe(3);

    // Q3 wrong, then the results.
    await answer(ADA, 0, 1_000);
    await advance(FEEDBACK_MS);
    const post = presenter.last('postResults');
    expect(post?.view).toMatchObject({ channelId: 'results-channel', userId: ADA, quizName: 'Planets' });
    expect(post?.view.summary).toMatchObject({ score: 7, maxScore: 60, correctCount: 1, questionCount: 3 });
    expect(presenter.last('showSummary')?.view).toMatchObject({
      bestScore: 7,
      isNewBest: true,
      post: { status: 'pending', channelId: 'results-channel' },
    });
    expect(presenter.count('showSummary')).toBe(1); // posted: no second summary
    expect(await db.attempts.getBestScore(GUILD, ADA, quiz.id)).toMatchObject({ score: 7 });
    expect(await attempts()).toMatchObject({ attempts: 1, completed: 1, inProgress: 0 });

    const stats = analytics.getStatistics();
    expect(stats).toMatchObject({
      quizzes_started: 1,
      quizzes_completed: 1,
      questions_answered: 3,
      correct_answers: 1,
      timed_out_answers: 1,
      answers_by_mode: { solo: 3 },
    });
    expect(ended).toEqual(['completed']);
    expect(service.counts()).toEqual({ running: 0, queued: 0 });
  });

  it('scores from when Discord showed the question, not from when the bot sent it', async () => {
    const quiz = await createQuiz();
    presenter.deliveryLagMs = 800;
    await take(ADA, quiz.name);
    // Clicked the instant it appeared: full points despite 800 ms of bot → Discord lag.
    const result = await answer(ADA, 0, 0);
    expect(result.ok && result.value.pointsAwarded).toBe(10);
  });

  it('never double-scores: a second click is refused and counted once', async () => {
    const quiz = await createQuiz();
    await take(ADA, String(quiz.id));
    expect((await answer(ADA, 0, 1_000)).ok).toBe(true);
    const again = await answer(ADA, 0, 1_500);
    expect(again.ok ? 'accepted' : again.error.kind).toBe('alreadyAnswered');
    const foreign = await answer(BOB, 0, 1_600);
    expect(foreign.ok ? 'accepted' : foreign.error.kind).toBe('notYourSession');
    expect(analytics.getStatistics().questions_answered).toBe(1);
    expect(presenter.count('showFeedback')).toBe(1);
  });

  it('honours the retake policy: once refuses a second attempt, unlimited keeps the best score', async () => {
    const quiz = await createQuiz({}, QUESTIONS.slice(0, 1));
    await take(ADA, String(quiz.id));
    await answer(ADA, 0, 10_000); // 5 of 10
    await advance(FEEDBACK_MS);
    const second = await take(ADA, String(quiz.id));
    expect(second.ok ? 'started' : second.error.kind).toBe('alreadyTaken');

    await db.guildSettings.update(GUILD, { retakePolicy: 'unlimited' });
    const third = await take(ADA, String(quiz.id));
    expect(third.ok && third.value.status).toBe('started');
    await answer(ADA, 0, 2_000); // 9 of 10
    await advance(FEEDBACK_MS);
    expect(presenter.last('showSummary')?.view).toMatchObject({ bestScore: 9, isNewBest: true });
    expect(await db.attempts.getBestScore(GUILD, ADA, quiz.id)).toMatchObject({ score: 9 });
  });

  it('refuses quizzes that are not open, unknown, empty, or already running for the member', async () => {
    const now = clock.now();
    const later = await createQuiz({ name: 'Later', opensAt: now + 3_600_000 });
    const over = await createQuiz({ name: 'Over', closesAt: now - 1 });
    const empty = await createQuiz({ name: 'Empty' }, []);
    await createQuiz({ name: 'Open' });
    const kinds = async (ref: string) => {
      const result = await take(ADA, ref);
      return result.ok ? result.value.status : result.error.kind;
    };
    expect(await kinds(String(later.id))).toBe('notYetOpen');
    expect(await kinds(String(over.id))).toBe('closed');
    expect(await kinds(String(empty.id))).toBe('noQuestions');
    expect(await kinds('No such quiz')).toBe('quizNotFound');
    expect(await kinds('open')).toBe('started'); // by name, ignoring case
    expect(analytics.getStatistics().quizzes_started).toBe(1);
  });

  it('a second /quiz take continues the running session in the new reply (the old message may be gone)', async () => {
    const quiz = await createQuiz();
    await take(ADA, String(quiz.id));
    const first = presenter.last('showQuestion')!.view;
    await advance(3_000);
    const again = await take(ADA, 'another quiz name entirely', 'take2');
    expect(again.ok && again.value).toMatchObject({
      status: 'resumed',
      sessionId: first.sessionId,
      quizName: 'Planets',
    });
    // The same question, the same deadline, drawn in the new reply.
    expect(presenter.last('showQuestion')).toMatchObject({
      reply: 'take2',
      view: { sessionId: first.sessionId, questionIndex: 0, deadlineMs: first.deadlineMs },
    });
    expect(analytics.getStatistics().quizzes_started).toBe(1);
    // Scoring still counts from the first delivery: clicked 5 s after it → trunc(10 × 15/20) = 7.
    await advance(2_000);
    const answered = await answer(ADA, 0, 0, 'click');
    expect(answered.ok && answered.value.pointsAwarded).toBe(7);
    // During feedback, a resume says the next question is coming.
    const during = await take(ADA, String(quiz.id), 'take3');
    expect(during.ok && during.value.status).toBe('resumed');
    expect(presenter.last('showResumed')).toMatchObject({ reply: 'take3', view: { quizName: 'Planets' } });
    await advance(FEEDBACK_MS);
    expect(presenter.last('showQuestion')).toMatchObject({ reply: 'take3', view: { questionNumber: 2 } });
  });

  it('two /quiz take at once by one member start one session; the other reply continues it', async () => {
    const quiz = await createQuiz();
    const [a, b] = await Promise.all([
      take(ADA, String(quiz.id), 'first'),
      take(ADA, String(quiz.id), 'second'),
    ]);
    const statuses = [a, b].map((r) => (r.ok ? r.value.status : r.error.kind)).sort();
    expect(statuses).toEqual(['resumed', 'started']);
    expect(service.counts().running).toBe(1);
    expect(analytics.getStatistics().quizzes_started).toBe(1);
    expect((await attempts()).attempts).toBe(1);
  });

  it('asks at most the question limit, in a shuffled order when the quiz says so', async () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ ...QUESTIONS[0]!, text: `Q${i + 1}` }));
    const quiz = await createQuiz({ questionLimit: 3, shuffle: true }, many);
    await take(ADA, String(quiz.id));
    const asked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const shown = presenter.last('showQuestion')!.view;
      expect(shown.questionCount).toBe(3);
      asked.push(shown.question.text);
      await answer(ADA, 0, 1_000);
      await advance(FEEDBACK_MS);
    }
    expect(new Set(asked).size).toBe(3);
    expect(asked).not.toEqual(['Q1', 'Q2', 'Q3']); // seed 42 shuffles
    expect(presenter.last('showSummary')?.view.summary.questionCount).toBe(3);
  });

  it('queues members beyond the cap; an idle session ends, is stored abandoned, and frees its slot', async () => {
    setup({ maxSessions: 1 });
    const quiz = await createQuiz({ timerSeconds: 300 }); // questions outlast the idle timeout
    await take(ADA, String(quiz.id));
    const queued = await take(BOB, String(quiz.id));
    expect(queued.ok && queued.value).toMatchObject({ status: 'queued', position: 1 });
    expect(presenter.last('showQueued')).toMatchObject({
      reply: `take-${BOB}`,
      view: { quizName: 'Planets', position: 1 },
    });

    // bob asks again (he dismissed the queue message): same place, drawn in the new reply.
    const again = await take(BOB, String(quiz.id), 'take2-bob');
    expect(again.ok && again.value).toEqual({ status: 'stillQueued', position: 1, quizName: 'Planets' });
    expect(presenter.last('showQueued')?.reply).toBe('take2-bob');

    await answer(ADA, 0, 1_000); // trunc(10 × 299/300) = 9
    // Nothing from ada for the idle timeout: the session ends and bob starts.
    await advance(IDLE_MS);
    const end = presenter.calls.find((c) => c.method === 'showEnded');
    expect(end?.view).toMatchObject({ reason: 'idle', saved: true, summary: { score: 9 } });
    expect(presenter.last('showQuestion')?.reply).toBe('take2-bob');
    expect(await attempts()).toMatchObject({ attempts: 2, abandoned: 1, inProgress: 1 });
    expect(ended).toEqual(['idle']);
    expect(service.counts()).toEqual({ running: 1, queued: 0 });
  });

  it('a quiz deleted mid-session ends that session politely, storing nothing', async () => {
    const quiz = await createQuiz();
    await take(ADA, String(quiz.id));
    await answer(ADA, 0, 1_000);
    expect(await db.quizzes.delete(GUILD, quiz.id)).toBe(true);
    expect(service.quizDeleted(quiz.id)).toBe(1);
    await service.whenIdle();
    expect(presenter.last('showEnded')?.view).toMatchObject({ reason: 'quizDeleted', saved: false });
    expect(analytics.getStatistics().error_counts).toEqual({});
    expect(ended).toEqual(['quizDeleted']);
  });

  it('shutdown interrupts running sessions (stored as interrupted) and drops the queue', async () => {
    setup({ maxSessions: 1 });
    const quiz = await createQuiz();
    await take(ADA, String(quiz.id));
    await take(BOB, String(quiz.id));
    await answer(ADA, 0, 4_000); // 8

    expect(await service.shutdown()).toBe(1);
    expect(presenter.last('showEnded')).toMatchObject({
      reply: `click-${ADA}`,
      view: { reason: 'shutdown', saved: true, summary: { score: 8, answeredCount: 1 } },
    });
    expect(presenter.last('showQueueLeft')).toMatchObject({
      reply: `take-${BOB}`,
      view: { reason: 'shutdown' },
    });
    expect(await attempts()).toMatchObject({ attempts: 1, interrupted: 1, inProgress: 0 });
    const late = await take(BOB, String(quiz.id));
    expect(late.ok ? 'started' : late.error.kind).toBe('shuttingDown');
    expect(ended).toEqual(['shutdown']);
  });

  it('a failing presenter call is recorded and the session carries on', async () => {
    const quiz = await createQuiz();
    await take(ADA, String(quiz.id));
    presenter.failNext = 'showFeedback';
    await answer(ADA, 0, 1_000);
    await advance(FEEDBACK_MS);
    expect(presenter.last('showQuestion')?.view.questionNumber).toBe(2);
    expect(analytics.getStatistics().error_counts).toEqual({ session_render_failed: 1 });
  });

  it('a results post the bot may not make still ends in a summary that says so', async () => {
    const quiz = await createQuiz({}, QUESTIONS.slice(0, 1));
    presenter.postOutcome = () => ({ status: 'forbidden', channelId: 'locked' });
    await take(ADA, String(quiz.id));
    await answer(ADA, 0, 0);
    await advance(FEEDBACK_MS);
    expect(presenter.last('showSummary')?.view.post).toEqual({ status: 'forbidden', channelId: 'locked' });
    expect(presenter.last('showSummary')?.view.bestScore).toBe(10);
  });

  it('an unreachable database refuses the start politely; a failed store still ends in a summary', async () => {
    const quiz = await createQuiz({}, QUESTIONS.slice(0, 1));
    const down = new DatabaseUnavailableError('connection refused');
    setup({
      quizzes: {
        getById: () => Promise.reject(down),
        findByName: () => Promise.reject(down),
        listQuestions: () => Promise.reject(down),
      },
    });
    const refused = await take(ADA, String(quiz.id));
    expect(refused.ok ? 'started' : refused.error.kind).toBe('databaseUnavailable');

    // The attempt cannot be stored: the member still plays, and the summary says the score is not saved.
    setup({
      attempts: {
        ...db.attempts,
        start: () => Promise.reject(down),
        complete: db.attempts.complete.bind(db.attempts),
        markInterrupted: db.attempts.markInterrupted.bind(db.attempts),
        markAbandoned: db.attempts.markAbandoned.bind(db.attempts),
        hasCompleted: db.attempts.hasCompleted.bind(db.attempts),
      },
    });
    await take(ADA, String(quiz.id));
    await answer(ADA, 0, 0);
    await advance(FEEDBACK_MS);
    expect(presenter.last('showSummary')?.view).toMatchObject({ bestScore: null, summary: { score: 10 } });
    expect(analytics.getStatistics().error_counts).toEqual({ attempt_store_failed: 1 });
  });
});
