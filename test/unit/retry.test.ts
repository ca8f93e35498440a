import { describe, expect, it } from 'vitest';
import { retry } from '../../src/retry.js';

/** A fake clock whose sleep advances it, recording every wait. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe('retry', () => {
  it('doubles the wait up to the cap and returns the first success', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await retry(
      async (attempt) => {
        calls++;
        if (attempt < 6) throw new Error(`fail ${attempt}`);
        return 'done';
      },
      { initialDelayMs: 100, maxDelayMs: 500, sleep: time.sleep, now: time.now },
    );
    expect(result).toBe('done');
    expect(calls).toBe(6);
    expect(time.waits).toEqual([100, 200, 400, 500, 500]);
  });

  it('throws the last error after the last attempt, and a final error at once', async () => {
    const time = fakeTime();
    await expect(
      retry(
        async (attempt) => {
          throw new Error(`fail ${attempt}`);
        },
        { initialDelayMs: 10, attempts: 3, sleep: time.sleep, now: time.now },
      ),
    ).rejects.toThrow('fail 3');
    const final = fakeTime();
    await expect(
      retry(
        async () => {
          throw new Error('bad request');
        },
        { initialDelayMs: 10, retryIf: () => false, sleep: final.sleep, now: final.now },
      ),
    ).rejects.toThrow('bad request');
    expect(final.waits).toEqual([]);
  });

  it('gives up rather than wait past the deadline', async () => {
    const time = fakeTime();
    await expect(
      retry(
        async (attempt) => {
          throw new Error(`fail ${attempt}`);
        },
        { initialDelayMs: 100, deadline: 350, sleep: time.sleep, now: time.now },
      ),
    ).rejects.toThrow('fail 3');
    expect(time.waits).toEqual([100, 200]);
  });

  it('ends with the last error when a wait is aborted', async () => {
    const onRetry: number[] = [];
    await expect(
      retry(
        async (attempt) => {
          throw new Error(`fail ${attempt}`);
        },
        {
          initialDelayMs: 10,
          onRetry: (_error, attempt) => onRetry.push(attempt),
          sleep: async () => {
            throw new Error('aborted');
          },
        },
      ),
    ).rejects.toThrow('fail 1');
    expect(onRetry).toEqual([1]);
  });

  it('keeps jittered waits within ±jitter of the backoff', async () => {
    const time = fakeTime();
    await expect(
      retry(
        async () => {
          throw new Error('down');
        },
        { initialDelayMs: 1000, jitter: 0.2, attempts: 4, sleep: time.sleep, now: time.now },
      ),
    ).rejects.toThrow('down');
    expect(time.waits).toHaveLength(3);
    time.waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(800 * 2 ** i);
      expect(wait).toBeLessThanOrEqual(1200 * 2 ** i);
    });
  });
});
