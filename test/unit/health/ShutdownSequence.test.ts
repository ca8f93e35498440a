// ShutdownSequence lives in src/shutdown.ts; its tests sit with the health tests because the
// sequence is the other half of the terminus wiring (readiness flips, then cleanup).
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadinessRegistry } from '../../../src/health/ReadinessRegistry.js';
import { SHUTDOWN_COMPONENT, ShutdownSequence } from '../../../src/shutdown.js';

interface LogLine {
  level: number;
  msg: string;
  step?: string;
  durationMs?: number;
  pendingStep?: string | null;
  failed?: string[];
}

function capturedLogger() {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, destination), lines };
}

function setup(overrides: { delaySeconds?: number; timeoutSeconds?: number } = {}) {
  const readiness = new ReadinessRegistry();
  readiness.report('discord', { ready: true });
  const { logger, lines } = capturedLogger();
  const exits: number[] = [];
  const sleeps: number[] = [];
  let releaseDelay: () => void = () => {};
  const sequence = new ShutdownSequence({
    logger,
    readiness,
    delaySeconds: overrides.delaySeconds ?? 2,
    timeoutSeconds: overrides.timeoutSeconds ?? 20,
    exit: (code) => exits.push(code),
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => (releaseDelay = resolve));
    },
  });
  return { sequence, readiness, lines, exits, sleeps, releaseDelay: () => releaseDelay() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ShutdownSequence', () => {
  it('flips readiness the moment shutdown begins, before the delay has passed', async () => {
    const { sequence, readiness, sleeps, releaseDelay, lines } = setup({ delaySeconds: 2 });
    expect(readiness.isReady()).toBe(true);
    const before = sequence.beforeShutdown();
    expect(sequence.isShuttingDown).toBe(true);
    expect(readiness.isReady()).toBe(false);
    expect(readiness.failures()).toEqual({ [SHUTDOWN_COMPONENT]: 'shutting down' });
    expect(sleeps).toEqual([2000]);
    expect(lines.map((line) => line.msg)).toEqual(['shutdown started']);
    releaseDelay();
    await before;
    await sequence.onShutdown();
  });

  it('skips the delay when it is 0', async () => {
    const { sequence, sleeps } = setup({ delaySeconds: 0 });
    await sequence.run();
    expect(sleeps).toEqual([]);
  });

  it('runs the steps in registration order, logging each with its duration, then completes', async () => {
    const { sequence, lines, exits } = setup({ delaySeconds: 0 });
    const ran: string[] = [];
    for (const name of [
      'stop-new-quizzes',
      'end-sessions',
      'flush-analytics',
      'destroy-discord',
      'close-database',
    ])
      sequence.addStep({
        name,
        run: async () => {
          ran.push(name);
        },
      });
    expect(sequence.stepNames()).toEqual([
      'stop-new-quizzes',
      'end-sessions',
      'flush-analytics',
      'destroy-discord',
      'close-database',
    ]);
    await sequence.run();
    expect(ran).toEqual([
      'stop-new-quizzes',
      'end-sessions',
      'flush-analytics',
      'destroy-discord',
      'close-database',
    ]);
    const stepLines = lines.filter((line) => line.msg === 'shutdown step done');
    expect(stepLines.map((line) => line.step)).toEqual(ran);
    for (const line of stepLines) expect(typeof line.durationMs).toBe('number');
    expect(lines[0]?.msg).toBe('shutdown started');
    expect(lines.at(-1)?.msg).toBe('shutdown complete');
    expect(exits).toEqual([]);
  });

  it('keeps running later steps when one fails, then rejects so terminus exits 1', async () => {
    const { sequence, lines } = setup({ delaySeconds: 0 });
    const ran: string[] = [];
    sequence.addStep({ name: 'flush-analytics', run: () => Promise.reject(new Error('disk full')) });
    sequence.addStep({ name: 'close-database', run: () => void ran.push('close-database') });
    await sequence.beforeShutdown();
    await expect(sequence.onSignal()).rejects.toThrow('shutdown steps failed: flush-analytics');
    expect(ran).toEqual(['close-database']);
    const failed = lines.find((line) => line.msg === 'shutdown step failed');
    expect(failed?.step).toBe('flush-analytics');
    expect(failed?.level).toBe(50);
    expect(lines.at(-1)).toMatchObject({ msg: 'shutdown finished with errors', failed: ['flush-analytics'] });
  });

  it('exits 1 through the watchdog when a step hangs past the timeout', async () => {
    vi.useFakeTimers();
    const { sequence, lines, exits } = setup({ delaySeconds: 0, timeoutSeconds: 5 });
    sequence.addStep({ name: 'destroy-discord', run: () => new Promise<void>(() => {}) });
    sequence.addStep({ name: 'close-database', run: async () => {} });
    void sequence.run();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
    const fatal = lines.find((line) => line.msg === 'shutdown timed out; exiting');
    expect(fatal).toMatchObject({ level: 60, pendingStep: 'destroy-discord' });
  });

  it('counts the delay against the watchdog (it is armed when the signal arrives)', async () => {
    vi.useFakeTimers();
    const { sequence, exits } = setup({ delaySeconds: 30, timeoutSeconds: 10 });
    void sequence.beforeShutdown(); // the injected sleep never resolves on its own
    await vi.advanceTimersByTimeAsync(10_000);
    expect(exits).toEqual([1]);
  });

  it('disarms the watchdog once shutdown completed', async () => {
    vi.useFakeTimers();
    const { sequence, exits } = setup({ delaySeconds: 0, timeoutSeconds: 5 });
    sequence.addStep({ name: 'close-database', run: async () => {} });
    await sequence.run();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(exits).toEqual([]);
  });

  it('ignores a second signal while shutting down', async () => {
    const { sequence, lines, sleeps, releaseDelay } = setup({ delaySeconds: 1 });
    const first = sequence.beforeShutdown();
    await sequence.beforeShutdown();
    expect(sleeps).toHaveLength(1);
    expect(lines.filter((line) => line.msg === 'shutdown started')).toHaveLength(1);
    releaseDelay();
    await first;
    await sequence.onShutdown();
  });
  it('gives up on a step after its own timeout and still runs the later steps', async () => {
    vi.useFakeTimers();
    const { sequence, lines, exits } = setup({ delaySeconds: 0, timeoutSeconds: 60 });
    const ran: string[] = [];
    sequence.addStep({ name: 'close-gateway', timeoutMs: 2_000, run: () => new Promise<void>(() => {}) });
    sequence.addStep({ name: 'flush-analytics', run: () => void ran.push('flush-analytics') });
    const done = sequence.run().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(String(await done)).toContain('shutdown steps failed: close-gateway');
    expect(ran).toEqual(['flush-analytics']);
    expect(lines.find((line) => line.msg === 'shutdown step failed')?.step).toBe('close-gateway');
    expect(exits).toEqual([]);
  });

  it('runs the steps once even when onSignal is called again', async () => {
    const { sequence } = setup({ delaySeconds: 0 });
    let runs = 0;
    sequence.addStep({ name: 'flush-analytics', run: () => void runs++ });
    await sequence.beforeShutdown();
    await Promise.all([sequence.onSignal(), sequence.onSignal()]);
    await sequence.onSignal();
    expect(runs).toBe(1);
  });

  it('exitAfterCleanup runs the steps without the delay and exits with the given code', async () => {
    const { sequence, readiness, sleeps, exits, lines } = setup({ delaySeconds: 30 });
    const ran: string[] = [];
    sequence.addStep({ name: 'close-gateway', run: () => Promise.reject(new Error('already closed')) });
    sequence.addStep({ name: 'flush-analytics', run: () => void ran.push('flush-analytics') });
    await sequence.exitAfterCleanup(78, 'Discord rejected the token');
    expect(sleeps).toEqual([]);
    expect(readiness.failures()).toEqual({ [SHUTDOWN_COMPONENT]: 'shutting down' });
    expect(ran).toEqual(['flush-analytics']);
    expect(exits).toEqual([78]);
    expect(lines[0]?.msg).toBe('shutdown started');
  });

  it('aborts its signal the moment shutdown begins, by signal or by exitAfterCleanup', async () => {
    const bySignal = setup({ delaySeconds: 2 });
    expect(bySignal.sequence.signal.aborted).toBe(false);
    const before = bySignal.sequence.beforeShutdown();
    expect(bySignal.sequence.signal.aborted).toBe(true);
    bySignal.releaseDelay();
    await before;

    const byFatal = setup();
    expect(byFatal.sequence.signal.aborted).toBe(false);
    await byFatal.sequence.exitAfterCleanup(78, 'Discord rejected the token');
    expect(byFatal.sequence.signal.aborted).toBe(true);
  });
});
