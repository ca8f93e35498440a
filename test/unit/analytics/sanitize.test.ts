import { describe, expect, it } from 'vitest';
import { formatUptime, sanitizeErrorDetails, sanitizeLabel } from '../../../src/analytics/index.js';

describe('formatUptime', () => {
  it('formats like the original bot', () => {
    // The seed's example pairs '2d 3h 45m 12s' with 183912 s, which is really 2d 3h 5m 12s.
    expect(formatUptime(186_312)).toBe('2d 3h 45m 12s');
    expect(formatUptime(183_912)).toBe('2d 3h 5m 12s');
    expect(formatUptime(0)).toBe('0d 0h 0m 0s');
    expect(formatUptime(59.9)).toBe('0d 0h 0m 59s');
    expect(formatUptime(3_600)).toBe('0d 1h 0m 0s');
    expect(formatUptime(-5)).toBe('0d 0h 0m 0s');
    expect(formatUptime(Number.NaN)).toBe('0d 0h 0m 0s');
  });
});

describe('sanitizeErrorDetails', () => {
  const token = `MTA${'a'.repeat(24)}.GhIjKl.${'Z'.repeat(30)}`;
  it.each([
    ['a Discord token', `token leaked ${token} here`, token],
    ['a Bot header', 'Authorization: Bot abc123.def', 'abc123.def'],
    ['a Bearer header', 'authorization: bearer eyJhbGciOi.x.y', 'eyJhbGciOi'],
    ['a URL password', 'postgres://badgey:s3cret@db:5432/badgey', 's3cret'],
    ['a password assignment', 'password=hunter2 user=x', 'hunter2'],
    ['a snowflake', 'user 123456789012345678 failed', '123456789012345678'],
  ])('removes %s', (_name, input, secret) => {
    const out = sanitizeErrorDetails(input);
    expect(out).not.toContain(secret);
  });

  it('keeps the first line only and caps the length', () => {
    expect(sanitizeErrorDetails('first line\nsecond\n  at foo (bar.ts:1:1)')).toBe('first line');
    expect(sanitizeErrorDetails('y'.repeat(5_000)).length).toBe(300);
  });

  it('describes errors and objects without their stack', () => {
    const error = new TypeError('bad thing');
    expect(sanitizeErrorDetails(error)).toBe('TypeError: bad thing');
    expect(sanitizeErrorDetails({ code: 'E1', stack: 'at x', nested: { a: 1 }, cause: error })).toBe(
      'code=E1 nested=[object] cause=TypeError: bad thing',
    );
    expect(sanitizeErrorDetails(undefined)).toBe('');
    expect(sanitizeErrorDetails(42)).toBe('42');
  });
});

describe('sanitizeLabel', () => {
  it('produces bounded lower_snake labels', () => {
    expect(sanitizeLabel('DatabaseError')).toBe('database_error');
    expect(sanitizeLabel('DiscordAPIError')).toBe('discord_api_error');
    expect(sanitizeLabel('quiz create')).toBe('quiz_create');
    expect(sanitizeLabel('  --weird!!name--  ')).toBe('weird_name');
    expect(sanitizeLabel('a'.repeat(100))).toHaveLength(40);
    expect(sanitizeLabel('')).toBe('unknown');
    expect(sanitizeLabel(17)).toBe('unknown');
  });
});
