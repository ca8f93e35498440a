import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import {
  AttemptNotInProgressError,
  QuestionNotFoundError,
  QuizNameTakenError,
  QuizNotFoundError,
} from '../../../src/quiz/ports.js';
import type { QuestionInput, Quiz } from '../../../src/quiz/types.js';
import type { Database } from '../../../src/store/openDatabase.js';
import { runChildrenTogether } from './storeChildren.js';
import { openTestDatabase, quizInput, type Scratch, STORE_TARGETS, TestClock } from './storeTargets.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function question(text: string, overrides: Partial<QuestionInput> = {}): QuestionInput {
  return {
    text,
    options: ['yes', 'no', 'maybe: later'],
    correctIndex: 0,
    points: 10,
    explanation: null,
    ...overrides,
  };
}

describe.each(STORE_TARGETS)('repositories on $name', (target) => {
  let scratch: Scratch;
  let db: Database;
  const clock = new TestClock();
  const readiness = new ReadinessRegistry();
  const metrics = new Registry();
  const querySeconds: number[] = [];
  // Each test works in its own guild, so tests stay independent on one migrated database.
  let guildSeq = 0;
  let guild: string;
  let otherGuild: string;

  beforeAll(async () => {
    scratch = await target.scratch();
    db = await openTestDatabase(scratch.url, {
      clock,
      readiness,
      metricsRegistry: metrics,
      onQuery: (s) => querySeconds.push(s),
      poolSize: 12,
    });
    await db.migrate();
  });

  afterAll(async () => {
    await db?.close();
    await scratch?.dispose();
  });

  beforeEach(() => {
    guildSeq += 1;
    guild = `1000${guildSeq}`;
    otherGuild = `2000${guildSeq}`;
  });

  it('reports the database ready after migrating, and times every query', async () => {
    expect(readiness.snapshot().database).toEqual({ ready: true });
    const before = querySeconds.length;
    await db.quizzes.list(guild, { offset: 0, limit: 10 });
    expect(querySeconds.length).toBeGreaterThan(before);
    expect(querySeconds.every((s) => s >= 0 && Number.isFinite(s))).toBe(true);
    await expect(db.ping()).resolves.toBeUndefined();
  });

  describe('quizzes', () => {
    it('creates, reads, updates and deletes a quiz with every field round-tripped as numbers', async () => {
      const opensAt = Date.UTC(2030, 0, 1);
      const created = await db.quizzes.create(guild, 'creator-1', {
        ...quizInput('  Capitals  '),
        questionLimit: 5,
        shuffle: true,
        opensAt,
        closesAt: opensAt + DAY,
      });
      expect(created).toEqual({
        id: expect.any(Number),
        guildId: guild,
        name: 'Capitals',
        description: 'about   Capitals  ',
        creatorId: 'creator-1',
        timerSeconds: 30,
        questionLimit: 5,
        shuffle: true,
        opensAt,
        closesAt: opensAt + DAY,
        createdAt: clock.now(),
        updatedAt: clock.now(),
      });
      expect(await db.quizzes.getById(guild, created.id)).toEqual(created);
      expect(await db.quizzes.findByName(guild, 'CAPITALS')).toEqual(created);

      clock.advance(1000);
      const updated = await db.quizzes.update(guild, created.id, {
        timerSeconds: 45,
        shuffle: false,
        closesAt: null,
      });
      expect(updated).toMatchObject({ timerSeconds: 45, shuffle: false, closesAt: null, name: 'Capitals' });
      expect(updated.updatedAt).toBe(created.createdAt + 1000);
      expect(typeof updated.opensAt).toBe('number');

      expect(await db.quizzes.delete(guild, created.id)).toBe(true);
      expect(await db.quizzes.getById(guild, created.id)).toBeNull();
      expect(await db.quizzes.delete(guild, created.id)).toBe(false);
      await expect(db.quizzes.update(guild, created.id, { timerSeconds: 10 })).rejects.toBeInstanceOf(
        QuizNotFoundError,
      );
    });

    it('keeps names unique per guild ignoring case, but lets another guild reuse a name', async () => {
      const first = await db.quizzes.create(guild, 'u', quizInput('Geography'));
      await expect(db.quizzes.create(guild, 'u', quizInput('GEOGRAPHY'))).rejects.toBeInstanceOf(
        QuizNameTakenError,
      );
      const second = await db.quizzes.create(guild, 'u', quizInput('History'));
      await expect(db.quizzes.update(guild, second.id, { name: 'geography' })).rejects.toBeInstanceOf(
        QuizNameTakenError,
      );
      const elsewhere = await db.quizzes.create(otherGuild, 'u', quizInput('Geography'));
      expect(elsewhere.id).not.toBe(first.id);
      // Renaming to a different case of its own name is allowed.
      await expect(db.quizzes.update(guild, first.id, { name: 'GeoGraphy' })).resolves.toMatchObject({
        name: 'GeoGraphy',
      });
    });

    it('treats a quiz of another guild as not found everywhere', async () => {
      const foreign = await db.quizzes.create(otherGuild, 'u', quizInput('Secret'));
      const foreignQuestion = await db.quizzes.addQuestion(otherGuild, foreign.id, question('hidden?'));
      expect(await db.quizzes.getById(guild, foreign.id)).toBeNull();
      expect(await db.quizzes.findByName(guild, 'Secret')).toBeNull();
      expect(await db.quizzes.search(guild, '', 25)).toEqual([]);
      expect(await db.quizzes.listQuestions(guild, foreign.id)).toEqual([]);
      expect(await db.quizzes.getQuestion(guild, foreignQuestion.id)).toBeNull();
      await expect(db.quizzes.update(guild, foreign.id, { timerSeconds: 5 })).rejects.toBeInstanceOf(
        QuizNotFoundError,
      );
      await expect(db.quizzes.addQuestion(guild, foreign.id, question('x'))).rejects.toBeInstanceOf(
        QuizNotFoundError,
      );
      await expect(
        db.quizzes.updateQuestion(guild, foreignQuestion.id, question('x')),
      ).rejects.toBeInstanceOf(QuestionNotFoundError);
      expect(await db.quizzes.deleteQuestion(guild, foreignQuestion.id)).toBe(false);
      await expect(db.quizzes.replaceQuestions(guild, foreign.id, [question('x')])).rejects.toBeInstanceOf(
        QuizNotFoundError,
      );
      expect(await db.quizzes.delete(guild, foreign.id)).toBe(false);
      await expect(
        db.attempts.start({
          guildId: guild,
          userId: 'm',
          quizId: foreign.id,
          maxScore: 10,
          questionCount: 1,
          startedAt: 1,
        }),
      ).rejects.toBeInstanceOf(QuizNotFoundError);
      // Still intact in its own guild.
      expect(await db.quizzes.listQuestions(otherGuild, foreign.id)).toHaveLength(1);
    });

    it('lists with question counts and pages, ordered by name ignoring case', async () => {
      const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo'];
      const quizzes: Quiz[] = [];
      for (const name of names)
        quizzes.push(await db.quizzes.create(guild, `creator-${name}`, quizInput(name)));
      const bravo = quizzes[3]!;
      await db.quizzes.replaceQuestions(guild, bravo.id, [question('1'), question('2'), question('3')]);
      await db.quizzes.create(otherGuild, 'u', quizInput('Aardvark'));

      const page1 = await db.quizzes.list(guild, { offset: 0, limit: 2 });
      expect(page1.total).toBe(5);
      expect(page1.items.map((q) => q.name)).toEqual(['Alpha', 'Bravo']);
      expect(page1.items.map((q) => q.questionCount)).toEqual([0, 3]);
      expect(page1.items[1]?.creatorId).toBe('creator-Bravo');
      const page3 = await db.quizzes.list(guild, { offset: 4, limit: 2 });
      expect(page3.items.map((q) => q.name)).toEqual(['echo']);
      await expect(db.quizzes.list(guild, { offset: 0, limit: 0 })).rejects.toBeInstanceOf(RangeError);
    });

    it('searches by case-insensitive prefix for autocomplete, with LIKE wildcards taken literally, at most 25', async () => {
      for (const name of ['Math 101', 'math 102', 'Mathematics', 'Music', '100%_sure', '100 percent'])
        await db.quizzes.create(guild, 'u', quizInput(name));
      expect((await db.quizzes.search(guild, 'MATH')).map((c) => c.name)).toEqual([
        'Math 101',
        'math 102',
        'Mathematics',
      ]);
      expect((await db.quizzes.search(guild, '100%_')).map((c) => c.name)).toEqual(['100%_sure']);
      expect((await db.quizzes.search(guild, '100%')).map((c) => c.name)).toEqual(['100%_sure']);
      expect(await db.quizzes.search(guild, 'zzz')).toEqual([]);
      expect((await db.quizzes.search(guild, '', 2)).length).toBe(2);
      for (let i = 0; i < 30; i += 1)
        await db.quizzes.create(guild, 'u', quizInput(`Bulk ${String(i).padStart(2, '0')}`));
      const bulk = await db.quizzes.search(guild, 'bulk');
      expect(bulk).toHaveLength(25);
      expect(bulk[0]).toEqual({ id: expect.any(Number), name: 'Bulk 00' });
      await expect(db.quizzes.search(guild, '', 26)).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('questions', () => {
    it('adds, edits, lists in order and deletes questions, keeping positions contiguous', async () => {
      const quiz = await db.quizzes.create(guild, 'u', quizInput('Q'));
      const q0 = await db.quizzes.addQuestion(guild, quiz.id, question('first', { explanation: 'because' }));
      const q1 = await db.quizzes.addQuestion(
        guild,
        quiz.id,
        question('second', { options: ['a', 'b'], correctIndex: 1 }),
      );
      const q2 = await db.quizzes.addQuestion(guild, quiz.id, question('third', { points: 25 }));
      expect([q0.position, q1.position, q2.position]).toEqual([0, 1, 2]);
      expect(q0).toEqual({
        id: expect.any(Number),
        quizId: quiz.id,
        position: 0,
        text: 'first',
        options: ['yes', 'no', 'maybe: later'],
        correctIndex: 0,
        points: 10,
        explanation: 'because',
      });
      expect(await db.quizzes.getQuestion(guild, q1.id)).toEqual(q1);

      const edited = await db.quizzes.updateQuestion(
        guild,
        q1.id,
        question('second, edited', { options: ['x', 'y', 'z'], correctIndex: 2, points: 0 }),
      );
      expect(edited).toMatchObject({
        id: q1.id,
        position: 1,
        text: 'second, edited',
        options: ['x', 'y', 'z'],
        correctIndex: 2,
        points: 0,
      });

      expect(await db.quizzes.deleteQuestion(guild, q0.id)).toBe(true);
      const remaining = await db.quizzes.listQuestions(guild, quiz.id);
      expect(remaining.map((q) => [q.text, q.position])).toEqual([
        ['second, edited', 0],
        ['third', 1],
      ]);
      expect(await db.quizzes.deleteQuestion(guild, q0.id)).toBe(false);
      await expect(db.quizzes.updateQuestion(guild, q0.id, question('gone'))).rejects.toBeInstanceOf(
        QuestionNotFoundError,
      );
      const next = await db.quizzes.addQuestion(guild, quiz.id, question('fourth'));
      expect(next.position).toBe(2);
    });

    it('replaces all questions at once, or none when one is invalid', async () => {
      const quiz = await db.quizzes.create(guild, 'u', quizInput('R'));
      await db.quizzes.replaceQuestions(guild, quiz.id, [question('old 1'), question('old 2')]);
      const replaced = await db.quizzes.replaceQuestions(guild, quiz.id, [
        question('new 1'),
        question('new 2'),
        question('new 3'),
      ]);
      expect(replaced.map((q) => [q.text, q.position])).toEqual([
        ['new 1', 0],
        ['new 2', 1],
        ['new 3', 2],
      ]);
      const broken = [question('newer 1'), { ...question('bad'), text: null } as unknown as QuestionInput];
      await expect(db.quizzes.replaceQuestions(guild, quiz.id, broken)).rejects.toThrow();
      expect((await db.quizzes.listQuestions(guild, quiz.id)).map((q) => q.text)).toEqual([
        'new 1',
        'new 2',
        'new 3',
      ]);
    });
  });

  describe('import', () => {
    it('creates a quiz with its questions, then replaces it by name keeping its id', async () => {
      const first = await db.quizzes.importQuiz(guild, 'author', quizInput('Imported'), [
        question('a'),
        question('b'),
      ]);
      expect(first.created).toBe(true);
      expect(first.questions.map((q) => q.text)).toEqual(['a', 'b']);
      clock.advance(5000);
      const again = await db.quizzes.importQuiz(
        guild,
        'someone-else',
        quizInput('IMPORTED', { timerSeconds: 12 }),
        [question('c')],
      );
      expect(again.created).toBe(false);
      expect(again.quiz).toMatchObject({
        id: first.quiz.id,
        name: 'IMPORTED',
        timerSeconds: 12,
        creatorId: 'author',
      });
      expect(again.quiz.updatedAt).toBe(first.quiz.updatedAt + 5000);
      expect((await db.quizzes.listQuestions(guild, first.quiz.id)).map((q) => q.text)).toEqual(['c']);
    });

    it('is all-or-nothing: a failing question leaves no new quiz and an existing quiz untouched', async () => {
      const bad = { ...question('bad'), options: undefined } as unknown as QuestionInput;
      await expect(
        db.quizzes.importQuiz(guild, 'u', quizInput('Fresh'), [question('ok'), bad]),
      ).rejects.toThrow();
      expect(await db.quizzes.findByName(guild, 'Fresh')).toBeNull();

      const existing = await db.quizzes.importQuiz(guild, 'u', quizInput('Stable'), [
        question('keep 1'),
        question('keep 2'),
      ]);
      const badText = { ...question('bad'), text: null } as unknown as QuestionInput;
      await expect(
        db.quizzes.importQuiz(guild, 'u', quizInput('Stable', { timerSeconds: 99, description: 'changed' }), [
          question('x'),
          badText,
        ]),
      ).rejects.toThrow();
      expect(await db.quizzes.getById(guild, existing.quiz.id)).toEqual(existing.quiz);
      expect((await db.quizzes.listQuestions(guild, existing.quiz.id)).map((q) => q.text)).toEqual([
        'keep 1',
        'keep 2',
      ]);
    });
  });

  describe('attempts and best scores', () => {
    async function quizWithQuestion(name = 'Scored'): Promise<Quiz> {
      const quiz = await db.quizzes.create(guild, 'u', quizInput(name));
      await db.quizzes.addQuestion(guild, quiz.id, question('q'));
      return quiz;
    }

    /** `count` attempts by one member started together, with the random score each is to complete with. */
    async function racingAttempts(quiz: Quiz, count: number) {
      const scores = Array.from({ length: count }, () => Math.floor(Math.random() * 1000));
      const attempts = await Promise.all(
        scores.map(() =>
          db.attempts.start({
            guildId: guild,
            userId: 'racer',
            quizId: quiz.id,
            maxScore: 1000,
            questionCount: 1,
            startedAt: clock.now(),
          }),
        ),
      );
      return { scores, attempts };
    }

    it('starts, completes and keeps the best score; interrupted and abandoned attempts do not count', async () => {
      const quiz = await quizWithQuestion();
      const start = {
        guildId: guild,
        userId: 'member',
        quizId: quiz.id,
        maxScore: 100,
        questionCount: 10,
        startedAt: clock.now(),
      };
      expect(await db.attempts.hasCompleted(guild, 'member', quiz.id)).toBe(false);
      const a1 = await db.attempts.start(start);
      expect(a1).toMatchObject({ status: 'in_progress', score: 0, completedAt: null, durationSeconds: null });
      expect(await db.attempts.countInProgress(guild)).toBe(1);

      const r1 = await db.attempts.complete(a1.id, {
        score: 60,
        correctCount: 6,
        completedAt: clock.now() + 90_000,
        durationSeconds: 90.5,
      });
      expect(r1.attempt).toMatchObject({
        status: 'completed',
        score: 60,
        correctCount: 6,
        durationSeconds: 90.5,
      });
      expect(r1).toMatchObject({ isNewBest: true, best: { score: 60, attemptId: a1.id } });
      await expect(
        db.attempts.complete(a1.id, { score: 99, correctCount: 9, completedAt: 1, durationSeconds: 1 }),
      ).rejects.toBeInstanceOf(AttemptNotInProgressError);
      expect(await db.attempts.hasCompleted(guild, 'member', quiz.id)).toBe(true);
      expect(await db.attempts.hasCompleted(otherGuild, 'member', quiz.id)).toBe(false);

      const a2 = await db.attempts.start(start);
      const r2 = await db.attempts.complete(a2.id, {
        score: 40,
        correctCount: 4,
        completedAt: clock.now(),
        durationSeconds: 10,
      });
      expect(r2).toMatchObject({ isNewBest: false, best: { score: 60, attemptId: a1.id } });
      const a3 = await db.attempts.start(start);
      const r3 = await db.attempts.complete(a3.id, {
        score: 60,
        correctCount: 6,
        completedAt: clock.now(),
        durationSeconds: 10,
      });
      expect(r3).toMatchObject({ isNewBest: false, best: { attemptId: a1.id } }); // a tie keeps the first
      const a4 = await db.attempts.start(start);
      const r4 = await db.attempts.complete(a4.id, {
        score: 75,
        correctCount: 7,
        completedAt: clock.now() + 1,
        durationSeconds: 10,
      });
      expect(r4).toMatchObject({
        isNewBest: true,
        best: { score: 75, attemptId: a4.id, achievedAt: clock.now() + 1 },
      });

      const a5 = await db.attempts.start(start);
      await db.attempts.suspend(a5.id, {
        score: 99,
        correctCount: 9,
        completedAt: clock.now(),
        durationSeconds: 3,
        status: 'interrupted',
        state: '{}',
      });
      const interrupted = await db.attempts.get(a5.id);
      expect(interrupted?.status).toBe('interrupted');
      const a6 = await db.attempts.start(start);
      const abandon = { score: 98, correctCount: 9, completedAt: clock.now(), durationSeconds: 3 };
      await db.attempts.suspend(a6.id, { ...abandon, status: 'abandoned', state: '{}' });
      expect((await db.attempts.get(a6.id))?.status).toBe('abandoned');
      await expect(
        db.attempts.suspend(a6.id, { ...abandon, status: 'abandoned', state: '{}' }),
      ).rejects.toBeInstanceOf(AttemptNotInProgressError);
      expect(await db.attempts.getBestScore(guild, 'member', quiz.id)).toMatchObject({ score: 75 });
      expect(await db.attempts.get(987_654_321)).toBeNull();
      expect(await db.attempts.countInProgress(guild)).toBe(0);
    });

    it('keeps a session resumable from the first answer until it completes or is given up', async () => {
      const quiz = await quizWithQuestion('Resumable');
      const base = { guildId: guild, userId: 'r1', quizId: quiz.id, maxScore: 10, questionCount: 1 };
      const attempt = await db.attempts.start({
        ...base,
        startedAt: clock.now() - 60_000,
        session: { id: 'sessA', state: '{"answers":[]}' },
      });
      await db.attempts.saveProgress(attempt.id, {
        state: '{"answers":[1]}',
        score: 7,
        correctCount: 1,
        savedAt: clock.now(),
      });
      const bySession = await db.attempts.findResumable(guild, 'r1', { sessionId: 'sessA' });
      expect(bySession).toMatchObject({
        sessionId: 'sessA',
        state: '{"answers":[1]}',
        attempt: { score: 7 },
      });
      expect(await db.attempts.findResumable(guild, 'r1', { quizId: quiz.id })).toEqual(bySession);
      // Another member, or another guild, never finds it (custom ids are forgeable).
      expect(await db.attempts.findResumable(guild, 'r2', { sessionId: 'sessA' })).toBeNull();
      expect(await db.attempts.findResumable('other-guild', 'r1', { sessionId: 'sessA' })).toBeNull();

      // kill -9: the row stays in_progress; the next process's start-up marks it interrupted.
      const before = await db.attempts.countInProgress(guild);
      expect(await db.attempts.markStaleInterrupted(clock.now() + 1)).toBeGreaterThanOrEqual(1);
      // Ended at its last write, so status and completed_at agree.
      expect(await db.attempts.get(attempt.id)).toMatchObject({
        status: 'interrupted',
        completedAt: clock.now(),
        durationSeconds: 60,
      });
      expect(await db.attempts.countInProgress(guild)).toBe(before - 1);
      expect(await db.attempts.hasCompleted(guild, 'r1', quiz.id)).toBe(false);

      // Continue takes it back; completing drops the state: no longer resumable.
      expect(await db.attempts.claimForResume(attempt.id)).toBe(true);
      expect(await db.attempts.get(attempt.id)).toMatchObject({ status: 'in_progress', completedAt: null });
      await db.attempts.complete(attempt.id, {
        score: 9,
        correctCount: 1,
        completedAt: clock.now(),
        durationSeconds: 60,
      });
      expect(await db.attempts.findResumable(guild, 'r1', { sessionId: 'sessA' })).toBeNull();
      expect(await db.attempts.claimForResume(attempt.id)).toBe(false);

      // Give up: abandoned for good.
      const second = await db.attempts.start({
        ...base,
        startedAt: clock.now(),
        session: { id: 'sessB', state: '{}' },
      });
      expect(await db.attempts.giveUp(second.id, clock.now())).toBe(true);
      expect(await db.attempts.get(second.id)).toMatchObject({ status: 'abandoned' });
      expect(await db.attempts.findResumable(guild, 'r1', { quizId: quiz.id })).toBeNull();
      expect(await db.attempts.giveUp(second.id, clock.now())).toBe(false);
    });

    it('keeps the maximum under 50 concurrent completions (PostgreSQL: from five separate pools)', async () => {
      const quiz = await quizWithQuestion('Race');
      // PostgreSQL: independent Database instances, i.e. separate pools and connections. SQLite:
      // one Database per process by design (better-sqlite3 is synchronous, so two connections in
      // one process would block each other's event loop); cross-process SQLite is tested below.
      const extra =
        target.name === 'postgres'
          ? await Promise.all([1, 2, 3, 4].map(() => openTestDatabase(scratch.url, { clock, poolSize: 12 })))
          : [];
      const handles = [db, ...extra];
      try {
        const { scores, attempts } = await racingAttempts(quiz, 50);
        const results = await Promise.all(
          attempts.map((attempt, i) =>
            handles[i % handles.length]!.attempts.complete(attempt.id, {
              score: scores[i]!,
              correctCount: 1,
              completedAt: clock.now() + i,
              durationSeconds: 1,
            }),
          ),
        );
        const max = Math.max(...scores);
        const best = await db.attempts.getBestScore(guild, 'racer', quiz.id);
        expect(best?.score).toBe(max);
        const bestAttempt = await db.attempts.get(best!.attemptId);
        expect(bestAttempt?.score).toBe(max);
        // Every completion saw a best at least as high as its own score.
        for (const [i, r] of results.entries()) expect(r.best.score).toBeGreaterThanOrEqual(scores[i]!);
        expect(results.some((r) => r.isNewBest && r.attempt.score === max)).toBe(true);
      } finally {
        await Promise.all(extra.map((h) => h.close()));
      }
    });

    it('keeps the maximum under concurrent completions from four processes', async () => {
      const quiz = await quizWithQuestion('Process race');
      const { scores, attempts } = await racingAttempts(quiz, 40);
      const jobs = [0, 1, 2, 3].map((p) =>
        attempts.flatMap((a, i) => (i % 4 === p ? [{ attemptId: a.id, score: scores[i]! }] : [])),
      );
      const outputs = await runChildrenTogether(
        jobs.map((job) => ['complete', scratch.url, JSON.stringify(job)]),
      );
      expect(outputs.map((o) => o.completed)).toEqual([10, 10, 10, 10]);
      const best = await db.attempts.getBestScore(guild, 'racer', quiz.id);
      expect(best?.score).toBe(Math.max(...scores));
      expect((await db.stats.guildStats(guild)).completed).toBe(40);
    });

    it('deletes questions, attempts and best scores with their quiz', async () => {
      const quiz = await quizWithQuestion('Doomed');
      const attempt = await db.attempts.start({
        guildId: guild,
        userId: 'm',
        quizId: quiz.id,
        maxScore: 10,
        questionCount: 1,
        startedAt: clock.now(),
      });
      await db.attempts.complete(attempt.id, {
        score: 5,
        correctCount: 1,
        completedAt: clock.now(),
        durationSeconds: 2,
      });
      const [q] = await db.quizzes.listQuestions(guild, quiz.id);
      expect(await db.quizzes.delete(guild, quiz.id)).toBe(true);
      expect(await db.attempts.get(attempt.id)).toBeNull();
      expect(await db.attempts.getBestScore(guild, 'm', quiz.id)).toBeNull();
      expect(await db.quizzes.getQuestion(guild, q!.id)).toBeNull();
      expect((await db.stats.guildStats(guild)).attempts).toBe(0);
      expect(await db.leaderboard.top(guild, { period: 'all', limit: 10, now: clock.now() })).toEqual([]);
    });
  });

  describe('leaderboard', () => {
    async function play(quizId: number, userId: string, score: number, completedAt: number): Promise<void> {
      const attempt = await db.attempts.start({
        guildId: guild,
        userId,
        quizId,
        maxScore: 100,
        questionCount: 1,
        startedAt: completedAt - 1000,
      });
      await db.attempts.complete(attempt.id, { score, correctCount: 1, completedAt, durationSeconds: 1 });
    }

    it('ranks by summed best scores within rolling periods, per quiz, with shared (competition) ranks', async () => {
      const now = clock.now();
      const a = await db.quizzes.create(guild, 'u', quizInput('A'));
      const b = await db.quizzes.create(guild, 'u', quizInput('B'));
      await play(a.id, 'alice', 50, now - 100 * DAY);
      await play(a.id, 'alice', 30, now - 2 * HOUR);
      await play(b.id, 'alice', 20, now - 3 * DAY);
      await play(a.id, 'bob', 40, now - 20 * DAY);
      await play(b.id, 'bob', 30, now - 1 * HOUR);
      await play(a.id, 'carol', 70, now - 6 * DAY);
      await play(a.id, 'dave', 10, now - 10 * HOUR);
      // Another guild's scores never show up.
      const foreign = await db.quizzes.create(otherGuild, 'u', quizInput('A'));
      const fa = await db.attempts.start({
        guildId: otherGuild,
        userId: 'alice',
        quizId: foreign.id,
        maxScore: 100,
        questionCount: 1,
        startedAt: now,
      });
      await db.attempts.complete(fa.id, {
        score: 1000,
        correctCount: 1,
        completedAt: now,
        durationSeconds: 1,
      });
      // An in-progress or abandoned attempt never counts.
      await db.attempts.start({
        guildId: guild,
        userId: 'erin',
        quizId: a.id,
        maxScore: 100,
        questionCount: 1,
        startedAt: now,
      });

      const top = (period: 'all' | 'month' | 'week' | 'day', quizId?: number) =>
        db.leaderboard.top(guild, { period, limit: 25, now, ...(quizId === undefined ? {} : { quizId }) });

      expect(await top('all')).toEqual([
        { rank: 1, userId: 'alice', score: 70, attempts: 3 },
        { rank: 1, userId: 'bob', score: 70, attempts: 2 },
        { rank: 1, userId: 'carol', score: 70, attempts: 1 },
        { rank: 4, userId: 'dave', score: 10, attempts: 1 },
      ]);
      expect(await top('month')).toEqual([
        { rank: 1, userId: 'bob', score: 70, attempts: 2 },
        { rank: 1, userId: 'carol', score: 70, attempts: 1 },
        { rank: 3, userId: 'alice', score: 50, attempts: 2 },
        { rank: 4, userId: 'dave', score: 10, attempts: 1 },
      ]);
      expect(await top('week')).toEqual([
        { rank: 1, userId: 'carol', score: 70, attempts: 1 },
        { rank: 2, userId: 'alice', score: 50, attempts: 2 },
        { rank: 3, userId: 'bob', score: 30, attempts: 1 },
        { rank: 4, userId: 'dave', score: 10, attempts: 1 },
      ]);
      expect(await top('day')).toEqual([
        { rank: 1, userId: 'alice', score: 30, attempts: 1 },
        { rank: 1, userId: 'bob', score: 30, attempts: 1 },
        { rank: 3, userId: 'dave', score: 10, attempts: 1 },
      ]);
      expect(await top('all', a.id)).toEqual([
        { rank: 1, userId: 'carol', score: 70, attempts: 1 },
        { rank: 2, userId: 'alice', score: 50, attempts: 2 },
        { rank: 3, userId: 'bob', score: 40, attempts: 1 },
        { rank: 4, userId: 'dave', score: 10, attempts: 1 },
      ]);
      expect(await top('week', b.id)).toEqual([
        { rank: 1, userId: 'bob', score: 30, attempts: 1 },
        { rank: 2, userId: 'alice', score: 20, attempts: 1 },
      ]);
      expect(await db.leaderboard.participants(guild, { period: 'day', now })).toBe(3);
      expect(await db.leaderboard.rankOf(guild, 'dave', { period: 'day', now })).toEqual({
        rank: 3,
        userId: 'dave',
        score: 10,
        attempts: 1,
      });
      expect(await db.leaderboard.rankOf(guild, 'carol', { period: 'day', now })).toBeNull();
      expect(await db.leaderboard.rankOf(guild, 'erin', { period: 'all', now })).toBeNull();
      await expect(db.leaderboard.top(guild, { period: 'all', limit: 26, now })).rejects.toBeInstanceOf(
        RangeError,
      );
      await expect(db.leaderboard.top(guild, { period: 'all', limit: 0, now })).rejects.toBeInstanceOf(
        RangeError,
      );
    });

    it("shows a member's own rank outside the top rows", async () => {
      const now = clock.now();
      const quiz = await db.quizzes.create(guild, 'u', quizInput('Many'));
      for (let i = 0; i < 30; i += 1)
        await play(quiz.id, `player-${String(i).padStart(2, '0')}`, 300 - i * 10, now - HOUR);
      const top5 = await db.leaderboard.top(guild, { period: 'all', limit: 5, now });
      expect(top5.map((r) => r.userId)).toEqual([
        'player-00',
        'player-01',
        'player-02',
        'player-03',
        'player-04',
      ]);
      for (const period of ['all', 'day'] as const)
        expect(await db.leaderboard.rankOf(guild, 'player-19', { period, now, quizId: quiz.id })).toEqual({
          rank: 20,
          userId: 'player-19',
          score: 110,
          attempts: 1,
        });
      expect(await db.leaderboard.participants(guild, { period: 'all', now })).toBe(30);
    });
  });

  describe('stats', () => {
    it('counts attempts by UTC weekday and hour, and bins a quiz’s scores by share of the maximum', async () => {
      const quiz = await db.quizzes.create(guild, 'u', quizInput('Binned'));
      const other = await db.quizzes.create(guild, 'u', quizInput('Other'));
      const sunday = Date.UTC(2026, 2, 8); // a Sunday
      const play = async (quizId: number, startedAt: number, score: number) => {
        const attempt = await db.attempts.start({
          guildId: guild,
          userId: 'p',
          quizId,
          maxScore: 50,
          questionCount: 5,
          startedAt,
        });
        await db.attempts.complete(attempt.id, {
          score,
          correctCount: 1,
          completedAt: startedAt + 1000,
          durationSeconds: 1,
        });
      };
      await play(quiz.id, sunday + 23 * HOUR + 59 * 60_000, 50); // 100 %: the last bin
      await play(quiz.id, sunday + 24 * HOUR, 49); // Monday 00:00, 98 %
      await play(quiz.id, sunday + 24 * HOUR + 30 * 60_000, 0);
      await play(quiz.id, sunday - 4 * 24 * HOUR + 12 * HOUR, 25); // Wednesday 12:00, 50 %
      await play(other.id, sunday + 12 * HOUR, 5);

      const { attemptsByWeekdayHourUtc: grid } = await db.stats.guildStats(guild);
      expect(grid.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([2, 0, 1, 0, 0, 0, 2]);
      expect(grid[6]![23]).toBe(1);
      expect(grid[6]![12]).toBe(1);
      expect(grid[0]![0]).toBe(2);
      expect(grid[2]![12]).toBe(1);

      expect(await db.stats.scoreDistribution({ guildId: guild, quizId: quiz.id })).toEqual({
        completed: 4,
        bins: [1, 0, 0, 0, 0, 1, 0, 0, 0, 2],
      });
      expect(await db.stats.scoreDistribution({ guildId: otherGuild, quizId: quiz.id })).toEqual({
        completed: 0,
        bins: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      });
      // Every guild (the chart files next to the analytics export): the other guild's attempt counts
      // too. Other tests share this database, so compare before and after it.
      const binsBefore = (await db.stats.scoreDistribution({})).bins;
      const gridBefore = await db.stats.attemptsByWeekdayHourUtc({});
      const theirs = await db.quizzes.create(otherGuild, 'u', quizInput('Theirs'));
      const elsewhere = await db.attempts.start({
        guildId: otherGuild,
        userId: 'q',
        quizId: theirs.id,
        maxScore: 10,
        questionCount: 1,
        startedAt: sunday + 12 * HOUR,
      });
      await db.attempts.complete(elsewhere.id, {
        score: 10,
        correctCount: 1,
        completedAt: sunday + 12 * HOUR + 1,
        durationSeconds: 1,
      });
      const binsAfter = (await db.stats.scoreDistribution({})).bins;
      expect(binsAfter.map((n, i) => n - binsBefore[i]!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      const gridAfter = await db.stats.attemptsByWeekdayHourUtc({});
      const added = gridAfter.flatMap((row, day) =>
        row.flatMap((n, hour) =>
          n !== gridBefore[day]![hour] ? [{ day, hour, n: n - gridBefore[day]![hour]! }] : [],
        ),
      );
      expect(added).toEqual([{ day: 6, hour: 12, n: 1 }]);
      expect(await db.stats.attemptsByWeekdayHourUtc({ guildId: guild })).toEqual(grid);
    });

    it('computes attempts, completion rate, averages, percentiles, top quizzes and busiest hours', async () => {
      const day = Date.UTC(2026, 2, 3);
      const popular = await db.quizzes.create(guild, 'u', quizInput('Popular'));
      const niche = await db.quizzes.create(guild, 'u', quizInput('Niche'));
      const scores = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
      for (const [i, score] of scores.entries()) {
        const quizId = i < 7 ? popular.id : niche.id;
        const hour = i < 6 ? 20 : i < 9 ? 8 : 23;
        const startedAt = day + hour * HOUR + i * 60_000;
        const attempt = await db.attempts.start({
          guildId: guild,
          userId: `p${i % 4}`,
          quizId,
          maxScore: 200,
          questionCount: 5,
          startedAt,
        });
        await db.attempts.complete(attempt.id, {
          score,
          correctCount: 3,
          completedAt: startedAt + 60_000,
          durationSeconds: 60,
        });
      }
      const base = { guildId: guild, quizId: popular.id, maxScore: 200, questionCount: 5 };
      const inProgress = await db.attempts.start({ ...base, userId: 'p9', startedAt: day + 20 * HOUR });
      void inProgress;
      /** An attempt started at `hour` of the day that ended unfinished an hour later. */
      const endedEarly = async (
        end: 'abandoned' | 'interrupted',
        userId: string,
        hour: number,
        score: number,
      ) => {
        const attempt = await db.attempts.start({ ...base, userId, startedAt: day + hour * HOUR });
        await db.attempts.suspend(attempt.id, {
          score,
          correctCount: 0,
          completedAt: day + (hour + 1) * HOUR,
          durationSeconds: 1,
          status: end,
          state: '{}',
        });
      };
      await endedEarly('abandoned', 'p1', 8, 0);
      await endedEarly('abandoned', 'p1', 3, 0);
      await endedEarly('interrupted', 'p2', 3, 5);

      const stats = await db.stats.guildStats(guild);
      expect(stats).toMatchObject({
        attempts: 14,
        completed: 10,
        inProgress: 1,
        interrupted: 1,
        abandoned: 2,
        players: 5,
        averageScore: 55,
        scoreP50: 50,
        scoreP90: 90,
      });
      expect(stats.completionRate).toBeCloseTo(10 / 14, 10);
      expect(stats.averageScoreRatio).toBeCloseTo(55 / 200, 10);
      expect(stats.topQuizzes).toEqual([
        { quizId: popular.id, name: 'Popular', completed: 7, averageScore: 40 },
        { quizId: niche.id, name: 'Niche', completed: 3, averageScore: 90 },
      ]);
      expect(stats.attemptsByHourUtc[20]).toBe(7);
      expect(stats.attemptsByHourUtc[8]).toBe(4);
      expect(stats.attemptsByHourUtc[3]).toBe(2);
      expect(stats.attemptsByHourUtc[23]).toBe(1);
      expect(stats.attemptsByHourUtc.reduce((a, b) => a + b, 0)).toBe(14);
      expect(stats.busiestHoursUtc).toEqual([
        { hour: 20, attempts: 7 },
        { hour: 8, attempts: 4 },
        { hour: 3, attempts: 2 },
      ]);
      // 2026-03-03 is a Tuesday (weekday 1 when Monday is 0): every attempt falls on that row.
      expect(stats.attemptsByWeekdayHourUtc).toHaveLength(7);
      expect(stats.attemptsByWeekdayHourUtc[1]).toEqual(stats.attemptsByHourUtc);
      for (const weekday of [0, 2, 3, 4, 5, 6])
        expect(stats.attemptsByWeekdayHourUtc[weekday]).toEqual(Array.from({ length: 24 }, () => 0));

      // Popular's 7 completed scores of 200: 10..70 → 5 %..35 %, bins 0, 1, 1, 2, 2, 3, 3.
      expect(await db.stats.scoreDistribution({ guildId: guild, quizId: popular.id })).toEqual({
        completed: 7,
        bins: [1, 2, 2, 2, 0, 0, 0, 0, 0, 0],
      });

      const later = await db.stats.guildStats(guild, {
        since: day + 8 * HOUR,
        topQuizzes: 1,
        busiestHours: 1,
      });
      expect(later).toMatchObject({
        attempts: 12,
        completed: 10,
        topQuizzes: [{ name: 'Popular' }],
        busiestHoursUtc: [{ hour: 20, attempts: 7 }],
      });

      const empty = await db.stats.guildStats(otherGuild);
      expect(empty).toMatchObject({
        attempts: 0,
        completed: 0,
        completionRate: 0,
        averageScore: null,
        scoreP50: null,
        scoreP90: null,
        topQuizzes: [],
        busiestHoursUtc: [],
      });
    });
  });

  describe('guild settings', () => {
    it('returns defaults, then stores partial updates', async () => {
      expect(await db.guildSettings.get(guild)).toEqual({
        guildId: guild,
        resultsChannelId: null,
        managerRoleIds: [],
        retakePolicy: 'once',
        language: null,
      });
      expect(
        await db.guildSettings.update(guild, { resultsChannelId: '555', managerRoleIds: ['r1', 'r2', 'r1'] }),
      ).toEqual({
        guildId: guild,
        resultsChannelId: '555',
        managerRoleIds: ['r1', 'r2'],
        retakePolicy: 'once',
        language: null,
      });
      await db.guildSettings.update(guild, { retakePolicy: 'unlimited' });
      expect(await db.guildSettings.get(guild)).toEqual({
        guildId: guild,
        resultsChannelId: '555',
        managerRoleIds: ['r1', 'r2'],
        retakePolicy: 'unlimited',
        language: null,
      });
      await db.guildSettings.update(guild, { resultsChannelId: null, managerRoleIds: [] });
      expect(await db.guildSettings.get(guild)).toMatchObject({
        resultsChannelId: null,
        managerRoleIds: [],
        retakePolicy: 'unlimited',
      });
      expect((await db.guildSettings.get(otherGuild)).retakePolicy).toBe('once');
    });

    it('keeps the language of public posts until it is cleared, leaving the other settings alone', async () => {
      await db.guildSettings.update(guild, { retakePolicy: 'unlimited' });
      expect(await db.guildSettings.update(guild, { language: 'de' })).toMatchObject({
        language: 'de',
        retakePolicy: 'unlimited',
      });
      await db.guildSettings.update(guild, { resultsChannelId: '777' });
      expect(await db.guildSettings.get(guild)).toMatchObject({ language: 'de', resultsChannelId: '777' });
      await db.guildSettings.update(guild, { language: null });
      expect((await db.guildSettings.get(guild)).language).toBeNull();
      expect((await db.guildSettings.get(otherGuild)).language).toBeNull();
    });
  });

  it('counts failed operations in badgey_db_errors_total, not domain outcomes', async () => {
    const before = (await metrics.getSingleMetricAsString('badgey_db_errors_total')) ?? '';
    await expect(db.quizzes.update(guild, 999_999, { timerSeconds: 3 })).rejects.toBeInstanceOf(
      QuizNotFoundError,
    );
    const q = await db.quizzes.create(guild, 'u', quizInput('Err'));
    await expect(db.quizzes.update(guild, q.id, { timerSeconds: -1 })).rejects.toThrow(); // CHECK constraint
    const after = await metrics.getSingleMetricAsString('badgey_db_errors_total');
    expect(before).not.toContain('operation="quizzes.update"');
    expect(after).toContain('badgey_db_errors_total{operation="quizzes.update"} 1');
  });
});
