import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_MAX_LENGTH, encodeCustomId, parseCustomId } from '../../../src/components/customId.js';

describe('customId', () => {
  it('round-trips handler, action and arguments containing the separator and the escape', () => {
    const id = encodeCustomId('quiz-answer', 'pick', 'a:b', '100%', 42);
    expect(id).toBe('bdg1:quiz-answer:pick:a%3Ab:100%25:42');
    expect(parseCustomId(id)).toEqual({
      ok: true,
      value: { handler: 'quiz-answer', action: 'pick', args: ['a:b', '100%', '42'] },
    });
  });

  it('round-trips any short argument list (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }), (args) => {
        const parsed = parseCustomId(encodeCustomId('h', 'a', ...args));
        expect(parsed).toEqual({ ok: true, value: { handler: 'h', action: 'a', args } });
      }),
    );
  });

  it('reports ids from another scheme (the first Badgey used "answer:4") as unknownVersion', () => {
    expect(parseCustomId('answer:4')).toEqual({
      ok: false,
      error: { kind: 'unknownVersion', version: 'answer' },
    });
    expect(parseCustomId('')).toMatchObject({ ok: false, error: { kind: 'unknownVersion' } });
    expect(parseCustomId('bdg0:quiz:next')).toMatchObject({ ok: false, error: { kind: 'unknownVersion' } });
  });

  it('reports truncated or tampered ids as malformed instead of throwing', () => {
    for (const id of [
      'bdg1',
      'bdg1:',
      'bdg1:quiz',
      'bdg1:Quiz:next',
      'bdg1:quiz:',
      'bdg1:quiz:next:%zz',
      'bdg1:quiz:next:%',
    ]) {
      expect(parseCustomId(id), id).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    }
  });

  it('refuses to build an id Discord would reject (over 100 characters)', () => {
    expect(() => encodeCustomId('quiz', 'answer', 'x'.repeat(CUSTOM_ID_MAX_LENGTH))).toThrow(RangeError);
    expect(() => encodeCustomId('Quiz', 'answer')).toThrow(RangeError);
  });
});
