import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  bytesToMb,
  estimatedThreadCount,
  ProcessSampler,
  parseThreadCount,
} from '../../../src/health/ProcessSampler.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function procStatusFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'badgey-sampler-')), 'status');
  writeFileSync(path, content);
  return path;
}

describe('parseThreadCount', () => {
  it('reads the Threads: line of /proc/<pid>/status', () => {
    expect(parseThreadCount('Name:\tnode\nState:\tS (sleeping)\nThreads:\t11\nVmRSS:\t1 kB\n')).toBe(11);
  });
  it('is undefined when the file has no Threads: line', () => {
    expect(parseThreadCount('Name:\tnode\n')).toBeUndefined();
    expect(parseThreadCount('')).toBeUndefined();
  });
});

describe('estimatedThreadCount (no /proc)', () => {
  it('is the main thread plus the libuv threadpool size', () => {
    expect(estimatedThreadCount({ UV_THREADPOOL_SIZE: '8' })).toBe(9);
  });
  it('uses the libuv default of 4 when UV_THREADPOOL_SIZE is unset or invalid', () => {
    expect(estimatedThreadCount({})).toBe(5);
    expect(estimatedThreadCount({ UV_THREADPOOL_SIZE: 'lots' })).toBe(5);
    expect(estimatedThreadCount({ UV_THREADPOOL_SIZE: '0' })).toBe(5);
  });
});

describe('bytesToMb', () => {
  it('rounds to one decimal', () => {
    expect(bytesToMb(78.44 * 1024 * 1024)).toBe(78.4);
    expect(bytesToMb(0)).toBe(0);
  });
});

describe('ProcessSampler', () => {
  it('has a usable sample before the first background sample completes', () => {
    const sampler = new ProcessSampler({ readCpuPercent: () => new Promise<number>(() => {}) });
    const sample = sampler.latest();
    expect(sample.rssBytes).toBeGreaterThan(0);
    expect(sample.heapUsedBytes).toBeGreaterThan(0);
    expect(sample.threadCount).toBeGreaterThanOrEqual(1);
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(sampler.samplesTaken).toBe(0);
  });

  it('latest() answers at once while a sample is pending, and caches the sample once it lands', async () => {
    let resolveCpu: (value: number) => void = () => {};
    const sampler = new ProcessSampler({
      readCpuPercent: () => new Promise<number>((resolve) => (resolveCpu = resolve)),
      procStatusPath: procStatusFile('Threads:\t7\n'),
    });
    const before = sampler.latest();
    const pending = sampler.sampleNow();
    await sleep(20);
    expect(sampler.latest()).toBe(before);
    resolveCpu(12.34);
    const sample = await pending;
    expect(sampler.latest()).toBe(sample);
    expect(sample.cpuPercent).toBe(12.3);
    expect(sample.threadCount).toBe(7);
    expect(sample.threadCountSource).toBe('proc');
    expect(sampler.samplesTaken).toBe(1);
  });

  it('joins a sample already in flight instead of starting another', async () => {
    let calls = 0;
    const sampler = new ProcessSampler({
      readCpuPercent: async () => {
        calls += 1;
        await sleep(10);
        return 1;
      },
    });
    const [a, b] = await Promise.all([sampler.sampleNow(), sampler.sampleNow()]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
  });

  it('falls back to the documented estimate when /proc is absent', async () => {
    const sampler = new ProcessSampler({
      readCpuPercent: async () => 0,
      procStatusPath: '/nonexistent/status',
    });
    const sample = await sampler.sampleNow();
    expect(sample.threadCountSource).toBe('estimate');
    expect(sample.threadCount).toBe(estimatedThreadCount());
  });

  it('keeps the previous sample and reports the error when sampling fails', async () => {
    const errors: unknown[] = [];
    const sampler = new ProcessSampler({
      readCpuPercent: async () => {
        throw new Error('pidusage failed');
      },
      onError: (error) => errors.push(error),
    });
    const before = sampler.latest();
    await expect(sampler.sampleNow()).resolves.toBe(before);
    expect(errors).toHaveLength(1);
    expect(sampler.samplesTaken).toBe(0);
  });

  it('reads CPU from pidusage by default and threads from /proc/self/status on Linux', async () => {
    const sampler = new ProcessSampler();
    const sample = await sampler.sampleNow();
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(sample.cpuPercent)).toBe(true);
    // This suite runs on Linux (CI image, dev sandbox): the real /proc path must be used there.
    expect(sample.threadCountSource).toBe(process.platform === 'linux' ? 'proc' : 'estimate');
    expect(sample.threadCount).toBeGreaterThanOrEqual(1);
  });

  it('measures event-loop delay per window and resets it after each sample', async () => {
    const sampler = new ProcessSampler({ readCpuPercent: async () => 0, intervalMs: 60_000 });
    sampler.start();
    try {
      await sampler.sampleNow();
      await sleep(50);
      const blockedUntil = Date.now() + 200;
      while (Date.now() < blockedUntil) {
        // Busy-wait on purpose: a blocked event loop is what this measures.
      }
      await sleep(50);
      const blocked = await sampler.sampleNow();
      expect(blocked.eventLoopDelayMs.max).toBeGreaterThanOrEqual(150);
      expect(blocked.eventLoopDelayMs.p50).toBeLessThanOrEqual(blocked.eventLoopDelayMs.max);
      await sleep(50);
      const next = await sampler.sampleNow();
      expect(next.eventLoopDelayMs.max).toBeLessThan(blocked.eventLoopDelayMs.max);
    } finally {
      sampler.stop();
    }
  });

  it('takes the first sample at start() and then on its interval, until stop()', async () => {
    const sampler = new ProcessSampler({ readCpuPercent: async () => 0, intervalMs: 20 });
    sampler.start();
    sampler.start(); // idempotent
    try {
      await vi.waitFor(() => expect(sampler.samplesTaken).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    } finally {
      sampler.stop();
    }
    await sampler.sampleNow(); // settles a sample that was in flight when stop() ran
    const taken = sampler.samplesTaken;
    await sleep(100);
    expect(sampler.samplesTaken).toBe(taken);
  });
});
