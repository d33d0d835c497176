/**
 * Jitter DSR (type 0x46, `argus -J`): inter-packet time statistics per
 * direction, active and idle (docs/record-format.md §9). Qualifier bits
 * 0x01 src active, 0x02 src idle, 0x04 dst active, 0x08 dst idle; each
 * present block is 5 words in that order: count (i32), then minimum, mean,
 * standard deviation and maximum as big-endian IEEE floats (XDR), in µs.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** Jitter qualifier bits. */
export const JitterQual = {
  SRC_ACTIVE: 0x01,
  SRC_IDLE: 0x02,
  DST_ACTIVE: 0x04,
  DST_IDLE: 0x08,
} as const;

/** One block of statistics. */
export interface JitterStats {
  n: number;
  min: number;
  mean: number;
  stdev: number;
  max: number;
}

/** The blocks the qualifier announces (null where its bit is clear). */
export interface JitterDsr {
  subtype: number;
  qual: number;
  srcActive: JitterStats | null;
  srcIdle: JitterStats | null;
  dstActive: JitterStats | null;
  dstIdle: JitterStats | null;
}

/**
 * The NaN argus stores for the deviation of a single gap (x86's default
 * NaN from sqrt of a tiny negative); the writer writes NaN this way.
 */
const X86_NAN = 0xffc00000;

function readStats(v: DataView, at: number): JitterStats | null {
  for (let i = 4; i < 20; i += 4) {
    if (Number.isNaN(v.getFloat32(at + i)) && v.getUint32(at + i) !== X86_NAN) {
      return null;
    }
  }
  return {
    n: v.getInt32(at),
    min: v.getFloat32(at + 4),
    mean: v.getFloat32(at + 8),
    stdev: v.getFloat32(at + 12),
    max: v.getFloat32(at + 16),
  };
}

export function decodeJitter(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): JitterDsr | null {
  const qual = b[p + 2]!;
  const blocks = [null, null, null, null] as (JitterStats | null)[];
  let at = p + 4;
  for (let i = 0; i < 4; i++) {
    if (!(qual & (1 << i))) continue;
    if (at + 20 > p + len * 4) return null;
    const s = readStats(v, at);
    if (s === null) return null;
    blocks[i] = s;
    at += 20;
  }
  if (at !== p + len * 4) return null;
  return {
    subtype: b[p + 1]!,
    qual,
    srcActive: blocks[0]!,
    srcIdle: blocks[1]!,
    dstActive: blocks[2]!,
    dstIdle: blocks[3]!,
  };
}

function putFloat(out: RecordBuffer, x: number): void {
  if (Number.isNaN(x)) out.u32(X86_NAN);
  else out.f32(x);
}

function writeStats(out: RecordBuffer, s: JitterStats | null): void {
  out.view.setInt32(out.pos, s?.n ?? 0);
  out.pos += 4;
  putFloat(out, s?.min ?? 0);
  putFloat(out, s?.mean ?? 0);
  putFloat(out, s?.stdev ?? 0);
  putFloat(out, s?.max ?? 0);
}

export function encodeJitter(out: RecordBuffer, d: JitterDsr): void {
  const q = d.qual & 0x0f;
  const n = (q & 1) + ((q >> 1) & 1) + ((q >> 2) & 1) + ((q >> 3) & 1);
  out.dsr(0x46, d.subtype, d.qual, 1 + 5 * n);
  if (q & JitterQual.SRC_ACTIVE) writeStats(out, d.srcActive);
  if (q & JitterQual.SRC_IDLE) writeStats(out, d.srcIdle);
  if (q & JitterQual.DST_ACTIVE) writeStats(out, d.dstActive);
  if (q & JitterQual.DST_IDLE) writeStats(out, d.dstIdle);
}
