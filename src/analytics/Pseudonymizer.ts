import { createHmac } from 'node:crypto';

/** A user as analytics stores it: a keyed-hash pseudonym and the hash bits for the distinct counter. */
export interface PseudonymousUser {
  /** First 16 hex characters (64 bits) of HMAC-SHA256(salt, id). */
  readonly pseudonym: string;
  readonly hashHigh: number;
  readonly hashLow: number;
}

/** Entries per cache generation: two generations bound the cache to twice this. */
const CACHE_GENERATION_SIZE = 8_192;

/**
 * Pseudonymises user ids with HMAC-SHA256 keyed by the analytics salt, before they reach any
 * analytics structure. Same id + salt → same pseudonym (so counts survive restarts); without the
 * salt the pseudonym cannot be reversed by hashing candidate snowflakes. A small two-generation
 * cache keeps repeat lookups (the same player answering a quiz) from recomputing the HMAC.
 */
export class Pseudonymizer {
  readonly #salt: string;
  #current = new Map<string, PseudonymousUser>();
  #previous = new Map<string, PseudonymousUser>();

  constructor(salt: string) {
    if (typeof salt !== 'string' || salt.length === 0)
      throw new Error('analytics salt must be a non-empty string');
    this.#salt = salt;
  }

  pseudonymize(id: string): PseudonymousUser {
    const cached = this.#current.get(id);
    if (cached !== undefined) return cached;
    let user = this.#previous.get(id);
    if (user === undefined) {
      const digest = createHmac('sha256', this.#salt).update(id).digest();
      user = {
        pseudonym: digest.toString('hex', 0, 8),
        hashHigh: digest.readUInt32BE(0),
        hashLow: digest.readUInt32BE(4),
      };
    }
    if (this.#current.size >= CACHE_GENERATION_SIZE) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(id, user);
    return user;
  }

  /** A short fingerprint of the salt (not the salt), to tell whether saved pseudonyms are comparable. */
  fingerprint(): string {
    return createHmac('sha256', this.#salt)
      .update('badgey-analytics-salt-fingerprint')
      .digest('hex')
      .slice(0, 16);
  }
}
