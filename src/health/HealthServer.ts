import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTerminus } from '@godaddy/terminus';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { formatUptime } from '../analytics/formatUptime.js';
import type { Clock } from '../clock.js';
import { METRICS } from '../metrics.js';
import { CachedExposition } from './CachedExposition.js';
import { bytesToMb, type ProcessSample } from './ProcessSampler.js';
import type { ReadinessRegistry } from './ReadinessRegistry.js';

/*
 * Why terminus handles signals but not the routes
 * ------------------------------------------------
 * terminus answers its `healthChecks` with its own body shape (`{status:'ok', info, details}`, or
 * with `verbatim` the check's keys merged into a SHARED response object — keys leak between
 * requests), answers them for every method (POST /health → 200, HEAD gets a body) and matches the
 * exact `req.url`, so `/health?x=1` would fall through. Our contract (docs/architecture.md, HTTP) fixes the bodies (the seed's
 * `/health` fields; `/ready` → `{status:'ready'|'not_ready', ...}`), 405 for other methods and
 * working HEAD. So this module routes `/health`, `/ready` and `/metrics` itself (query string
 * stripped before routing) and passes terminus an empty `healthChecks` map: terminus then does not
 * touch the request listener at all, and is used for what it is good at — SIGTERM/SIGINT handling,
 * `stoppable` connection draining, the beforeShutdown → stop → onSignal → onShutdown order and
 * `useExit0`. terminus's "503 during shutdown" is reproduced here: from the first moment of
 * shutdown `/ready` (readiness component `shutdown`) and `/health` answer 503.
 */

export interface HealthServerOptions {
  port: number;
  host: string;
  readiness: ReadinessRegistry;
  /** Served at `/metrics`; default process metrics are collected by whoever created it. */
  metricsRegistry: Registry;
  sampler: { latest(): ProcessSample };
  version: string;
  /** When set, `/health` details need `Authorization: Bearer <token>` (probes and `/metrics` stay open). */
  authToken?: string | undefined;
  logger: Logger;
  /** Connection state per shard, e.g. `{ '0': 'ready' }`, shown in `/health`. */
  shardStates?: () => Record<string, string>;
  /** True once shutdown began; `/health` and `/ready` then answer 503. */
  isShuttingDown?: () => boolean;
  /** Process uptime in seconds. Default `process.uptime()`. */
  uptimeSeconds?: () => number;
  /**
   * Signals handled through terminus. Default SIGTERM and SIGINT. An empty list installs no signal
   * handlers at all (tests running many servers in one process, embedding).
   */
  signals?: NodeJS.Signals[];
  /** terminus hooks, in this order on a signal: beforeShutdown → server stops → onSignal → onShutdown → exit 0. */
  beforeShutdown?: () => Promise<void>;
  onSignal?: () => Promise<void>;
  onShutdown?: () => Promise<void>;
  /** `/metrics` is rendered at most once per this long, ms (scrapers share it). Default 1000. */
  metricsMaxAgeMs?: number;
  /** Time for the `/metrics` cache (tests). Default the system clock. */
  clock?: Clock;
  /** Grace for open connections once the server stops, ms (terminus/stoppable `timeout`). Default 1000. */
  drainTimeoutMs?: number;
  /** A client must send its request headers within this long (else 408 and close). Default 5000 ms. */
  headersTimeoutMs?: number;
}

export interface HealthServer {
  readonly server: Server;
  /** How many times `/metrics` was rendered (each render is shared by every scrape within a second). */
  metricsRenders(): number;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** The bound port, once listening. */
  port(): number;
  /** Stops listening and drops idle connections (tests; the signal path uses terminus). */
  close(): Promise<void>;
}

/** Body of `GET /health` for an authorised caller (or when no token is configured). */
export interface HealthBody {
  status: 'healthy' | 'starting' | 'shutting_down';
  uptime: string;
  uptime_seconds: number;
  memory_usage_mb: number;
  heap_used_mb: number;
  cpu_percent: number;
  thread_count: number;
  ready: boolean;
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  version: string;
  shards: Record<string, string>;
  components: Record<string, { ready: boolean; reason?: string }>;
  /** When the process numbers above were sampled (ISO 8601). */
  sampled_at: string;
}

