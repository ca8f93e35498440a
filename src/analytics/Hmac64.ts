import { createHash } from 'node:crypto';

/**
 * The first 64 bits of HMAC-SHA256(key, message), computed in plain JS from precomputed key
 * midstates: the key's inner and outer pad blocks are hashed once, so a short message costs two
 * SHA-256 block compressions (a few hundred ns) instead of node:crypto's ~2 µs per-call binding
 * overhead, which dominated analytics' record cost. Standard SHA-256 (FIPS 180-4) and HMAC
 * (RFC 2104); tests compare it bit-for-bit with node:crypto's createHmac.
 */
export class Hmac64 {
  /** High 32 bits (unsigned) of the last digest. */
  high = 0;
  /** Next 32 bits (unsigned) of the last digest. */
  low = 0;

  readonly #innerMidstate = new Int32Array(8);
  readonly #outerMidstate = new Int32Array(8);
  readonly #state = new Int32Array(8);
  readonly #words = new Int32Array(64);

  constructor(key: string) {
    let keyBytes: Uint8Array = Buffer.from(key, 'utf8');
    if (keyBytes.length > 64) keyBytes = createHash('sha256').update(keyBytes).digest();
    const block = new Uint8Array(64);
    for (const [pad, midstate] of [
      [0x36, this.#innerMidstate],
      [0x5c, this.#outerMidstate],
    ] as const) {
      block.fill(pad);
      for (let i = 0; i < keyBytes.length; i++) block[i] = keyBytes[i]! ^ pad;
      midstate.set(INITIAL_STATE);
      this.#loadBlock(block, 0);
      compress(midstate, this.#words);
    }
  }

  /** Computes the digest prefix of `message` (UTF-8) into `high`/`low`. */
  update(message: string): void {
    const bytes = asciiOrUtf8(message);
    // Inner hash: midstate already covers the 64-byte ipad block.
    const state = this.#state;
    state.set(this.#innerMidstate);
    const totalBits = (64 + bytes.length) * 8;
    const paddedLength = Math.ceil((bytes.length + 9) / 64) * 64;
    const padded = paddedLength <= SCRATCH.length ? SCRATCH : new Uint8Array(paddedLength);
    padded.fill(0, 0, paddedLength);
    padded.set(bytes, 0);
    padded[bytes.length] = 0x80;
    writeBitLength(padded, paddedLength, totalBits);
    for (let offset = 0; offset < paddedLength; offset += 64) {
      this.#loadBlock(padded, offset);
      compress(state, this.#words);
    }
    // Outer hash over the 32-byte inner digest: exactly one block.
    const words = this.#words;
    for (let i = 0; i < 8; i++) words[i] = state[i]!;
    words[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) words[i] = 0;
    words[15] = (64 + 32) * 8;
    state.set(this.#outerMidstate);
    compress(state, words);
    this.high = state[0]! >>> 0;
    this.low = state[1]! >>> 0;
  }

  #loadBlock(bytes: Uint8Array, offset: number): void {
    const words = this.#words;
    for (let i = 0; i < 16; i++) {
      const p = offset + i * 4;
      words[i] = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    }
  }
}

const SCRATCH = new Uint8Array(256);
const ASCII_SCRATCH = new Uint8Array(183); // 256 − 64 − 9: the longest message fitting SCRATCH

function asciiOrUtf8(message: string): Uint8Array {
  if (message.length <= ASCII_SCRATCH.length) {
    let ascii = true;
    for (let i = 0; i < message.length; i++) {
      const code = message.charCodeAt(i);
      if (code > 0x7f) {
        ascii = false;
        break;
      }
      ASCII_SCRATCH[i] = code;
    }
    if (ascii) return ASCII_SCRATCH.subarray(0, message.length);
  }
  return Buffer.from(message, 'utf8');
}

function writeBitLength(block: Uint8Array, end: number, bits: number): void {
  // Messages here are far below 2^32 bits; the high word stays 0.
  block[end - 4] = (bits >>> 24) & 0xff;
  block[end - 3] = (bits >>> 16) & 0xff;
  block[end - 2] = (bits >>> 8) & 0xff;
  block[end - 1] = bits & 0xff;
}

const INITIAL_STATE = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** One SHA-256 block compression of `w[0..15]` into `state` (the schedule is extended in place). */
function compress(state: Int32Array, w: Int32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    let word: number;
    if (i < 16) word = w[i]!;
    else {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      word = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
      w[i] = word;
    }
    const t1 =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) +
        K[i]! +
        word) |
      0;
    const t2 =
      ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) |
      0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}
