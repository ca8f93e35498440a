/**
 * `npm run bench -- sessions`: the solo session path, in process (real store, real QuizAnalytics, a
 * presenter that draws nothing).
 *
 * - `/quiz take` path p99 (checks, session start, first question drawn), SQLite file and
 *   PostgreSQL: ours vs the path before the session rewrite, in the same run. The baseline is that
 *   commit's src/ (the parent of the commit that deleted src/quiz/SessionManager.ts), extracted with
 *   `git archive` into node_modules/.cache and imported beside ours, on the same database.
 * - Answers per second with persistence (one small write per answer) vs without (a store that
 *   writes nothing), SQLite file and PostgreSQL.
 * - Heap retained per running session (5,000 sessions, after a full GC).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { pino } from 'pino';
import { QuizAnalytics } from '../src/analytics/index.js';
import { systemClock, systemScheduler } from '../src/clock.js';
import type { AttemptRepository } from '../src/quiz/ports.js';
import type { SessionPresenter } from '../src/quiz/session/presenter.js';
import { SoloRunner } from '../src/quiz/session/SoloRunner.js';
import { SoloSession } from '../src/quiz/session/SoloSession.js';
import { TakeService } from '../src/quiz/session/TakeService.js';
import { type Database, openDatabase } from '../src/store/openDatabase.js';
import { ratioCell } from './report.js';
import type { BenchRow } from './types.js';

const GUILD = '100000000000000001';
const QUESTIONS = 10;
const REPO = resolve(import.meta.dirname, '..');
const PG_URL = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = pino({ level: 'silent' });
const nothing = async () => {};

type Reply = Record<string, never>;
const presenter: SessionPresenter<unknown> = {
  showQuestion: async () => undefined,
  showFeedback: nothing,
  postResults: async () => ({ status: 'posted', channelId: '1' }),
  showSummary: nothing,
  showEnded: nothing,
  showResumed: nothing,
  showResumeOffer: nothing,
  showGaveUp: nothing,
  showQueued: nothing,
  showQueueLeft: nothing,
};

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const userOf = (prefix: string, i: number) => `${prefix}${String(i).padStart(17, '0')}`;
const ref = () => ({ reply: {}, issuedAtMs: Date.now(), expiresAtMs: Date.now() + 14 * 60_000 });

async function seed(db: Database): Promise<number> {
  const quiz = await db.quizzes.create(GUILD, '1', {
    name: `Bench quiz ${randomBytes(3).toString('hex')}`,
    description: null,
    timerSeconds: 300, // no question times out while measuring
    questionLimit: null,
    shuffle: false,
    opensAt: null,
    closesAt: null,
  });
  for (let i = 0; i < QUESTIONS; i++) {
    await db.quizzes.addQuestion(GUILD, quiz.id, {
      text: `Question ${i + 1}: which of these planets has the most moons right now?`,
      options: ['Mercury', 'Jupiter', 'Saturn', 'Neptune'],
      correctIndex: 2,
      points: 10,
      explanation: 'Saturn overtook Jupiter in 2023 with dozens of newly confirmed moons.',
    });
  }
  await db.guildSettings.update(GUILD, { retakePolicy: 'unlimited' });
  return quiz.id;
}

/** A store that writes nothing: answers/s "without persistence". */
function noWrites(db: Database): Pick<AttemptRepository, 'start' | 'saveProgress' | 'complete' | 'suspend'> {
  let id = 0;
  return {
    start: async (input) => ({
      ...input,
      id: ++id,
      score: 0,
      correctCount: 0,
      completedAt: null,
      durationSeconds: null,
      status: 'in_progress',
    }),
    saveProgress: nothing,
    complete: async (attemptId, outcome) => {
      const attempt = {
        id: attemptId,
        guildId: GUILD,
        userId: '',
        quizId: 0,
        maxScore: 0,
        questionCount: 0,
        startedAt: 0,
        status: 'completed' as const,
        ...outcome,
      };
      const best = { guildId: GUILD, userId: '', quizId: 0, score: 0, attemptId, achievedAt: 0 };
      void db;
      return { attempt, best, isNewBest: false };
    },
    suspend: nothing,
  };
}

