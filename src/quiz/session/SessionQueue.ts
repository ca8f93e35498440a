/**
 * Members waiting for a free session slot, first come first served. A doubly linked list (with an
 * index by member) makes promotion and leaving O(1) whatever the queue's length. Place changes are
 * gathered for `updateDelayMs`, then a waiting member is redrawn at most every `minIntervalMs` and
 * only when their place leaves its band (`positionBand`) or has been stale for `staleMs` — a long
 * queue costs a few message edits per member, never one per member per promotion.
 */
import type { Clock, Scheduler } from '../../clock.js';
import type { QueueLeftReason } from './presenter.js';

/** Changes (promotions, members leaving) are gathered this long before places are redrawn. */
export const DEFAULT_QUEUE_UPDATE_DELAY_MS = 1_000;
/** A waiting member's place is redrawn at most this often (each redraw is a webhook PATCH). */
export const DEFAULT_QUEUE_UPDATE_MIN_INTERVAL_MS = 5_000;
/** A place that moved but stayed in its band is still redrawn after this long. */
export const DEFAULT_QUEUE_UPDATE_STALE_MS = 30_000;

/**
 * Places 1–10 are shown exactly, then in tens up to 100, then in hundreds: a member's place is
 * redrawn when its band changes, so walking from place 1,000 to 1 costs at most ~28 redraws
 * however many members ahead of them start (plus one per `staleMs`).
 */
export function positionBand(position: number): number {
  if (position <= 10) return position;
  if (position <= 100) return 10 + Math.ceil(position / 10);
  return 20 + Math.ceil(position / 100);
}

export interface SessionQueueOptions<T> {
  clock: Clock;
  scheduler: Scheduler;
  /** Draw this place for this waiter. */
  onPosition: (item: T, position: number) => void;
  /** The waiter left without starting. */
  onLeft: (item: T, reason: QueueLeftReason) => void;
  updateDelayMs?: number;
  minIntervalMs?: number;
  staleMs?: number;
}

interface Entry<T> {
  key: string;
  item: T;
  enqueuedAtMs: number;
  cancelExpiry: () => void;
  /** The place the member was last shown, and when. */
  shownPosition: number;
  shownAtMs: number;
  prev: Entry<T> | undefined;
  next: Entry<T> | undefined;
}

export class SessionQueue<T> {
  readonly #o: SessionQueueOptions<T>;
  readonly #byKey = new Map<string, Entry<T>>();
  #head: Entry<T> | undefined;
  #tail: Entry<T> | undefined;
  #cancelUpdate: (() => void) | undefined;

  constructor(options: SessionQueueOptions<T>) {
    this.#o = options;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** Appends; at `expiresAtMs` the waiter leaves (`tokenAge`: its reply can no longer be edited). */
  push(key: string, item: T, expiresAtMs: number): number {
    const now = this.#o.clock.now();
    const entry: Entry<T> = {
      key,
      item,
      enqueuedAtMs: now,
      cancelExpiry: this.#expiry(key, expiresAtMs),
      // The caller draws the place returned here.
      shownPosition: this.#byKey.size + 1,
      shownAtMs: now,
      prev: this.#tail,
      next: undefined,
    };
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    this.#byKey.set(key, entry);
    return this.#byKey.size;
  }

  /** 1-based place: a walk, so only for one member's own request, never per promotion. Null: not waiting. */
  positionOf(key: string): number | null {
    const entry = this.#byKey.get(key);
    if (entry === undefined) return null;
    let position = 1;
    for (let e = this.#head; e !== undefined && e !== entry; e = e.next) position++;
    return position;
  }

  /** The member asked again: same place, a new item (its newer reply), a new expiry. Drawn by the caller. */
  update(key: string, change: (item: T) => T, expiresAtMs: number): { item: T; position: number } | null {
    const entry = this.#byKey.get(key);
    if (entry === undefined) return null;
    entry.cancelExpiry();
    entry.item = change(entry.item);
    entry.cancelExpiry = this.#expiry(key, expiresAtMs);
    entry.shownPosition = this.positionOf(key) ?? entry.shownPosition;
    entry.shownAtMs = this.#o.clock.now();
    return { item: entry.item, position: entry.shownPosition };
  }

  /** The first waiter, removed. */
  shift(): { item: T; waitedMs: number } | undefined {
    const first = this.#head;
    if (first === undefined) return undefined;
    this.#unlink(first);
    this.#changed();
    return { item: first.item, waitedMs: this.#o.clock.now() - first.enqueuedAtMs };
  }

  remove(key: string, reason: QueueLeftReason): boolean {
    const entry = this.#byKey.get(key);
    if (entry === undefined) return false;
    this.#unlink(entry);
    this.#o.onLeft(entry.item, reason);
    this.#changed();
    return true;
  }

  removeWhere(match: (item: T) => boolean, reason: QueueLeftReason): void {
    for (let e = this.#head; e !== undefined; ) {
      const next = e.next;
      if (match(e.item)) this.remove(e.key, reason);
      e = next;
    }
    if (this.#byKey.size === 0) this.#cancelPending();
  }

  #unlink(entry: Entry<T>): void {
    entry.cancelExpiry();
    this.#byKey.delete(entry.key);
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = undefined;
  }

  #cancelPending(): void {
    this.#cancelUpdate?.();
    this.#cancelUpdate = undefined;
  }

  /** Places moved: redraw later, once, for the changes gathered meanwhile. */
  #changed(delayMs = this.#o.updateDelayMs ?? DEFAULT_QUEUE_UPDATE_DELAY_MS): void {
    if (this.#cancelUpdate !== undefined || this.#byKey.size === 0) return;
    this.#cancelUpdate = this.#o.scheduler.schedule(delayMs, () => {
      this.#cancelUpdate = undefined;
      this.#redraw();
    });
  }

  /** One walk of the queue; each member redrawn per the rules above. */
  #redraw(): void {
    const now = this.#o.clock.now();
    const minIntervalMs = this.#o.minIntervalMs ?? DEFAULT_QUEUE_UPDATE_MIN_INTERVAL_MS;
    const staleMs = this.#o.staleMs ?? DEFAULT_QUEUE_UPDATE_STALE_MS;
    let position = 0;
    let retryInMs = Number.POSITIVE_INFINITY;
    for (let e = this.#head; e !== undefined; e = e.next) {
      position++;
      if (position === e.shownPosition) continue;
      const sinceShown = now - e.shownAtMs;
      const worthIt = positionBand(position) !== positionBand(e.shownPosition) || sinceShown >= staleMs;
      const dueInMs = worthIt ? Math.max(0, minIntervalMs - sinceShown) : staleMs - sinceShown;
      if (dueInMs > 0) {
        retryInMs = Math.min(retryInMs, dueInMs);
        continue;
      }
      e.shownPosition = position;
      e.shownAtMs = now;
      this.#o.onPosition(e.item, position);
    }
    if (retryInMs !== Number.POSITIVE_INFINITY) {
      this.#changed(Math.max(retryInMs, this.#o.updateDelayMs ?? DEFAULT_QUEUE_UPDATE_DELAY_MS));
    }
  }

  #expiry(key: string, expiresAtMs: number): () => void {
    return this.#o.scheduler.schedule(expiresAtMs - this.#o.clock.now(), () => this.remove(key, 'tokenAge'));
  }
}
