import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, freePort, type LogLine } from '../support/botProcess.js';

// The real `node dist/main.js` (what `make run` runs) with Discord unreachable: DISCORD_API_URL
// points at a local port nobody listens on, so login keeps failing and retrying.
const ENTRY = resolve(import.meta.dirname, '../../dist/main.js');
const bots: BotProcess[] = [];

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
});

afterEach(async () => {
  while (bots.length > 0) await bots.pop()?.stop();
});

async function startUnreachable(env: Record<string, string> = {}): Promise<BotProcess> {
  const closedPort = await freePort();
  const bot = await BotProcess.start({
    env: {
      DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.dummy.token-for-tests',
      DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api`,
      SHUTDOWN_DELAY_SECONDS: '1',
      ...env,
    },
  });
  bots.push(bot);
  await bot.waitForLog((line) => line.msg === 'badgey started', 20_000);
  return bot;
}

interface ReadyBody {
  status: string;
  reason?: string;
  reasons?: Record<string, string>;
}
interface HealthBody {
  status: string;
  ready: boolean;
  uptime: string;
  thread_count: number;
}

const messages = (bot: BotProcess) => bot.logs.map((line) => line.msg);

describe('the bot process with Discord unreachable', () => {
  it('is alive (/health 200) but not ready (/ready 503 discord), and serves valid /metrics', async () => {
    const bot = await startUnreachable();
    const health = await bot.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'starting', ready: false });
    expect((health.body as HealthBody).uptime).toMatch(/^\d+d \d+h \d+m \d+s$/);
    expect((health.body as HealthBody).thread_count).toBeGreaterThan(1);

    const ready = await bot.get('/ready');
    expect(ready.status).toBe(503);
    const body = ready.body as ReadyBody;
    expect(body.status).toBe('not_ready');
    expect(body.reasons?.discord).toMatch(/^discord: (not connected|connecting)$/);

    // The SQLite database (DATABASE_URL in the temp dir) migrates and reports ready on its own.
    await bot.waitForLog(
      (line) => line.msg === 'readiness changed' && line.component === 'database' && line.ready === true,
    );
    const components = ((await bot.get('/health')).body as { components: Record<string, { ready: boolean }> })
      .components;
    expect(components.database).toEqual({ ready: true });
    expect(components.discord?.ready).toBe(false);

    // The whole process registry (defaults, analytics, gateway, health series) must lint clean.
    const metrics = await bot.get('/metrics');
    expect(metrics.status).toBe(200);
    const text = String(metrics.body);
    expect(text).toContain('badgey_ready 0');
    expect(text).toContain('badgey_build_info{version=');
    expect(execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' }).trim()).toBe('');

    // Still alive after a failed login was retried.
    await bot.waitForLog((line) => line.msg === 'Discord login failed; retrying', 10_000);
    expect((await bot.get('/health')).status).toBe(200);
    expect(bot.exitStatus).toBeUndefined();
  });

  it('on SIGTERM: /ready 503 during the delay, export written, steps logged, exit 0', async () => {
    const bot = await startUnreachable({ SHUTDOWN_DELAY_SECONDS: '2' });
    bot.signal('SIGTERM');
    // During the delay the server still answers, and says why it is not ready.
    let sawShutdown = false;
    while (!sawShutdown && !bot.exitStatus) {
      const ready = await bot.get('/ready');
      if (ready.status === undefined) break; // server already stopped listening
      expect(ready.status).toBe(503);
      sawShutdown = (ready.body as ReadyBody).reasons?.shutdown === 'shutting down';
    }
    expect(sawShutdown, bot.dump()).toBe(true);
    const health = await bot.get('/health');
    expect([503, undefined]).toContain(health.status);

    const exit = await bot.waitForExit(20_000);
    expect(exit, bot.dump()).toEqual({ code: 0, signal: null });

    const exportFile = JSON.parse(
      readFileSync(join(bot.dataDir, 'analytics', 'analytics-latest.json'), 'utf8'),
    );
    expect(exportFile).toMatchObject({ format: 'badgey-analytics', version: 1 });
    expect(typeof exportFile.statistics.quizzes_started).toBe('number');

    const log = messages(bot);
    const started = log.indexOf('shutdown started');
    const complete = log.indexOf('shutdown complete');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(complete).toBeGreaterThan(started);
    const steps = bot.logs
      .filter((line: LogLine) => line.msg === 'shutdown step done')
      .map((line) => line.step);
    // Gateway closed (no more interactions) before the final export; the database closes last.
    // (Steps added later, e.g. for quiz sessions, may sit between these.)
    const order = ['close-gateway', 'flush-analytics', 'close-database'].map((name) => steps.indexOf(name));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('on SIGINT: the same clean shutdown, exit 0', async () => {
    const bot = await startUnreachable({ SHUTDOWN_DELAY_SECONDS: '0' });
    bot.signal('SIGINT');
    expect(await bot.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    expect(messages(bot)).toContain('shutdown complete');
  });
});

describe('the analytics salt without ANALYTICS_SALT', () => {
  it('is saved once the export directory becomes writable, so the next run keeps the pseudonyms', async () => {
    // Before, the temporary salt of a run that started with an unwritable directory was never
    // saved: every restart changed every pseudonym and dropped the exported per-user data.
    const root = mkdtempSync(join(tmpdir(), 'badgey-salt-'));
    try {
      const blocker = join(root, 'volume');
      writeFileSync(blocker, 'not a directory yet'); // ENOTDIR even for root
      const dir = join(blocker, 'analytics');
      const env = { ANALYTICS_EXPORT_DIR: dir, ANALYTICS_EXPORT_INTERVAL: '5', LOG_LEVEL: 'info' };
      const first = await startUnreachable(env);
      await first.waitForLog((line) => /temporary one/.test(String(line.msg)));
      rmSync(blocker);
      mkdirSync(blocker);
      await first.waitForLog(
        (line) => line.msg === 'analytics salt saved (the directory is writable now)',
        15_000,
      );
      expect(statSync(join(dir, '.salt')).mode & 0o777).toBe(0o600);
      first.signal('SIGTERM');
      expect((await first.waitForExit(20_000)).code).toBe(0);

      const second = await startUnreachable(env);
      await second.waitForLog((line) => line.msg === 'analytics restore' && line.restore === 'restored');
      expect(messages(second).filter((msg) => /another salt|temporary/.test(String(msg)))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('start-up configuration errors', () => {
  async function exitOf(
    env: Record<string, string | undefined>,
  ): Promise<{ code: number | null; stderr: string }> {
    const bot = await BotProcess.start({ env });
    bots.push(bot);
    const exit = await bot.waitForExit(20_000);
    return { code: exit.code, stderr: bot.logs.map((line) => String(line.raw ?? '')).join('\n') };
  }

  it('exits 2 with one line naming each bad key', async () => {
    const { code, stderr } = await exitOf({
      DISCORD_TOKEN: 'x'.repeat(40),
      HEALTH_PORT: '80x',
      LOG_LEVEL: 'loud',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^HEALTH_PORT: .*\(from env\)$/m);
    expect(stderr).toMatch(/^LOG_LEVEL: .*\(from env\)$/m);
  });

  it('exits 2 naming HEALTH_HOST when it is no address (999.1.1.1) or not one of this machine', async () => {
    // Both exited 1 ("failed to start") after the HTTP server failed to bind.
    const invalid = await exitOf({ DISCORD_TOKEN: 'x'.repeat(40), HEALTH_HOST: '999.1.1.1' });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^HEALTH_HOST: must be an IP address or host name, got "999.1.1.1"/m);
    const elsewhere = await exitOf({ DISCORD_TOKEN: 'x'.repeat(40), HEALTH_HOST: '192.0.2.1' });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/^HEALTH_HOST: "192.0.2.1" is not an address of this machine/m);
  });

  it('exits 2 saying how to set DISCORD_TOKEN when it is missing', async () => {
    const { code, stderr } = await exitOf({ DISCORD_TOKEN: undefined });
    expect(code).toBe(2);
    expect(stderr).toContain('DISCORD_TOKEN is not set');
  });
});
