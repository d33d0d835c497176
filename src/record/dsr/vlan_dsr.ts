/**
 * VLAN DSR (type 0x40): the last 802.1Q tag (whole TCI, priority bits
 * included) seen in each direction; qualifier 0x01 src, 0x02 dst
 * (docs/record-format.md §9). The VLAN id is not part of the flow key.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** VLAN qualifier bits. */
export const VlanQual = { SRC: 0x01, DST: 0x02 } as const;

/** Tag control information per direction. */
export interface VlanDsr {
  subtype: number;
  qual: number;
  src: number;
  dst: number;
}

export function decodeVlan(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): VlanDsr | null {
  if (len !== 2) return null;
  return {
    subtype: b[p + 1]!,
    qual: b[p + 2]!,
    src: v.getUint16(p + 4),
    dst: v.getUint16(p + 6),
  };
}

export function encodeVlan(out: RecordBuffer, d: VlanDsr): void {
  out.dsr(0x40, d.subtype, d.qual, 2);
  out.u16(d.src);
  out.u16(d.dst);
}
