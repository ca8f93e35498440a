import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../support/FakeClock.js';

describe('FakeClock', () => {
  it('fires due timers in due order, with now() at each due time, including timers they schedule', () => {
    const clock = new FakeClock(1_000);
    const fired: string[] = [];
    clock.schedule(300, () => fired.push(`b@${clock.now()}`));
    clock.schedule(100, () => {
      fired.push(`a@${clock.now()}`);
      clock.schedule(50, () => fired.push(`c@${clock.now()}`));
    });
    clock.schedule(100, () => fired.push(`a2@${clock.now()}`));
    const cancel = clock.schedule(200, () => fired.push('cancelled'));
    cancel();
    clock.advance(299);
    expect(fired).toEqual(['a@1100', 'a2@1100', 'c@1150']);
    expect(clock.now()).toBe(1_299);
    clock.advance(1);
    expect(fired.at(-1)).toBe('b@1300');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses to go back in time', () => {
    expect(() => new FakeClock().advance(-1)).toThrow(RangeError);
  });
});
