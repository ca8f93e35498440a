import { connect } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../src/health/createMetricsRegistry.js';
import { createHealthServer, type HealthServer } from '../../src/health/HealthServer.js';
import { ProcessSampler } from '../../src/health/ProcessSampler.js';
import { ReadinessRegistry } from '../../src/health/ReadinessRegistry.js';
import { checkProperty, FUZZ_RUNS, fuzzTimeout } from './fuzzHarness.js';

// Invariant: whatever bytes a client sends to the health port, and however slowly, the server
// answers with an HTTP status (never a 5xx from a crashed handler) or closes that connection, and
// keeps answering GET /health 200 afterwards. Every socket is bounded by a timeout: a connection
// the server neither answers nor closes in time fails the property as a hang.

const HEADERS_TIMEOUT_MS = 300;
const SOCKET_BOUND_MS = 4_000;

let health: HealthServer;
let port: number;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  const readiness = new ReadinessRegistry();
  readiness.report('discord', { ready: true });
  readiness.report('database', { ready: true });
  const sampler = new ProcessSampler({ readCpuPercent: async () => 1 });
  await sampler.sampleNow();
  health = createHealthServer({
    port: 0,
    host: '127.0.0.1',
    readiness,
    metricsRegistry: createMetricsRegistry(),
    sampler,
    version: 'fuzz',
    logger: pino({ level: 'silent' }),
    signals: [],
    authToken: 'fuzz-health-token',
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
  });
  port = await health.listen();
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  health.server.closeAllConnections();
  await health.close();
});

type Delivery = { kind: 'whole' } | { kind: 'chunks'; cuts: number[] } | { kind: 'bytes' };

interface Exchange {
  received: string;
  closedByServer: boolean;
}

function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sends `payload` as told, half-closes unless `stall`, and collects the answer until the server closes. */
function exchange(payload: Buffer, delivery: Delivery, stall: boolean): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks).toString('latin1'), closedByServer });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(
        new Error(
          `server neither answered nor closed within ${SOCKET_BOUND_MS} ms (stall=${stall}); got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))}`,
        ),
      );
    }, SOCKET_BOUND_MS);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // A stalled client that already got its answer (e.g. headers complete, body pending: the
      // server answers at once and waits up to its 10 s request timeout for the rest) is done.
      if (stall && /^HTTP\/1\.[01] \d{3} [^\r\n]*\r\n/.test(Buffer.concat(chunks).toString('latin1')))
        finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    // A reset (the server destroying a bad connection mid-write) is a close, not a failure.
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      try {
        if (delivery.kind === 'whole') socket.write(payload);
        else if (delivery.kind === 'bytes') {
          for (const byte of payload) {
            if (socket.destroyed) return;
            socket.write(Buffer.of(byte));
            await pause();
          }
        } else {
          let at = 0;
          for (const cut of [...delivery.cuts.map((c) => c % (payload.length + 1))].sort((a, b) => a - b)) {
            if (socket.destroyed) return;
            socket.write(payload.subarray(at, cut));
            at = cut;
            await pause();
          }
          if (!socket.destroyed) socket.write(payload.subarray(at));
        }
        if (!stall && !socket.destroyed) socket.end();
      } catch {
        finish(true);
      }
    });
  });
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const methodArb = fc.oneof(
  fc.constantFrom(
    'GET',
    'HEAD',
    'OPTIONS',
    'TRACE',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'CONNECT',
    'PRI',
    'get',
    'BREW',
    '',
  ),
  token,
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const targetArb = fc.oneof(
  fc.constantFrom(
    '/health',
    '/ready',
    '/metrics',
    '/health?x=1',
    '/health#f',
    '*',
    '//health',
    '/health/',
    '/HEALTH',
    'http://evil/health',
    'localhost:80',
    '/%zz%ff',
    '/..%2f..%2fetc/passwd',
    `/${'a'.repeat(9000)}`,
    '',
    ' ',
    '/\u00e9',
  ),
  fc.webPath(),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const versionArb = fc.constantFrom(
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/2.0',
  'HTTP/0.9',
  'HTTP/1.1x',
  'http/1.1',
  '',
  'HTTP/11.1',
);
const headerArb = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'Host',
      'Content-Length',
      'Transfer-Encoding',
      'Connection',
      'Authorization',
      'Expect',
      'Upgrade',
      'Content-Type',
    ),
    fc.oneof(
      fc.constantFrom(
        'x',
        '0',
        '-1',
        '5',
        '99999999999999999999',
        'chunked',
        'gzip, chunked',
        'close',
        'keep-alive',
        'upgrade',
        '100-continue',
        'websocket',
        'Bearer fuzz-health-token',
        'Bearer wrong',
        '',
      ),
      fc.string({ maxLength: 20 }),
    ),
  ),
  fc.tuple(token, fc.string({ unit: 'binary', maxLength: 30 })),
);
const bodyArb = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 50 }),
  fc.constantFrom('0\r\n\r\n', 'zz\r\nx\r\n', '5\r\nab'),
);

