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
 * DSR a key field reads has a shorter key). While every key has the same
 * length that is plain equality, looked up in a Map; the rings are kept
 * all along so the general search can take over at any time.
 * @module
 */

import { CanonRecord } from "./canon_record.ts";
import { keyOf, type KeySpec, maskFlow } from "./aggregation_key.ts";
import { mergeRecords } from "./merge_record.ts";

const BUCKETS = 0x10000;

/** The aggregates of one racluster run. */
export class AggregationTable {
  readonly #spec: KeySpec;
  readonly #index = new Map<string, number>();
  readonly #records: CanonRecord[] = [];
  readonly #keys: string[] = [];
  /** Queue position of each aggregate: larger is later. */
  #stamps = new Float64Array(1024);
  #clock = 0;
  /** Bucket rings: head entry per bucket, next entry per entry. */
  readonly #head = new Int32Array(BUCKETS).fill(-1);
  #next = new Int32Array(1024);
  #prev = new Int32Array(1024);
  /** The one key length seen so far, -1 before any, -2 once mixed. */
  #keyLength = -1;

  constructor(spec: KeySpec) {
    this.#spec = spec;
  }

  /** Number of aggregates so far. */
  get size(): number {
    return this.#records.length;
  }

  /**
   * Adds a record loaded into `scratch` (which is masked in place and may
   * be reused by the caller afterwards).
   */
  add(scratch: CanonRecord): void {
    const spec = this.#spec;
    maskFlow(spec, scratch);
    if (spec.mask === 0) {
      this.#append(scratch, "", -1);
      return;
    }
    let key = keyOf(spec, scratch);
    if (key.length & 1) key += "\0";
    let sum = 0;
    for (let i = 0; i < key.length; i += 2) {
      sum += key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8);
    }
    const bucket = sum % BUCKETS;
    if (this.#keyLength === -1) this.#keyLength = key.length;
    else if (this.#keyLength !== key.length) this.#keyLength = -2;
    const at = this.#keyLength >= 0
      ? this.#index.get(key)
      : this.#search(bucket, key);
    if (at !== undefined) {
      this.#head[bucket] = at;
      mergeRecords(this.#records[at]!, scratch);
      this.#stamps[at] = ++this.#clock;
      return;
    }
    const i = this.#append(scratch, key, bucket);
    if (!this.#index.has(key)) this.#index.set(key, i);
  }

  /** ArgusFindRecord's walk round a bucket's ring. */
  #search(bucket: number, key: string): number | undefined {
    const head = this.#head[bucket]!;
    if (head < 0) return undefined;
    let e = head;
    do {
      const k = this.#keys[e]!;
      if (key.length === 0 || (k.length > 0 && k.startsWith(key))) return e;
      e = this.#next[e]!;
    } while (e !== head);
    return undefined;
  }

  #append(scratch: CanonRecord, key: string, bucket: number): number {
    const r = new CanonRecord();
    r.copyFrom(scratch);
    const i = this.#records.length;
    this.#records.push(r);
    this.#keys.push(key);
    if (i >= this.#stamps.length) {
      const stamps = new Float64Array(this.#stamps.length * 2);
      stamps.set(this.#stamps);
      this.#stamps = stamps;
      const next = new Int32Array(stamps.length);
      next.set(this.#next);
      this.#next = next;
      const prev = new Int32Array(stamps.length);
      prev.set(this.#prev);
      this.#prev = prev;
    }
    this.#stamps[i] = ++this.#clock;
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
    }
    return i;
  }

  /** The aggregates in argus's queue order. */
  inQueueOrder(): CanonRecord[] {
    const stamps = this.#stamps;
    const order = this.#records.map((_, i) => i);
    order.sort((a, b) => stamps[a]! - stamps[b]!);
    return order.map((i) => this.#records[i]!);
  }
}
