/**
 * BoundedAggregation: racluster's aggregation (AggregationTable) in
 * bounded memory. Past a cap of aggregates the table is spilled to
 * partition files by bits of argus's hash bucket, and later records go
 * straight to their bucket's partition; at the end each partition is
 * aggregated on its own (spilling again, by the next bits, if it is still
 * too big) and the partitions' outputs are merged by queue position.
 *
 * Why buckets and not merged partial aggregates: argus's merge is not
 * associative (float AGR statistics, idle times, TCP sequence rules), and
 * a record with a short key may merge with a longer key's aggregate of the
 * same bucket (ArgusFindRecord's prefix match). A bucket's aggregates
 * always share a partition, and get their records one by one in input
 * order, into the same ring, so every record is merged as in memory and
 * the output is the in-memory one byte for byte. The price is disk: each
 * record after the first spill is written once per partition level (about
 * the size of the rest of the input, in $TMPDIR).
 * @module
 */

import type { CanonRecord } from "./canon_record.ts";
import {
  KEY_BYTES,
  keyBytes,
  type KeySpec,
  maskFlow,
} from "./aggregation_key.ts";
import { AggregationTable, bucketOf } from "./aggregation_table.ts";
import { removeSpill, type SpillDir } from "./spill_dir.ts";
import {
  SPILL_AGGREGATE,
  SPILL_RECORD,
  SpillReader,
  SpillWriter,
} from "./spill_file.ts";

/** At most 2^6 partitions per spill, by the bucket's next six bits. */
const FANOUT_BITS = 6;
/** Bucket numbers have 16 bits: once all are used a table just grows. */
const BUCKET_BITS = 16;

/** Receives aggregates in queue order; false stops. */
export type AggregateSink = (r: CanonRecord, stamp: number) => boolean;

/** The aggregates of one racluster run, or of one partition of it. */
export class BoundedAggregation {
  readonly #spec: KeySpec;
  readonly #cap: number;
  /** The bucket bits partitions above this one used up. */
  readonly #shift: number;
  /** Bits this level partitions by, once spilled. */
  #bits = 0;
  /** At most this many aggregates will come (entries of a partition). */
  readonly #expected: number;
  readonly #dir: SpillDir;
  /** The aggregates in memory (null once this level has partitions). */
  #table: AggregationTable | null;
  /** Partition files (keyed), once spilled. */
  #parts: SpillWriter[] | null = null;
  /** Runs of output in queue order (keyless tables spill these). */
  readonly #runs: string[] = [];
  /** Queue positions handed out (the top level keeps the clock). */
  #clock = 0;

  /**
   * `cap`: aggregates held in memory before a spill; `dir` receives the
   * spill files (the caller closes it). A partition is aggregated by a
   * table with `shift` bucket bits used and `expected` entries to come.
   */
  constructor(
    spec: KeySpec,
    cap: number,
    dir: SpillDir,
    shift = 0,
    expected = Infinity,
  ) {
    this.#spec = spec;
    this.#cap = Math.max(1, cap);
    this.#dir = dir;
    this.#shift = shift;
    this.#expected = expected;
    // Partitions keep no restored records (see AggregationTable).
    this.#table = new AggregationTable(spec, shift === 0 ? undefined : 0);
  }

  /** Whether anything went to disk. */
  get spilled(): boolean {
    return this.#parts !== null || this.#runs.length > 0;
  }

  /** Adds an input record (masked in place), next in queue order. */
  add(scratch: CanonRecord): void {
    this.#put(scratch, ++this.#clock);
  }

