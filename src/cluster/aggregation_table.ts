/**
 * AggregationTable: racluster's aggregator (RaProcessThisRecord): each
 * record's flow is masked, its key looked up, and it either starts a new
 * aggregate or is merged into the one found. argus keeps its aggregates on
 * a queue where a merged record moves to the end; that queue order is the
 * output order (before any -m sort), kept here as a touch stamp.
 *
 * The lookup is argus's hash table (ArgusFindRecord): 65536 buckets by the
 * sum of the key's 16-bit words, each a ring searched from its head, and a
 * key matches an entry whose key it is a prefix of (a record without the
 * DSR a key field reads has a shorter key). Where a bucket holds no
 * longer key that is plain equality, looked up in a KeyIndex; the rings
 * are kept all along for the other case.
 *
 * Aggregates live in their saved form (saved_record.ts) in large byte
 * chunks. While there are few enough, each stays restored in a record of
 * its own after its first merge (no restore or save per merge); past
 * that, a merge restores the aggregate into one reused record and saves
 * it back. A direct-mapped cache of restored records does worse than
 * either once it thrashes: its records are cold in the CPU's caches, and
 * reading and writing them costs more than a restore into one hot record.
 * @module
 */

import { CanonRecord } from "./canon_record.ts";
import {
  KEY_BYTES,
  keyBytes,
  type KeySpec,
  maskFlow,
} from "./aggregation_key.ts";
import { KeyIndex } from "./key_index.ts";
import { mergeRecords } from "./merge_record.ts";
import { glibcMergeSort } from "./cluster_sort.ts";
import { restore, save, savedSize } from "./saved_record.ts";

const BUCKETS = 0x10000;

/** argus's hash bucket of a key: the sum of its 16-bit words. */
export function bucketOf(key: Uint8Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i += 2) sum += key[i]! | (key[i + 1]! << 8);
  return sum % BUCKETS;
}
/**
 * Aggregates are saved in chunks of at most this many bytes (a place is
 * chunk * CHUNK + offset); the first chunks are smaller, doubling, so the
 * many small tables of a spill's partitions stay small.
 */
const CHUNK = 1 << 24;
const FIRST_CHUNK = 1 << 16;
/** Aggregates kept restored while there are at most this many. */
const CACHE = 8192;

/** The aggregates of one racluster run. */
export class AggregationTable {
  readonly #spec: KeySpec;
  readonly #cache: number;
  readonly #keys = new KeyIndex();
  /** Saved aggregates: chunks, and each one's place and room. */
  readonly #chunks: Uint8Array[] = [];
  readonly #chunkViews: DataView[] = [];
  #used = 0;
  #where = new Float64Array(1024);
  #room = new Int32Array(1024);
  #count = 0;
  /** Queue position of each aggregate: larger is later. */
  #stamps = new Float64Array(1024);
  #clock = 0;
  /** Bucket rings: head entry per bucket, next entry per entry. */
  readonly #head = new Int32Array(BUCKETS).fill(-1);
  #next = new Int32Array(1024);
  #prev = new Int32Array(1024);
  /** The longest key in each bucket. */
  readonly #longest = new Uint16Array(BUCKETS);
  /** Restored aggregates by index (while the table is small). */
  #cached: (CanonRecord | undefined)[] = [];
  /** The record a merge restores into once the table is large. */
  readonly #work = new CanonRecord();
  readonly #temp = new Uint8Array(1 << 16);
  readonly #tempView = new DataView(this.#temp.buffer);
  /** Views of #temp's first n bytes, by n. */
  readonly #saved: (Uint8Array | undefined)[] = [];

  /**
   * `cache`: aggregates kept restored while there are at most this many
   * (a spill's partitions use 0: dozens of tables of restored records,
   * one after the other, grow the young generation by ~50 MB for no
   * measurable gain).
   */
  constructor(spec: KeySpec, cache = CACHE) {
    this.#spec = spec;
    this.#cache = cache;
  }

  /** Number of aggregates so far. */
  get size(): number {
    return this.#count;
  }

