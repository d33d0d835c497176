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

/** Numbers per index slot: aggregate + 1, hash, place, length. */
const SLOT = 4;

/** The keys of the aggregates, and the index of exact keys. */
export class KeyIndex {
  readonly #chunks: Uint8Array[] = [];
  #used = 0;
  /** Where each aggregate's key is (chunk * CHUNK + offset) and its length. */
  #at = new Float64Array(1024);
  #length = new Uint16Array(1024);
  /**
   * Open addressing, SLOT numbers per slot: aggregate + 1 (0 for empty),
   * the key's hash, its place and its length. A lookup reads its slot and
   * the key's bytes, not three arrays by aggregate as well: on a table
   * colder than the CPU's caches each of those is a miss.
   */
  #slots = new Uint32Array(SLOT << 12);
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
    const slots = this.#slots;
    const mask = (slots.length / SLOT) - 1;
    for (let s = hash & mask;; s = (s + 1) & mask) {
      const at = s * SLOT;
      const e = slots[at]! - 1;
      if (e < 0) return -1;
      if (slots[at + 1] !== hash || slots[at + 3] !== n) continue;
      const where = slots[at + 2]!;
      const c = Math.floor(where / CHUNK), off = where - c * CHUNK;
      const chunk = this.#chunks[c]!;
      let i = 0;
      while (i < n && chunk[off + i] === key[i]) i++;
      if (i === n) return e;
    }
  }

  /** Indexes `entry` under its (stored) key, unless that key is indexed. */
  index(entry: number, key: Uint8Array, n: number, hash: number): void {
    if (this.find(key, n, hash) >= 0) return;
    if ((this.#filled + 1) * 2 * SLOT > this.#slots.length) this.#grow();
    this.#put(this.#slots, entry + 1, hash, this.#at[entry]!, n);
    this.#filled++;
  }

  /** Puts a slot's numbers into the first free slot from its hash's. */
  #put(
    slots: Uint32Array,
    v: number,
    hash: number,
    where: number,
    n: number,
  ): void {
    const mask = (slots.length / SLOT) - 1;
    let s = hash & mask;
    while (slots[s * SLOT] !== 0) s = (s + 1) & mask;
    const at = s * SLOT;
    slots[at] = v;
    slots[at + 1] = hash;
    slots[at + 2] = where;
    slots[at + 3] = n;
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += SLOT) {
      const v = old[at]!;
      if (v !== 0) {
        this.#put(slots, v, old[at + 1]!, old[at + 2]!, old[at + 3]!);
      }
    }
    this.#slots = slots;
  }
}
