/**
 * Kept records as bytes, compactly: fixed-size chunks of raw record bytes
 * plus typed arrays of where each record starts and how long it is. No
 * object per record, and no copy of everything when it grows (a chunk
 * is never reallocated). rasort keeps every selected record here until
 * it sorts them.
 * @module
 */

/** Bytes per chunk (a record never spans two chunks). */
const CHUNK = 1 << 22;

/** Records appended in order, read back by index. */
export class RecordArena {
  readonly #chunks: Uint8Array[] = [];
  #fill = CHUNK;
  #chunkOf = new Int32Array(1024);
  #startOf = new Int32Array(1024);
  #lengthOf = new Int32Array(1024);
  #count = 0;

  /** Records kept so far. */
  get count(): number {
    return this.#count;
  }

  /** Copies a record in; returns its index. */
  add(buf: Uint8Array, start: number, length: number): number {
    if (this.#fill + length > this.#currentSize()) {
      this.#chunks.push(new Uint8Array(Math.max(CHUNK, length)));
      this.#fill = 0;
    }
    const i = this.#count++;
    if (i === this.#chunkOf.length) this.#grow();
    const chunk = this.#chunks.length - 1;
    this.#chunks[chunk]!.set(buf.subarray(start, start + length), this.#fill);
    this.#chunkOf[i] = chunk;
    this.#startOf[i] = this.#fill;
    this.#lengthOf[i] = length;
    this.#fill += length;
    return i;
  }

  /** The chunk holding record `i` (read with `start` and `length`). */
  bytes(i: number): Uint8Array {
    return this.#chunks[this.#chunkOf[i]!]!;
  }
  start(i: number): number {
    return this.#startOf[i]!;
  }
  length(i: number): number {
    return this.#lengthOf[i]!;
  }

  #currentSize(): number {
    return this.#chunks.at(-1)?.length ?? 0;
  }

  #grow(): void {
    const n = this.#chunkOf.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.#chunkOf = grow(this.#chunkOf);
    this.#startOf = grow(this.#startOf);
    this.#lengthOf = grow(this.#lengthOf);
  }
}
