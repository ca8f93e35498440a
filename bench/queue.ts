/**
 * `npm run bench -- queue`: the session queue and memory under load, against the real bot
 * (`node dist/main.js`) and the Discord emulator, with V8's heap capped as the chart caps it for
 * its 384Mi limit (`--max-old-space-size=268`, 70 %):
 *
 * - queue drain: 300 running + 1,000 waiting members (QUIZ_MAX_SESSIONS=300) on a one-question
 *   quiz nobody answers (each session ends by its 5 s timeout and the feedback pause). REST calls
 *   per queued member, queue-place edits per queued member, peak RSS and the time from the last
 *   member queued to an empty queue.
 * - 1,000 concurrent sessions and a full queue (1,000 more waiting) under the same cap: peak RSS
 *   beside the 384 MiB limit, and whether the bot survived (no V8 out-of-memory).
 * - the /metrics flood: /health probe latency while 400 clients scrape /metrics for 10 s.
 *
 * Beside the figures issue 12 measured on the code before (quadratic queue, /metrics rendered per
 * scrape): 45,450 place edits for 300 waiting (151 per member), RSS 463 MB, 794 MB with 250
 * waiting behind 500, an OOM death under a 160 MB heap cap, /health p50 778 ms under 400 scrapers.
 *
 *   npx tsx bench/queue.ts        prints the table (build first: npm run build)
 */

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { injectTake } from '../test/e2e/takingHarness.js';
import type { BotProcess } from '../test/support/botProcess.js';
import { LoadWorld } from '../test/support/load/LoadWorld.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const BOT_ENTRY = resolve(import.meta.dirname, '..', 'dist', 'main.js');
const AUTOCANNON = resolve(import.meta.dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');
/** What the chart derives for its default 384Mi limit (nodeHeap.percentOfMemoryLimit 70). */
const HEAP_CAP_MB = 268;
const POD_LIMIT_MIB = 384;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The process's peak resident set (VmHWM), MiB. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function metric(bot: BotProcess, series: string): Promise<number | undefined> {
  const text = String((await bot.get('/metrics')).body ?? '');
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

interface QueueRun {
  /** Members that got into the queue (a take that missed Discord's deadline never did). */
  queued: number;
  peakRunning: number;
  restCallsPerQueued: number;
  placeEditsPerQueued: number;
  drainSeconds: number;
  peakRssMb: number | undefined;
  started: number;
  survived: boolean;
  missed: number;
}

/** `running` members start, `waiting` more queue behind them; waits until every one has started. */
async function queueRun(
  running: number,
  waiting: number,
  log: (msg: string) => void,
  /** Long sessions hold every slot (the memory run); short ones make the queue drain. */
  options: { timerSeconds: number; drain: boolean } = { timerSeconds: 5, drain: true },
): Promise<QueueRun> {
  const world = await LoadWorld.create({
    members: running + waiting,
    quizzes: [{ name: 'Queue bench', questions: 1, timerSeconds: options.timerSeconds }],
  });
  try {
    const bot = await world.startBot({
      QUIZ_MAX_SESSIONS: String(running),
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
      LOG_LEVEL: 'info', // 'quiz queued' / 'queued quiz promoted' lines count and time the queue
    });
    const quizId = world.quizzes[0]?.id ?? 0;
    const where = { guildId: world.guild.id, channelId: world.channelId };
    const callsBefore = world.emu.restCalls.length;
    let peakRunning = 0;
    let polling = true;
    const poller = (async () => {
      while (polling && !bot.exitStatus) {
        peakRunning = Math.max(peakRunning, (await metric(bot, 'badgey_sessions_running')) ?? 0);
        await wait(250);
      }
    })();
    // 10 members every 200 ms (50/s): on a busy shared machine faster injection makes the bot miss
    // Discord's 3 s deadline for some takes; those members never queue and are not counted below.
    const takes = [];
    for (let i = 0; i < world.members.length; i++) {
      takes.push(injectTake(world.emu, where, world.members[i]?.user.id ?? '', quizId));
      if (i % 10 === 9) await wait(200);
    }
    log(`${running} running + ${waiting} waiting injected`);
    const lines = (msg: string) => bot.logs.filter((line) => line.msg === msg);
    const deadline = performance.now() + (options.drain ? 180_000 : 3_000);
    let queued = await metric(bot, 'badgey_sessions_queued');
    while (performance.now() < deadline && !bot.exitStatus) {
      await wait(250);
      queued = await metric(bot, 'badgey_sessions_queued');
      if (queued === 0 && options.drain) break;
    }
    polling = false;
    await poller;
    const enqueued = lines('quiz queued');
    const promoted = lines('queued quiz promoted');
    const lastQueuedAt = Math.max(...enqueued.map((line) => Number(line.time)));
    const lastPromotedAt = Math.max(...promoted.map((line) => Number(line.time)));
    const missed = takes.filter((take) => take.errors.length > 0).length;
    const calls = world.emu.restCalls.slice(callsBefore);
    const placeEdits = calls.filter(
      (call) => call.method === 'PATCH' && /in the queue|You're next/.test(JSON.stringify(call.body ?? '')),
    ).length;
    const result: QueueRun = {
      queued: enqueued.length,
      restCallsPerQueued: calls.length / Math.max(1, enqueued.length),
      placeEditsPerQueued: placeEdits / Math.max(1, enqueued.length),
      drainSeconds: (lastPromotedAt - lastQueuedAt) / 1000,
      peakRssMb: peakRssMb(bot.child.pid),
      peakRunning,
      started: lines('quiz started').length,
      survived:
        bot.exitStatus === undefined &&
        (!options.drain || (queued === 0 && promoted.length === enqueued.length)),
      missed,
    };
    log(JSON.stringify(result));
    return result;
  } finally {
    await world.close();
  }
}

interface FloodRun {
  probeP50: number;
  probeP99: number;
  scrapesPerSecond: number;
}

/** 400 connections scrape /metrics for `seconds` while /health is probed every 50 ms. */
async function metricsFlood(seconds: number, log: (msg: string) => void): Promise<FloodRun> {
  const world = await LoadWorld.create({ members: 1 });
  try {
    const bot = await world.startBot();
    const latencies: number[] = [];
    let stop = false;
    const probes = (async () => {
      while (!stop) {
        const t0 = performance.now();
        await fetch(bot.url('/health'), { signal: AbortSignal.timeout(10_000) }).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
        latencies.push(performance.now() - t0);
        await wait(50);
      }
    })();
    // The scrapers run in their own process: in this one they would delay the probes' own loop.
    const scrapers = spawn(
      process.execPath,
      [AUTOCANNON, '--json', '-c', '400', '-d', String(seconds), bot.url('/metrics')],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    scrapers.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise((done) => scrapers.once('exit', done));
    stop = true;
    const result = JSON.parse(out || '{"requests":{"average":0}}') as { requests: { average: number } };
    await probes;
    latencies.sort((a, b) => a - b);
    const at = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN;
    const flood = { probeP50: at(0.5), probeP99: at(0.99), scrapesPerSecond: result.requests.average };
    log(JSON.stringify(flood));
    return flood;
  } finally {
    await world.close();
  }
}

const round = (n: number | undefined, digits = 1) =>
  n === undefined || Number.isNaN(n) ? Number.NaN : Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchQueue(opts: { verbose?: boolean } = {}): Promise<BenchRow[]> {
  if (!existsSync(BOT_ENTRY)) throw new Error(`${BOT_ENTRY} is missing: run \`npm run build\` first`);
  const log = (msg: string) => opts.verbose && process.stderr.write(`[bench queue] ${msg}\n`);
  const drain = await queueRun(300, 1_000, log);
  const full = await queueRun(1_000, 1_000, log, { timerSeconds: 300, drain: false });
  const flood = await metricsFlood(10, log);
  const limitNote = `V8 heap capped at ${HEAP_CAP_MB} MB as the chart sets it for its ${POD_LIMIT_MIB}Mi limit`;
  return [
    {
      name: 'queue drain: queue-place edits per waiting member (300 running, 1,000 waiting)',
      value: round(drain.placeEditsPerQueued, 2),
      unit: 'PATCH/member',
      baseline: 151.5,
      baselineName: 'issue 12, code before: 45,450 edits for 300 waiting',
      target: '≤ 30 PATCH/member',
      note: `${drain.queued} members queued; bounded by the place bands (exact to 10, tens to 100, hundreds), at most one per 5 s`,
    },
    {
      name: 'queue drain: all REST calls per waiting member',
      value: round(drain.restCallsPerQueued, 2),
      unit: 'calls/member',
      note: `everything the run sent (takes, questions, feedback, results posts, place edits) ÷ the ${drain.queued} members who queued`,
    },
    {
      name: 'queue drain: last member queued → last promoted (up to 1,000 waiting)',
      value: round(drain.drainSeconds),
      unit: 's',
      note: `${drain.queued} members queued and every one was promoted (${drain.started} quizzes started; ${drain.missed} takes missed Discord's 3 s deadline on this busy machine and never queued); a session lasts ~11 s (5 s timer + 1 s grace + 5 s feedback), so 300 slots free in rounds; before: 250 waiting behind 500 got no question within 20 s`,
    },
    {
      name: 'queue drain: peak RSS (300 running, 1,000 waiting)',
      value: round(drain.peakRssMb),
      unit: 'MiB',
      baseline: 463,
      baselineName: 'issue 12, code before: 300 running + 300 waiting',
      target: `≤ ${POD_LIMIT_MIB} MiB`,
      note: limitNote,
    },
    {
      name: 'QUIZ_MAX_SESSIONS=1,000 and 1,000 more waiting: peak RSS under the heap cap',
      value: round(full.peakRssMb),
      unit: 'MiB',
      baseline: 794,
      baselineName: 'issue 12, code before: 500 running + 250 waiting (OOM under a 160 MB heap cap)',
      target: `≤ ${POD_LIMIT_MIB} MiB`,
      met: full.survived && (full.peakRssMb ?? Number.POSITIVE_INFINITY) <= POD_LIMIT_MIB,
      note: `${limitNote}; ${full.survived ? 'the bot survived (no OOM)' : 'the bot DIED'} (peak ${full.peakRunning} sessions running at once, ${full.queued} queued, ${full.started} started, ${full.missed} takes missed Discord's deadline)`,
    },
    {
      name: '/health p99 while 400 clients scrape /metrics',
      value: round(flood.probeP99),
      unit: 'ms',
      baseline: 778,
      baselineName: 'issue 12, code before: /health p50 under 400 scrapers',
      target: '≤ 50 ms',
      note: `probe p50 ${round(flood.probeP50)} ms; ${Math.round(flood.scrapesPerSecond)} scrapes/s served from the 1 s cache`,
    },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await benchQueue({ verbose: true });
  process.stdout.write(`${formatRows(rows)}\n`);
  process.exit(0);
}
