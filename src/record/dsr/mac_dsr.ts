/**
 * MAC DSR (type 0x42, `argus -m`): the Ethernet addresses of the flow's
 * first packet, destination slot first as in the Ethernet header, then
 * the ethertype in argus's host order (little-endian) and DSAP/SSAP
 * (docs/record-format.md §9). Qualifier 0x01/0x02: a later src/dst packet
 * carried other addresses.
 * @module
 */

import { readMac, type RecordBuffer } from "../record_buffer.ts";

/** MAC addresses as 48-bit numbers. */
export interface MacDsr {
  subtype: number;
  qual: number;
  /** The Ethernet header's destination slot. */
  dst: number;
  src: number;
  /** Ethertype (stored little-endian). */
  etherType: number;
  dsap: number;
  ssap: number;
}

export function decodeMac(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): MacDsr | null {
  if (len !== 5) return null;
  return {
    subtype: b[p + 1]!,
    qual: b[p + 2]!,
    dst: readMac(v, p + 4),
    src: readMac(v, p + 10),
    etherType: v.getUint16(p + 16, true),
    dsap: b[p + 18]!,
    ssap: b[p + 19]!,
  };
}

export function encodeMac(out: RecordBuffer, d: MacDsr): void {
  out.dsr(0x42, d.subtype, d.qual, 5);
  out.mac(d.dst);
  out.mac(d.src);
  out.u16le(d.etherType);
  out.u8(d.dsap);
  out.u8(d.ssap);
}