  /** Adds a record with its queue position. */
  #put(r: CanonRecord, stamp: number): void {
    if (this.#parts !== null) {
      maskFlow(this.#spec, r);
      const n = keyBytes(this.#spec, r);
      this.#partition(KEY_BYTES, n).write(
        SPILL_RECORD,
        r,
        stamp,
        KEY_BYTES,
        -1,
      );
      return;
    }
    const table = this.#table!;
    table.add(r, stamp);
    if (table.size > this.#cap) this.#spill();
  }

  /** Takes in a spilled aggregate (see AggregationTable.adopt). */
  #adopt(r: CanonRecord, stamp: number, key: Uint8Array, n: number): void {
    if (this.#parts !== null) {
      this.#partition(key, n).write(SPILL_AGGREGATE, r, stamp, key, n);
      return;
    }
    const table = this.#table!;
    table.adopt(r, stamp, key, n);
    if (table.size > this.#cap) this.#spill();
  }

  /** The partition file of key[0..n). */
  #partition(key: Uint8Array, n: number): SpillWriter {
    const bits = (bucketOf(key, n) >>> this.#shift) & ((1 << this.#bits) - 1);
    return this.#parts![bits]!;
  }

  /** Moves the table to disk. */
  #spill(): void {
    const table = this.#table!;
    if (this.#spec.mask === 0) {
      // Keyless: nothing ever merges, so what is held is final output,
      // in queue order, and the queue goes on after it.
      const run = new SpillWriter(this.#dir.file("run"));
      try {
        table.forEach(null, (r, stamp) => {
          run.write(SPILL_AGGREGATE, r, stamp, KEY_BYTES, -1);
          return true;
        });
      } finally {
        run.close();
      }
      this.#runs.push(run.path);
      this.#table = new AggregationTable(this.#spec);
      return;
    }
    const left = BUCKET_BITS - this.#shift;
    if (left <= 0) return;
    // A partition's size is known: as many parts as make each fit twice
    // over (few files for a partition just over the cap).
    const need = Math.ceil((2 * this.#expected) / this.#cap);
    this.#bits = Math.min(
      FANOUT_BITS,
      left,
      Math.max(1, Math.ceil(Math.log2(need))),
    );
    this.#parts = Array.from(
      { length: 1 << this.#bits },
      () => new SpillWriter(this.#dir.file("part")),
    );
    this.#table = null;
    table.drain((r, stamp, key, n) => this.#adopt(r, stamp, key, n));
  }

  /**
   * Hands each aggregate to `fn` in argus's queue order, or sorted by
   * `order` (see AggregationTable.forEach) when nothing was spilled.
   */
  forEach(
    order: ((a: CanonRecord, b: CanonRecord) => number) | null,
    fn: AggregateSink,
  ): void {
    if (!this.spilled) {
      this.#table!.forEach(order, fn);
      return;
    }
    if (order !== null) {
      throw new Error("BoundedAggregation: a spilled table sorts outside");
    }
    if (this.#parts === null) this.#emitRuns(fn);
    else this.#emitPartitions(fn);
  }

  /** Keyless: the runs, then what is held, one after the other. */
  #emitRuns(fn: AggregateSink): void {
    for (const path of this.#runs) {
      const reader = new SpillReader(path);
      try {
        while (reader.next()) {
          if (!fn(reader.record, reader.stamp)) return;
        }
      } finally {
        reader.close();
      }
    }
    this.#table!.forEach(null, fn);
  }

  /**
   * Aggregates each partition on its own into a run in queue order, then
   * merges the runs by queue position (positions are unique: each is one
   * record's, and that record is in one aggregate).
   */
  #emitPartitions(fn: AggregateSink): void {
    const runs: string[] = [];
    for (const part of this.#parts!) {
      part.close();
      if (part.count === 0) continue;
      const child = new BoundedAggregation(
        this.#spec,
        this.#cap,
        this.#dir,
        this.#shift + this.#bits,
        part.count,
      );
      const reader = new SpillReader(part.path);
      try {
        while (reader.next()) {
          const r = reader.record;
          if (reader.kind === SPILL_RECORD) child.#put(r, reader.stamp);
          else child.#adopt(r, reader.stamp, reader.key, reader.keyLength);
        }
      } finally {
        reader.close();
      }
      removeSpill(part.path);
      const run = new SpillWriter(this.#dir.file("run"));
      try {
        child.forEach(null, (r, stamp) => {
          run.write(SPILL_AGGREGATE, r, stamp, KEY_BYTES, -1);
          return true;
        });
      } finally {
        run.close();
      }
      if (run.count > 0) runs.push(run.path);
    }
    this.#parts = [];
    mergeByStamp(runs, fn);
  }
}

/** Merges runs in queue order into `fn`, removing them. */
function mergeByStamp(paths: string[], fn: AggregateSink): void {
  const readers: SpillReader[] = [];
  try {
    for (const p of paths) readers.push(new SpillReader(p));
    const live = readers.filter((r) => r.next());
    while (live.length > 0) {
      let best = 0;
      for (let i = 1; i < live.length; i++) {
        if (live[i]!.stamp < live[best]!.stamp) best = i;
      }
      const r = live[best]!;
      if (!fn(r.record, r.stamp)) return;
      if (!r.next()) live.splice(best, 1);
    }
  } finally {
    for (const r of readers) {
      r.close();
      removeSpill(r.path);
    }
  }
}
