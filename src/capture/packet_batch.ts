/**
 * A batch of captured packets, the chunk every capture stage passes on: one
 * byte buffer and typed arrays of offsets, lengths, times and link types,
 * so the per-packet path reads numbers, never objects. Packet i is
 * `data.subarray(start[i], start[i] + caplen[i])`; hot code reads
 * `data[start[i] + k]` directly.
 * @module
 */

/** Packets per batch by default. */
export const BATCH_PACKETS = 4096;

/**
 * A reusable batch. Ownership: whoever fills a batch (a reader, a source)
 * may overwrite its arrays and the bytes `data` points at when it is asked
 * for the batch after next; a consumer that finishes one batch before
 * asking for the next never sees bytes change under it.
 */
export class PacketBatch {
  /** The packets' bytes; often a view of the reader's read buffer. */
  data: Uint8Array = new Uint8Array(0);
  /** Packets in the batch. */
  count = 0;
  /** Offset of each packet in `data`. */
  readonly start: Uint32Array;
  /** Bytes captured. */
  readonly caplen: Uint32Array;
  /** Bytes on the wire. */
  readonly wirelen: Uint32Array;
  /** Whole seconds of each timestamp. */
  readonly tsSec: Float64Array;
  /**
   * Microseconds. Finer timestamps are truncated, never rounded, as the
   * real argus (through libpcap) does: .999999999 s becomes .999999 s.
   */
  readonly tsUsec: Uint32Array;
  /** LINKTYPE_ value of each packet (pcapng interfaces may differ). */
  readonly linkType: Uint32Array;
  /** pcapng interface of each packet (0 for classic pcap). */
  readonly ifIndex: Uint32Array;

  constructor(capacity: number = BATCH_PACKETS) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create a packet batch: capacity must be a positive integer, got ${capacity}`,
      );
    }
    this.start = new Uint32Array(capacity);
    this.caplen = new Uint32Array(capacity);
    this.wirelen = new Uint32Array(capacity);
    this.tsSec = new Float64Array(capacity);
    this.tsUsec = new Uint32Array(capacity);
    this.linkType = new Uint32Array(capacity);
    this.ifIndex = new Uint32Array(capacity);
  }

  /** How many packets fit. */
  get capacity(): number {
    return this.start.length;
  }

  /** Packet i's captured bytes (a view; for tests and slow paths). */
  packet(i: number): Uint8Array {
    const s = this.start[i]!;
    return this.data.subarray(s, s + this.caplen[i]!);
  }
}