const ROUTES = ['/health', '/ready', '/metrics'] as const;
type Route = (typeof ROUTES)[number];
const ALLOW = 'GET, HEAD';
const JSON_TYPE = 'application/json; charset=utf-8';

function isRoute(path: string): path is Route {
  return (ROUTES as readonly string[]).includes(path);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time check of an `Authorization: Bearer <token>` header (digests make lengths equal). */
function hasBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  const equal = timingSafeEqual(digest(presented), digest(token));
  return equal && match !== null;
}

export function createHealthServer(options: HealthServerOptions): HealthServer {
  const { readiness, sampler, logger, metricsRegistry } = options;
  const uptimeSeconds = options.uptimeSeconds ?? (() => process.uptime());
  const isShuttingDown = options.isShuttingDown ?? (() => false);
  const authToken = options.authToken ? options.authToken : undefined;
  let everReady = readiness.isReady();
  readiness.onChange(() => {
    if (readiness.isReady()) everReady = true;
  });

  const metrics = registerHealthMetrics(metricsRegistry, options.version, readiness, uptimeSeconds);
  // Kept encoded: each of the many scrapes a second then writes the same bytes, no re-encoding.
  const exposition = new CachedExposition(async () => Buffer.from(await metricsRegistry.metrics()), {
    ...(options.metricsMaxAgeMs !== undefined ? { maxAgeMs: options.metricsMaxAgeMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });

  function authorised(req: IncomingMessage): boolean {
    return authToken === undefined || hasBearerToken(req.headers.authorization, authToken);
  }

  /** 'starting' until the registry was ready once; a later Discord outage stays 'healthy' (liveness). */
  function livenessStatus(ready: boolean): HealthBody['status'] {
    if (ready) everReady = true;
    return isShuttingDown() ? 'shutting_down' : everReady ? 'healthy' : 'starting';
  }

  function healthBody(): HealthBody {
    const sample = sampler.latest();
    const ready = readiness.isReady();
    const seconds = Math.floor(uptimeSeconds());
    return {
      status: livenessStatus(ready),
      uptime: formatUptime(seconds),
      uptime_seconds: seconds,
      memory_usage_mb: bytesToMb(sample.rssBytes),
      heap_used_mb: bytesToMb(sample.heapUsedBytes),
      cpu_percent: sample.cpuPercent,
      thread_count: sample.threadCount,
      ready,
      event_loop_delay_ms: sample.eventLoopDelayMs,
      version: options.version,
      shards: options.shardStates?.() ?? {},
      components: readiness.snapshot(),
      sampled_at: new Date(sample.takenAt).toISOString(),
    };
  }

  function send(res: ServerResponse, code: number, contentType: string, body: string | Buffer): void {
    res.writeHead(code, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    // For HEAD, node's ServerResponse drops the body and keeps the headers.
    res.end(body);
  }

  function sendJson(res: ServerResponse, code: number, body: unknown): void {
    send(res, code, JSON_TYPE, JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Route on the path only: `/health?probe=1` is `/health` (terminus would have matched the raw url).
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    if (!isRoute(path)) {
      metrics.requests.inc({ route: 'other', code: '404' });
      send(res, 404, 'text/plain; charset=utf-8', 'Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      metrics.requests.inc({ route: path, code: '405' });
      res.setHeader('Allow', ALLOW);
      send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
      return;
    }
    const code = await answer(path, req, res);
    metrics.requests.inc({ route: path, code: String(code) });
  }

  async function answer(route: Route, req: IncomingMessage, res: ServerResponse): Promise<number> {
    const shuttingDown = isShuttingDown();
    if (route === '/health') {
      const code = shuttingDown ? 503 : 200;
      if (!authorised(req)) {
        const ready = readiness.isReady();
        sendJson(res, code, { status: livenessStatus(ready), ready });
      } else {
        sendJson(res, code, healthBody());
      }
      return code;
    }
    if (route === '/ready') {
      if (readiness.isReady() && !shuttingDown) {
        sendJson(res, 200, { status: 'ready', components: readiness.snapshot() });
        return 200;
      }
      const reasons = readiness.failures();
      if (shuttingDown && reasons.shutdown === undefined) reasons.shutdown = 'shutting down';
      const entries = Object.entries(reasons);
      const reason =
        entries.length === 0
          ? 'no component has reported yet'
          : entries.map(([name, why]) => (why.startsWith(`${name}:`) ? why : `${name}: ${why}`)).join('; ');
      sendJson(res, 503, { status: 'not_ready', reason, reasons });
      return 503;
    }
    // /metrics stays open even with HEALTH_AUTH_TOKEN: it carries no user data (low-cardinality
    // labels only), and Prometheus scrapes via pod annotations cannot send a token. Restrict it
    // with the chart's NetworkPolicy instead.
    // One render per second at most, shared by every scraper (see CachedExposition).
    send(res, 200, metricsRegistry.contentType, await exposition.get());
    return 200;
  }

  // The server is created WITH its request listener (terminus trap: late listeners are not wrapped).
  const headersTimeoutMs = options.headersTimeoutMs ?? 5_000;
  const server = createServer(
    {
      // Slow or stuck clients must not pin sockets: headers within 5 s, the whole request within
      // 10 s. Node enforces both only when it sweeps connections (default every 30 s); sweep every
      // second so the limits mean what they say.
      headersTimeout: headersTimeoutMs,
      requestTimeout: Math.max(10_000, headersTimeoutMs),
      connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'health server request failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n');
        else res.destroy();
      });
    },
  );
  server.maxHeadersCount = 100;

  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let terminusInstalled = false;
  if (signals.length > 0) {
    const [first, ...rest] = signals;
    createTerminus(server, {
      healthChecks: {},
      signal: first,
      signals: rest,
      useExit0: true,
      timeout: options.drainTimeoutMs ?? 1000,
      beforeShutdown: options.beforeShutdown,
      onSignal: options.onSignal,
      onShutdown: options.onShutdown,
      logger: (message, error) => logger.error({ err: error }, `terminus: ${message}`),
    });
    terminusInstalled = true;
  }

  let boundPort: number | undefined;
  return {
    server,
    metricsRenders: () => exposition.renders,
    listen() {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          boundPort = (server.address() as AddressInfo).port;
          resolve(boundPort);
        });
      });
    },
    port() {
      if (boundPort === undefined) throw new Error('health server is not listening');
      return boundPort;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        const stoppable = server as Server & { stop?: (cb: (error?: Error) => void) => void };
        const done = (error?: Error) => (error ? reject(error) : resolve());
        if (terminusInstalled && stoppable.stop) stoppable.stop(done);
        else {
          server.close(done);
          server.closeIdleConnections();
        }
      });
    },
  };
}

interface HealthMetrics {
  requests: Counter<'route' | 'code'>;
}

/** The health server's own series; `badgey_ready` and uptime are read at scrape time. */
function registerHealthMetrics(
  registry: Registry,
  version: string,
  readiness: ReadinessRegistry,
  uptimeSeconds: () => number,
): HealthMetrics {
  const requests = new Counter({
    ...METRICS.healthRequestsTotal,
    registers: [registry],
  });
  new Gauge({
    ...METRICS.ready,
    registers: [registry],
    collect() {
      this.set(readiness.isReady() ? 1 : 0);
    },
  });
  new Gauge({
    ...METRICS.componentReady,
    registers: [registry],
    collect() {
      this.reset();
      for (const [component, status] of Object.entries(readiness.snapshot()))
        this.set({ component }, status.ready ? 1 : 0);
    },
  });
  new Gauge({
    ...METRICS.uptimeSeconds,
    registers: [registry],
    collect() {
      this.set(Math.floor(uptimeSeconds()));
    },
  });
  const buildInfo = new Gauge({
    ...METRICS.buildInfo,
    registers: [registry],
  });
  buildInfo.set({ version }, 1);
  return { requests };
}
