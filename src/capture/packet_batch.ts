/**
 * A batch of captured packets: one byte buffer and typed arrays of offsets,
 * lengths and timestamps, so a stream chunk carries thousands of packets and
 * the hot path reads numbers, never objects. Packet i is
 * `data.subarray(start[i], start[i] + caplen[i])`.
 * @module
 */

/** Packets per batch by default. */
export const BATCH_PACKETS = 4096;

/** A reusable batch of packets. */
export class PacketBatch {
  /** Bytes of the packets (may be a view of the reader's chunk buffer). */
  data: Uint8Array = new Uint8Array(0);
  /** Packets in the batch. */
  count = 0;
  readonly start: Uint32Array;
  readonly caplen: Uint32Array;
  readonly wirelen: Uint32Array;
  /** Whole seconds of each timestamp. */
  readonly tsSec: Float64Array;
  /** Microseconds: nanosecond captures are truncated, as argus does. */
  readonly tsUsec: Uint32Array;
  /** Link type of each packet (pcapng interfaces may differ). */
  readonly linkType: Uint16Array;

  constructor(capacity = BATCH_PACKETS) {
    this.start = new Uint32Array(capacity);
    this.caplen = new Uint32Array(capacity);
    this.wirelen = new Uint32Array(capacity);
    this.tsSec = new Float64Array(capacity);
    this.tsUsec = new Uint32Array(capacity);
    this.linkType = new Uint16Array(capacity);
  }

  /** How many packets fit. */
  get capacity(): number {
    return this.start.length;
  }
}
