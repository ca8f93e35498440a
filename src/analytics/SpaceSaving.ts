/**
 * Space-Saving top-K counter (Metwally et al., "stream summary" variant): at most `capacity` keys,
 * O(1) per increment. While the number of distinct keys stays ≤ capacity every count is exact;
 * beyond it the least-counted key is evicted and its count inherited, so a reported count
 * over-estimates by at most its `maxOvercount` and every key whose true count exceeds
 * total/capacity is guaranteed to be present.
 */

interface Bucket {
  count: number;
  head: CounterNode | null;
  prev: Bucket | null;
  next: Bucket | null;
}

interface CounterNode {
  key: string;
  /** Count inherited on eviction: the most this key's count can be over-estimated by. */
  overcount: number;
  bucket: Bucket;
  prev: CounterNode | null;
  next: CounterNode | null;
}

export interface TopKEntry {
  key: string;
  count: number;
  maxOvercount: number;
}

/** Serialised form: `[key, count, maxOvercount]` triples. */
export type SpaceSavingEntries = Array<[string, number, number]>;

export class SpaceSaving {
  readonly capacity: number;
  readonly #nodes = new Map<string, CounterNode>();
  /** Bucket with the smallest count (list ascends through `next`). */
  #min: Bucket | null = null;
  /** Bucket with the largest count. */
  #max: Bucket | null = null;
  #evictions = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`SpaceSaving capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** True while no key was ever evicted, i.e. every count is exact. */
  get exact(): boolean {
    return this.#evictions === 0;
  }

  get evictions(): number {
    return this.#evictions;
  }

  /** Counts one occurrence of `key`. */
  offer(key: string): void {
    const node = this.#nodes.get(key);
    if (node !== undefined) {
      this.#increment(node);
      return;
    }
    if (this.#nodes.size < this.capacity) {
      this.#insertNew(key, 1, 0);
      return;
    }
    // Full: the least-counted key gives its slot (and its count) to the newcomer.
    const minBucket = this.#min!;
    const victim = minBucket.head!;
    this.#nodes.delete(victim.key);
    victim.key = key;
    victim.overcount = minBucket.count;
    this.#nodes.set(key, victim);
    this.#evictions++;
    this.#increment(victim);
  }

  /** Estimated count of `key` (0 when not tracked). */
  count(key: string): number {
    return this.#nodes.get(key)?.bucket.count ?? 0;
  }

  /** The `n` highest counts, largest first; ties ordered by key for stable output. */
  top(n: number): TopKEntry[] {
    const out: TopKEntry[] = [];
    for (let bucket = this.#max; bucket !== null && out.length < n; bucket = bucket.prev) {
      const chunk: TopKEntry[] = [];
      for (let node = bucket.head; node !== null; node = node.next)
        chunk.push({ key: node.key, count: bucket.count, maxOvercount: node.overcount });
      chunk.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const entry of chunk) {
        if (out.length >= n) break;
        out.push(entry);
      }
    }
    return out;
  }

  entries(): SpaceSavingEntries {
    const out: SpaceSavingEntries = [];
    for (let bucket = this.#min; bucket !== null; bucket = bucket.next)
      for (let node = bucket.head; node !== null; node = node.next)
        out.push([node.key, bucket.count, node.overcount]);
    return out;
  }

  /** Replaces the contents with serialised entries (keeps the largest `capacity` of them). */
  load(entries: SpaceSavingEntries, evictions = 0): void {
    this.#nodes.clear();
    this.#min = null;
    this.#max = null;
    const sorted = [...entries].sort((a, b) => a[1] - b[1]);
    const kept = sorted.slice(Math.max(0, sorted.length - this.capacity));
    for (const [key, count, overcount] of kept) {
      if (this.#nodes.has(key)) continue;
      this.#appendAtMax(key, count, overcount);
    }
    this.#evictions = evictions + (sorted.length - kept.length);
  }

  #insertNew(key: string, count: number, overcount: number): void {
    let bucket = this.#min;
    if (bucket === null || bucket.count !== count) {
      const created: Bucket = { count, head: null, prev: null, next: bucket };
      if (bucket !== null) bucket.prev = created;
      else this.#max = created;
      this.#min = created;
      bucket = created;
    }
    const node: CounterNode = { key, overcount, bucket, prev: null, next: null };
    this.#attach(node, bucket);
    this.#nodes.set(key, node);
  }

  /** Used by `load`, which feeds counts in ascending order. */
  #appendAtMax(key: string, count: number, overcount: number): void {
    let bucket = this.#max;
    if (bucket === null || bucket.count !== count) {
      const created: Bucket = { count, head: null, prev: bucket, next: null };
      if (bucket !== null) bucket.next = created;
      else this.#min = created;
      this.#max = created;
      bucket = created;
    }
    const node: CounterNode = { key, overcount, bucket, prev: null, next: null };
    this.#attach(node, bucket);
    this.#nodes.set(key, node);
  }

  #increment(node: CounterNode): void {
    const from = node.bucket;
    const target = from.count + 1;
    let to = from.next;
    if (from.head === node && node.next === null && (to === null || to.count !== target)) {
      // Alone in its bucket and no bucket at count+1: bump the bucket in place (order is kept).
      from.count = target;
      return;
    }
    if (to === null || to.count !== target) {
      const created: Bucket = { count: target, head: null, prev: from, next: to };
      if (to !== null) to.prev = created;
      else this.#max = created;
      from.next = created;
      to = created;
    }
    this.#detach(node);
    if (from.head === null) this.#unlinkBucket(from);
    this.#attach(node, to);
  }

  #attach(node: CounterNode, bucket: Bucket): void {
    node.bucket = bucket;
    node.prev = null;
    node.next = bucket.head;
    if (bucket.head !== null) bucket.head.prev = node;
    bucket.head = node;
  }

  #detach(node: CounterNode): void {
    if (node.prev !== null) node.prev.next = node.next;
    else node.bucket.head = node.next;
    if (node.next !== null) node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
  }

  #unlinkBucket(bucket: Bucket): void {
    if (bucket.prev !== null) bucket.prev.next = bucket.next;
    else this.#min = bucket.next;
    if (bucket.next !== null) bucket.next.prev = bucket.prev;
    else this.#max = bucket.prev;
  }
}
