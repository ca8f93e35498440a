/**
 * `npm run bench -- live`: a live channel game under a crowd, through the real bot
 * (`node dist/main.js`) and the Discord emulator with Discord's per-channel message limit
 * (5 per 5 s). In the same run:
 * - 1,000 members answer one live question within 2 s: acknowledgement time (click injected →
 *   the emulator receives the ephemeral "Locked in"), p50 / p99 and how many took over 3 s
 *   (Discord's deadline), beside solo play: 300 members answering their `/quiz take` question
 *   within 2 s, measured the same way;
 * - REST calls the bot makes per question (channel message posts and edits, not counting the
 *   interaction callbacks that acknowledge clicks);
 * - heap retained per running game (in-process LiveGameService, a channel that draws nothing).
 * Build first: `npm run build`.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { QuizAnalytics } from '../src/analytics/index.js';
import { systemClock, systemScheduler } from '../src/clock.js';
import { LiveGameService } from '../src/quiz/live/LiveGameService.js';
import type { LiveGameChannel } from '../src/quiz/live/ports.js';
import { openDatabase } from '../src/store/openDatabase.js';
import { answer, hostAndStart, waitForQuestion } from '../test/e2e/liveHarness.js';
import {
  buttons,
  injectTake,
  quizInput,
  seedDatabase,
  sessionMessageId,
  sleep,
  waitForTitle,
  waitUntil,
} from '../test/e2e/takingHarness.js';
import { BotProcess } from '../test/support/botProcess.js';
import { DiscordEmulator, type InteractionHandle } from '../test/support/discord-emulator/index.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const LIVE_MEMBERS = 1_000;
const SOLO_MEMBERS = 300;
const SPREAD_MS = 2_000;
const TIMER_S = 20;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function ackTimes(handles: Promise<InteractionHandle>[]): Promise<number[]> {
  const times = await Promise.all(
    handles.map(async (h) => {
      const handle = await h;
      try {
        return (await handle.waitForResponse(10_000)).elapsedMs;
      } catch {
        return Number.POSITIVE_INFINITY; // never acknowledged: counts as past the deadline
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

/** Clicks spread evenly over SPREAD_MS. */
function spread<T>(count: number, click: (i: number) => Promise<T>): Promise<T>[] {
  const started = Date.now();
  return Array.from({ length: count }, async (_, i) => {
    const at = started + (i * SPREAD_MS) / count;
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    return click(i);
  });
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Heap retained per running game: `games` games asking question 1 of 10, 50 answers each. */
async function heapPerGame(games: number): Promise<{ kb: number; stateBytes: number }> {
  const gc = exposeGc();
  const logger = pino({ level: 'silent' });
  const db = await openDatabase({ url: 'sqlite::memory:', logger });
  await db.migrate();
  const guild = '100000000000000001';
  const quiz = await db.quizzes.create(guild, '1', { ...quizInput('Memory', 300) });
  for (let i = 0; i < 10; i++)
    await db.quizzes.addQuestion(guild, quiz.id, {
      text: `Question ${i + 1}: which of these planets has the most moons right now?`,
      options: ['Mercury', 'Jupiter', 'Saturn', 'Neptune'],
      correctIndex: 2,
      points: 10,
      explanation: 'Saturn overtook Jupiter in 2023 with dozens of newly confirmed moons.',
    });
  let message = 0;
  const channel: LiveGameChannel = {
    postLobby: async () => String(++message),
    editLobby: async () => {},
    postQuestion: async () => ({ messageId: String(++message), postedAt: Date.now() }),
    updateCounter: async () => {},
    reveal: async () => {},
    postStandings: async () => {},
    postPodium: async () => {},
    postResults: async () => {},
  };
  const service = new LiveGameService({
    repository: db.liveGames,
    quizzes: db.quizzes,
    guildSettings: db.guildSettings,
    channel,
    clock: systemClock,
    scheduler: systemScheduler,
    analytics: new QuizAnalytics({ salt: 'bench-salt-0123456789abcdef' }),
    logger,
    maxGamesPerGuild: 10_000,
    isLocalGuild: () => true,
    counterIntervalMs: 3_600_000,
  });
  // The quiz belongs to one guild; hosting reads its questions by guild, so host under that guild id.
  const hostIn = async (count: number, tag: string) => {
    for (let g = 0; g < count; g++) {
      const hosted = await service.host({
        guildId: guild,
        channelId: `${tag}${String(g).padStart(17, '0')}`,
        hostId: '1',
        quiz,
        startsAt: null,
      });
      if (!hosted.ok) throw new Error(`host failed: ${hosted.error.kind}`);
      service.startNow(hosted.game.id);
    }
  };
  const answerAll = async () => {
    for (const id of service.runningIds()) {
      const state = service.local(id);
      if (!state?.questionMessageId) continue;
      for (let u = 0; u < 50; u++)
        await service.answer({
          gameId: id,
          userId: `2${String(u).padStart(17, '0')}`,
          messageId: state.questionMessageId,
          optionIndex: u % 4,
          clickedAt: Date.now(),
        });
    }
  };
  await hostIn(5, '8'); // warm-up
  await sleep(200);
  await answerAll();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  await hostIn(games, '7');
  await sleep(500);
  await answerAll();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const sample = service.local(service.runningIds().at(-1) ?? '');
  const stateBytes = sample ? Buffer.byteLength(JSON.stringify(sample)) : 0;
  await service.shutdown();
  await db.close();
  return { kb: (after - before) / 1024 / games, stateBytes };
}

export async function benchLive(): Promise<BenchRow[]> {
  const emu = await DiscordEmulator.start({
    heartbeatIntervalMs: 5000,
    channelMessageRateLimit: { limit: 5, windowMs: 5000 },
  });
  const guild = emu.addGuild({ name: 'Bench', channels: [{ name: 'live' }, { name: 'solo' }] });
  const liveChannel = guild.channels[0]?.id ?? '';
  const soloChannel = guild.channels[1]?.id ?? '';
  const admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  const crowd = emu.addMembers(guild.id, LIVE_MEMBERS, 'fan');
  const seeded = await seedDatabase({
    guildId: guild.id,
    creatorId: admin.user.id,
    quizzes: [
      {
        quiz: quizInput('Crowd', TIMER_S),
        questions: [0, 1].map((i) => ({
          text: `Crowd question ${i + 1}`,
          options: ['Mercury', 'Jupiter', 'Saturn', 'Neptune'],
          correctIndex: 2,
          points: 100,
          explanation: null,
        })),
      },
    ],
    settings: { retakePolicy: 'unlimited' },
  });
  const quizId = seeded.quizIds[0] ?? 0;
  const bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      DATABASE_URL: seeded.url,
      LIVE_GAME_INTERLUDE_SECONDS: '2',
      QUIZ_MAX_SESSIONS: '2000',
    },
  });
  try {
    await bot.waitUntilServing(30_000);

    // Solo play first: 300 members each take the quiz, then all answer within 2 s.
    const soloWhere = { guildId: guild.id, channelId: soloChannel };
    const soloMembers = crowd.slice(0, SOLO_MEMBERS);
    const takes = soloMembers.map((m) => injectTake(emu, soloWhere, m.user.id, quizId));
    const soloMessages = await Promise.all(takes.map((t) => sessionMessageId(t)));
    const soloButtons = await Promise.all(
      soloMessages.map(
        async (id) => buttons(await waitForTitle(emu, id, /^Question 1\//, 30_000))[2]?.custom_id ?? '',
      ),
    );
    const solo = await ackTimes(
      spread(SOLO_MEMBERS, async (i) =>
        emu.injectComponent({
          messageId: soloMessages[i] ?? '',
          customId: soloButtons[i] ?? '',
          userId: soloMembers[i]?.user.id ?? '',
        }),
      ),
    );

    // The live game: host, start, and 1,000 members answer question 1 within 2 s.
    const where = { guildId: guild.id, channelId: liveChannel };
    await hostAndStart(emu, where, admin.user.id, quizId, {
      lobbyTitle: /^Live quiz: Crowd$/,
      timeoutMs: 20_000,
    });
    const q1 = await waitForQuestion(emu, liveChannel, 1, 20_000);
    const callsBefore = emu.restCalls.length;
    const live = await ackTimes(spread(LIVE_MEMBERS, (i) => answer(emu, q1, crowd[i]?.user.id ?? '', i % 4)));
    const q2 = await waitForQuestion(emu, liveChannel, 2, 60_000);
    const perQuestion = emu.restCalls
      .slice(callsBefore)
      .filter((c) => c.path.startsWith(`/channels/${liveChannel}/messages`) && c.status !== 429).length;
    const refused = emu.restCalls
      .slice(callsBefore)
      .filter((c) => c.path.startsWith(`/channels/${liveChannel}/messages`) && c.status === 429).length;
    await waitUntil(
      () => /the answer is/.test(emu.message(q1.id)?.message.embeds[0]?.title ?? ''),
      'the reveal',
      30_000,
    );
    void q2;

    const memory = await heapPerGame(200);
    const liveP99 = percentile(live, 99);
    const soloP99 = percentile(solo, 99);
    const late = (times: number[]) => times.filter((t) => t > 3000).length;
    return [
      {
        name: `live: ${LIVE_MEMBERS} members answer one question within 2 s — acknowledgement p50`,
        value: Math.round(percentile(live, 50)),
        unit: 'ms',
        baseline: Math.round(percentile(solo, 50)),
        baselineName: `solo: ${SOLO_MEMBERS} members answer their question within 2 s, p50`,
      },
      {
        name: `live: ${LIVE_MEMBERS} members within 2 s — acknowledgement p99`,
        value: Math.round(liveP99),
        unit: 'ms',
        baseline: Math.round(soloP99),
        baselineName: `solo: ${SOLO_MEMBERS} members within 2 s, p99`,
        target: '≤ 3000 ms',
      },
      {
        name: `live: acknowledgements past Discord's 3 s deadline (of ${LIVE_MEMBERS})`,
        value: late(live),
        unit: 'clicks',
        baseline: late(solo),
        baselineName: `solo (of ${SOLO_MEMBERS})`,
        target: '≤ 0 clicks',
      },
      {
        name: 'live: REST calls per question (channel message posts + edits; click acks not counted)',
        value: perQuestion,
        unit: 'calls',
        target: '≤ 10 calls',
        note: `question 1's post is before the count; counted: counter edits, the reveal edit, standings, question 2's post. 429s from the 5 per 5 s channel limit: ${refused}`,
      },
      {
        name: 'live: heap retained per running game (200 games, 10 questions, 50 answers in)',
        value: Math.round(memory.kb * 100) / 100,
        unit: 'KB',
        target: '≤ 64 KB',
        note: `one game's state as JSON: ${memory.stateBytes} B`,
      },
    ];
  } finally {
    await bot.stop();
    await emu.close();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const rows = await benchLive();
  process.stdout.write(`${formatRows(rows)}\n`);
  process.exit(0);
}
