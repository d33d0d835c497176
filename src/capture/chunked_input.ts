/**
 * Big reads from a file or a pipe into two alternating buffers. Parsers look
 * at bytes in place; when a record straddles the end of a buffer its tail
 * moves to the other buffer, so bytes a batch points at stay put until the
 * batch after next (the ownership rule the savefile readers rely on).
 * @module
 */

/** Anything with a read(buffer) like Deno.FsFile and Deno.stdin. */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/** Default read size. */
export const CHUNK_BYTES = 4 << 20;

/** Double-buffered input; `buf[pos..end)` holds unread bytes. */
export class ChunkedInput {
  buf: Uint8Array;
  #other: Uint8Array;
  /** Next unread byte and end of the bytes read. */
  pos = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  eof = false;
  readonly #reader: ByteReader;

  constructor(reader: ByteReader, chunk = CHUNK_BYTES) {
    this.#reader = reader;
    this.buf = new Uint8Array(chunk);
    this.#other = new Uint8Array(chunk);
  }

  /** Bytes available without reading. */
  get available(): number {
    return this.end - this.pos;
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /**
   * Makes at least `n` bytes available at `pos`, reading as needed; the
   * unread tail may move to the other buffer. False at end of input.
   */
  async ensure(n: number): Promise<boolean> {
    if (this.end - this.pos >= n) return true;
    if (this.eof) return false;
    // Move the unread tail to the front of the other buffer (grown if a
    // single record needs more room).
    const tail = this.end - this.pos;
    let next = this.#other;
    if (next.length < n) next = new Uint8Array(Math.max(n, next.length * 2));
    next.set(this.buf.subarray(this.pos, this.end), 0);
    this.#other = this.buf;
    this.buf = next;
    this.base += this.pos;
    this.pos = 0;
    this.end = tail;
    while (this.end < n) {
      const got = await this.#reader.read(this.buf.subarray(this.end));
      if (got === null) {
        this.eof = true;
        return false;
      }
      this.end += got;
    }
    // Fill the rest of the buffer opportunistically when the source has it
    // (files do; pipes return what is there).
    if (this.end < this.buf.length >> 1) {
      const got = await this.#reader.read(this.buf.subarray(this.end));
      if (got === null) this.eof = true;
      else this.end += got;
    }
    return true;
  }
}
