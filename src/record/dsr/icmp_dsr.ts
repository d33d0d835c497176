/**
 * Mapped ICMP DSR (type 0x34): put on the flow an ICMP error refers to
 * (docs/record-format.md §9): type, code, ICMP bytes 6-7, the ICMP
 * packet's addresses, the quoted header's addresses and ICMP bytes 4-7,
 * network order. argus writes 8 words, one past the structure; the spare
 * word is zero. Qualifier: 0x01 unreachable, 0x02 redirect, 0x04 time
 * exceeded.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** ICMP map qualifier bits. */
export const IcmpMapQual = {
  UNREACH: 0x01,
  REDIRECT: 0x02,
  TIMXCED: 0x04,
} as const;

/** What an ICMP error said about this flow. */
export interface IcmpDsr {
  subtype: number;
  qual: number;
  type: number;
  code: number;
  iseq: number;
  osrcaddr: number;
  odstaddr: number;
  isrcaddr: number;
  idstaddr: number;
  igwaddr: number;
}

export function decodeIcmp(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): IcmpDsr | null {
  if (len !== 8 || v.getUint32(p + 28) !== 0) return null;
  return {
    subtype: b[p + 1]!,
    qual: b[p + 2]!,
    type: b[p + 4]!,
    code: b[p + 5]!,
    iseq: v.getUint16(p + 6),
    osrcaddr: v.getUint32(p + 8),
    odstaddr: v.getUint32(p + 12),
    isrcaddr: v.getUint32(p + 16),
    idstaddr: v.getUint32(p + 20),
    igwaddr: v.getUint32(p + 24),
  };
}

export function encodeIcmp(out: RecordBuffer, d: IcmpDsr): void {
  out.dsr(0x34, d.subtype, d.qual, 8);
  out.u8(d.type);
  out.u8(d.code);
  out.u16(d.iseq);
  out.u32(d.osrcaddr);
  out.u32(d.odstaddr);
  out.u32(d.isrcaddr);
  out.u32(d.idstaddr);
  out.u32(d.igwaddr);
  out.u32(0);
}
