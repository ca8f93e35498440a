import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import pino from 'pino';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../../src/health/createMetricsRegistry.js';
import {
  createHealthServer,
  type HealthBody,
  type HealthServerOptions,
} from '../../../src/health/HealthServer.js';
import { ProcessSampler } from '../../../src/health/ProcessSampler.js';
import { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import { FakeClock } from '../../support/FakeClock.js';

const logger = pino({ level: 'silent' });
interface ReadyBody {
  status: 'ready' | 'not_ready';
  reason?: string;
  reasons?: Record<string, string>;
  components?: Record<string, { ready: boolean; reason?: string }>;
}
const healthOf = async (res: Response) => (await res.json()) as HealthBody;
const readyOf = async (res: Response) => (await res.json()) as ReadyBody;

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()?.();
});

interface Started {
  base: string;
  port: number;
  readiness: ReadinessRegistry;
  registry: Registry;
  setShuttingDown(value: boolean): void;
}

async function start(overrides: Partial<HealthServerOptions> = {}): Promise<Started> {
  const readiness = overrides.readiness ?? new ReadinessRegistry();
  const registry = overrides.metricsRegistry ?? createMetricsRegistry();
  let shuttingDown = false;
  const sampler = new ProcessSampler({ readCpuPercent: async () => 1.5 });
  await sampler.sampleNow();
  const health = createHealthServer({
    port: 0,
    host: '127.0.0.1',
    readiness,
    metricsRegistry: registry,
    sampler,
    version: '1.2.3-test',
    logger,
    signals: [], // many servers in one test process: no signal handlers (the e2e test covers them)
    isShuttingDown: () => shuttingDown,
    shardStates: () => ({ '0': 'ready' }),
    ...overrides,
  });
  const port = await health.listen();
  open.push(async () => {
    health.server.closeAllConnections();
    await health.close();
  });
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    readiness,
    registry,
    setShuttingDown: (value) => {
      shuttingDown = value;
    },
  };
}

/** Sends raw bytes and returns the status line of the answer. */
function rawRequest(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
    socket.write(payload);
  });
}

