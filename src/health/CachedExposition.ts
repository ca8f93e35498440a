import { type Clock, systemClock } from '../clock.js';

/** Prometheus scrapes every 15 s or more: a second-old exposition is as good as a fresh one. */
export const DEFAULT_METRICS_MAX_AGE_MS = 1_000;

/**
 * The `/metrics` text, rendered at most once per `maxAgeMs` and never twice at once. Rendering
 * walks every series on the event loop; 400 concurrent scrapers each rendering pushed `/health`
 * to p50 778 ms and interaction replies past a second. Now they all share one render, and probes
 * and members never queue behind scrapers.
 */
export class CachedExposition {
  readonly #render: () => Promise<Buffer>;
  readonly #maxAgeMs: number;
  readonly #clock: Clock;
  #cached: { text: Buffer; renderedAtMs: number } | undefined;
  #inFlight: Promise<Buffer> | undefined;
  #renders = 0;

  constructor(render: () => Promise<Buffer>, options: { maxAgeMs?: number; clock?: Clock } = {}) {
    this.#render = render;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_METRICS_MAX_AGE_MS;
    this.#clock = options.clock ?? systemClock;
  }

  /** The cached bytes while it is younger than `maxAgeMs`, else the one render under way (started if none). */
  get(): Promise<Buffer> {
    const cached = this.#cached;
    if (cached && this.#clock.now() - cached.renderedAtMs < this.#maxAgeMs)
      return Promise.resolve(cached.text);
    if (this.#inFlight) return this.#inFlight;
    this.#renders++;
    const startedAtMs = this.#clock.now();
    const rendering = this.#render().then((text) => {
      this.#cached = { text, renderedAtMs: startedAtMs };
      return text;
    });
    this.#inFlight = rendering;
    // Whatever the outcome, the next request after this one may render again.
    const clear = () => {
      if (this.#inFlight === rendering) this.#inFlight = undefined;
    };
    rendering.then(clear, clear);
    return rendering;
  }

  /** Renders so far (tests, bench). */
  get renders(): number {
    return this.#renders;
  }
}