interface PathResult {
  takeMs: number[];
  answersPerSecond: number;
}

/** Ours: N members take the quiz (timed), then answer every question (and click Next). */
async function runOurs(
  db: Database,
  quizId: number,
  members: number,
  persist: boolean,
  prefix: string,
): Promise<PathResult> {
  const runner = new SoloRunner<Reply>({
    clock: systemClock,
    scheduler: systemScheduler,
    maxSessions: members * 2,
    idleTimeoutMs: 600_000,
    presenter,
    attempts: persist ? db.attempts : noWrites(db),
    guildSettings: db.guildSettings,
    analytics: new QuizAnalytics({ salt: 'bench-salt-0123456789abcdef' }),
    logger,
  });
  const service = new TakeService<Reply>({
    runner,
    quizzes: db.quizzes,
    attempts: db.attempts,
    guildSettings: db.guildSettings,
    presenter,
    clock: systemClock,
    logger,
  });
  const takeMs: number[] = [];
  for (let i = 0; i < members; i++) {
    const started = performance.now();
    await service.take({
      guildId: GUILD,
      userId: userOf(prefix, i),
      quizRef: String(quizId),
      interaction: ref(),
    });
    takeMs.push(performance.now() - started);
  }
  const t0 = performance.now();
  let answers = 0;
  for (let q = 0; q < QUESTIONS; q++) {
    await Promise.all(
      Array.from({ length: members }, async (_, i) => {
        const userId = userOf(prefix, i);
        const sessionId = runner.sessionIdFor(GUILD, userId) ?? '';
        const answered = await runner.answer({
          sessionId,
          userId,
          questionIndex: q,
          optionIndex: 2,
          interaction: ref(),
        });
        if (answered.ok) answers++;
        await runner.next({ sessionId, userId, interaction: ref() });
      }),
    );
  }
  await runner.whenIdle();
  const seconds = (performance.now() - t0) / 1000;
  await runner.shutdown();
  return { takeMs: takeMs.sort((a, b) => a - b), answersPerSecond: answers / seconds };
}

/** The path before the rewrite (TakeService + SessionManager + event emitter), from git. */
async function loadBaseline(): Promise<string | null> {
  try {
    const deleting = execFileSync(
      'git',
      ['log', '-1', '--format=%H', '--diff-filter=D', '--', 'src/quiz/SessionManager.ts'],
      { cwd: REPO, encoding: 'utf8' },
    ).trim();
    if (!deleting) return null;
    const dir = join(REPO, 'node_modules', '.cache', `badgey-bench-baseline-${deleting.slice(0, 12)}`);
    if (!existsSync(join(dir, 'src', 'quiz', 'TakeService.ts'))) {
      mkdirSync(dir, { recursive: true });
      const archive = execFileSync('git', ['archive', `${deleting}^`, 'src'], { cwd: REPO });
      execFileSync('tar', ['-x', '-C', dir], { input: archive });
    }
    return dir;
  } catch {
    return null;
  }
}

/** Minimal shapes of the baseline's classes (imported at run time from the extracted tree). */
interface BaselineService {
  take(request: object): Promise<unknown>;
  answer(input: object): Promise<{ ok: boolean }>;
  next(input: object): Promise<unknown>;
  whenIdle(): Promise<void>;
  shutdown(): Promise<number>;
}
interface BaselineManager {
  sessionIdFor(guildId: string, userId: string): string | undefined;
}

