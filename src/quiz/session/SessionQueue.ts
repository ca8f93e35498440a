/**
 * Members waiting for a free session slot, first come first served. Promotion and leaving are
 * O(1) (an insertion-ordered Map); after a change only the first POSITION_UPDATES waiters are told
 * their new place, so one promotion costs a bounded number of messages however long the queue —
 * those further back keep the number they were last told until they move into that window.
 */
import type { Clock, Scheduler } from '../../clock.js';
import type { QueueLeftReason } from './presenter.js';

/** How many waiters at the front hear about a move. */
export const POSITION_UPDATES = 10;

export interface SessionQueueOptions<T> {
  clock: Clock;
  scheduler: Scheduler;
  onPosition: (item: T, position: number) => void;
  onLeft: (item: T, reason: QueueLeftReason) => void;
}

interface Entry<T> {
  item: T;
  enqueuedAtMs: number;
  cancelExpiry: () => void;
}

export class SessionQueue<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #o: SessionQueueOptions<T>;

  constructor(options: SessionQueueOptions<T>) {
    this.#o = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Appends; at `expiresAtMs` the waiter leaves (`tokenAge`: its reply can no longer be edited). */
  push(key: string, item: T, expiresAtMs: number): number {
    this.#entries.set(key, {
      item,
      enqueuedAtMs: this.#o.clock.now(),
      cancelExpiry: this.#expiry(key, expiresAtMs),
    });
    return this.#entries.size;
  }

  /** 1-based place (O(position)), or null when not waiting. */
  positionOf(key: string): number | null {
    let position = 0;
    for (const candidate of this.#entries.keys()) {
      position++;
      if (candidate === key) return position;
    }
    return null;
  }

  /** Replaces a waiter's item in place (same position), with a new expiry. */
  update(key: string, change: (item: T) => T, expiresAtMs: number): { item: T; position: number } | null {
    const entry = this.#entries.get(key);
    if (entry === undefined) return null;
    entry.cancelExpiry();
    entry.item = change(entry.item);
    entry.cancelExpiry = this.#expiry(key, expiresAtMs);
    return { item: entry.item, position: this.positionOf(key) ?? 0 };
  }

  /** The first waiter whose reply still works, removed; the others ahead of it left (`tokenAge`). */
  shift(): { item: T; waitedMs: number } | undefined {
    for (const [key, entry] of this.#entries) {
      this.#entries.delete(key);
      entry.cancelExpiry();
      this.#announce(0);
      return { item: entry.item, waitedMs: this.#o.clock.now() - entry.enqueuedAtMs };
    }
    return undefined;
  }

  remove(key: string, reason: QueueLeftReason): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    const position = reason === 'shutdown' ? null : this.#frontIndexOf(key);
    this.#entries.delete(key);
    entry.cancelExpiry();
    this.#o.onLeft(entry.item, reason);
    if (position !== null) this.#announce(position);
    return true;
  }

  removeWhere(match: (item: T) => boolean, reason: QueueLeftReason): void {
    let first: number | null = null;
    let index = 0;
    for (const [key, entry] of [...this.#entries]) {
      if (match(entry.item)) {
        this.#entries.delete(key);
        entry.cancelExpiry();
        this.#o.onLeft(entry.item, reason);
        first ??= index;
      } else index++;
    }
    if (first !== null && first < POSITION_UPDATES && reason !== 'shutdown') this.#announce(first);
  }

  /** Index among the first POSITION_UPDATES, or null when further back (nobody's told place changes). */
  #frontIndexOf(key: string): number | null {
    let index = 0;
    for (const candidate of this.#entries.keys()) {
      if (candidate === key) return index;
      if (++index >= POSITION_UPDATES) return null;
    }
    return null;
  }

  /** Tells the waiters from `fromIndex` to the end of the front window their place. */
  #announce(fromIndex: number): void {
    let index = 0;
    for (const entry of this.#entries.values()) {
      if (index >= POSITION_UPDATES) return;
      if (index >= fromIndex) this.#o.onPosition(entry.item, index + 1);
      index++;
    }
  }

  #expiry(key: string, expiresAtMs: number): () => void {
    return this.#o.scheduler.schedule(expiresAtMs - this.#o.clock.now(), () => this.remove(key, 'tokenAge'));
  }
}
