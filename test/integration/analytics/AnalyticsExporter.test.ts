import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnalyticsLogger, AnalyticsStatistics } from '../../../src/analytics/index.js';
import {
  AnalyticsExporter,
  LATEST_FILE,
  loadOrCreateSalt,
  QuizAnalytics,
  registerExportMetrics,
} from '../../../src/analytics/index.js';
import type { Clock } from '../../../src/clock.js';

const flushLoop = fileURLToPath(new URL('./fixtures/flushLoop.ts', import.meta.url));

interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

function capturingLogger(): AnalyticsLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

class TestClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
}

function withoutUptime(s: AnalyticsStatistics) {
  const { uptime: _u, uptime_seconds: _s, ...rest } = s;
  return rest;
}

function populate(analytics: QuizAnalytics) {
  for (let i = 0; i < 200; i++) {
    analytics.recordQuizStart(String(300_000_000_000_000_000n + BigInt(i % 40)), i % 9, `g${i % 3}`);
    analytics.recordAnswer(i % 3 !== 0, 1 + (i % 15));
    if (i % 2)
      analytics.recordQuizCompletion(
        String(300_000_000_000_000_000n + BigInt(i % 40)),
        i % 9,
        40 + i,
        i % 30,
      );
    analytics.recordCommand('take_quiz', 0.01 * (1 + (i % 7)));
    analytics.recordDbQuery(0.0005 * (1 + (i % 5)));
    if (i % 25 === 0) analytics.recordError('db', `failed ${i}`);
  }
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'badgey-export-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('AnalyticsExporter', () => {
  it('accepts a pino logger (structural type)', () => {
    const logger: AnalyticsLogger = pino({ level: 'silent' });
    expect(typeof logger.info).toBe('function');
  });

  it('writes the latest file and restores the same statistics after a restart', async () => {
    const dir = join(root, 'analytics');
    const first = new QuizAnalytics({ salt: 'salt' });
    populate(first);
    const logger = capturingLogger();
    const exporter = new AnalyticsExporter({
      analytics: first,
      dir,
      intervalSeconds: 60,
      retention: 2,
      logger,
    });
    expect(await exporter.restore()).toEqual({ status: 'missing' });
    await exporter.flush();
    const file = JSON.parse(readFileSync(join(dir, LATEST_FILE), 'utf8'));
    expect(file).toMatchObject({ format: 'badgey-analytics', version: 1 });
    expect(file.statistics.quizzes_started).toBe(200);
    expect(new Date(file.exportedAt).toISOString()).toBe(file.exportedAt);
    expect(JSON.stringify(file)).not.toContain('300000000000000000');

    const second = new QuizAnalytics({ salt: 'salt' });
    const restorer = new AnalyticsExporter({
      analytics: second,
      dir,
      intervalSeconds: 60,
      retention: 2,
      logger,
    });
    const result = await restorer.restore();
    expect(result).toMatchObject({ status: 'restored', userDataRestored: true });
    expect(withoutUptime(second.getStatistics())).toEqual(withoutUptime(first.getStatistics()));
  });

  it('start() flushes at once; stop() writes a final export', async () => {
    const dir = join(root, 'analytics');
    const analytics = new QuizAnalytics({ salt: 'salt' });
    const health: boolean[] = [];
    const exporter = new AnalyticsExporter({
      analytics,
      dir,
      intervalSeconds: 3600,
      retention: 0,
      logger: capturingLogger(),
      onHealthChange: (ok) => health.push(ok),
    });
    expect(() => exporter.start()).toThrow(/before restore/);
    await exporter.restore();
    exporter.start();
    analytics.recordQuizStart('1', 1);
    await exporter.stop();
    const file = JSON.parse(readFileSync(join(dir, LATEST_FILE), 'utf8'));
    expect(file.statistics.quizzes_started).toBe(1);
    expect(health).toEqual([true]);
    // retention 0: no snapshots, only the latest file
    expect(readdirSync(dir)).toEqual([LATEST_FILE]);
  });

  it('flushes on every interval tick', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const dir = join(root, 'analytics');
      const clock = new TestClock(Date.UTC(2025, 0, 1, 0, 0, 0));
      const analytics = new QuizAnalytics({ salt: 'salt', clock });
      const exporter = new AnalyticsExporter({
        analytics,
        dir,
        intervalSeconds: 30,
        retention: 10,
        logger: capturingLogger(),
        clock,
      });
      await exporter.restore();
      const snapshots = () => readdirSync(dir).filter((name) => name !== LATEST_FILE);
      exporter.start(); // immediate flush at 00:00:00
      await vi.waitFor(() => expect(snapshots()).toHaveLength(1));
      for (let tick = 1; tick <= 2; tick++) {
        clock.ms += 30_000;
        vi.advanceTimersByTime(30_000); // the timer flushes at 00:00:30, then 00:01:00
        await vi.waitFor(() => expect(snapshots()).toHaveLength(1 + tick));
      }
      await exporter.stop(); // final flush, same second as the last tick
      expect(
        readdirSync(dir)
          .filter((name) => name !== LATEST_FILE)
          .sort(),
      ).toEqual([
        'analytics-20250101T000000Z.json',
        'analytics-20250101T000030Z.json',
        'analytics-20250101T000100Z.json',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('serialises concurrent flushes and leaves no temp files', async () => {
    const dir = join(root, 'analytics');
    const analytics = new QuizAnalytics({ salt: 'salt' });
    populate(analytics);
    const exporter = new AnalyticsExporter({
      analytics,
      dir,
      intervalSeconds: 60,
      retention: 3,
      logger: capturingLogger(),
    });
    await Promise.all(Array.from({ length: 20 }, () => exporter.flush()));
    expect(exporter.healthy).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, LATEST_FILE), 'utf8')).statistics.quizzes_started).toBe(200);
  });

  it('keeps only `retention` timestamped snapshots', async () => {
    const dir = join(root, 'analytics');
    const clock = new TestClock(Date.UTC(2025, 4, 6, 7, 8, 9));
    const analytics = new QuizAnalytics({ salt: 'salt', clock });
    const exporter = new AnalyticsExporter({
      analytics,
      dir,
      intervalSeconds: 60,
      retention: 3,
      logger: capturingLogger(),
      clock,
    });
    for (let i = 0; i < 6; i++) {
      analytics.recordQuizStart('1', i);
      await exporter.flush();
      clock.ms += 60_000;
    }
    const snapshots = readdirSync(dir)
      .filter((name) => name !== LATEST_FILE)
      .sort();
    expect(snapshots).toEqual([
      'analytics-20250506T071109Z.json',
      'analytics-20250506T071209Z.json',
      'analytics-20250506T071309Z.json',
    ]);
    const newest = JSON.parse(readFileSync(join(dir, snapshots[2]!), 'utf8'));
    expect(newest.statistics.quizzes_started).toBe(6);
  });

  it.each([
    ['truncated JSON', '{"format":"badgey-analytics","version":1,"stat', /invalid JSON/],
    ['a foreign file', JSON.stringify({ hello: 'world' }), /format/],
    ['a wrong version', JSON.stringify({ format: 'badgey-analytics', version: 99 }), /version 99/],
    [
      'a bad state',
      JSON.stringify({ format: 'badgey-analytics', version: 1, state: { version: 1 } }),
      /state is invalid/,
    ],
  ])('moves %s aside, logs a warning and starts empty', async (_name, content, reason) => {
    const dir = join(root, 'analytics');
    mkdirSync(dir);
    writeFileSync(join(dir, LATEST_FILE), content);
    const analytics = new QuizAnalytics({ salt: 'salt' });
    const logger = capturingLogger();
    const clock = new TestClock(Date.UTC(2025, 0, 2, 3, 4, 5));
    const exporter = new AnalyticsExporter({
      analytics,
      dir,
      intervalSeconds: 60,
      retention: 2,
      logger,
      clock,
    });
    const result = await exporter.restore();
    expect(result.status).toBe('corrupt');
    if (result.status !== 'corrupt') return;
    expect(result.reason).toMatch(reason);
    expect(result.movedTo).toBe(join(dir, `${LATEST_FILE}.corrupt-20250102T030405Z`));
    expect(readFileSync(result.movedTo!, 'utf8')).toBe(content);
    expect(existsSync(join(dir, LATEST_FILE))).toBe(false);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    expect(analytics.getStatistics().quizzes_started).toBe(0);
    await exporter.flush();
    expect(JSON.parse(readFileSync(join(dir, LATEST_FILE), 'utf8')).format).toBe('badgey-analytics');
  });

  it('falls back to the newest valid snapshot when the latest file is corrupt', async () => {
    const dir = join(root, 'analytics');
    const clock = new TestClock(Date.UTC(2025, 0, 1));
    const original = new QuizAnalytics({ salt: 'salt', clock });
    const exporter = new AnalyticsExporter({
      analytics: original,
      dir,
      intervalSeconds: 60,
      retention: 5,
      logger: capturingLogger(),
      clock,
    });
    original.recordQuizStart('1', 1);
    await exporter.flush();
    clock.ms += 1000;
    original.recordQuizStart('1', 1);
    await exporter.flush();
    writeFileSync(join(dir, LATEST_FILE), 'garbage');
    const restored = new QuizAnalytics({ salt: 'salt' });
    const result = await new AnalyticsExporter({
      analytics: restored,
      dir,
      intervalSeconds: 60,
      retention: 5,
      logger: capturingLogger(),
    }).restore();
    expect(result).toMatchObject({ status: 'restored', file: join(dir, 'analytics-20250101T000001Z.json') });
    expect(restored.getStatistics().quizzes_started).toBe(2);
  });

  it('a volume filled by its own snapshots frees itself: old snapshots pruned before writing, latest kept', async () => {
    // A real full disk: a 1 MiB tmpfs (root, as in CI; FAULT_TESTS_NO_TMPFS=1 skips where mounting
    // is impossible). Before the fix the prune ran only after a successful write, so once the
    // snapshots filled the volume every write failed and /ready stayed 503 for good.
    if (process.env.FAULT_TESTS_NO_TMPFS) return;
    const dir = join(root, 'analytics');
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    try {
      const clock = new TestClock(Date.UTC(2025, 4, 6, 7, 8, 9));
      const analytics = new QuizAnalytics({ salt: 'salt', clock });
      populate(analytics);
      const changes: boolean[] = [];
      const exporter = new AnalyticsExporter({
        analytics,
        dir,
        intervalSeconds: 60,
        retention: 3,
        logger: capturingLogger(),
        clock,
        onHealthChange: (ok) => changes.push(ok),
      });
      for (let i = 0; i < 4; i++) {
        clock.ms += 1000;
        await exporter.flush();
      }
      expect(readdirSync(dir).sort()).toHaveLength(4); // latest + 3 snapshots
      // Everything else on the volume fills it up to ENOSPC.
      const block = Buffer.alloc(4096, 1);
      expect(() => {
        for (;;) writeFileSync(join(dir, 'filler.bin'), block, { flag: 'a' });
      }).toThrow(/ENOSPC/);

      clock.ms += 1000;
      analytics.recordQuizStart('1', 1);
      await exporter.flush();
      expect(exporter.healthy, 'the export stayed failing on the full volume').toBe(true);
      expect(changes).toEqual([true]);
      const latest = JSON.parse(readFileSync(join(dir, LATEST_FILE), 'utf8'));
      expect(latest.exportedAt).toBe(new Date(clock.ms).toISOString());
      expect(readdirSync(dir).filter((name) => /^analytics-\d/.test(name))).toHaveLength(3);
    } finally {
      execFileSync('umount', ['-l', dir]);
    }
  });

  it('reports an unwritable directory once per state change and recovers', async () => {
    // A path under a regular file fails with ENOTDIR even for root (chmod would not stop root).
    const blocker = join(root, 'afile');
    writeFileSync(blocker, 'not a directory');
    const dir = join(blocker, 'analytics');
    const analytics = new QuizAnalytics({ salt: 'salt' });
    const logger = capturingLogger();
    const changes: Array<[boolean, string | undefined]> = [];
    const exporter = new AnalyticsExporter({
      analytics,
      dir,
      intervalSeconds: 60,
      retention: 2,
      logger,
      onHealthChange: (ok, reason) => changes.push([ok, reason]),
    });
    expect((await exporter.restore()).status).toBe('missing');
    for (let i = 0; i < 3; i++) await expect(exporter.flush()).resolves.toBeUndefined();
    expect(changes).toEqual([[false, `cannot write ${dir}: ENOTDIR`]]);
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(exporter.healthy).toBe(false);

    unlinkSync(blocker);
    mkdirSync(blocker);
    analytics.recordQuizStart('1', 1);
    await exporter.flush();
    await exporter.flush();
    expect(changes).toEqual([
      [false, `cannot write ${dir}: ENOTDIR`],
      [true, undefined],
    ]);
    expect(logger.lines.filter((line) => line.msg?.includes('writable again'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, LATEST_FILE), 'utf8')).statistics.quizzes_started).toBe(1);
  });

  it('exposes the last successful export time and the interval; a failing export leaves the time alone', async () => {
    const blocker = join(root, 'afile');
    writeFileSync(blocker, 'not a directory');
    const clock = new TestClock(1_800_000_000_000);
    const exporter = new AnalyticsExporter({
      analytics: new QuizAnalytics({ salt: 'salt' }),
      dir: join(blocker, 'analytics'),
      intervalSeconds: 300,
      retention: 0,
      logger: capturingLogger(),
      clock,
    });
    const registry = new Registry();
    registerExportMetrics(registry, exporter);
    const value = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;
    // Before any export the age counts from the exporter's creation.
    expect(await value('badgey_analytics_export_last_success_timestamp_seconds')).toBe(1_800_000_000);
    expect(await value('badgey_analytics_export_interval_seconds')).toBe(300);

    clock.ms += 600_000;
    await exporter.flush(); // ENOTDIR: not a success
    expect(await value('badgey_analytics_export_last_success_timestamp_seconds')).toBe(1_800_000_000);

    unlinkSync(blocker);
    mkdirSync(blocker);
    clock.ms += 300_000;
    await exporter.flush();
    expect(await value('badgey_analytics_export_last_success_timestamp_seconds')).toBe(1_800_000_900);
  });

  it('writes companion files beside the export; failing to produce them is logged once and is not an export failure', async () => {
    const dir = join(root, 'analytics');
    const logger = capturingLogger();
    const changes: boolean[] = [];
    let produce: () => Promise<{ name: string; data: Uint8Array }[]> = async () => [
      { name: 'charts-latest.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    ];
    const exporter = new AnalyticsExporter({
      analytics: new QuizAnalytics({ salt: 'salt' }),
      dir,
      intervalSeconds: 60,
      retention: 0,
      logger,
      onHealthChange: (ok) => changes.push(ok),
      companionFiles: () => produce(),
    });
    await exporter.restore();
    await exporter.flush();
    expect([...readFileSync(join(dir, 'charts-latest.png'))]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(existsSync(join(dir, LATEST_FILE))).toBe(true);

    produce = async () => {
      throw new Error('database unavailable');
    };
    await exporter.flush();
    await exporter.flush();
    expect(exporter.healthy).toBe(true);
    expect(changes).toEqual([true]);
    const warnings = logger.lines.filter(
      (line) => line.msg === 'analytics export: companion files not written',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toEqual({ err: 'database unavailable' });
    // The last good file stays; no temp files are left behind.
    expect(readdirSync(dir).sort()).toEqual([LATEST_FILE, 'charts-latest.png'].sort());
  });

  it('never leaves a partial latest file when the writer is SIGKILLed mid-run', async () => {
    const dir = join(root, 'analytics');
    let previousStarted = -1;
    let killedBeforeFirstWrite = 0;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', flushLoop, dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const restoredLine = await waitForLine(child, /^flushing$/, /^restored (\w+) (\d+)$/);
      // Each restart restores what the killed process last wrote completely.
      if (previousStarted >= 0) {
        expect(restoredLine?.[1]).toBe('restored');
        expect(Number(restoredLine?.[2])).toBeGreaterThanOrEqual(previousStarted);
      }
      // Kill at a pseudo-random moment: sometimes before the first write finishes, mostly during writes.
      await new Promise((resolve) => setTimeout(resolve, [0, 35, 120, 7, 260, 60][round]));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const latest = join(dir, LATEST_FILE);
      if (!existsSync(latest)) {
        expect(previousStarted, 'only a run before any complete write may leave no file').toBe(-1);
        killedBeforeFirstWrite++;
        continue;
      }
      const file = JSON.parse(readFileSync(latest, 'utf8'));
      expect(file.format).toBe('badgey-analytics');
      expect(statSync(latest).size).toBeGreaterThan(0);
      expect(file.statistics.quizzes_started).toBeGreaterThanOrEqual(previousStarted);
      previousStarted = file.statistics.quizzes_started;
    }
    expect(previousStarted).toBeGreaterThan(0);
    expect(killedBeforeFirstWrite).toBeLessThan(6);
    // Temp files of killed writers are removed by the next restore.
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-')).length).toBeLessThanOrEqual(2);
  });
});

describe('loadOrCreateSalt', () => {
  it('creates a 32-byte salt with mode 0600 once and reuses it', async () => {
    const dir = join(root, 'analytics');
    const salt = await loadOrCreateSalt(dir);
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, '.salt')).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSalt(dir)).toBe(salt);
  });

  it('refuses an empty salt file with a clear message', async () => {
    writeFileSync(join(root, '.salt'), '\n');
    await expect(loadOrCreateSalt(root)).rejects.toThrow(/too short/);
  });
});

/** Resolves with the match of `capture` once a line matching `until` is printed. */
function waitForLine(
  child: ChildProcess,
  until: RegExp,
  capture: RegExp,
): Promise<RegExpMatchArray | undefined> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let captured: RegExpMatchArray | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        captured = line.match(capture) ?? captured;
        if (until.test(line)) resolve(captured);
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
}
