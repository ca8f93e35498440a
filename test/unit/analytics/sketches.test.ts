import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from '../../../src/analytics/HyperLogLog.js';
import { SpaceSaving } from '../../../src/analytics/SpaceSaving.js';

function hashOf(i: number): [number, number] {
  const digest = createHmac('sha256', 'hll-test').update(String(i)).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

describe('HyperLogLog', () => {
  it('is within 2% from small to 100k distinct values, and ignores repeats', () => {
    const hll = new HyperLogLog();
    expect(hll.estimate()).toBe(0);
    const checkpoints = new Set([1, 10, 100, 1_000, 10_000, 40_000, 70_000, 100_000]);
    for (let i = 1; i <= 100_000; i++) {
      const [high, low] = hashOf(i);
      hll.add(high, low);
      if (i % 3 === 0) hll.add(high, low); // repeats must not count
      if (checkpoints.has(i)) expect(Math.abs(hll.estimate() - i) / i, `at ${i}`).toBeLessThan(0.02);
    }
  });

  it('round-trips its registers and rejects foreign ones', () => {
    const hll = new HyperLogLog();
    for (let i = 0; i < 5_000; i++) hll.add(...hashOf(i));
    const copy = new HyperLogLog();
    copy.loadBase64(hll.toBase64());
    expect(copy.estimate()).toBe(hll.estimate());
    expect(() => copy.loadBase64('AAAA')).toThrow(/expected 16384 bytes/);
    expect(() => copy.loadBase64(Buffer.alloc(16_384, 99).toString('base64'))).toThrow(/out of range/);
  });
});

describe('SpaceSaving', () => {
  it('is exact while distinct keys stay within capacity', () => {
    const summary = new SpaceSaving(100);
    const truth = new Map<string, number>();
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48_271) % 2_147_483_647;
      const key = `k${seed % 100}`;
      summary.offer(key);
      truth.set(key, (truth.get(key) ?? 0) + 1);
    }
    expect(summary.exact).toBe(true);
    for (const [key, count] of truth) expect(summary.count(key)).toBe(count);
    const expected = [...truth].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    expect(summary.top(10).map((e) => [e.key, e.count])).toEqual(expected);
  });

  it('finds the heavy hitters over capacity, with honest over-count bounds', () => {
    const summary = new SpaceSaving(50);
    const truth = new Map<string, number>();
    const offer = (key: string) => {
      summary.offer(key);
      truth.set(key, (truth.get(key) ?? 0) + 1);
    };
    // 10 heavy keys (Zipf-like) drowned in 20k one-off keys.
    for (let round = 0; round < 200; round++) {
      for (let h = 1; h <= 10; h++) for (let n = 0; n < 11 - h; n++) offer(`heavy${h}`);
      for (let n = 0; n < 100; n++) offer(`noise${round}-${n}`);
    }
    expect(summary.exact).toBe(false);
    expect(summary.size).toBe(50);
    // Space-Saving guarantees every key with a true count > N/capacity (here heavy1..heavy7).
    const total = [...truth.values()].reduce((x, y) => x + y, 0);
    const guaranteed = [...truth].filter(([, count]) => count > total / 50).map(([key]) => key);
    expect(guaranteed.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `heavy${i + 1}`).sort());
    const top = summary.top(guaranteed.length);
    expect(top.map((e) => e.key).sort()).toEqual(guaranteed.sort());
    expect(top[0]!.key).toBe('heavy1');
    for (const entry of summary.top(50)) {
      const real = truth.get(entry.key)!;
      expect(entry.count).toBeGreaterThanOrEqual(real);
      expect(entry.count - entry.maxOvercount).toBeLessThanOrEqual(real);
    }
  });

  it('serialises and reloads, keeping the largest when capacity shrinks', () => {
    const summary = new SpaceSaving(10);
    for (let k = 1; k <= 10; k++) for (let n = 0; n < k; n++) summary.offer(`k${k}`);
    const copy = new SpaceSaving(10);
    copy.load(summary.entries());
    expect(copy.top(10)).toEqual(summary.top(10));
    copy.offer('k1');
    expect(copy.count('k1')).toBe(2);
    const smaller = new SpaceSaving(3);
    smaller.load(summary.entries());
    expect(smaller.top(5).map((e) => e.key)).toEqual(['k10', 'k9', 'k8']);
    expect(smaller.exact).toBe(false);
  });
});
