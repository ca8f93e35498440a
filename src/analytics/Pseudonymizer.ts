import { createHmac } from 'node:crypto';
import { Hmac64 } from './Hmac64.js';

/** A user as analytics stores it: a keyed-hash pseudonym and the hash bits for the distinct counter. */
export interface PseudonymousUser {
  /** First 16 hex characters (64 bits) of HMAC-SHA256(salt, id). */
  readonly pseudonym: string;
  readonly hashHigh: number;
  readonly hashLow: number;
}

/** Slots of the direct-mapped cache (a power of two). */
const CACHE_BITS = 13;
const CACHE_SLOTS = 1 << CACHE_BITS;

/** A raw id and its pseudonym, kept only in the in-memory cache (never exported). */
interface CacheEntry {
  id: string;
  user: PseudonymousUser;
}

/**
 * Pseudonymises user ids with HMAC-SHA256 keyed by the analytics salt, before they reach any
 * analytics structure. Same id + salt → same pseudonym (so counts survive restarts); without the
 * salt the pseudonym cannot be reversed by hashing candidate snowflakes. A small direct-mapped
 * cache (8192 slots, fixed memory) keeps repeat lookups — the same player starting and finishing
 * a quiz — from recomputing the HMAC.
 */
export class Pseudonymizer {
  readonly #salt: string;
  readonly #hmac: Hmac64;
  readonly #cache = new Array<CacheEntry | undefined>(CACHE_SLOTS).fill(undefined);

  constructor(salt: string) {
    if (typeof salt !== 'string' || salt.length === 0)
      throw new Error('analytics salt must be a non-empty string');
    this.#salt = salt;
    this.#hmac = new Hmac64(salt);
  }

  pseudonymize(id: string): PseudonymousUser {
    // FNV-1a picks the slot: cheaper than a Map, and a collision only costs one HMAC.
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    const slot = hash >>> (32 - CACHE_BITS);
    const cached = this.#cache[slot];
    if (cached !== undefined && cached.id === id) return cached.user;
    const hmac = this.#hmac;
    hmac.update(id);
    const user: PseudonymousUser = {
      pseudonym: hex64(hmac.high, hmac.low),
      hashHigh: hmac.high,
      hashLow: hmac.low,
    };
    if (cached !== undefined) {
      cached.id = id;
      cached.user = user;
    } else this.#cache[slot] = { id, user };
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

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** 16 lowercase hex digits; `toString(16).padStart` was the hottest line of recordQuizStart. */
function hex64(high: number, low: number): string {
  const h = HEX_CODES;
  return String.fromCharCode(
    h[(high >>> 28) & 15]!,
    h[(high >>> 24) & 15]!,
    h[(high >>> 20) & 15]!,
    h[(high >>> 16) & 15]!,
    h[(high >>> 12) & 15]!,
    h[(high >>> 8) & 15]!,
    h[(high >>> 4) & 15]!,
    h[high & 15]!,
    h[(low >>> 28) & 15]!,
    h[(low >>> 24) & 15]!,
    h[(low >>> 20) & 15]!,
    h[(low >>> 16) & 15]!,
    h[(low >>> 12) & 15]!,
    h[(low >>> 8) & 15]!,
    h[(low >>> 4) & 15]!,
    h[low & 15]!,
  );
}