const requestArb = fc
  .record({
    method: methodArb,
    target: targetArb,
    version: versionArb,
    headers: fc.array(headerArb, { maxLength: 6 }),
    withHost: fc.boolean(),
    hugeHeaderKb: fc.option(fc.integer({ min: 8, max: 64 }), { freq: 8 }),
    manyHeaders: fc.option(fc.integer({ min: 90, max: 400 }), { freq: 15 }),
    lineEnd: fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r'),
    body: bodyArb,
  })
  .map((r) => {
    const lines = [`${r.method} ${r.target} ${r.version}`.replace(/ $/, '')];
    if (r.withHost) lines.push('Host: 127.0.0.1');
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
    if (r.hugeHeaderKb) lines.push(`X-Huge: ${'h'.repeat(r.hugeHeaderKb * 1024)}`);
    if (r.manyHeaders) for (let i = 0; i < r.manyHeaders; i++) lines.push(`X-H${i}: ${i}`);
    return `${lines.join(r.lineEnd)}${r.lineEnd}${r.lineEnd}${r.body}`;
  });

const payloadArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(requestArb, { minLength: 1, maxLength: 3 })
      .map((requests) => Buffer.from(requests.join(''), 'latin1')),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /ready HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-health-token\r\n\r\n',
        'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
        '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000',
        'GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
      )
      .map((text) => Buffer.from(text, 'latin1')),
  },
);

/** Well-formed requests, to be cut short: the server must time the rest out, not wait forever. */
const validRequestArb = fc
  .record({
    method: fc.constantFrom('GET', 'HEAD', 'POST'),
    path: fc.constantFrom('/health', '/ready', '/metrics', '/nope'),
    extra: fc.array(fc.tuple(token, fc.string({ unit: fc.constantFrom(...'abc xyz019'), maxLength: 20 })), {
      maxLength: 4,
    }),
    body: fc.constantFrom('', 'Content-Length: 10\r\n\r\n12345', 'Transfer-Encoding: chunked\r\n\r\n5\r\nab'),
  })
  .map(({ method, path, extra, body }) => {
    const headers = extra.map(([name, value]) => `X-${name}: ${value}\r\n`).join('');
    return Buffer.from(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}${body || '\r\n'}`,
      'latin1',
    );
  });

const deliveryArb: fc.Arbitrary<Delivery> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'whole' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.nat(), { minLength: 1, maxLength: 8 })
      .map((cuts) => ({ kind: 'chunks' as const, cuts })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'bytes' as const }) },
);

function assertAnswered(result: Exchange): void {
  const { received } = result;
  if (received.length > 0 && !/^HTTP\/1\.[01] \d{3} /.test(received))
    throw new Error(`answer is not an HTTP response: ${JSON.stringify(received.slice(0, 120))}`);
  if (/HTTP\/1\.[01] 5\d\d /.test(received) && !/HTTP\/1\.[01] 503 /.test(received))
    throw new Error(`server error: ${JSON.stringify(received.slice(0, 200))}`);
}

async function assertStillServing(): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/health`, {
    signal: AbortSignal.timeout(SOCKET_BOUND_MS),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`/health answered ${res.status} after the case`);
  if (!health.server.listening) throw new Error('the server stopped listening');
  if (uncaught.length > 0) throw new Error(`uncaught exception: ${String(uncaught[0])}`);
}

describe('fuzz: raw HTTP to the health port', () => {
  it(
    'odd methods, garbage request lines, huge headers, bad URLs, pipelining, slow writers → a status or a close, then /health 200',
    async () => {
      await checkProperty(
        'health HTTP: raw requests',
        fc.asyncProperty(payloadArb, deliveryArb, async (payload, delivery) => {
          // Byte-at-a-time only for short payloads (a 64 KB header one byte per tick is just slow).
          const how =
            delivery.kind === 'bytes' && payload.length > 400 ? { kind: 'whole' as const } : delivery;
          assertAnswered(await exchange(payload, how, false));
          await assertStillServing();
        }),
        { timeout: SOCKET_BOUND_MS * 2 },
      );
    },
    fuzzTimeout(30),
  );

  it(
    'clients that send part of a request and stall → an answer (408 for unfinished headers) or a close, then /health 200',
    async () => {
      await checkProperty(
        'health HTTP: stalled clients',
        fc.asyncProperty(
          fc.oneof({ weight: 4, arbitrary: validRequestArb }, payloadArb),
          fc.nat(),
          async (payload, cutAt) => {
            const partial = payload.subarray(0, cutAt % Math.max(1, payload.length));
            const result = await exchange(partial, { kind: 'bytes' }, true);
            assertAnswered(result);
            // Answered with a status, or closed: never left hanging.
            expect(result.closedByServer || result.received.startsWith('HTTP/1.')).toBe(true);
            await assertStillServing();
          },
        ),
        // Each case waits for the server's header timeout (~0.3-0.6 s): fewer cases than the others.
        // No shrinking: each step would wait out the bound again.
        {
          numRuns: Math.max(5, Math.round(FUZZ_RUNS / 200)),
          timeout: SOCKET_BOUND_MS * 2,
          endOnFailure: true,
        },
      );
    },
    fuzzTimeout(60),
  );
});
