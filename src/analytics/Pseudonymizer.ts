import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** A user as analytics stores it: a keyed-hash pseudonym and the hash bits for the distinct counter. */
export interface PseudonymousUser {
  /** First 16 hex characters (64 bits) of HMAC-SHA256(salt, id). */
  readonly pseudonym: string;
  /** First 32 bits of the HMAC (unsigned). */
  readonly hashHigh: number;
  /** Next 32 bits of the HMAC (unsigned). */
  readonly hashLow: number;
}

/** Pseudonyms kept in memory: bounds the cache (a few hundred bytes an entry) whatever the traffic. */
export const PSEUDONYM_CACHE_SIZE = 8_192;

/**
 * Pseudonymises user ids with HMAC-SHA256 (node:crypto) keyed by the analytics salt, before they
 * reach any analytics structure. Same id + salt → same pseudonym (so counts survive restarts);
 * without the salt the pseudonym cannot be reversed by hashing candidate snowflakes.
 * A bounded LRU cache of recent pseudonyms (the raw ids live only there, never exported) spares
 * the ~1 µs HMAC call for players seen recently — the same player starting and finishing a quiz,
 * or a server's regulars — which is most of the traffic.
 */
export class Pseudonymizer {
  readonly #key: KeyObject;
  readonly #cache = new LRUCache<string, PseudonymousUser>({ max: PSEUDONYM_CACHE_SIZE });

  constructor(salt: string) {
    if (typeof salt !== 'string' || salt.length === 0)
      throw new Error('analytics salt must be a non-empty string');
    this.#key = createSecretKey(Buffer.from(salt, 'utf8'));
  }

  pseudonymize(id: string): PseudonymousUser {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const digest = createHmac('sha256', this.#key).update(id, 'utf8').digest();
    const user: PseudonymousUser = {
      pseudonym: digest.toString('hex', 0, 8),
      hashHigh: digest.readUInt32BE(0),
      hashLow: digest.readUInt32BE(4),
    };
    this.#cache.set(id, user);
    return user;
  }

  /** A short fingerprint of the salt (not the salt), to tell whether saved pseudonyms are comparable. */
  fingerprint(): string {
    return createHmac('sha256', this.#key)
      .update('badgey-analytics-salt-fingerprint')
      .digest('hex')
      .slice(0, 16);
  }
}
