/**
 * SortedRuns: rasort's spill to disk. Past its in-memory cap, rasort sorts
 * what it holds and writes it to a temporary file as one run (plain Argus
 * records), then goes on; at the end the runs are merged, the earlier run
 * winning ties, so the output is the stable sort of the whole input.
 * (Like glibc's qsort, which the real rasort uses, leaving its merge sort
 * for a quicksort when the array is too big for memory, the order of
 * records that compare equal to everything, such as records lacking a
 * sort field, may then differ from the in-memory order.)
 * @module
 */

import { ClientRecord } from "./client_record.ts";
import type { RecordArena } from "./record_arena.ts";
import { compareBy, type SortKey } from "./sort_keys.ts";

/** Output buffer of a run being written. */
const WRITE_BUFFER = 1 << 20;
/** Read buffer of a run being merged: two of the largest records fit. */
const READ_BUFFER = 1 << 19;

/** Reads one run's records in order, each valid until the next. */
class RunReader {
  readonly #file: Deno.FsFile;
  buf = new Uint8Array(READ_BUFFER);
  /** The current record: buf[start..start+length). */
  start = 0;
  length = 0;
  #pos = 0;
  #end = 0;
  #eof = false;

  constructor(path: string) {
    this.#file = Deno.openSync(path);
  }

  #ensure(n: number): boolean {
    if (this.#end - this.#pos >= n) return true;
    this.buf.copyWithin(0, this.#pos, this.#end);
    this.#end -= this.#pos;
    this.#pos = 0;
    while (!this.#eof && this.#end < n) {
      const got = this.#file.readSync(this.buf.subarray(this.#end));
      if (got === null) this.#eof = true;
      else this.#end += got;
    }
    return this.#end >= n;
  }

  /** Moves to the next record; false at the end of the run. */
  next(): boolean {
    this.#pos += this.length;
    this.length = 0;
    if (!this.#ensure(4)) return false;
    const length = (this.buf[this.#pos + 2]! << 8 | this.buf[this.#pos + 3]!) *
      4;
    // Runs are ours, written whole: anything else is a damaged disk.
    if (length === 0 || !this.#ensure(length)) {
      throw new Error("Cannot read back a sorted run: the file is damaged");
    }
    this.start = this.#pos;
    this.length = length;
    return true;
  }

  close(): void {
    this.#file.close();
  }
}

/** Sorted runs in a temporary directory, removed by `close`. */
export class SortedRuns {
  #dir: string | null = null;
  readonly #paths: string[] = [];

  /** Runs written so far. */
  get count(): number {
    return this.#paths.length;
  }

  /** Writes the records of `arena` in the order `order` as one run. */
  write(arena: RecordArena, order: Int32Array): void {
    this.#dir ??= Deno.makeTempDirSync({ prefix: "rasort-" });
    const path = `${this.#dir}/run${this.#paths.length}`;
    this.#paths.push(path);
    const file = Deno.openSync(path, { write: true, create: true });
    try {
      const out = new Uint8Array(WRITE_BUFFER);
      let fill = 0;
      const flush = () => {
        let off = 0;
        while (off < fill) off += file.writeSync(out.subarray(off, fill));
        fill = 0;
      };
      for (let k = 0; k < order.length; k++) {
        const rec = arena.read(order[k]!);
        if (fill + rec.length > out.length) flush();
        out.set(rec.bytes.subarray(rec.start, rec.start + rec.length), fill);
        fill += rec.length;
      }
      flush();
    } finally {
      file.close();
    }
  }

  /**
   * Merges the runs in sorted order, calling `emit` per record until it
   * returns false. `keys` are fresh keys of the sort (one slot per run);
   * `adjust` redoes on each decoded record what the reading did to it.
   */
  merge(
    keys: SortKey[],
    emit: (bytes: Uint8Array, start: number, length: number) => boolean,
    adjust?: (r: ClientRecord) => void,
  ): void {
    const readers = this.#paths.map((p) => new RunReader(p));
    try {
      const cmp = compareBy(keys);
      const r = new ClientRecord();
      const live: number[] = [];
      const load = (j: number): boolean => {
        const run = readers[j]!;
        if (!run.next()) return false;
        r.load(run.buf, run.start, run.length);
        adjust?.(r);
        for (const k of keys) k.add(r, j);
        return true;
      };
      for (let j = 0; j < readers.length; j++) if (load(j)) live.push(j);
      while (live.length > 0) {
        // `live` stays in run order: on a tie the earlier run wins.
        let best = 0;
        for (let i = 1; i < live.length; i++) {
          if (cmp(live[i]!, live[best]!) < 0) best = i;
        }
        const j = live[best]!;
        const run = readers[j]!;
        if (!emit(run.buf, run.start, run.length)) return;
        if (!load(j)) live.splice(best, 1);
      }
    } finally {
      for (const run of readers) run.close();
    }
  }

  /** Removes the runs. */
  close(): void {
    if (this.#dir !== null) Deno.removeSync(this.#dir, { recursive: true });
    this.#dir = null;
    this.#paths.length = 0;
  }
}
