/**
 * Reading a damaged record safely: a record too near the end of its
 * buffer is read from a copy followed by zeros, so fields a damaged DSR
 * length places past the record (argus reads them all the same) read the
 * bytes after it, or zeros, never past the buffer.
 * @module
 */

/** Bytes a reader may look past a record's end. */
export const RECORD_SLACK = 512;

/** One reusable zero-padded copy. */
export class PaddedCopy {
  #bytes = new Uint8Array(0);

  /**
   * `null` when `RECORD_SLACK` bytes follow the record in `buf`; else a
   * copy holding the record at offset 0, the bytes after it that exist,
   * then zeros.
   */
  around(buf: Uint8Array, start: number, length: number): Uint8Array | null {
    const need = length + RECORD_SLACK;
    if (start + need <= buf.length) return null;
    if (this.#bytes.length < need) this.#bytes = new Uint8Array(need);
    const tail = buf.subarray(start, start + need);
    this.#bytes.set(tail);
    this.#bytes.fill(0, tail.length, need);
    return this.#bytes;
  }
}
