/**
 * The flow table: open addressing with linear probing over a typed array
 * of hashes and an array of flows, keyed by the flow key's words. No
 * strings or objects are built per packet; deletion shifts entries back so
 * no tombstones accumulate. Hashes are never 0, so a 0 marks an empty slot
 * and probing reads the flows only where a hash matches.
 * @module
 */

import type { Flow } from "./flow.ts";
import type { FlowKey } from "./flow_key.ts";
import type { KeyStore } from "./key_store.ts";

/** Flows by key. */
export class FlowTable {
  #mask: number;
  #hashes: Int32Array;
  #flows: (Flow | undefined)[];
  #count = 0;
  readonly #keys: KeyStore;

  constructor(keys: KeyStore, initialCapacity = 1 << 14) {
    this.#keys = keys;
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.#mask = cap - 1;
    this.#hashes = new Int32Array(cap);
    this.#flows = new Array<Flow | undefined>(cap);
  }

  /** Number of flows held. */
  get size(): number {
    return this.#count;
  }

  /** The flow with this key, or undefined. */
  find(key: FlowKey, hash: number): Flow | undefined {
    const mask = this.#mask;
    const flows = this.#flows;
    const hashes = this.#hashes;
    const store = this.#keys.words;
    for (let i = hash & mask;; i = (i + 1) & mask) {
      const h = hashes[i];
      if (h === 0) return undefined;
      if (h === hash) {
        const f = flows[i]!;
        if (key.matches(store, f.keyOffset, f.keySize)) return f;
      }
    }
  }

  /** Inserts a flow (its key must not be present). */
  insert(flow: Flow): void {
    if ((this.#count + 1) * 2 > this.#mask + 1) this.#grow();
    this.#place(flow);
    this.#count++;
  }

  /** Removes a flow that is in the table. */
  remove(flow: Flow): void {
    const mask = this.#mask;
    const flows = this.#flows;
    const hashes = this.#hashes;
    let i = flow.slot;
    if (i < 0 || flows[i] !== flow) return;
    flow.slot = -1;
    this.#count--;
    // Backward-shift deletion keeps every probe chain unbroken.
    for (let j = (i + 1) & mask;; j = (j + 1) & mask) {
      const f = flows[j];
      if (f === undefined) break;
      const home = hashes[j]! & mask;
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      flows[i] = f;
      hashes[i] = hashes[j]!;
      f.slot = i;
      i = j;
    }
    flows[i] = undefined;
    hashes[i] = 0;
  }

  /** Every flow, in table order (for shutdown). */
  *all(): IterableIterator<Flow> {
    for (const f of this.#flows) if (f !== undefined) yield f;
  }

  #place(flow: Flow): void {
    const mask = this.#mask;
    const flows = this.#flows;
    let i = flow.keyHash & mask;
    while (flows[i] !== undefined) i = (i + 1) & mask;
    flows[i] = flow;
    this.#hashes[i] = flow.keyHash;
    flow.slot = i;
  }

  #grow(): void {
    const old = this.#flows;
    const cap = (this.#mask + 1) * 2;
    this.#mask = cap - 1;
    this.#hashes = new Int32Array(cap);
    this.#flows = new Array<Flow | undefined>(cap);
    for (const f of old) if (f !== undefined) this.#place(f);
  }
}
