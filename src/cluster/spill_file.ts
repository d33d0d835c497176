/**
 * A racluster spill file (ours, not argus's): records and aggregates in
 * their saved form (saved_record.ts), each with its queue position and,
 * for an aggregate, the key it was filed under. Written and read back in
 * order by one process, so it has no version and no byte-order marks.
 * @module
 */

import { CanonRecord } from "./canon_record.ts";
import { restore, save, savedSize } from "./saved_record.ts";

/** What an entry is, and so what becomes of it when it is read back. */
export type SpillKind = typeof SPILL_RECORD | typeof SPILL_AGGREGATE;
/** A masked input record, to add (look up, then merge or insert). */
export const SPILL_RECORD = 0;
/** An aggregate (with its key, if any), to adopt as it is. */
export const SPILL_AGGREGATE = 1;

/**
 * Entry header: length of the whole entry (u32), queue position (f64),
 * kind (u8), key length + 1 (u16; 0: no key).
 */
const HEAD = 15;
const WRITE_BUFFER = 1 << 17;
const EMPTY = new Uint8Array(0);

/**
 * Appends entries to a new file, made at the first entry (a spill has
 * dozens of partitions, and small ones may get none).
 */
export class SpillWriter {
  #file: Deno.FsFile | null = null;
  #buf = EMPTY;
  #view = new DataView(this.#buf.buffer);
  #fill = 0;
  /** Entries written. */
  count = 0;

  constructor(readonly path: string) {}

  /** Writes `r` with its position and key key[0..n) (n < 0: none). */
  write(
    kind: SpillKind,
    r: CanonRecord,
    stamp: number,
    key: Uint8Array,
    n: number,
  ): void {
    const keyLength = n < 0 ? 0 : n;
    const size = HEAD + keyLength + savedSize(r);
    if (this.#fill + size > this.#buf.length) {
      this.#flush();
      if (size > this.#buf.length) {
        this.#buf = new Uint8Array(Math.max(size, WRITE_BUFFER));
        this.#view = new DataView(this.#buf.buffer);
      }
    }
    const v = this.#view, at = this.#fill;
    v.setUint32(at, size, true);
    v.setFloat64(at + 4, stamp, true);
    v.setUint8(at + 12, kind);
    v.setUint16(at + 13, n < 0 ? 0 : n + 1, true);
    this.#buf.set(key.subarray(0, keyLength), at + HEAD);
    this.#fill = save(r, this.#buf, v, at + HEAD + keyLength);
    this.count++;
  }

  #flush(): void {
    if (this.#fill === 0) return;
    this.#file ??= Deno.openSync(this.path, { write: true, createNew: true });
    let off = 0;
    while (off < this.#fill) {
      off += this.#file.writeSync(this.#buf.subarray(off, this.#fill));
    }
    this.#fill = 0;
  }

  /** Writes what is buffered and closes the file (if there is one). */
  close(): void {
    this.#flush();
    this.#file?.close();
    this.#file = null;
    this.#buf = EMPTY;
  }
}

/** Reads a spill file's entries in order into one reused record. */
export class SpillReader {
  readonly #file: Deno.FsFile;
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;
  #end = 0;
  #eof = false;
  /** The current entry: its record, position, kind and key. */
  readonly record = new CanonRecord();
  stamp = 0;
  kind: SpillKind = SPILL_RECORD;
  readonly key = new Uint8Array(1024);
  /** Key length, -1 for none. */
  keyLength = -1;

  constructor(readonly path: string, bufferSize = 1 << 16) {
    this.#file = Deno.openSync(path);
    this.#buf = new Uint8Array(bufferSize);
    this.#view = new DataView(this.#buf.buffer);
  }

  #ensure(n: number): boolean {
    if (this.#end - this.#pos >= n) return true;
    if (n > this.#buf.length) {
      const buf = new Uint8Array(n);
      buf.set(this.#buf.subarray(this.#pos, this.#end));
      this.#buf = buf;
      this.#view = new DataView(buf.buffer);
    } else this.#buf.copyWithin(0, this.#pos, this.#end);
    this.#end -= this.#pos;
    this.#pos = 0;
    while (!this.#eof && this.#end < n) {
      const got = this.#file.readSync(this.#buf.subarray(this.#end));
      if (got === null) this.#eof = true;
      else this.#end += got;
    }
    return this.#end >= n;
  }

  /** Reads the next entry; false at the end of the file. */
  next(): boolean {
    if (!this.#ensure(4)) {
      // Ours, written whole: a partial entry is a damaged disk.
      if (this.#end > this.#pos) throw damaged(this.path);
      return false;
    }
    const size = this.#view.getUint32(this.#pos, true);
    if (size < HEAD + 4 || !this.#ensure(size)) throw damaged(this.path);
    const v = this.#view, at = this.#pos;
    this.stamp = v.getFloat64(at + 4, true);
    this.kind = v.getUint8(at + 12) as SpillKind;
    this.keyLength = v.getUint16(at + 13, true) - 1;
    const n = Math.max(0, this.keyLength);
    this.key.set(this.#buf.subarray(at + HEAD, at + HEAD + n));
    restore(this.record, this.#buf, v, at + HEAD + n);
    this.#pos += size;
    return true;
  }

  close(): void {
    this.#file.close();
  }
}

function damaged(path: string): Error {
  return new Error(`Cannot read back racluster's spill file "${path}"`);
}
