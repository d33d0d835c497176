/**
 * A flow key: the body of the flow DSR exactly as the record carries it
 * (wire bytes), plus its DSR header fields. Two packets belong to one flow
 * when their key bytes are equal; which side is "source" is decided when
 * the key is built (argus's ArgusThisFlow and ArgusCreateFlowKey).
 * @module
 */

/** Most 32-bit words a flow key holds (argus's in-memory RARP flow). */
export const MAX_KEY_WORDS = 19;

/** A mutable flow key; the engine keeps one and reuses it for every packet. */
export class FlowKey {
  /** Flow DSR subtype (CLASSIC5TUPLE, ARP, ... plus REVERSE). */
  subtype = 0;
  /** Flow DSR qualifier (address type, DIRECTION, FRAGMENT). */
  qual = 0;
  /** Number of body words (the DSR length minus its header word). */
  size = 0;
  /** Body bytes in record (network) order. */
  readonly bytes: Uint8Array;
  /** The same bytes as native words, for hashing and comparing only. */
  readonly words: Uint32Array;
  readonly #view: DataView;
  /** The packet ran from the key's destination to its source. */
  reversed = false;

  constructor() {
    this.bytes = new Uint8Array(MAX_KEY_WORDS * 4);
    this.words = new Uint32Array(this.bytes.buffer);
    this.#view = new DataView(this.bytes.buffer);
  }

  /** Clears the key before a builder fills it. */
  reset(): void {
    this.subtype = 0;
    this.qual = 0;
    this.size = 0;
    this.reversed = false;
    // A loop beats TypedArray.fill's call overhead for 19 words.
    const w = this.words;
    for (let i = 0; i < MAX_KEY_WORDS; i++) w[i] = 0;
  }

  /** Writes a big-endian 32-bit value at byte offset `at`. */
  put32(at: number, value: number): void {
    this.#view.setUint32(at, value >>> 0);
  }

  /** Writes a big-endian 16-bit value at byte offset `at`. */
  put16(at: number, value: number): void {
    this.#view.setUint16(at, value & 0xffff);
  }

  /** Writes a byte at offset `at`. */
  put8(at: number, value: number): void {
    this.bytes[at] = value;
  }

  /** Big-endian 32-bit value at byte offset `at`. */
  get32(at: number): number {
    return this.#view.getUint32(at);
  }

  /**
   * A hash of the body words as a signed 32-bit number (a small integer to
   * V8: no boxed number per flow); never 0 (the flow table's empty mark).
   */
  hash(): number {
    const w = this.words;
    let h = this.size;
    for (let i = 0; i < this.size; i++) {
      h = Math.imul(h ^ (w[i] ?? 0), 0x9e3779b1);
      h ^= h >>> 15;
    }
    return (h | 0) || 1;
  }

  /** Whether `size` stored words at `offset` of `store` equal this key. */
  matches(store: Uint32Array, offset: number, size: number): boolean {
    const n = this.size;
    if (size !== n) return false;
    const w = this.words;
    for (let i = 0; i < n; i++) if (w[i] !== store[offset + i]) return false;
    return true;
  }

  /** The IP protocol the key names (0 when it is not an IP key). */
  proto(): number {
    const type = this.qual & 0x1f;
    return type === 0x01 ? this.bytes[8]! : type === 0x02 ? this.bytes[32]! : 0;
  }
}
