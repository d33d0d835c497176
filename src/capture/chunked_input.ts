/**
 * Big reads from a file or a pipe into a few rotating buffers, so parsers
 * look at records in place. Once input streams, the next chunk is read
 * ahead while the current one is parsed (the read runs off the main
 * thread), and the unread tail of a buffer moves into the headroom kept at
 * the front of the next one. Savefile readers call `beginBatch()` per
 * batch; then a buffer a batch points into is reused no earlier than the
 * batch after next (see PacketBatch).
 * @module
 */

/** Anything with a read(buffer) like Deno.FsFile and Deno.stdin. */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/**
 * Default buffer size: 256 KiB reads keep system calls rare (~4 per MB)
 * while the few buffers in rotation stay small.
 */
export const CHUNK_BYTES = 1 << 18;

/** Size of the first buffer. */
const FIRST_READ = 1 << 16;

/** Room in front of a read-ahead chunk for the previous buffer's tail. */
const HEADROOM = 1 << 16;

/** A buffer out of use and the last batch that pointed into it. */
interface Spare {
  bytes: Uint8Array;
  lastBatch: number;
}

/** Never pointed into by a batch. */
const NO_BATCH = -2;

/** Buffered input with read-ahead; `buf[pos..end)` holds the unread bytes. */
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
  readonly #reader: ByteReader;
  readonly #chunk: number;
  readonly #head: number;
  readonly #spares: Spare[] = [];
  /** Batches begun; -1 when not batching (any spare is free). */
  #batch = -1;
  /** The batch that last pointed into `buf`. */
  #bufBatch = NO_BATCH;
  /** The read ahead under way: its buffer (data at #head) and result. */
  #pendingBuf: Uint8Array | null = null;
  #pending: Promise<number | null> | null = null;
  #pendingError: unknown = null;

  constructor(reader: ByteReader, chunk: number = CHUNK_BYTES) {
    this.#reader = reader;
    this.#chunk = chunk;
    this.#head = Math.min(HEADROOM, chunk);
    // Start small: an input opened only for its header (all -r files are
    // opened up front) costs little; full-size buffers come with read-ahead.
    this.buf = new Uint8Array(Math.min(chunk, FIRST_READ));
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
   * Marks the start of a batch: the buffer the previous batch points into
   * stays untouched until the batch after this one begins.
   */
  beginBatch(): void {
    if (this.#batch < 0) this.#batch = 0;
    this.#bufBatch = this.#batch;
    this.#batch++;
  }

  /**
   * Makes at least `n` bytes available at `pos`, reading as needed; the
   * unread tail may move to another buffer (so `buf` and `pos` change).
   * @returns false when the input ends first (`available` says how much
   * there is)
   */
  async ensure(n: number): Promise<boolean> {
    while (this.end - this.pos < n) {
      if (this.eof) return false;
      if (this.#pending === null) {
        // Reads in place while the record fits and reads would not be
        // small (the first reads, pipes that deliver a little at a time).
        const room = this.buf.length - this.end;
        if (this.pos + n <= this.buf.length && room >= this.#chunk >> 3) {
          const got = await this.#reader.read(this.buf.subarray(this.end));
          if (got === null) this.eof = true;
          else this.end += got;
          continue;
        }
        this.#readAhead(n);
      }
      await this.#switchToPending();
    }
    return true;
  }

  /** Starts reading the next chunk into a free buffer, after headroom. */
  #readAhead(n: number): void {
    const size = this.#head + Math.max(this.#chunk, n);
    const target = this.#freeBuffer(size);
    this.#pendingBuf = target;
    this.#pendingError = null;
    // Caught here: closing the input while a read is under way must not
    // become an unhandled rejection; ensure() rethrows it.
    this.#pending = this.#reader.read(target.subarray(this.#head)).catch(
      (e: unknown) => {
        this.#pendingError = e ?? new Error("read failed");
        return null;
      },
    );
  }

  /** Waits for the read ahead and makes its buffer current. */
  async #switchToPending(): Promise<void> {
    const got = await this.#pending!;
    const next = this.#pendingBuf!;
    this.#pending = this.#pendingBuf = null;
    if (this.#pendingError !== null) {
      this.#spares.push({ bytes: next, lastBatch: NO_BATCH });
      const e = this.#pendingError;
      this.#pendingError = null;
      throw e;
    }
    if (got === null) {
      this.eof = true;
      this.#spares.push({ bytes: next, lastBatch: NO_BATCH });
      return;
    }
    const head = this.#head, tail = this.end - this.pos;
    const old = this.buf;
    this.#spares.push({ bytes: old, lastBatch: this.#bufBatch });
    if (tail <= head) {
      next.set(old.subarray(this.pos, this.end), head - tail);
      this.buf = next;
      this.base += this.end - head;
      this.pos = head - tail;
      this.end = head + got;
    } else {
      // A record longer than the headroom: gather it in a buffer of its own.
      const big = new Uint8Array(tail + got + this.#chunk);
      big.set(old.subarray(this.pos, this.end), 0);
      big.set(next.subarray(head, head + got), tail);
      this.#spares.push({ bytes: next, lastBatch: NO_BATCH });
      this.buf = big;
      this.base += this.pos;
      this.pos = 0;
      this.end = tail + got;
    }
    this.#bufBatch = NO_BATCH;
    // Read ahead at once when this buffer is full: the read then runs
    // while its packets are parsed.
    if (this.buf.length - this.end < this.#chunk >> 3) this.#readAhead(0);
  }

  /** A spare no batch still points into, of at least `size` bytes. */
  #freeBuffer(size: number): Uint8Array {
    const spares = this.#spares;
    for (let i = 0; i < spares.length; i++) {
      const s = spares[i]!;
      if (s.bytes.length < size) {
        // Too small for any later read ahead: let it go.
        spares.splice(i--, 1);
        continue;
      }
      if (this.#batch < 0 || s.lastBatch <= this.#batch - 2) {
        spares.splice(i, 1);
        return s.bytes;
      }
    }
    return new Uint8Array(size);
  }
}
