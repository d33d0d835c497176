/**
 * RawDsr: a DSR this codec does not model (aggregation, behaviour, labels,
 * a layout argus never writes...), kept as its bytes so it round-trips
 * (docs/record-format.md §3).
 * @module
 */

/** An undecoded DSR, header included. */
export interface RawDsr {
  /** Type byte (`bytes[0]`), for quick filtering. */
  type: number;
  /**
   * Position among the record's DSRs (0 = first) where it was read; the
   * writer puts it back there. Use Infinity to append after the others.
   */
  index: number;
  /** The whole DSR, header included (a multiple of 4 bytes). */
  bytes: Uint8Array;
}
