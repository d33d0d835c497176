/**
 * Packet size DSR (type 0x12, `argus -Z`): smallest and largest packet per
 * direction (docs/record-format.md §9). argus writes 16-bit values: both
 * directions (qualifier 0x02, 3 words) or one (0x06 src / 0x0a dst, 2
 * words), and leaves the DSR out when neither side has a size. Other forms
 * (32-bit, histograms) are left raw.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** Minimum and maximum packet sizes; 0/0 for a direction without packets. */
export interface PacketSizeDsr {
  subtype: number;
  srcMin: number;
  srcMax: number;
  dstMin: number;
  dstMax: number;
}

export function decodePacketSize(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): PacketSizeDsr | null {
  const subtype = b[p + 1]!, qual = b[p + 2]!;
  const both = qual === 0x02, src = both || qual === 0x06;
  const dst = both || qual === 0x0a;
  if (subtype !== 0 || (!src && !dst) || len !== (both ? 3 : 2)) return null;
  const d: PacketSizeDsr = {
    subtype,
    srcMin: 0,
    srcMax: 0,
    dstMin: 0,
    dstMax: 0,
  };
  let at = p + 4;
  if (src) {
    d.srcMin = v.getUint16(at);
    d.srcMax = v.getUint16(at + 2);
    at += 4;
  }
  if (dst) {
    d.dstMin = v.getUint16(at);
    d.dstMax = v.getUint16(at + 2);
  }
  // Keep it raw unless the writer would choose this same form.
  const form = d.srcMax > 0
    ? (d.dstMax > 0 ? 0x02 : 0x06)
    : d.dstMax > 0
    ? 0x0a
    : 0;
  return form === qual ? d : null;
}

/** Whether argus would write this DSR at all (a side has a maximum). */
export function hasPacketSize(d: PacketSizeDsr): boolean {
  return d.srcMax > 0 || d.dstMax > 0;
}

export function encodePacketSize(out: RecordBuffer, d: PacketSizeDsr): void {
  const src = d.srcMax > 0, dst = d.dstMax > 0;
  if (src && dst) {
    out.dsr(0x12, d.subtype, 0x02, 3);
    out.u16(d.srcMin);
    out.u16(d.srcMax);
    out.u16(d.dstMin);
    out.u16(d.dstMax);
  } else if (src) {
    out.dsr(0x12, d.subtype, 0x06, 2);
    out.u16(d.srcMin);
    out.u16(d.srcMax);
  } else if (dst) {
    out.dsr(0x12, d.subtype, 0x0a, 2);
    out.u16(d.dstMin);
    out.u16(d.dstMax);
  }
}
