/**
 * Cross-checks the chart against the real bot: `node dist/main.js` started with the config file
 * taken from the rendered ConfigMap answers every probe path the chart renders, on the port the
 * chart's named `http` port resolves to (HEALTH_PORT from that same file), and shuts down cleanly
 * inside the chart's terminationGracePeriodSeconds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { BotProcess, freePort } from '../support/botProcess.js';
import { ensureK8sTools, findObject, type K8sObject, REPO_ROOT, renderChart } from './helm.js';

interface HttpGetProbe {
  httpGet: { path: string; port: string | number };
}
interface RenderedContainer {
  ports: { name: string; containerPort: number }[];
  startupProbe: HttpGetProbe;
  livenessProbe: HttpGetProbe;
  readinessProbe: HttpGetProbe;
}
interface RenderedWorkload extends K8sObject {
  spec: { template: { spec: { containers: RenderedContainer[]; terminationGracePeriodSeconds: number } } };
}

const objects = (() => {
  ensureK8sTools();
  return renderChart();
})();
const deployment = findObject(objects, 'Deployment') as RenderedWorkload;
const container = deployment.spec.template.spec.containers[0]!;
const configFile = parseYaml(
  (findObject(objects, 'ConfigMap') as K8sObject & { data: Record<string, string> }).data['config.yaml']!,
) as Record<string, unknown>;

/** The container port a probe targets (a named port resolves through `ports`). */
function probePort(probe: HttpGetProbe): number {
  const { port } = probe.httpGet;
  if (typeof port === 'number') return port;
  const named = container.ports.find((entry) => entry.name === port);
  if (!named) throw new Error(`probe port ${port} is not a container port`);
  return named.containerPort;
}

/** True when dist/main.js is missing or older than a file in src/ (`make test` builds first). */
function distIsStale(): boolean {
  const main = join(REPO_ROOT, 'dist/main.js');
  if (!existsSync(main)) return true;
  const builtAt = statSync(main).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) =>
      entry.isDirectory() ? newer(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs > builtAt,
    );
  return newer(join(REPO_ROOT, 'src'));
}

let bot: BotProcess;
let configDir: string;
let port: number;

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
  if (distIsStale()) {
    // esbuild bundles even with type errors (those fail `make lint`); this test needs the built bot.
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (build.status !== 0)
      console.warn(`[chart cross-check] the build failed:\n${build.stdout}${build.stderr}`);
  }
  // The rendered config file, as the pod sees it, except the port: the chart's 8080 may be taken
  // here, so the file gets a free one (the bot must read HEALTH_PORT from the file: no env override).
  port = await freePort();
  configDir = mkdtempSync(join(tmpdir(), 'badgey-chart-app-'));
  const configPath = join(configDir, 'config.yaml');
  writeFileSync(configPath, stringifyYaml({ ...configFile, HEALTH_PORT: port }));
  const closedPort = await freePort(); // nothing listens there: Discord is unreachable
  bot = await BotProcess.start({
    env: {
      BADGEY_CONFIG: configPath,
      HEALTH_PORT: undefined,
      DISCORD_TOKEN: 'chart-cross-check-token',
      DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api`,
      // /data is the pod's volume; here the bot's temp dir stands in (BotProcess sets
      // DATABASE_URL and ANALYTICS_EXPORT_DIR there). A short delay keeps the test quick.
      SHUTDOWN_DELAY_SECONDS: '1',
    },
  });
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('the running bot serves what the chart probes', () => {
  it('every probe targets HEALTH_PORT of the mounted config file', () => {
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(probePort(probe)).toBe(configFile.HEALTH_PORT);
    }
  });

  it('startup and liveness paths answer 200 while Discord is unreachable', async () => {
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      if (bot.exitStatus) throw new Error(`bot exited: ${JSON.stringify(bot.exitStatus)}\n${bot.dump()}`);
      status = await get(container.startupProbe.httpGet.path).then(
        (answer) => answer.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status, bot.dump()).toBe(200);
    expect((await get(container.livenessProbe.httpGet.path)).status).toBe(200);
  });

  it('the readiness path is served and says 503 (not ready) without Discord', async () => {
    const answer = await get(container.readinessProbe.httpGet.path);
    expect(answer.status).toBe(503);
  });

  it('the metrics path scraped by the ServiceMonitor and annotations is served and passes promtool', async () => {
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('badgey_');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metrics.body, encoding: 'utf8' });
    expect(promtool.error, 'promtool missing: run scripts/test-deps.sh').toBeUndefined();
    expect(promtool.stdout + promtool.stderr).toBe('');
    expect(promtool.status).toBe(0);
  });

  it('an unknown path is 404, so a probe path typo would show', async () => {
    expect((await get('/healthz')).status).toBe(404);
  });

  it('SIGTERM: readiness flips to not ready, then the bot exits 0 within terminationGracePeriodSeconds', async () => {
    const graceMs = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
    bot.signal('SIGTERM');
    await bot.waitForLog((line) => line.msg === 'shutdown started', 5_000);
    expect(
      bot.logs.some((line) => line.component === 'shutdown' && line.ready === false),
      'no "readiness changed" to not ready for the shutdown component',
    ).toBe(true);
    const exit = await bot.waitForExit(graceMs);
    expect(exit, bot.dump()).toEqual({ code: 0, signal: null });
    expect(bot.logs.some((line) => line.msg === 'shutdown complete')).toBe(true);
  });
});
