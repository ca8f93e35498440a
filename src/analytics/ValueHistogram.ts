import type { Histogram } from 'hdr-histogram-js';
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  initWebAssemblySync,
} from 'hdr-histogram-js';

/**
 * hdr-histogram-js ships the same algorithm compiled to WebAssembly, ~6× faster per record than
 * its JS build. Fall back to JS where WebAssembly is unavailable.
 */
const useWebAssembly = (() => {
  try {
    initWebAssemblySync();
    return true;
  } catch {
    return false;
  }
})();

/** WebAssembly histograms live outside the JS heap: free them when their owner is collected. */
const releaseWhenCollected = new FinalizationRegistry<Histogram>((histogram) => histogram.destroy());

/**
 * All-time distribution of one measurement in fixed memory: exact count, sum (→ exact mean), min
 * and max, plus an HdrHistogram for percentiles.
 *
 * Precision: 2 significant digits → HdrHistogram keeps 256 sub-buckets per power of two, so a
 * reported percentile is within 1/128 ≈ 0.8% (relative) of the true value, plus one recording
 * unit (values are recorded as integers after multiplying by `scale`, e.g. milliseconds).
 * Counts are 64-bit (exact to 2^53), so no bucket overflows in the bot's lifetime.
 * The range is fixed (`maxValue`), so memory is fixed: larger values are clamped for the
 * percentile histogram (the sum/max stay exact).
 */
export const HISTOGRAM_SIGNIFICANT_DIGITS = 2;

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface SerializedHistogram {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** HdrHistogram V2 compressed encoding. */
  hdr: string;
}

export class ValueHistogram {
  readonly #scale: number;
  readonly #maxRecordable: number;
  #hdr: Histogram;
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;

  /**
   * @param scale recording units per measured unit (1000: seconds recorded as milliseconds).
   * @param maxValue largest value (in measured units) resolved by the percentiles.
   */
  constructor(scale: number, maxValue: number) {
    this.#scale = scale;
    this.#maxRecordable = Math.ceil(maxValue * scale);
    this.#hdr = newHdr(this.#maxRecordable);
    releaseWhenCollected.register(this, this.#hdr, this);
  }

  get count(): number {
    return this.#count;
  }

  /** Records a finite, non-negative value (callers validate). */
  record(value: number): void {
    this.#count++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    const units = Math.round(value * this.#scale);
    this.#hdr.recordValue(Math.min(units, this.#maxRecordable));
  }

  mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }

  max(): number {
    return this.#max;
  }

  percentiles(): Percentiles {
    if (this.#count === 0) return { p50: 0, p90: 0, p99: 0 };
    return { p50: this.percentile(50), p90: this.percentile(90), p99: this.percentile(99) };
  }

  percentile(percent: number): number {
    if (this.#count === 0) return 0;
    // HdrHistogram answers with the top of the bucket; never report more than the real max.
    return Math.min(this.#hdr.getValueAtPercentile(percent) / this.#scale, this.#max);
  }

  serialize(): SerializedHistogram {
    return {
      count: this.#count,
      sum: this.#sum,
      min: this.min(),
      max: this.#max,
      hdr: encodeIntoCompressedBase64(this.#hdr),
    };
  }

  /** Replaces the contents; throws a clear error when the encoding does not decode. */
  load(state: SerializedHistogram): void {
    let decoded: Histogram;
    try {
      decoded = decodeFromCompressedBase64(state.hdr, 64, useWebAssembly);
    } catch (error) {
      throw new Error(`histogram encoding does not decode: ${(error as Error).message}`);
    }
    let fresh: Histogram | undefined;
    try {
      if (decoded.totalCount !== state.count)
        throw new Error(`histogram count ${decoded.totalCount} does not match recorded count ${state.count}`);
      if (decoded.maxValue > this.#maxRecordable)
        throw new Error(
          `histogram max ${decoded.maxValue} exceeds the configured range ${this.#maxRecordable}`,
        );
      fresh = newHdr(this.#maxRecordable);
      fresh.add(decoded);
    } catch (error) {
      fresh?.destroy();
      throw error;
    } finally {
      decoded.destroy();
    }
    releaseWhenCollected.unregister(this);
    this.#hdr.destroy();
    this.#hdr = fresh;
    releaseWhenCollected.register(this, fresh, this);
    this.#count = state.count;
    this.#sum = state.sum;
    this.#min = state.count === 0 ? Number.POSITIVE_INFINITY : state.min;
    this.#max = state.max;
  }
}

function newHdr(highestTrackableValue: number): Histogram {
  return build({
    bitBucketSize: 64,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    lowestDiscernibleValue: 1,
    highestTrackableValue: Math.max(2, highestTrackableValue),
    autoResize: false,
    useWebAssembly,
  });
}
