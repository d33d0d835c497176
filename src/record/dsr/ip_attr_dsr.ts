/**
 * IP attribute DSR (type 0x48): TTL, TOS, IP id and option bits per
 * direction (docs/record-format.md §9). The qualifier says which words are
 * present, in the order src, src options, dst, dst options; bits 0x10/0x20
 * (fragments seen) add no words. The IP id is stored little-endian (argus
 * swaps a value already in network order), so ra prints it byte-swapped.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** IP attribute qualifier bits. */
export const IpAttrQual = {
  SRC: 0x01,
  DST: 0x02,
  SRC_OPTIONS: 0x04,
  DST_OPTIONS: 0x08,
  SRC_FRAGMENTS: 0x10,
  DST_FRAGMENTS: 0x20,
} as const;

/** TTL/TOS/IP id/options per direction; fields of absent parts are 0. */
export interface IpAttrDsr {
  subtype: number;
  qual: number;
  srcTtl: number;
  srcTos: number;
  srcIpId: number;
  srcOptions: number;
  dstTtl: number;
  dstTos: number;
  dstIpId: number;
  dstOptions: number;
}

function words(qual: number): number {
  return 1 + (qual & 1) + ((qual >> 1) & 1) + ((qual >> 2) & 1) +
    ((qual >> 3) & 1);
}

export function decodeIpAttr(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): IpAttrDsr | null {
  const qual = b[p + 2]!;
  if (len !== words(qual)) return null;
  const d: IpAttrDsr = {
    subtype: b[p + 1]!,
    qual,
    srcTtl: 0,
    srcTos: 0,
    srcIpId: 0,
    srcOptions: 0,
    dstTtl: 0,
    dstTos: 0,
    dstIpId: 0,
    dstOptions: 0,
  };
  let at = p + 4;
  if (qual & IpAttrQual.SRC) {
    d.srcTtl = b[at]!;
    d.srcTos = b[at + 1]!;
    d.srcIpId = v.getUint16(at + 2, true);
    at += 4;
  }
  if (qual & IpAttrQual.SRC_OPTIONS) {
    d.srcOptions = v.getUint32(at);
    at += 4;
  }
  if (qual & IpAttrQual.DST) {
    d.dstTtl = b[at]!;
    d.dstTos = b[at + 1]!;
    d.dstIpId = v.getUint16(at + 2, true);
    at += 4;
  }
  if (qual & IpAttrQual.DST_OPTIONS) d.dstOptions = v.getUint32(at);
  return d;
}

export function encodeIpAttr(out: RecordBuffer, d: IpAttrDsr): void {
  const q = d.qual;
  out.dsr(0x48, d.subtype, q, words(q));
  if (q & IpAttrQual.SRC) {
    out.u8(d.srcTtl);
    out.u8(d.srcTos);
    out.u16le(d.srcIpId);
  }
  if (q & IpAttrQual.SRC_OPTIONS) out.u32(d.srcOptions);
  if (q & IpAttrQual.DST) {
    out.u8(d.dstTtl);
    out.u8(d.dstTos);
    out.u16le(d.dstIpId);
  }
  if (q & IpAttrQual.DST_OPTIONS) out.u32(d.dstOptions);
}
