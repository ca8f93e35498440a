/**
 * `npm run bench -- sessions`: memory a running solo session keeps. 5,000 members start a quiz
 * through the real TakeService + SessionManager (in-memory SQLite store, real QuizAnalytics, a
 * presenter that draws nothing), then the heap retained per running session is measured after a
 * full GC, beside the size of one session's serialised state. Unlike the load bench's RSS per
 * session, this excludes the garbage of the traffic that started the sessions.
 */
import { resolve } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pino } from 'pino';
import { QuizAnalytics } from '../src/analytics/index.js';
import { systemClock, systemScheduler } from '../src/clock.js';
import { SessionManager } from '../src/quiz/SessionManager.js';
import { SoloSession } from '../src/quiz/SoloSession.js';
import { type SessionPresenter, TakeService } from '../src/quiz/TakeService.js';
import { openDatabase } from '../src/store/openDatabase.js';
import type { BenchRow } from './types.js';

const GUILD = '100000000000000001';
const QUESTIONS = 5;

/** Shaped like the bot's SessionReply: a webhook id + token, a channel id. */
interface ReplyStandIn {
  applicationId: string;
  token: string;
  channelId: string;
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export async function benchSessions(options: { sessions?: number } = {}): Promise<BenchRow[]> {
  const sessions = options.sessions ?? 5_000;
  const gc = exposeGc();
  const logger = pino({ level: 'silent' });
  const db = await openDatabase({ url: 'sqlite::memory:', logger });
  try {
    await db.migrate();
    const quiz = await db.quizzes.create(GUILD, '1', {
      name: 'Bench quiz',
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
    const manager = new SessionManager<ReplyStandIn>({
      clock: systemClock,
      scheduler: systemScheduler,
      maxSessions: sessions * 2,
      idleTimeoutMs: 600_000,
    });
    const nothing = async () => {};
    const presenter: SessionPresenter<ReplyStandIn> = {
      showQuestion: async () => Date.now(),
      showFeedback: nothing,
      postResults: async () => ({ status: 'posted', channelId: '1' }),
      showSummary: nothing,
      showEnded: nothing,
      showResumed: nothing,
      showQueued: nothing,
      showQueueLeft: nothing,
    };
    const service = new TakeService<ReplyStandIn>({
      manager,
      quizzes: db.quizzes,
      attempts: db.attempts,
      guildSettings: db.guildSettings,
      analytics: new QuizAnalytics({ salt: 'bench-salt-0123456789abcdef' }),
      presenter,
      clock: systemClock,
      logger,
    });
    const start = (prefix: string, i: number) =>
      service.take({
        guildId: GUILD,
        userId: `${prefix}${String(i).padStart(17, '0')}`,
        quizRef: String(quiz.id),
        interaction: {
          reply: {
            applicationId: '300000000000000001',
            token: `aW50ZXJhY3Rpb246${'x'.repeat(180)}${i}`,
            channelId: '400000000000000001',
          },
          issuedAtMs: Date.now(),
        },
      });
    for (let i = 0; i < 200; i++) await start('9', i); // warm-up: code, caches, prepared statements
    await service.whenIdle();
    gc();
    gc();
    const before = process.memoryUsage();
    for (let i = 0; i < sessions; i++) await start('1', i);
    await service.whenIdle();
    gc();
    gc();
    const after = process.memoryUsage();
    const running = service.counts().running - 200;
    const sample = manager.getState(manager.sessionIdFor(GUILD, `1${'0'.repeat(17)}`) ?? '');
    const stateBytes = sample ? Buffer.byteLength(SoloSession.serialize(sample)) : 0;
    await service.shutdown();
    const heapKb = (after.heapUsed - before.heapUsed) / 1024 / running;
    return [
      {
        name: `heap retained per running solo session (${running} sessions, ${QUESTIONS} questions)`,
        value: Math.round(heapKb * 100) / 100,
        unit: 'KB',
        target: '≤ 16 KB',
        note: `serialised session state ${stateBytes} B; RSS grew ${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MB in all`,
      },
    ];
  } finally {
    await db.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const rows = await benchSessions();
  for (const row of rows) process.stdout.write(`${row.name}: ${row.value} ${row.unit} (${row.note ?? ''})\n`);
  process.exit(0);
}
