import type { Clock, Scheduler } from '../../src/clock.js';

interface Timer {
  id: number;
  dueMs: number;
  callback: () => void;
}

/**
 * A Clock and Scheduler whose time moves only when a test says so. `advance(ms)` fires every
 * timer that falls due, in due-time order (ties: scheduling order), with `now()` set to each
 * timer's due time while it runs — timers scheduled by a callback fire too if they fall due
 * within the same advance.
 */
export class FakeClock implements Clock, Scheduler {
  private nowMs: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  schedule(delayMs: number, callback: () => void): () => void {
    const timer: Timer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('FakeClock cannot go back in time');
    this.advanceTo(this.nowMs + ms);
  }

  /** Moves time forward to `targetMs`, firing due timers in order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next.dueMs > targetMs) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      next.callback();
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
  }

  /** Timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Due time of the earliest pending timer, if any. */
  nextDueMs(): number | undefined {
    return this.nextDue()?.dueMs;
  }

  private nextDue(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (
        best === undefined ||
        timer.dueMs < best.dueMs ||
        (timer.dueMs === best.dueMs && timer.id < best.id)
      ) {
        best = timer;
      }
    }
    return best;
  }
}
