/**
 * Analytics benchmark: record cost of QuizAnalytics against a literal port of the original bot's
 * analytics (bench/seedPort.ts) in the same process, and retained heap after 1M events from 100k
 * users for both (each measured in a fresh `node --expose-gc` child process).
 *
 *   npx tsx bench/analytics.ts        prints the table
 *   import { benchAnalytics }         returns the rows (bench/run.ts)
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { QuizAnalytics } from '../src/analytics/index.js';
import { formatRows } from './report.js';
import { SeedQuizAnalytics } from './seedPort.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);

enum Kind {
  Start = 0,
  Completion = 1,
  Answer = 2,
  Command = 3,
  DbQuery = 4,
  Error = 5,
}

const COMMANDS = ['take_quiz', 'answer', 'leaderboard', 'quiz_create', 'stats', 'schedule_quiz'];

/** A pre-generated event stream, so both implementations see identical input and no generation cost. */
interface Workload {
  length: number;
  kind: Uint8Array;
  user: Int32Array;
  quiz: Int32Array;
  guild: Int32Array;
  value: Float64Array;
  flag: Uint8Array;
  users: string[];
  guilds: string[];
}

/**
 * `realistic`: per quiz session 1 start, 8 answers, 10 commands (slash + buttons), 12 DB queries,
 * 1 completion (32 events), and an error every 40 sessions.
 * `userHeavy`: 10 events per session (start, completion, 4 answers, 2 commands, 2 queries), so
 * 1M events carry 100k distinct users.
 * `players`: `newcomers` — each session is the next user (wrapping at `userCount`), the worst
 * case for the pseudonym cache; `regulars` — each session's player is drawn with Zipf-like
 * (1/rank) popularity from `userCount` users, as on a server where regulars play most quizzes.
 */
function makeWorkload(
  length: number,
  userCount: number,
  mix: 'realistic' | 'userHeavy',
  players: 'newcomers' | 'regulars' = 'newcomers',
): Workload {
  const w: Workload = {
    length,
    kind: new Uint8Array(length),
    user: new Int32Array(length),
    quiz: new Int32Array(length),
    guild: new Int32Array(length),
    value: new Float64Array(length),
    flag: new Uint8Array(length),
    users: Array.from({ length: userCount }, (_, i) => String(200_000_000_000_000_000n + BigInt(i * 7919))),
    guilds: Array.from({ length: 2_000 }, (_, i) => String(800_000_000_000_000_000n + BigInt(i * 104_729))),
  };
  let random = 987_654_321;
  const next = () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };
  const pattern: Kind[] = [Kind.Start, Kind.Command, Kind.DbQuery, Kind.DbQuery];
  if (mix === 'realistic') {
    for (let q = 0; q < 8; q++) pattern.push(Kind.Answer, Kind.Command, Kind.DbQuery);
    pattern.push(Kind.Command, Kind.DbQuery, Kind.Completion, Kind.DbQuery);
  } else {
    pattern.push(Kind.Answer, Kind.Answer, Kind.Answer, Kind.Answer, Kind.Command, Kind.Completion);
  }
  let session = 0;
  let player = 0;
  for (let i = 0; i < length; i++) {
    const position = i % pattern.length;
    if (position === 0) {
      session++;
      player =
        players === 'newcomers'
          ? session % userCount
          : // log-uniform rank ≈ Zipf(1); ×7919 (coprime with userCount) scatters ranks over ids
            ((Math.floor(Math.exp(next() * Math.log(userCount))) - 1) * 7919) % userCount;
    }
    let kind = pattern[position]!;
    if (kind === Kind.DbQuery && position === 2 && session % 40 === 0) kind = Kind.Error;
    w.kind[i] = kind;
    w.user[i] = player;
    w.quiz[i] = Math.floor(next() ** 2 * 5_000); // skewed popularity
    w.guild[i] = Math.floor(next() ** 2 * w.guilds.length);
    w.flag[i] = next() < 0.7 ? 1 : 0;
    switch (kind) {
      case Kind.Completion:
        w.value[i] = 30 + next() * 600;
        break;
      case Kind.Answer:
        w.value[i] = 0.5 + next() * 19;
        break;
      case Kind.Command:
        w.value[i] = 0.005 + next() ** 3 * 2;
        w.quiz[i] = Math.floor(next() * COMMANDS.length);
        break;
      case Kind.DbQuery:
        w.value[i] = 0.0001 + next() ** 4 * 0.2;
        break;
      default:
        w.value[i] = 0;
    }
  }
  return w;
}

