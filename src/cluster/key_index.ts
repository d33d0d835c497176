/**
 * KeyIndex: the aggregation keys, stored as bytes in large chunks, with an
 * open-addressing hash index from a key to the first aggregate that has
 * exactly that key. No string or object per key: a million keys cost
 * their bytes and two small numbers each.
 * @module
 */

/**
 * Keys are stored in chunks of at most this many bytes (a place is chunk
 * * CHUNK + offset), the first ones smaller, doubling.
 */
const CHUNK = 1 << 22;
const FIRST_CHUNK = 1 << 14;

/** The keys of the aggregates, and the index of exact keys. */
export class KeyIndex {
  readonly #chunks: Uint8Array[] = [];
  #used = 0;
  /** Where each aggregate's key is (chunk * CHUNK + offset) and its length. */
  #at = new Float64Array(1024);
  #length = new Uint16Array(1024);
  /** Open addressing: aggregate + 1 per slot, 0 for empty. */
  #slots = new Int32Array(1 << 12);
  #filled = 0;

  /** FNV-1a over the key bytes. */
  static hash(key: Uint8Array, n: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    return h >>> 0;
  }

  /** Stores aggregate `entry`'s key (entries are added in order). */
  store(entry: number, key: Uint8Array, n: number): void {
    const last = this.#chunks[this.#chunks.length - 1];
    if (last === undefined || this.#used + n > last.length) {
      const size = Math.min(CHUNK, (last?.length ?? FIRST_CHUNK / 2) * 2);
      this.#chunks.push(new Uint8Array(Math.max(size, n)));
      this.#used = 0;
    }
    if (entry >= this.#at.length) {
      const at = new Float64Array(this.#at.length * 2);
      at.set(this.#at);
      this.#at = at;
      const length = new Uint16Array(at.length);
      length.set(this.#length);
      this.#length = length;
    }
    const c = this.#chunks.length - 1;
    this.#chunks[c]!.set(key.subarray(0, n), this.#used);
    this.#at[entry] = c * CHUNK + this.#used;
    this.#length[entry] = n;
    this.#used += n;
  }

  /** Whether aggregate `entry`'s key starts with key[0..n) (argus's rule). */
  startsWith(entry: number, key: Uint8Array, n: number): boolean {
    const len = this.#length[entry]!;
    if (n === 0) return true;
    if (len === 0 || len < n) return false;
    const where = this.#at[entry]!;
    const c = Math.floor(where / CHUNK), off = where - c * CHUNK;
    const chunk = this.#chunks[c]!;
    for (let i = 0; i < n; i++) if (chunk[off + i] !== key[i]) return false;
    return true;
  }

  /** Copies aggregate `entry`'s key into `out`; returns its length. */
  read(entry: number, out: Uint8Array): number {
    const n = this.#length[entry]!;
    const where = this.#at[entry]!;
    const c = Math.floor(where / CHUNK), off = where - c * CHUNK;
    out.set(this.#chunks[c]!.subarray(off, off + n));
    return n;
  }

  /** The first aggregate indexed with exactly this key, or -1. */
  find(key: Uint8Array, n: number, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let s = hash & mask;; s = (s + 1) & mask) {
      const e = this.#slots[s]! - 1;
      if (e < 0) return -1;
      if (this.#length[e] === n && this.startsWith(e, key, n)) return e;
    }
  }

  /** Indexes `entry` under its (stored) key, unless that key is indexed. */
  index(entry: number, key: Uint8Array, n: number, hash: number): void {
    if (this.find(key, n, hash) >= 0) return;
    if ((this.#filled + 1) * 2 > this.#slots.length) this.#grow();
    const mask = this.#slots.length - 1;
    let s = hash & mask;
    while (this.#slots[s] !== 0) s = (s + 1) & mask;
    this.#slots[s] = entry + 1;
    this.#filled++;
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    const key = new Uint8Array(1024);
    for (const v of old) {
      if (v === 0) continue;
      const e = v - 1, n = this.#length[e]!;
      const where = this.#at[e]!;
      const c = Math.floor(where / CHUNK), off = where - c * CHUNK;
      key.set(this.#chunks[c]!.subarray(off, off + n));
      let s = KeyIndex.hash(key, n) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = v;
    }
    this.#slots = slots;
  }
}
