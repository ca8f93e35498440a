import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PSEUDONYM_CACHE_SIZE, Pseudonymizer } from '../../../src/analytics/Pseudonymizer.js';

function reference(key: string, message: string): { pseudonym: string; hashHigh: number; hashLow: number } {
  const digest = createHmac('sha256', key).update(message, 'utf8').digest();
  return {
    pseudonym: digest.subarray(0, 8).toString('hex'),
    hashHigh: digest.readUInt32BE(0),
    hashLow: digest.readUInt32BE(4),
  };
}

describe('Pseudonymizer', () => {
  it('is the first 64 bits of HMAC-SHA256(salt, id) (RFC 4231 case 2)', () => {
    expect(new Pseudonymizer('Jefe').pseudonymize('what do ya want for nothing?')).toEqual({
      pseudonym: '5bdcc146bf60754e',
      hashHigh: 0x5bdcc146,
      hashLow: 0xbf60754e,
    });
  });

  it('gives the same answer from the cache as computed, for any salt and id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), fc.string({ maxLength: 120 }), (salt, id) => {
        const pseudonymizer = new Pseudonymizer(salt);
        expect(pseudonymizer.pseudonymize(id)).toEqual(reference(salt, id));
        expect(pseudonymizer.pseudonymize(id)).toEqual(reference(salt, id));
      }),
      { numRuns: 1_000 },
    );
  });

  it('stays correct past the cache bound (evicted ids are recomputed, not confused)', () => {
    const salt = 'a-32-byte-hex-salt-0123456789abcdef0123456789abcdef0123456789abcdef';
    const pseudonymizer = new Pseudonymizer(salt);
    const ids = Array.from({ length: PSEUDONYM_CACHE_SIZE * 2 }, (_, i) =>
      String(100_000_000_000_000_000n + BigInt(i * 7_919)),
    );
    for (const id of ids) pseudonymizer.pseudonymize(id);
    for (const id of [ids[0]!, ids[ids.length - 1]!, ids[PSEUDONYM_CACHE_SIZE]!]) {
      expect(pseudonymizer.pseudonymize(id)).toEqual(reference(salt, id));
    }
  });

  it('refuses an empty salt', () => {
    expect(() => new Pseudonymizer('')).toThrow('analytics salt must be a non-empty string');
  });
});
