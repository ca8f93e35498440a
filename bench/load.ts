/**
 * `npm run load` (make load builds dist first): the Discord emulator + the real bot
 * (`node dist/main.js`, SQLite in a temp dir, quizzes seeded through src/store before it starts),
 * then N simulated members taking quizzes concurrently for a duration with a linear start ramp.
 * Prints a table and writes bench/out/load.json. Bounded: ≤ 120 s of load plus a bounded drain;
 * the bot is killed at the end.
 *
 *   npm run load -- --members 200 --duration 30 --ramp 10
 *
 * Falls back to `/help` loops (and `/status` by an admin) when `/quiz take` is not registered.
 * `benchLoad()` is the shorter run `npm run bench` includes: 1,000 members starting a quiz at once.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { forceGc } from '../test/support/load/forceGc.js';
import {
  LoadDriver,
  type LoadSummary,
  type MemberMode,
  processRssMb,
} from '../test/support/load/LoadDriver.js';
import { LoadWorld } from '../test/support/load/LoadWorld.js';
import type { BenchRow } from './types.js';

const MAX_DURATION_SECONDS = 120;
const MAX_MEMBERS = 5_000;
const OUT_FILE = resolve(import.meta.dirname, 'out', 'load.json');

export interface LoadOptions {
  members: number;
  durationSeconds: number;
  rampSeconds: number;
  /** Think time before each click / command, ms. */
  thinkMs?: [number, number];
  /** Print progress lines to stderr. */
  verbose?: boolean;
}

export interface LoadResult {
  summary: LoadSummary;
  takingAvailable: boolean;
  note: string | undefined;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const BOT_ENTRY = resolve(import.meta.dirname, '..', 'dist', 'main.js');

/** The harness runs the built bot, as `make run` does. */
function requireBuiltBot(): void {
  if (!existsSync(BOT_ENTRY))
    throw new Error(`${BOT_ENTRY} is missing: run \`npm run build\` first (\`make load\` does)`);
}

/** RSS after things settle: the lowest of a few /proc samples. */
async function settledRssMb(pid: number | undefined): Promise<number | undefined> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const rss = processRssMb(pid);
    if (rss !== undefined) samples.push(rss);
    await wait(200);
  }
  return samples.length > 0 ? Math.min(...samples) : undefined;
}

/** A gauge from the bot's /metrics (e.g. prom-client's `nodejs_heap_size_used_bytes`). */
async function metricValue(url: string, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** One load run, start to finish (world, bot, members, report); always tears everything down. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  requireBuiltBot();
  const members = Math.min(Math.max(1, Math.floor(options.members)), MAX_MEMBERS);
  const durationSeconds = Math.min(Math.max(1, options.durationSeconds), MAX_DURATION_SECONDS);
  const rampSeconds = Math.min(Math.max(0, options.rampSeconds), durationSeconds);
  const log = (msg: string) => options.verbose && process.stderr.write(`[load] ${msg}\n`);
  const world = await LoadWorld.create({ members });
  try {
    log(`world: ${members} members, ${world.quizzes.length} quizzes seeded; starting the bot`);
    const bot = await world.startBot();
    const takingAvailable = world.takingAvailable();
    const mode: MemberMode = takingAvailable ? 'take' : 'commands';
    const note = takingAvailable
      ? undefined
      : '/quiz take is not registered by this build: members ran /help loops (and the admin /status) instead';
    if (note) log(note);
    const driver = new LoadDriver(world, bot);
    try {
      driver.rssIdleMb = await settledRssMb(bot.child.pid);
      driver.startHealthPolling(1000);
      log(`mode ${mode}: ${members} members for ${durationSeconds} s, ramp ${rampSeconds} s`);
      const progress = setInterval(
        () =>
          log(
            `${driver.tracked.length} interactions, ${driver.runningSessions} sessions running, last /health ${JSON.stringify(driver.timeline.at(-1) ?? {})}`,
          ),
        5000,
      );
      try {
        await driver.runMembers({
          members,
          durationMs: durationSeconds * 1000,
          rampMs: rampSeconds * 1000,
          mode,
          ...(options.thinkMs ? { thinkMs: options.thinkMs } : {}),
        });
      } finally {
        clearInterval(progress);
      }
      driver.stopHealthPolling();
      return {
        summary: driver.summary({
          mode,
          members,
          durationMs: durationSeconds * 1000,
          rampMs: rampSeconds * 1000,
        }),
        takingAvailable,
        note,
      };
    } finally {
      driver.dispose();
    }
  } finally {
    await world.close(); // kills the bot (SIGKILL if still running)
  }
}

const fmt = (value: number | undefined | null, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);