describe('GET /health', () => {
  it('answers 200 with the seed fields and their types', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await healthOf(res);
    expect(body).toMatchObject({
      status: 'starting',
      ready: false,
      version: '1.2.3-test',
      shards: { '0': 'ready' },
      cpu_percent: 1.5,
    });
    expect(body.uptime).toMatch(/^\d+d \d+h \d+m \d+s$/);
    expect(Number.isInteger(body.uptime_seconds)).toBe(true);
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(typeof body.memory_usage_mb).toBe('number');
    expect(body.memory_usage_mb).toBeGreaterThan(0);
    expect(typeof body.heap_used_mb).toBe('number');
    expect(Number.isInteger(body.thread_count)).toBe(true);
    expect(body.thread_count).toBeGreaterThanOrEqual(1);
    for (const key of ['p50', 'p99', 'max'] as const)
      expect(typeof body.event_loop_delay_ms[key]).toBe('number');
    expect(typeof body.components).toBe('object');
    expect(Number.isNaN(Date.parse(body.sampled_at))).toBe(false);
  });

  it('formats uptime like the seed (2d 3h 45m 12s)', async () => {
    const { base } = await start({ uptimeSeconds: () => 183_912.7 });
    const body = await healthOf(await fetch(`${base}/health`));
    expect(body.uptime).toBe('2d 3h 5m 12s');
    expect(body.uptime_seconds).toBe(183_912);
  });

  it('stays 200 and healthy when Discord drops after being ready (liveness ≠ readiness)', async () => {
    const { base, readiness } = await start();
    readiness.report('discord', { ready: false, reason: 'discord: not connected' });
    let body = await healthOf(await fetch(`${base}/health`));
    expect(body.status).toBe('starting');
    readiness.report('discord', { ready: true });
    body = await healthOf(await fetch(`${base}/health`));
    expect(body).toMatchObject({ status: 'healthy', ready: true });
    readiness.report('discord', { ready: false, reason: 'discord: not connected' });
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    body = await healthOf(res);
    expect(body).toMatchObject({ status: 'healthy', ready: false });
    expect(body.components.discord).toEqual({ ready: false, reason: 'discord: not connected' });
  });

  it('ignores the query string (terminus would not: it matches the raw url)', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/health?probe=1&x=%20`);
    expect(res.status).toBe(200);
    expect((await healthOf(res)).version).toBe('1.2.3-test');
  });

  it('answers 503 shutting_down once shutdown began', async () => {
    const { base, setShuttingDown } = await start();
    setShuttingDown(true);
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(503);
    expect((await healthOf(res)).status).toBe('shutting_down');
  });

  it('never waits for a pending CPU sample', async () => {
    const sampler = new ProcessSampler({ readCpuPercent: () => new Promise<number>(() => {}) });
    sampler.start();
    try {
      const { base } = await start({ sampler });
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
      expect(sampler.samplesTaken).toBe(0); // the sample it was served is the initial one; none completed
      expect(typeof (await healthOf(res)).cpu_percent).toBe('number');
    } finally {
      sampler.stop();
    }
  });
});

describe('GET /ready', () => {
  it('is 503 before any component reported', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    expect(await readyOf(res)).toEqual({
      status: 'not_ready',
      reason: 'no component has reported yet',
      reasons: {},
    });
  });

  it('follows the registry: 503 with reasons, then 200 with components', async () => {
    const { base, readiness } = await start();
    readiness.report('discord', { ready: false, reason: 'discord: not connected' });
    readiness.report('database', { ready: true });
    let res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await readyOf(res)).toEqual({
      status: 'not_ready',
      reason: 'discord: not connected',
      reasons: { discord: 'discord: not connected' },
    });

    readiness.report('discord', { ready: true });
    res = await fetch(`${base}/ready?probe=1`);
    expect(res.status).toBe(200);
    expect(await readyOf(res)).toEqual({
      status: 'ready',
      components: { discord: { ready: true }, database: { ready: true } },
    });

    readiness.report('analytics-export', { ready: false, reason: 'directory not writable' });
    res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    expect((await readyOf(res)).reason).toBe('analytics-export: directory not writable');
  });

  it('is 503 from the moment shutdown begins, even with every component ready', async () => {
    const { base, readiness, setShuttingDown } = await start();
    readiness.report('discord', { ready: true });
    setShuttingDown(true);
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    expect((await readyOf(res)).reasons).toEqual({ shutdown: 'shutting down' });
  });
});

describe('GET /metrics', () => {
  it('serves the Prometheus text format that promtool accepts', async () => {
    const { base, readiness } = await start();
    readiness.report('discord:shard-0', { ready: true });
    await fetch(`${base}/health`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(new Registry().contentType);
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('badgey_ready 1');
    expect(text).toContain('badgey_component_ready{component="discord:shard-0"} 1');
    expect(text).toContain('badgey_build_info{version="1.2.3-test"} 1');
    expect(text).toMatch(/badgey_uptime_seconds \d+/);
    expect(text).toContain('badgey_health_requests_total{route="/health",code="200"} 1');
    // promtool must be installed (scripts/test-deps.sh); a missing binary fails this test (ENOENT).
    const lint = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.trim()).toBe('');
  });
});

describe('GET /metrics under a scrape flood', () => {
  it('400 concurrent scrapes share one render per second, so probes never queue behind them', async () => {
    // Issue 12 item 5: each scrape rendered every series on the event loop; 400 scrapers pushed
    // /health to p50 778 ms. A real gauge's collect() counts the renders.
    const clock = new FakeClock();
    const registry = createMetricsRegistry();
    let renders = 0;
    new Gauge({
      name: 'test_metrics_renders',
      help: 'How often /metrics was rendered.',
      registers: [registry],
      collect() {
        renders++;
        this.set(renders);
      },
    });
    const { base } = await start({ metricsRegistry: registry, clock });
    const scrapes = Array.from({ length: 400 }, () => fetch(`${base}/metrics`).then((r) => r.text()));
    const probe = await fetch(`${base}/health`);
    expect(probe.status).toBe(200);
    const texts = await Promise.all(scrapes);
    expect(renders).toBe(1);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('test_metrics_renders 1');

    clock.advance(999);
    await fetch(`${base}/metrics`);
    expect(renders).toBe(1); // still fresh
    clock.advance(1);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('test_metrics_renders 2');
  });
});

describe('routing', () => {
  it('answers 404 for other paths, including near misses', async () => {
    const { base } = await start();
    for (const path of ['/', '/nope', '/health/', '/HEALTH', '/ready/x', '/metrics.json']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      await res.text();
    }
  });

  it('answers 405 with Allow for methods other than GET and HEAD', async () => {
    const { base } = await start();
    for (const [method, path] of [
      ['POST', '/health'],
      ['PUT', '/ready'],
      ['DELETE', '/metrics'],
      ['OPTIONS', '/health'],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      await res.text();
    }
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const { base, readiness } = await start();
    readiness.report('discord', { ready: true });
    for (const path of ['/health', '/ready', '/metrics']) {
      const res = await fetch(`${base}${path}`, { method: 'HEAD' });
      expect(res.status, path).toBe(200);
      expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
      expect(await res.text()).toBe('');
    }
  });

  it('answers malformed and oversized requests with 4xx and keeps serving', async () => {
    const { base, port } = await start();
    expect(await rawRequest(port, 'GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(
      await rawRequest(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    ).toMatch(/^HTTP\/1\.1 431/);
    expect(await rawRequest(port, 'GET /%%zz%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 404/,
    );
    expect(
      await rawRequest(port, 'GET http://evil/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ).toMatch(/^HTTP\/1\.1 404/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('slow clients', () => {
  it('answers 408 and closes a connection whose headers never finish', async () => {
    const { base, port } = await start({ headersTimeoutMs: 300 });
    // No blank line: the request headers never end. The server must not keep the socket forever.
    expect(await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // Generous bound, not a measurement: with node's default 30 s connection sweep this would hang
    // well past it, with the server's 1 s sweep it takes about a second.
  }, 15_000);
});

describe('HEALTH_AUTH_TOKEN', () => {
  const token = 's3cret-token';

  it('hides /health details without the token (status and ready only)', async () => {
    const { base } = await start({ authToken: token });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: token },
      { authorization: `Basic ${token}` },
      { authorization: `Bearer ${token}x` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${base}/health`, { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'starting', ready: false });
    }
  });

  it('shows every field with the right bearer token', async () => {
    const { base } = await start({ authToken: token });
    for (const authorization of [`Bearer ${token}`, `bearer ${token}`]) {
      const body = await healthOf(await fetch(`${base}/health`, { headers: { authorization } }));
      expect(body).toHaveProperty('memory_usage_mb');
      expect(body).toHaveProperty('components');
    }
  });

  it('leaves /ready and the probe status codes alone', async () => {
    const { base, readiness } = await start({ authToken: token });
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    readiness.report('discord', { ready: true });
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(200);
    expect((await readyOf(res)).status).toBe('ready');
  });

  it('keeps /metrics open when a token is set (no user data; annotation scrapes send no token)', async () => {
    const { base } = await start({ authToken: token });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('badgey_ready');
  });
});
