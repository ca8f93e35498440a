import { describe, expect, it } from 'vitest';
import { positionBand, SessionQueue } from '../../../../src/quiz/session/SessionQueue.js';
import { FakeClock } from '../../../support/FakeClock.js';

describe('SessionQueue', () => {
  it('positionBand: exact to 10, tens to 100, then hundreds', () => {
    expect([1, 10, 11, 20, 21, 100, 101, 200, 201].map(positionBand)).toEqual([
      1, 10, 12, 12, 13, 20, 22, 22, 23,
    ]);
  });

  it('a 1,000-deep queue drains with place redraws linear in its length, not one per promotion', () => {
    // Issue 12: every promotion used to redraw every waiting member's place (a webhook PATCH
    // each): ~waiting²/2. Each member's place is now redrawn only when it leaves its band, at most
    // every 5 s (or when 30 s stale).
    const clock = new FakeClock();
    const lastShown = new Map<string, { position: number; atMs: number; count: number }>();
    const wrong: string[] = [];
    let redraws = 0;
    const queue: SessionQueue<string> = new SessionQueue<string>({
      clock,
      scheduler: clock,
      onPosition: (key, position) => {
        redraws++;
        const before = lastShown.get(key);
        const actual = queue.positionOf(key);
        if (position !== actual) wrong.push(`${key} shown ${position}, is ${actual}`);
        if (before && position >= before.position) wrong.push(`${key} went back to ${position}`);
        if (before && clock.now() - before.atMs < 5_000) wrong.push(`${key} redrawn within 5 s`);
        lastShown.set(key, { position, atMs: clock.now(), count: (before?.count ?? 0) + 1 });
      },
      onLeft: () => {},
    });
    const waiting = 1_000;
    for (let i = 0; i < waiting; i++)
      expect(queue.push(`w${i}`, `w${i}`, clock.now() + 3_600_000)).toBe(i + 1);
    const promoted: string[] = [];
    while (queue.size > 0) {
      clock.advance(87); // a slot frees now and then
      const next = queue.shift();
      if (next) promoted.push(next.item);
    }
    clock.advance(60_000);
    expect(promoted).toEqual(Array.from({ length: waiting }, (_, i) => `w${i}`));
    expect(wrong.slice(0, 5)).toEqual([]);
    // Was ~ waiting²/2 (≈ 500,000); bands + the 5 s minimum bound it to a few per member.
    expect(redraws).toBeLessThanOrEqual(10 * waiting);
    expect(Math.max(...[...lastShown.values()].map((v) => v.count))).toBeLessThanOrEqual(28);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('leaving is O(1) and the others keep their order; removeWhere empties it without redraws', () => {
    const clock = new FakeClock();
    const left: string[] = [];
    const queue = new SessionQueue<string>({
      clock,
      scheduler: clock,
      onPosition: () => {},
      onLeft: (item, reason) => left.push(`${item}:${reason}`),
    });
    for (const key of ['a', 'b', 'c', 'd']) queue.push(key, key, clock.now() + 1_000);
    expect(queue.remove('b', 'cancelled')).toBe(true);
    expect(queue.remove('b', 'cancelled')).toBe(false);
    expect(['a', 'c', 'd'].map((k) => queue.positionOf(k))).toEqual([1, 2, 3]);
    queue.removeWhere((item) => item !== 'c', 'shutdown');
    expect(queue.positionOf('c')).toBe(1);
    clock.advance(1_000);
    expect(left).toEqual(['b:cancelled', 'a:shutdown', 'd:shutdown', 'c:tokenAge']);
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