  /**
   * Adds a record loaded into `scratch` (which is masked in place and may
   * be reused by the caller afterwards). `stamp` is its queue position
   * when the caller keeps the clock (a spill's partitions share one).
   */
  add(scratch: CanonRecord, stamp = ++this.#clock): void {
    const spec = this.#spec;
    maskFlow(spec, scratch);
    if (spec.mask === 0) {
      this.#append(scratch, -1, 0, stamp);
      return;
    }
    const key = KEY_BYTES, n = keyBytes(spec, scratch);
    const bucket = bucketOf(key, n);
    const hash = KeyIndex.hash(key, n);
    // Only a longer key in the bucket can match other than by equality.
    const at = this.#longest[bucket]! <= n
      ? this.#keys.find(key, n, hash)
      : this.#search(bucket, key, n);
    if (at >= 0) {
      this.#head[bucket] = at;
      this.#merge(at, scratch);
      this.#stamps[at] = stamp;
      return;
    }
    this.#insert(scratch, bucket, key, n, hash, stamp);
  }

  /** A new aggregate `r` with key key[0..n): on its bucket's ring, indexed. */
  #insert(
    r: CanonRecord,
    bucket: number,
    key: Uint8Array,
    n: number,
    hash: number,
    stamp: number,
  ): void {
    const i = this.#append(r, bucket, n, stamp);
    this.#keys.store(i, key, n);
    this.#keys.index(i, key, n, hash);
  }

  /**
   * Takes in aggregate `r` as it is, with its key key[0..n) (built from
   * its first record: a merged flow may no longer give it) and queue
   * position, without looking for one to merge with: a spilled aggregate
   * coming back. n < 0: an aggregate of a keyless (-m none) table.
   */
  adopt(r: CanonRecord, stamp: number, key: Uint8Array, n: number): void {
    if (n < 0) this.#append(r, -1, 0, stamp);
    else {
      this.#insert(r, bucketOf(key, n), key, n, KeyIndex.hash(key, n), stamp);
    }
  }

  /**
   * Hands every aggregate to `fn` with its queue position and key (bytes
   * valid during the call; length -1 without a key), bucket by bucket,
   * each bucket's ring in reverse walking order: adopting them in this
   * order builds the same rings, heads included. The table is left as it
   * was (clear it by dropping it).
   */
  drain(
    fn: (r: CanonRecord, stamp: number, key: Uint8Array, n: number) => void,
  ): void {
    this.#saveAll();
    const r = new CanonRecord();
    if (this.#spec.mask === 0) {
      for (let i = 0; i < this.#count; i++) {
        this.#restore(r, i);
        fn(r, this.#stamps[i]!, KEY_BYTES, -1);
      }
      return;
    }
    const ring: number[] = [];
    const key = new Uint8Array(KEY_BYTES.length);
    for (let b = 0; b < BUCKETS; b++) {
      const head = this.#head[b]!;
      if (head < 0) continue;
      ring.length = 0;
      let e = head;
      do {
        ring.push(e);
        e = this.#next[e]!;
      } while (e !== head);
      for (let k = ring.length - 1; k >= 0; k--) {
        const i = ring[k]!;
        this.#restore(r, i);
        fn(r, this.#stamps[i]!, key, this.#keys.read(i, key));
      }
    }
  }

  /** ArgusFindRecord's walk round a bucket's ring; -1 when none matches. */
  #search(bucket: number, key: Uint8Array, n: number): number {
    const head = this.#head[bucket]!;
    if (head < 0) return -1;
    let e = head;
    do {
      if (this.#keys.startsWith(e, key, n)) return e;
      e = this.#next[e]!;
    } while (e !== head);
    return -1;
  }

  /** Merges `scratch` into aggregate `i`. */
  #merge(i: number, scratch: CanonRecord): void {
    if (this.#count > this.#cache) {
      const r = this.#work;
      this.#restore(r, i);
      mergeRecords(r, scratch);
      this.#saveBack(i, r);
      return;
    }
    let r = this.#cached[i];
    if (r === undefined) {
      r = new CanonRecord();
      this.#restore(r, i);
      this.#cached[i] = r;
    }
    mergeRecords(r, scratch);
  }

  /** Restores aggregate `i` into `r`. */
  #restore(r: CanonRecord, i: number): void {
    const where = this.#where[i]!;
    const c = Math.floor(where / CHUNK);
    restore(r, this.#chunks[c]!, this.#chunkViews[c]!, where - c * CHUNK);
  }

  /** Saves the restored aggregates, and keeps none restored from now. */
  #saveAll(): void {
    const cached = this.#cached;
    this.#cached = [];
    for (let i = 0; i < cached.length; i++) {
      const r = cached[i];
      if (r !== undefined) this.#saveBack(i, r);
    }
  }

  /** Saves `r`, aggregate `i` restored and merged, to its place. */
  #saveBack(i: number, r: CanonRecord): void {
    const n = save(r, this.#temp, this.#tempView, 0);
    const where = this.#where[i]!;
    // The saved bytes, as a view kept per length: a new view per merge
    // is garbage for the young generation to collect a million times.
    const bytes = this.#saved[n] ??= this.#temp.subarray(0, n);
    if (n <= this.#room[i]!) {
      const c = Math.floor(where / CHUNK);
      this.#chunks[c]!.set(bytes, where - c * CHUNK);
      return;
    }
    const at = this.#alloc(n);
    const d = Math.floor(at / CHUNK);
    this.#chunks[d]!.set(bytes, at - d * CHUNK);
    this.#where[i] = at;
    this.#room[i] = n;
  }

  /** Room for `n` bytes; returns its place (chunk * CHUNK + offset). */
  #alloc(n: number): number {
    const last = this.#chunks[this.#chunks.length - 1];
    if (last === undefined || this.#used + n > last.length) {
      const size = Math.min(CHUNK, (last?.length ?? FIRST_CHUNK / 2) * 2);
      const chunk = new Uint8Array(Math.max(size, n));
      this.#chunks.push(chunk);
      this.#chunkViews.push(new DataView(chunk.buffer));
      this.#used = 0;
    }
    const at = (this.#chunks.length - 1) * CHUNK + this.#used;
    this.#used += n;
    return at;
  }

  #append(
    scratch: CanonRecord,
    bucket: number,
    keyLength: number,
    stamp: number,
  ): number {
    const room = savedSize(scratch);
    const at = this.#alloc(room);
    const c = Math.floor(at / CHUNK);
    save(scratch, this.#chunks[c]!, this.#chunkViews[c]!, at - c * CHUNK);
    const i = this.#count++;
    if (this.#count === this.#cache + 1) this.#saveAll();
    if (i >= this.#stamps.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      const n = this.#stamps.length * 2;
      this.#stamps = grow(this.#stamps, new Float64Array(n));
      this.#where = grow(this.#where, new Float64Array(n));
      this.#room = grow(this.#room, new Int32Array(n));
      this.#next = grow(this.#next, new Int32Array(n));
      this.#prev = grow(this.#prev, new Int32Array(n));
    }
    this.#where[i] = at;
    this.#room[i] = room;
    this.#stamps[i] = stamp;
    if (stamp > this.#clock) this.#clock = stamp;
    if (bucket >= 0) {
      // ArgusAddHashEntry: in before the head, and the new head.
      const head = this.#head[bucket]!;
      if (head < 0) {
        this.#next[i] = this.#prev[i] = i;
      } else {
        const tail = this.#prev[head]!;
        this.#next[i] = head;
        this.#prev[i] = tail;
        this.#next[tail] = i;
        this.#prev[head] = i;
      }
      this.#head[bucket] = i;
      if (keyLength > this.#longest[bucket]!) {
        this.#longest[bucket] = keyLength;
      }
    }
    return i;
  }

  /**
   * Hands each aggregate to `fn` in argus's queue order, or sorted by
   * `order` (glibc's merge sort over the queue), until `fn` returns false;
   * `fn` also gets the aggregate's queue position. Without a sort one
   * record is reused for all.
   */
  forEach(
    order: ((a: CanonRecord, b: CanonRecord) => number) | null,
    fn: (r: CanonRecord, stamp: number) => boolean,
  ): void {
    this.#saveAll();
    const stamps = this.#stamps;
    const queue = Array.from({ length: this.#count }, (_, i) => i);
    queue.sort((a, b) => stamps[a]! - stamps[b]!);
    if (order !== null) {
      // The aggregates are sorted by index, each comparison restoring
      // the two into scratch records (skipped for the one a merge step
      // keeps comparing): a record apiece would cost far more memory.
      const x = new CanonRecord(), y = new CanonRecord();
      let xi = -1, yi = -1;
      glibcMergeSort(queue, (i, j) => {
        if (i !== xi) this.#restore(x, xi = i);
        if (j !== yi) this.#restore(y, yi = j);
        return order(x, y);
      });
    }
    const r = new CanonRecord();
    for (const i of queue) {
      this.#restore(r, i);
      if (!fn(r, stamps[i]!)) return;
    }
  }
}
