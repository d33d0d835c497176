/**
 * One slab holding the keys of every tracked flow, so a new flow costs no
 * typed-array allocation: a flow keeps an offset and a size into it. Freed
 * slots are reused per size (keys come in a handful of sizes).
 * @module
 */

/** Flow keys, packed. */
export class KeyStore {
  /** Key words in native order (as FlowKey.words). */
  words: Uint32Array<ArrayBuffer>;
  #bytes: Uint8Array;
  #top = 0;
  readonly #free = new Map<number, number[]>();

  constructor(initialWords = 1 << 16) {
    this.words = new Uint32Array(initialWords);
    this.#bytes = new Uint8Array(this.words.buffer);
  }

  /** Key bytes (a view over the same memory; refreshed after growth). */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** Stores `size` words from `src`; returns the offset. */
  store(src: Uint32Array, size: number): number {
    let off = this.#free.get(size)?.pop();
    if (off === undefined) {
      if (this.#top + size > this.words.length) this.#grow(size);
      off = this.#top;
      this.#top += size;
    }
    const w = this.words;
    for (let i = 0; i < size; i++) w[off + i] = src[i]!;
    return off;
  }

  /** Gives a slot back. */
  release(offset: number, size: number): void {
    let list = this.#free.get(size);
    if (list === undefined) this.#free.set(size, list = []);
    list.push(offset);
  }

  #grow(need: number): void {
    let n = this.words.length * 2;
    while (n < this.#top + need) n *= 2;
    // transfer() frees the old slab now, not at the next full collection.
    this.words = new Uint32Array(this.words.buffer.transfer(n * 4));
    this.#bytes = new Uint8Array(this.words.buffer);
  }
}
