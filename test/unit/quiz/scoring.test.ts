import { describe, expect, it } from 'vitest';
import { snowflakeAtMs, snowflakeTimestampMs } from '../../../src/components/snowflake.js';
import { scoreAnswer } from '../../../src/quiz/scoring.js';

describe('scoreAnswer', () => {
  const base = { points: 10, timerSeconds: 20, correct: true };

  it.each([
    ['at t = 0: full points', 0, 10],
    ['mid-timer (5 of 20 s): trunc(10 × 0.75) = 7, as the original', 5_000, 7],
    ['truncates, never rounds up (t = 1 ms)', 1, 9],
    ['at 19.5 s: trunc(0.25) = 0', 19_500, 0],
    ['at 18 s: exactly 1 (no float error: 10 × (1 − 0.9) is 0.999… in floating point)', 18_000, 1],
    ['at t = timer: 0', 20_000, 0],
    ['beyond the timer: 0, never negative', 45_000, 0],
    ['a click stamped before delivery (clock skew): full points', -250, 10],
  ])('%s', (_name, elapsedMs, expected) => {
    expect(scoreAnswer({ ...base, elapsedMs })).toBe(expected);
  });

  it('a wrong answer scores 0 even instantly', () => {
    expect(scoreAnswer({ ...base, correct: false, elapsedMs: 0 })).toBe(0);
  });

  it('scales with the question points', () => {
    expect(scoreAnswer({ points: 1000, timerSeconds: 30, elapsedMs: 10_000, correct: true })).toBe(666);
  });
});

describe('snowflakeTimestampMs', () => {
  it('reads the creation time of a real Discord id', () => {
    // Discord's documented example: 175928847299117063 was created 2016-04-30T11:18:25.796Z.
    expect(snowflakeTimestampMs('175928847299117063')).toBe(Date.parse('2016-04-30T11:18:25.796Z'));
  });

  it('round-trips ids minted for a time', () => {
    const ms = Date.UTC(2026, 10, 27, 21, 0, 0, 123);
    expect(snowflakeTimestampMs(snowflakeAtMs(ms, 7))).toBe(ms);
  });

  it('refuses what is not a snowflake', () => {
    expect(snowflakeTimestampMs('abc')).toBeNull();
    expect(snowflakeTimestampMs('')).toBeNull();
    expect(snowflakeTimestampMs('99999999999999999999')).toBeNull();
  });
});
