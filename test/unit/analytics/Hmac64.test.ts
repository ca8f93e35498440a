import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hmac64 } from '../../../src/analytics/Hmac64.js';

function reference(key: string, message: string): [number, number] {
  const digest = createHmac('sha256', key).update(message, 'utf8').digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

describe('Hmac64', () => {
  it('matches node:crypto HMAC-SHA256 on known vectors (RFC 4231 case 2)', () => {
    const hmac = new Hmac64('Jefe');
    hmac.update('what do ya want for nothing?');
    // RFC 4231 test case 2: 5bdcc146bf60754e6a042426089575c7...
    expect(hmac.high).toBe(0x5bdcc146);
    expect(hmac.low).toBe(0xbf60754e);
  });

  it('matches node:crypto for any key and message (ASCII, Unicode, multi-block, empty)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }),
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 120 })),
        (key, message) => {
          const hmac = new Hmac64(key.length === 0 ? 'k' : key);
          hmac.update(message);
          expect([hmac.high, hmac.low]).toEqual(reference(key.length === 0 ? 'k' : key, message));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('matches node:crypto for snowflakes in sequence (state fully reset between calls)', () => {
    const hmac = new Hmac64('a-32-byte-hex-salt-0123456789abcdef0123456789abcdef0123456789abcdef');
    for (let i = 0; i < 1_000; i++) {
      const id = String(100_000_000_000_000_000n + BigInt(i * 7_919));
      hmac.update(id);
      expect([hmac.high, hmac.low]).toEqual(
        reference('a-32-byte-hex-salt-0123456789abcdef0123456789abcdef0123456789abcdef', id),
      );
    }
  });
});
