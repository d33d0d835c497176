/**
 * Big reads from a file or a pipe into two alternating buffers, so parsers
 * look at records in place. When a record straddles the end of a buffer,
 * the unread tail moves to the front of the other one. Savefile readers
 * call `beginBatch()` per batch; then a buffer a batch points into is
 * reused no earlier than the batch after next (see PacketBatch).
 * @module
 */

/** Anything with a read(buffer) like Deno.FsFile and Deno.stdin. */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/** Default buffer size: 1 MiB reads keep system calls rare. */
export const CHUNK_BYTES = 1 << 20;

/** Size of the first buffer. */
const FIRST_READ = 1 << 16;

/** Double-buffered input; `buf[pos..end)` holds the unread bytes. */
export class ChunkedInput {
  /** The current buffer. */
  buf: Uint8Array;
  /** Next unread byte of `buf`. */
  pos = 0;
  /** End of the bytes read into `buf`. */
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  /** The reader has reported the end of its input. */
  eof = false;
  #other: Uint8Array;
  readonly #reader: ByteReader;
  readonly #chunk: number;
  /** Swaps since beginBatch(); -1 when not batching (any swap is fine). */
  #swaps = -1;

  constructor(reader: ByteReader, chunk: number = CHUNK_BYTES) {
    this.#reader = reader;
    this.#chunk = chunk;
    // Start small: an input opened only for its header (all -r files are
    // opened up front) costs little; full-size buffers come at the first
    // swap.
    this.buf = new Uint8Array(Math.min(chunk, FIRST_READ));
    this.#other = new Uint8Array(0);
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
   * Marks the start of a batch: until the next mark, at most one swap
   * reuses the other buffer (the one the previous batch may point into);
   * a second swap gets a fresh buffer instead.
   */
  beginBatch(): void {
    this.#swaps = 0;
  }

  /**
   * Makes at least `n` bytes available at `pos`, reading as needed; the
   * unread tail may move to the other buffer (so `buf` and `pos` change).
   * @returns false when the input ends first (`available` says how much
   * there is)
   */
  async ensure(n: number): Promise<boolean> {
    if (this.end - this.pos >= n) return true;
    if (this.eof) return false;
    // Move to the other buffer when the record cannot fit, or when so
    // little room is left that reads would be small.
    const room = this.buf.length - this.end;
    if (this.pos + n > this.buf.length || room < this.#chunk >> 3) {
      this.#swap(n);
    }
    while (this.end - this.pos < n) {
      const got = await this.#reader.read(this.buf.subarray(this.end));
      if (got === null) {
        this.eof = true;
        return false;
      }
      this.end += got;
    }
    return true;
  }

  #swap(n: number): void {
    const tail = this.end - this.pos;
    let next = this.#other;
    const size = Math.max(n, this.#chunk);
    if (this.#swaps > 0 || next.length < size) next = new Uint8Array(size);
    if (this.#swaps >= 0) this.#swaps++;
    next.set(this.buf.subarray(this.pos, this.end), 0);
    this.#other = this.buf;
    this.buf = next;
    this.base += this.pos;
    this.pos = 0;
    this.end = tail;
  }
}
