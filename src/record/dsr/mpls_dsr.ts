/**
 * MPLS DSR (type 0x44): the top label-stack entry seen in each direction
 * (docs/record-format.md §9). Qualifier: high nibble = source label count,
 * low nibble = destination count; argus writes one raw 32-bit entry per
 * direction with a non-zero count and sets subtype bits 0x01/0x02 to match.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** MPLS subtype bits. */
export const MplsSubtype = { SRC_LABEL: 0x01, DST_LABEL: 0x02 } as const;

/** Top label-stack entries (label, TC, S, TTL as one u32). */
export interface MplsDsr {
  /** Subtype; the writer sets bits 0x03 from the qualifier's counts. */
  subtype: number;
  qual: number;
  srcLabel: number;
  dstLabel: number;
}

export function decodeMpls(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): MplsDsr | null {
  const subtype = b[p + 1]!, qual = b[p + 2]!;
  const hasSrc = (qual & 0xf0) !== 0, hasDst = (qual & 0x0f) !== 0;
  const bits = (hasSrc ? 1 : 0) | (hasDst ? 2 : 0);
  if (
    (subtype & 3) !== bits || len !== 1 + (hasSrc ? 1 : 0) + (hasDst ? 1 : 0)
  ) {
    return null;
  }
  let at = p + 4, srcLabel = 0, dstLabel = 0;
  if (hasSrc) {
    srcLabel = v.getUint32(at);
    at += 4;
  }
  if (hasDst) dstLabel = v.getUint32(at);
  return { subtype, qual, srcLabel, dstLabel };
}

export function encodeMpls(out: RecordBuffer, d: MplsDsr): void {
  const hasSrc = (d.qual & 0xf0) !== 0, hasDst = (d.qual & 0x0f) !== 0;
  const subtype = (d.subtype & ~3) | (hasSrc ? 1 : 0) | (hasDst ? 2 : 0);
  out.dsr(0x44, subtype, d.qual, 1 + (hasSrc ? 1 : 0) + (hasDst ? 1 : 0));
  if (hasSrc) out.u32(d.srcLabel);
  if (hasDst) out.u32(d.dstLabel);
}