async function runBaseline(
  dir: string,
  db: Database,
  quizId: number,
  members: number,
  prefix: string,
): Promise<PathResult> {
  const { SessionManager } = (await import(pathToFileURL(join(dir, 'src/quiz/SessionManager.ts')).href)) as {
    SessionManager: new (options: object) => BaselineManager;
  };
  const { TakeService: OldTakeService } = (await import(
    pathToFileURL(join(dir, 'src/quiz/TakeService.ts')).href
  )) as {
    TakeService: new (options: object) => BaselineService;
  };
  const manager = new SessionManager({
    clock: systemClock,
    scheduler: systemScheduler,
    maxSessions: members * 2,
    idleTimeoutMs: 600_000,
  });
  const service = new OldTakeService({
    manager,
    quizzes: db.quizzes,
    attempts: db.attempts,
    guildSettings: db.guildSettings,
    analytics: new QuizAnalytics({ salt: 'bench-salt-0123456789abcdef' }),
    presenter: { ...presenter },
    clock: systemClock,
    logger,
  });
  const takeMs: number[] = [];
  for (let i = 0; i < members; i++) {
    const started = performance.now();
    await service.take({
      guildId: GUILD,
      userId: userOf(prefix, i),
      quizRef: String(quizId),
      interaction: { reply: {}, issuedAtMs: Date.now() },
    });
    takeMs.push(performance.now() - started);
  }
  const t0 = performance.now();
  let answers = 0;
  for (let q = 0; q < QUESTIONS; q++) {
    await Promise.all(
      Array.from({ length: members }, async (_, i) => {
        const userId = userOf(prefix, i);
        const sessionId = manager.sessionIdFor(GUILD, userId) ?? '';
        const interaction = { reply: {}, issuedAtMs: Date.now() };
        if ((await service.answer({ sessionId, userId, questionIndex: q, optionIndex: 2, interaction })).ok)
          answers++;
        await service.next({ sessionId, userId, interaction });
      }),
    );
  }
  await service.whenIdle();
  const seconds = (performance.now() - t0) / 1000;
  await service.shutdown();
  return { takeMs: takeMs.sort((a, b) => a - b), answersPerSecond: answers / seconds };
}

async function pathRows(
  store: 'SQLite' | 'PostgreSQL',
  url: string,
  members: number,
  baselineDir: string | null,
): Promise<BenchRow[]> {
  const db = await openDatabase({ url, logger });
  try {
    await db.migrate();
    const quizId = await seed(db);
    // Warm-up: code, caches, prepared statements.
    await runOurs(db, quizId, 50, true, '8');
    if (baselineDir) await runBaseline(baselineDir, db, quizId, 50, '7');
    // Interleaved so both see the same database size and machine load.
    const base = baselineDir ? await runBaseline(baselineDir, db, quizId, members, '3') : null;
    const withWrites = await runOurs(db, quizId, members, true, '1');
    const without = await runOurs(db, quizId, members, false, '2');
    const oursP99 = percentile(withWrites.takeMs, 99);
    const baseP99 = base ? percentile(base.takeMs, 99) : undefined;
    const rows: BenchRow[] = [
      {
        name: `/quiz take path p99 (${store}, ${members} members; checks + start + first question)`,
        value: round(oursP99),
        unit: 'ms',
        ...(baseP99 !== undefined
          ? {
              baseline: round(baseP99),
              baselineName: 'the path before the rewrite',
              ratio: round(oursP99 / baseP99),
            }
          : {}),
        target: '≤ 1.5× the path before the rewrite',
        ...(baseP99 !== undefined
          ? { met: oursP99 <= 1.5 * baseP99 }
          : { met: false, note: 'baseline could not be extracted from git' }),
      },
      {
        name: `answers per second with persistence (${store}, ${members} sessions × ${QUESTIONS} questions)`,
        value: round(withWrites.answersPerSecond, 0),
        unit: 'answers/s',
        baseline: round(without.answersPerSecond, 0),
        baselineName: 'the same path writing nothing',
        target: 'measured (cost of one write per answer)',
        met: true,
        note: base
          ? `time per answer with persistence ÷ without: ${round(without.answersPerSecond / withWrites.answersPerSecond)}×; the path before the rewrite (no per-answer write): ${round(base.answersPerSecond, 0)} answers/s`
          : undefined,
      },
    ];
    return rows;
  } finally {
    await db.close();
  }
}