export function formatSummary(result: LoadResult): string {
  const s = result.summary;
  const rows: [string, string][] = [
    ['mode', `${s.mode}${result.note ? ` (${result.note})` : ''}`],
    ['members / duration / ramp', `${s.members} / ${s.durationSeconds} s / ${s.rampSeconds} s`],
    ['elapsed (incl. drain)', `${fmt(s.elapsedSeconds)} s`],
    ['interactions', `${s.interactions} (${fmt(s.interactionsPerSecond)} /s)`],
    [
      'first reply p50 / p99 / max',
      `${fmt(s.firstReplyMs.p50)} / ${fmt(s.firstReplyMs.p99)} / ${fmt(s.firstReplyMs.max)} ms (n=${s.firstReplyMs.count})`,
    ],
    ['quizzes started / completed', `${s.quizzesStarted} / ${s.quizzesCompleted}`],
    ['answered questions', String(s.answeredQuestions)],
    ['REST calls (per answered question)', `${s.restCalls} (${fmt(s.restCallsPerAnsweredQuestion, 2)})`],
    [
      'errors: unanswered / twice / error replies / 4xx / 5xx / stalled',
      `${s.errors.unanswered} / ${s.errors.answeredTwice} / ${s.errors.errorReplies} / ${s.errors.http4xx} / ${s.errors.http5xx} / ${s.errors.stalledQuizzes}`,
    ],
    [
      '/health latency p50 / p99 / max',
      `${fmt(s.healthLatencyMs.p50)} / ${fmt(s.healthLatencyMs.p99)} / ${fmt(s.healthLatencyMs.max)} ms (n=${s.healthLatencyMs.count})`,
    ],
    [
      'RSS idle / peak / at peak sessions',
      `${fmt(s.rssMb.idle)} / ${fmt(s.rssMb.peak)} / ${fmt(s.rssMb.atPeakSessions)} MB`,
    ],
    ['peak running sessions', String(s.peakRunningSessions)],
    ['bot event-loop delay p99 (worst sample)', `${fmt(s.eventLoopDelayP99MaxMs)} ms`],
    [
      'load generator loop delay p50 / p99 / max',
      `${fmt(s.loadGeneratorLoopDelayMs.p50)} / ${fmt(s.loadGeneratorLoopDelayMs.p99)} / ${fmt(s.loadGeneratorLoopDelayMs.max)} ms (emulator + members, this process)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push('', 'over time (every 5th /health sample):');
  lines.push('     t s   RSS MB   loop p99 ms   /health ms   sessions');
  s.timeline
    .filter((_, i) => i % 5 === 0)
    .forEach((p) => {
      lines.push(
        `${fmt(p.t).padStart(8)} ${fmt(p.rssMb).padStart(8)} ${fmt(p.eventLoopDelayP99Ms).padStart(13)} ${fmt(p.latencyMs).padStart(12)} ${String(p.runningSessions).padStart(10)}`,
      );
    });
  return lines.join('\n');
}

function writeReport(result: LoadResult, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryMb: Math.round(totalmem() / 2 ** 20),
  };
  writeFileSync(
    file,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, ...result }, null, 2)}\n`,
  );
}

export interface BenchLoadOptions {
  /** Default 1000. */
  members?: number;
  /** Seconds the members keep taking part. Default 25. */
  durationSeconds?: number;
  /** Members start linearly over this many seconds. Default 10 (100 new quizzes/s at 1,000). */
  rampSeconds?: number;
  verbose?: boolean;
}

/**
 * For `npm run bench` (issue 5): N members (default 1,000) start a 5-question quiz over a 10 s
 * ramp; each answers 3 questions (pressing "Next question" in between) and stays in the session, so
 * at the end all N sessions run at once. Reports first-reply latency p50/p99 over every interaction
 * and RSS per running session = (RSS with every session running − RSS idle) / sessions running.
 */
export async function benchLoad(opts: BenchLoadOptions = {}): Promise<BenchRow[]> {
  requireBuiltBot();
  const members = opts.members ?? 1000;
  const durationSeconds = Math.min(opts.durationSeconds ?? 25, MAX_DURATION_SECONDS);
  const rampMs = Math.min(opts.rampSeconds ?? 10, durationSeconds) * 1000;
  const log = (msg: string) => opts.verbose && process.stderr.write(`[bench load] ${msg}\n`);
  const world = await LoadWorld.create({
    members,
    // Long enough that no session ends while RSS is measured.
    quizzes: [{ name: 'Bench quiz', questions: 5, timerSeconds: 120 }],
  });
  try {
    const bot = await world.startBot({ QUIZ_MAX_SESSIONS: String(members * 2) });
    const driver = new LoadDriver(world, bot);
    try {
      // A full GC in the bot before each reading (its inspector, opened by SIGUSR1), so both count
      // what is alive; without it RSS per session swings with the collector's timing.
      const gcIdle = await forceGc(bot.child.pid);
      const idle = await settledRssMb(bot.child.pid);
      const heapIdle = await metricValue(bot.url('/metrics'), 'nodejs_heap_size_used_bytes');
      driver.rssIdleMb = idle;
      driver.startHealthPolling(1000);
      const taking = world.takingAvailable();
      log(`${members} members, taking ${taking ? 'available' : 'NOT available: /help fallback'}`);
      await driver.runMembers({
        members,
        durationMs: durationSeconds * 1000,
        rampMs,
        mode: taking ? 'take' : 'commands',
        thinkMs: [500, 2000],
        ...(taking ? { quizzesPerMember: 1, answersPerQuiz: 3 } : {}),
      });
      const running = driver.runningSessions;
      await wait(1000);
      const gcLoaded = await forceGc(bot.child.pid);
      const loaded = taking ? await settledRssMb(bot.child.pid) : undefined;
      const heapLoaded = await metricValue(bot.url('/metrics'), 'nodejs_heap_size_used_bytes');
      driver.stopHealthPolling();
      const s = driver.summary({
        mode: taking ? 'take' : 'commands',
        members,
        durationMs: durationSeconds * 1000,
        rampMs,
      });
      const scenario = taking
        ? `${members} members taking quizzes at once`
        : `${members} members, /help fallback`;
      const errorNote = `interactions ${s.interactions}, unanswered ${s.errors.unanswered}, error replies ${s.errors.errorReplies}, 4xx ${s.errors.http4xx}, 5xx ${s.errors.http5xx}; bot loop delay p99 ≤ ${round(s.eventLoopDelayP99MaxMs ?? Number.NaN)} ms, load generator (emulator + members, same machine) loop delay p99 ${round(s.loadGeneratorLoopDelayMs.p99)} ms`;
      const rows: BenchRow[] = [
        {
          name: `first-reply latency p50 (${scenario})`,
          value: round(s.firstReplyMs.p50),
          unit: 'ms',
          target: '≤ 250 ms',
          note: errorNote,
        },
        {
          name: `first-reply latency p99 (${scenario})`,
          value: round(s.firstReplyMs.p99),
          unit: 'ms',
          target: '≤ 3000 ms',
          note: "Discord's acknowledgement deadline is 3 s",
        },
      ];
      if (taking && idle !== undefined && loaded !== undefined && running > 0) {
        rows.push({
          name: `RSS per running session (${running} sessions)`,
          value: round(((loaded - idle) * 1024) / running),
          unit: 'KB',
          target: '≤ 64 KB',
          note: `RSS idle ${round(idle)} MB, with ${running} sessions running ${round(loaded)} MB; V8 heap used ${heapIdle !== undefined && heapLoaded !== undefined ? `${round((heapLoaded - heapIdle) / 1024 / running)} KB per session` : 'n/a'}; ${gcIdle && gcLoaded ? 'both read after a full GC in the bot' : 'GC could not be forced (inspector unreachable): includes uncollected garbage'}. Includes discord.js's caches of each member's user and member objects and the REST connections to the emulator.`,
        });
      } else {
        rows.push({
          name: 'RSS per running session',
          value: Number.NaN,
          unit: 'KB',
          note: taking
            ? 'no session was running when RSS was measured'
            : '/quiz take is not available in this build: not measured',
        });
      }
      return rows;
    } finally {
      driver.dispose();
    }
  } finally {
    await world.close();
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '200' },
      duration: { type: 'string', default: '30' },
      ramp: { type: 'string' },
      out: { type: 'string', default: OUT_FILE },
      quiet: { type: 'boolean', default: false },
    },
  });
  const members = Number(values.members);
  const duration = Number(values.duration);
  const ramp = values.ramp === undefined ? Math.min(10, duration / 3) : Number(values.ramp);
  for (const [name, value] of [
    ['--members', members],
    ['--duration', duration],
    ['--ramp', ramp],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  }
  if (duration > MAX_DURATION_SECONDS)
    process.stderr.write(`[load] --duration capped at ${MAX_DURATION_SECONDS} s\n`);
  const result = await runLoad({
    members,
    durationSeconds: duration,
    rampSeconds: ramp,
    verbose: !values.quiet,
  });
  process.stdout.write(`${formatSummary(result)}\n`);
  const out = resolve(values.out ?? OUT_FILE);
  writeReport(result, out);
  process.stdout.write(`\nwritten ${join(out)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  cli().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
