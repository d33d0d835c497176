/**
 * Encapsulation DSR (type 0x20): the link encapsulations seen in each
 * direction, as bit sets (docs/record-format.md §9): 0x01 MPLS, 0x02
 * Ethernet, 0x04 802.1Q, 0x08 LLC, 0x10 PPP, 0x20 ISL, 0x40 GRE, 0x80 AH,
 * 0x2000 Linux cooked. argus writes it on every flow record.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** Encapsulation bits per direction. */
export interface EncapsDsr {
  subtype: number;
  qual: number;
  src: number;
  dst: number;
}

export function decodeEncaps(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): EncapsDsr | null {
  if (len !== 3) return null;
  return {
    subtype: b[p + 1]!,
    qual: b[p + 2]!,
    src: v.getUint32(p + 4),
    dst: v.getUint32(p + 8),
  };
}

export function encodeEncaps(out: RecordBuffer, d: EncapsDsr): void {
  out.dsr(0x20, d.subtype, d.qual, 3);
  out.u32(d.src);
  out.u32(d.dst);
}