/** `userOffset` shifts every user index, so repeated rounds meet new users (no warm caches). */
function feedAnalytics(analytics: QuizAnalytics, w: Workload, userOffset = 0, from = 0, to = w.length): void {
  const userCount = w.users.length;
  for (let i = from; i < to; i++) {
    switch (w.kind[i]) {
      case Kind.Start:
        analytics.recordQuizStart(
          w.users[(w.user[i]! + userOffset) % userCount]!,
          w.quiz[i]!,
          w.guilds[w.guild[i]!],
        );
        break;
      case Kind.Completion:
        analytics.recordQuizCompletion(
          w.users[(w.user[i]! + userOffset) % userCount]!,
          w.quiz[i]!,
          w.value[i]!,
          w.quiz[i]! % 100,
        );
        break;
      case Kind.Answer:
        analytics.recordAnswer(w.flag[i] === 1, w.value[i]!);
        break;
      case Kind.Command:
        analytics.recordCommand(COMMANDS[w.quiz[i]!]!, w.value[i]!);
        break;
      case Kind.DbQuery:
        analytics.recordDbQuery(w.value[i]!);
        break;
      default:
        analytics.recordError('database_error', { message: 'connection reset' });
    }
  }
}

/** The original awaited every call (`await quiz_analytics.record_...`); so does the port. */
async function feedSeed(
  seed: SeedQuizAnalytics,
  w: Workload,
  userOffset = 0,
  from = 0,
  to = w.length,
): Promise<void> {
  const userCount = w.users.length;
  for (let i = from; i < to; i++) {
    switch (w.kind[i]) {
      case Kind.Start:
        await seed.recordQuizStart(
          w.users[(w.user[i]! + userOffset) % userCount]!,
          w.quiz[i]!,
          w.guilds[w.guild[i]!],
        );
        break;
      case Kind.Completion:
        await seed.recordQuizCompletion(
          w.users[(w.user[i]! + userOffset) % userCount]!,
          w.quiz[i]!,
          w.value[i]!,
          w.quiz[i]! % 100,
        );
        break;
      case Kind.Answer:
        await seed.recordAnswer(w.flag[i] === 1, w.value[i]!);
        break;
      case Kind.Command:
        await seed.recordCommand(COMMANDS[w.quiz[i]!]!, w.value[i]!);
        break;
      case Kind.DbQuery:
        await seed.recordDbQuery(w.value[i]!);
        break;
      default:
        await seed.recordError('database_error', { message: 'connection reset' });
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A full GC between timed runs, so neither side pays for collecting the other's garbage. */
function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

async function measureRecordCost(
  players: 'newcomers' | 'regulars',
): Promise<{ analyticsNs: number; seedNs: number }> {
  const workload = makeWorkload(320_000, 100_000, 'realistic', players);
  const analytics = new QuizAnalytics({ salt: 'bench' });
  const seed = new SeedQuizAnalytics();
  // Warm up both (JIT, and the seed's lists past their 1000-entry caps).
  feedAnalytics(analytics, workload);
  await feedSeed(seed, workload);
  const analyticsRuns: number[] = [];
  const seedRuns: number[] = [];
  for (let round = 0; round < 7; round++) {
    // Alternate which goes first so neither always runs on a freshly collected heap.
    const runs = round % 2 === 0 ? ['analytics', 'seed'] : ['seed', 'analytics'];
    // newcomers: 320k events = 10k sessions = 10k users; each round meets 10k users not seen in
    // the previous round. regulars: the same popular players keep coming back.
    const userOffset = players === 'newcomers' ? (round + 1) * 10_000 : 0;
    for (const which of runs) {
      collectGarbage();
      // CPU time (all threads, so GC helpers count) rather than wall time: the bench machine is
      // shared, and contention would otherwise swamp a per-op cost of tens of nanoseconds.
      const start = process.cpuUsage();
      if (which === 'analytics') feedAnalytics(analytics, workload, userOffset);
      else await feedSeed(seed, workload, userOffset);
      const used = process.cpuUsage(start);
      const ns = ((used.user + used.system) * 1000) / workload.length;
      (which === 'analytics' ? analyticsRuns : seedRuns).push(ns);
    }
  }
  return { analyticsNs: median(analyticsRuns), seedNs: median(seedRuns) };
}

interface HeapResult {
  /** Retained after the first 100k events (10k users). */
  retainedAt100k: number;
  /** Retained after all 1M events (100k users). */
  retainedAt1M: number;
  activeUsersEstimate: number;
  distinctUsers: number;
}

/** Child-process side: retained memory of one implementation while 1M events from 100k users arrive. */
async function heapChild(which: 'analytics' | 'seed'): Promise<HeapResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('heap measurement needs node --expose-gc');
  const workload = makeWorkload(1_000_000, 100_000, 'userHeavy');
  const memoryAfterGc = () => {
    gc();
    gc();
    // external covers ArrayBuffers, including the WebAssembly memory of the histograms.
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  const distinct = new Set<number>();
  for (let i = 0; i < workload.length; i++)
    if (workload.kind[i] === Kind.Start || workload.kind[i] === Kind.Completion)
      distinct.add(workload.user[i]!);
  const before = memoryAfterGc();
  if (which === 'analytics') {
    const analytics = new QuizAnalytics({ salt: 'bench' });
    feedAnalytics(analytics, workload, 0, 0, 100_000);
    const at100k = memoryAfterGc();
    feedAnalytics(analytics, workload, 0, 100_000);
    const at1M = memoryAfterGc();
    return {
      retainedAt100k: at100k - before,
      retainedAt1M: at1M - before,
      activeUsersEstimate: analytics.getStatistics().active_users,
      distinctUsers: distinct.size,
    };
  }
  const seed = new SeedQuizAnalytics();
  await feedSeed(seed, workload, 0, 0, 100_000);
  const at100k = memoryAfterGc();
  await feedSeed(seed, workload, 0, 100_000);
  const at1M = memoryAfterGc();
  return {
    retainedAt100k: at100k - before,
    retainedAt1M: at1M - before,
    activeUsersEstimate: seed.userParticipation.size,
    distinctUsers: distinct.size,
  };
}

function measureHeap(which: 'analytics' | 'seed'): HeapResult {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', THIS_FILE, '--heap-child', which],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').pop()!) as HeapResult;
}

export async function benchAnalytics(): Promise<BenchRow[]> {
  const regulars = await measureRecordCost('regulars');
  const newcomers = await measureRecordCost('newcomers');
  const ours = measureHeap('analytics');
  const seed = measureHeap('seed');
  const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 100) / 100;
  return [
    {
      name: 'analytics record cost, realistic mix (CPU time)',
      value: Math.round(regulars.analyticsNs),
      unit: 'ns/op',
      baseline: Math.round(regulars.seedNs),
      baselineName: 'seed port: array push + slice(-1000), async lock',
      target: '≤ 0.1× the seed port (10× faster)',
    },
    {
      name: 'analytics record cost, every session a new user',
      value: Math.round(newcomers.analyticsNs),
      unit: 'ns/op',
      baseline: Math.round(newcomers.seedNs),
      baselineName: 'seed port',
      target: 'worst case for the HMAC cache',
    },
    {
      name: 'analytics memory after 1M events / 100k users',
      value: mb(ours.retainedAt1M),
      unit: 'MB',
      baseline: mb(seed.retainedAt1M),
      baselineName: 'seed port: unbounded maps on raw ids',
      target: 'bounded',
    },
    {
      name: 'analytics memory growth, 100k → 1M events',
      value: mb(ours.retainedAt1M - ours.retainedAt100k),
      unit: 'MB',
      baseline: mb(seed.retainedAt1M - seed.retainedAt100k),
      baselineName: 'seed port',
      target: 'flat (≈ 0)',
    },
    {
      name: 'analytics active_users error (HyperLogLog)',
      value:
        Math.round((Math.abs(ours.activeUsersEstimate - ours.distinctUsers) / ours.distinctUsers) * 10_000) /
        100,
      unit: '%',
      target: '≤ 2% at 100k distinct users',
    },
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) {
  const childIndex = process.argv.indexOf('--heap-child');
  if (childIndex >= 0) {
    const which = process.argv[childIndex + 1] === 'seed' ? 'seed' : 'analytics';
    process.stdout.write(`${JSON.stringify(await heapChild(which))}\n`);
  } else {
    console.log(formatRows(await benchAnalytics()));
  }
}
