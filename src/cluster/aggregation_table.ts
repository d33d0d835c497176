/**
 * AggregationTable: racluster's aggregator (RaProcessThisRecord): each
 * record's flow is masked, its key looked up, and it either starts a new
 * aggregate or is merged into the one found. argus keeps its aggregates on
 * a queue where a merged record moves to the end; that queue order is the
 * output order (before any -m sort), kept here as a touch stamp.
 * @module
 */

import { CanonRecord } from "./canon_record.ts";
import { keyOf, type KeySpec, maskFlow } from "./aggregation_key.ts";
import { mergeRecords } from "./merge_record.ts";

/** The aggregates of one racluster run. */
export class AggregationTable {
  readonly #spec: KeySpec;
  readonly #index = new Map<string, number>();
  readonly #records: CanonRecord[] = [];
  /** Queue position of each aggregate: larger is later. */
  #stamps = new Float64Array(1024);
  #clock = 0;

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
      this.#append(scratch);
      return;
    }
    const key = keyOf(spec, scratch);
    const at = this.#index.get(key);
    if (at !== undefined) {
      mergeRecords(this.#records[at]!, scratch);
      this.#stamps[at] = ++this.#clock;
      return;
    }
    this.#index.set(key, this.#append(scratch));
  }

  #append(scratch: CanonRecord): number {
    const r = new CanonRecord();
    r.copyFrom(scratch);
    const i = this.#records.length;
    this.#records.push(r);
    if (i >= this.#stamps.length) {
      const next = new Float64Array(this.#stamps.length * 2);
      next.set(this.#stamps);
      this.#stamps = next;
    }
    this.#stamps[i] = ++this.#clock;
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
