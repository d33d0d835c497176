/**
 * RecordFramer: cuts a byte stream, fed in chunks of any size, into Argus 3
 * records (docs/record-format.md §1). A record split across chunks is
 * reassembled; records wholly inside a chunk are handed out in place. Bad
 * headers (another version, Argus 2, a zero length) and a stream ending
 * inside a record raise RecordFormatError with the record's byte offset.
 * @module
 */

import { RecordFormatError } from "./record_format_error.ts";
import { ARGUS_V2_COOKIE, ARGUS_VERSION } from "./record_header.ts";

const EMPTY = new Uint8Array(0);

/** Splits chunks into records; see next(). */
export class RecordFramer {
  readonly name: string;
  /** Bytes being framed: a caller's chunk, or `#store` holding a partial. */
  buf: Uint8Array = EMPTY;
  /** A view of all of `buf`. */
  view: DataView = new DataView(EMPTY.buffer);
  /** The current record (after next() returned true): start and length. */
  start = 0;
  length = 0;
  /** Offset of the current record in the whole stream. */
  offset = 0;
  /** Records framed so far. */
  count = 0;
  #pos = 0;
  #end = 0;
  /** Stream offset of `buf[0]`. */
  #base = 0;
  /** Owned storage for a record split across chunks. */
  #store: Uint8Array = EMPTY;

  /** @param name the stream's name, for errors ("-" is standard input) */
  constructor(name: string) {
    this.name = name;
  }

  /** Bytes received but not yet framed. */
  get pending(): number {
    return this.#end - this.#pos;
  }

  /** Stream offset of the first byte not yet framed. */
  get position(): number {
    return this.#base + this.#pos;
  }

  /**
   * Adds a chunk. Records from earlier chunks must have been taken with
   * next() first; the chunk may be reused by the caller once next() has
   * returned false.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.#end - this.#pos;
    if (rest === 0) {
      this.#base += this.#end;
      this.#use(chunk, chunk.length);
      return;
    }
    // Unframed bytes (normally a partial record next() moved to #store)
    // go first, then the chunk.
    const need = rest + chunk.length;
    if (this.#store.length < need) {
      const grown = new Uint8Array(
        Math.max(need, this.#store.length * 2, 4096),
      );
      grown.set(this.buf.subarray(this.#pos, this.#end));
      this.#store = grown;
    } else if (this.buf === this.#store) {
      this.#store.copyWithin(0, this.#pos, this.#end);
    } else {
      this.#store.set(this.buf.subarray(this.#pos, this.#end));
    }
    this.#store.set(chunk, rest);
    this.#base += this.#pos;
    this.#use(this.#store, need);
  }

  #use(buf: Uint8Array, end: number): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.#pos = 0;
    this.#end = end;
  }

  /**
   * Hands every whole record framed so far to `visit` (its bytes are valid
   * during the call only); false when `visit` returned false to stop.
   * @throws RecordFormatError on a header no Argus 3 record can have
   */
  drain(
    visit: (
      buf: Uint8Array,
      start: number,
      length: number,
      offset: number,
    ) => void | boolean,
  ): boolean {
    while (this.next()) {
      if (visit(this.buf, this.start, this.length, this.offset) === false) {
        return false;
      }
    }
    return true;
  }

  /**
   * Frames the next complete record into start/length/offset; false when
   * more bytes are needed.
   * @throws RecordFormatError on a header no Argus 3 record can have
   */
  next(): boolean {
    const b = this.buf, p = this.#pos, avail = this.#end - p;
    if (avail >= 4) {
      const type = b[p]!;
      if ((type & 0x0f) !== ARGUS_VERSION) this.#badVersion(p, avail);
      const length = ((b[p + 2]! << 8) | b[p + 3]!) * 4;
      if (length === 0) {
        throw new RecordFormatError(
          this.name,
          this.#base + p,
          "zero-length record header",
        );
      }
      if (length <= avail) {
        this.start = p;
        this.length = length;
        this.offset = this.#base + p;
        this.#pos = p + length;
        this.count++;
        return true;
      }
    }
    // Keep the partial record in owned storage: the chunk may be reused.
    if (avail > 0 && b !== this.#store) {
      if (this.#store.length < avail) {
        this.#store = new Uint8Array(Math.max(avail, 4096));
      }
      this.#store.set(b.subarray(p, this.#end));
      this.#base += p;
      this.#use(this.#store, avail);
    }
    return false;
  }

  #badVersion(p: number, avail: number): never {
    const b = this.buf;
    const offset = this.#base + p;
    const v2 = (b[p]! & 0x0f) === 2 ||
      (this.count === 0 && avail >= 12 &&
        this.view.getUint32(p + 8) === ARGUS_V2_COOKIE);
    throw new RecordFormatError(
      this.name,
      offset,
      v2
        ? "Argus version 2 records are not supported (convert them with a 3.x ra)"
        : `not an Argus 3 record (header bytes ${hex(b, p, 4)})`,
    );
  }

  /**
   * Ends the stream.
   * @throws RecordFormatError when it stops inside a record
   */
  finish(): void {
    const avail = this.#end - this.#pos;
    if (avail === 0) return;
    const offset = this.#base + this.#pos;
    if (avail < 4) {
      throw new RecordFormatError(
        this.name,
        offset,
        `truncated record header (${avail} of 4 bytes)`,
      );
    }
    const b = this.buf, p = this.#pos;
    const length = ((b[p + 2]! << 8) | b[p + 3]!) * 4;
    throw new RecordFormatError(
      this.name,
      offset,
      `truncated record (${avail} of ${length} bytes)`,
    );
  }
}

function hex(b: Uint8Array, p: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    s += (b[p + i] ?? 0).toString(16).padStart(2, "0");
  }
  return s;
}
