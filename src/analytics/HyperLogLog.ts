/**
 * HyperLogLog distinct counter over 64-bit hashes supplied by the caller (here: the HMAC that
 * pseudonymises user ids, which is already uniformly distributed). 2^14 one-byte registers
 * (16 KiB), standard error ≈ 1.04/√16384 ≈ 0.8%. Estimation uses Ertl's improved estimator
 * ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which needs no
 * empirical bias tables and is accurate from 0 to far beyond 2^40.
 */
// Module constants, not `HyperLogLog.PRECISION` in the static initialisers: tsc (ES2022 output)
// rewrites those self-references to an alias assigned only after the class body, so `node dist/…`
// crashed at import with "Cannot read properties of undefined (reading 'PRECISION')".
const PRECISION = 14;
export class HyperLogLog {
  static readonly PRECISION = PRECISION;
  static readonly REGISTER_COUNT = 1 << PRECISION;
  /** Bits of the hash left after the register index. */
  static readonly #Q = 64 - PRECISION;

  readonly #registers = new Uint8Array(HyperLogLog.REGISTER_COUNT);

  /** Adds a 64-bit hash given as its high and low 32-bit halves (unsigned). */
  add(high: number, low: number): void {
    const index = high >>> (32 - HyperLogLog.PRECISION);
    const restHigh = (high << HyperLogLog.PRECISION) >>> HyperLogLog.PRECISION; // 18 bits
    let rank: number;
    if (restHigh !== 0) rank = Math.clz32(restHigh) - HyperLogLog.PRECISION + 1;
    else if (low !== 0) rank = 32 - HyperLogLog.PRECISION + Math.clz32(low) + 1;
    else rank = HyperLogLog.#Q + 1;
    if (rank > this.#registers[index]!) this.#registers[index] = rank;
  }

  estimate(): number {
    const m = HyperLogLog.REGISTER_COUNT;
    const q = HyperLogLog.#Q;
    const histogram = new Array<number>(q + 2).fill(0);
    for (let i = 0; i < m; i++) histogram[this.#registers[i]!]!++;
    let z = m * tau(1 - histogram[q + 1]! / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + histogram[k]!);
    z += m * sigma(histogram[0]! / m);
    const alphaInfinity = 0.5 / Math.LN2;
    return Math.round((alphaInfinity * m * m) / z);
  }

  /** Registers as base64, for export. */
  toBase64(): string {
    return Buffer.from(this.#registers).toString('base64');
  }

  /** Restores registers exported by `toBase64`; throws on a wrong size or value. */
  loadBase64(encoded: string): void {
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length !== HyperLogLog.REGISTER_COUNT)
      throw new Error(
        `HyperLogLog registers: expected ${HyperLogLog.REGISTER_COUNT} bytes, got ${bytes.length}`,
      );
    for (const value of bytes)
      if (value > HyperLogLog.#Q + 1) throw new Error(`HyperLogLog register out of range: ${value}`);
    this.#registers.set(bytes);
  }
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z !== previous);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
  } while (z !== previous);
  return z / 3;
}