async function memoryRow(sessions: number): Promise<BenchRow> {
  const gc = exposeGc();
  const db = await openDatabase({ url: 'sqlite::memory:', logger });
  try {
    await db.migrate();
    const quizId = await seed(db);
    const runner = new SoloRunner<{ applicationId: string; token: string; channelId: string }>({
      clock: systemClock,
      scheduler: systemScheduler,
      maxSessions: sessions * 2,
      idleTimeoutMs: 600_000,
      presenter,
      attempts: db.attempts,
      guildSettings: db.guildSettings,
      analytics: new QuizAnalytics({ salt: 'bench-salt-0123456789abcdef' }),
      logger,
    });
    const service = new TakeService<{ applicationId: string; token: string; channelId: string }>({
      runner,
      quizzes: db.quizzes,
      attempts: db.attempts,
      guildSettings: db.guildSettings,
      presenter,
      clock: systemClock,
      logger,
    });
    // Shaped like the bot's SessionReply: a webhook id + token, a channel id.
    const start = (prefix: string, i: number) =>
      service.take({
        guildId: GUILD,
        userId: userOf(prefix, i),
        quizRef: String(quizId),
        interaction: {
          reply: {
            applicationId: '300000000000000001',
            token: `aW50ZXJhY3Rpb246${'x'.repeat(180)}${i}`,
            channelId: '400000000000000001',
          },
          issuedAtMs: Date.now(),
          expiresAtMs: Date.now() + 14 * 60_000,
        },
      });
    for (let i = 0; i < 200; i++) await start('9', i);
    await runner.whenIdle();
    gc();
    gc();
    const before = process.memoryUsage();
    for (let i = 0; i < sessions; i++) await start('1', i);
    await runner.whenIdle();
    gc();
    gc();
    const after = process.memoryUsage();
    const running = runner.counts().running - 200;
    const sample = runner.getState(runner.sessionIdFor(GUILD, userOf('1', 0)) ?? '');
    const storedBytes = sample ? Buffer.byteLength(SoloSession.toStored(sample, Date.now())) : 0;
    await runner.shutdown();
    return {
      name: `heap retained per running solo session (${running} sessions, ${QUESTIONS} questions)`,
      value: round((after.heapUsed - before.heapUsed) / 1024 / running),
      unit: 'KB',
      target: '≤ 16 KB',
      note: `stored session state ${storedBytes} B (written per answer); RSS grew ${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MB in all`,
    };
  } finally {
    await db.close();
  }
}

export async function benchSessions(options: { sessions?: number } = {}): Promise<BenchRow[]> {
  const baselineDir = await loadBaseline();
  const dir = mkdtempSync(join(tmpdir(), 'badgey-bench-sessions-'));
  const rows: BenchRow[] = [];
  try {
    rows.push(...(await pathRows('SQLite', `sqlite:${join(dir, 'bench.sqlite')}`, 500, baselineDir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const schema = `badgey_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let pgReady = false;
  try {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    pgReady = true;
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    rows.push(...(await pathRows('PostgreSQL', url.toString(), 300, baselineDir)));
  } catch (error) {
    if (!pgReady) {
      rows.push({
        name: 'answers per second with persistence (PostgreSQL)',
        value: Number.NaN,
        unit: 'answers/s',
        met: false,
        note: `PostgreSQL not reachable at its test URL: ${(error as Error).message}`,
      });
    } else throw error;
  } finally {
    if (pgReady) await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
  rows.push(await memoryRow(options.sessions ?? 5_000));
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const rows = await benchSessions();
  for (const row of rows) {
    process.stdout.write(
      `${row.name}: ${row.value} ${row.unit}${row.baseline !== undefined ? ` (baseline ${row.baseline}, ratio ${ratioCell(row, '')})` : ''}${row.note ? ` — ${row.note}` : ''}\n`,
    );
  }
  process.exit(0);
}
