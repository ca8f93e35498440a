/** Where time comes from. Domain and analytics code take a Clock so tests can drive time without sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A cancellable timer, so session timeouts can be scheduled and tested on a fake clock. */
export interface Scheduler {
  /** Runs `callback` after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, callback: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    // Timers must never keep a shutting-down process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
