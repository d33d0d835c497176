/**
 * Whether a record a source sent may go on to radium's clients: a MAR of
 * its fixed 128 bytes, or a flow, NetFlow or event record whose DSRs
 * exactly fill it. The real ra stops reading a stream at a record that
 * fails this (checked: a 16-byte flow record of zeros ends `ra -r`), so
 * one bad source must not put such a record into everyone's stream.
 * @module
 */

import { DsrType } from "../../record/mod.ts";

const MAR_BYTES = 128;
/** Record types (the header's high nibble) radium passes on. */
const FLOW_TYPES = new Set([0x10, 0x30, 0x40]);

/** True when the record at `buf[start..start+length)` is well formed. */
export function wellFormed(
  buf: Uint8Array,
  start: number,
  length: number,
): boolean {
  const type = buf[start]! & 0xf0;
  if (type === 0x80) return length === MAR_BYTES;
  if (!FLOW_TYPES.has(type) || length < 8) return false;
  const end = start + length;
  let p = start + 4;
  while (p + 4 <= end) {
    const dsr = buf[p]! & 0x7f;
    const words = dsr === DsrType.DATA
      ? (buf[p + 2]! << 8) | buf[p + 3]!
      : buf[p + 3]!;
    if (words === 0) return false;
    p += words * 4;
  }
  return p === end;
}
