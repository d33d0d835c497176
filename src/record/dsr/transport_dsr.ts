/**
 * Transport DSR (type 0x01): the source id of the probe that made the
 * record and the flow's sequence number (docs/record-format.md §4). argus
 * writes subtype 0x03 (both) and one word each; the id type (qualifier)
 * follows `-e`: 0 none, 0x01 IPv4, 0x20 integer, 0x21 string.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** Transport DSR subtype bits. */
export const TransportSubtype = { SRCID: 0x01, SEQ: 0x02 } as const;

/** Source id types (qualifier). */
export const SrcIdType = {
  NONE: 0,
  IPV4: 0x01,
  INT: 0x20,
  STRING: 0x21,
} as const;

/** Source id and sequence number. */
export interface TransportDsr {
  /** SRCID | SEQ bits (0x03 from argus). */
  subtype: number;
  /** Source id type (SrcIdType). */
  qual: number;
  /** The source id's 4 bytes as a big-endian number (a string id: its chars). */
  srcid: number;
  /** Per-flow record sequence number, from 1; kept by all of a flow's records. */
  seq: number;
}

function words(subtype: number): number {
  return 1 + (subtype & 1) + ((subtype >> 1) & 1);
}

/** Decodes the DSR at `p`; null when its length does not fit its subtype. */
export function decodeTransport(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): TransportDsr | null {
  const subtype = b[p + 1]!;
  if ((subtype & ~3) !== 0 || len !== words(subtype)) return null;
  let at = p + 4, srcid = 0, seq = 0;
  if (subtype & TransportSubtype.SRCID) {
    srcid = v.getUint32(at);
    at += 4;
  }
  if (subtype & TransportSubtype.SEQ) seq = v.getUint32(at);
  return { subtype, qual: b[p + 2]!, srcid, seq };
}

export function encodeTransport(out: RecordBuffer, d: TransportDsr): void {
  const subtype = d.subtype & 3;
  out.dsr(0x01, subtype, d.qual, words(subtype));
  if (subtype & TransportSubtype.SRCID) out.u32(d.srcid);
  if (subtype & TransportSubtype.SEQ) out.u32(d.seq);
}
