/**
 * Time DSR (type 0x03): when the flow was active (docs/record-format.md
 * §6). argus 3.0.8.2 writes the absolute forms: subtype 0x01 TIMESTAMP or
 * 0x02 RANGE, qualifier 0x18 (UTC µs), 3 words when start equals end, else
 * 5. The per-side form (subtype bits 0x08-0x40, one time per bit) is read
 * and written too. Times are µs since the epoch.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** Time DSR subtype values and per-side bits. */
export const TimeSubtype = {
  TIMESTAMP: 0x01,
  RANGE: 0x02,
  SRC_START: 0x08,
  SRC_END: 0x10,
  DST_START: 0x20,
  DST_END: 0x40,
} as const;

/** Mask of the per-side bits. */
export const TIME_SIDES = 0x78;

/** Time qualifiers with microsecond fractions (UTC, relative). */
export const TimeQual = { UTC_MICROSECONDS: 0x18, MICROSECONDS: 0x1a } as const;

/** A flow's times, µs since the epoch. */
export interface TimeDsr {
  /** TIMESTAMP (one packet time so far) or RANGE, plus per-side bits. */
  subtype: number;
  /** 0x18 from argus. */
  qual: number;
  /** Earliest time; the writer writes `end` too only when it differs. */
  start: number;
  end: number;
  /** Per-side times, used when the subtype has per-side bits (0 = absent). */
  srcStart: number;
  srcEnd: number;
  dstStart: number;
  dstEnd: number;
}

/** Reads a (seconds, µs) pair; -1 when the µs are out of range. */
function readTime(v: DataView, at: number): number {
  const usec = v.getUint32(at + 4);
  return usec >= 1_000_000 ? -1 : v.getUint32(at) * 1_000_000 + usec;
}

function putTime(out: RecordBuffer, t: number): void {
  const sec = Math.floor(t / 1_000_000);
  out.u32(sec);
  out.u32(t - sec * 1_000_000);
}

function popcount4(x: number): number {
  return (x & 1) + ((x >> 1) & 1) + ((x >> 2) & 1) + ((x >> 3) & 1);
}

/** Decodes the DSR at `p`; null for other qualifiers or odd lengths. */
export function decodeTime(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): TimeDsr | null {
  const subtype = b[p + 1]!, qual = b[p + 2]!;
  if (qual !== TimeQual.UTC_MICROSECONDS && qual !== TimeQual.MICROSECONDS) {
    return null;
  }
  const sides = (subtype & TIME_SIDES) >> 3;
  const d: TimeDsr = {
    subtype,
    qual,
    start: 0,
    end: 0,
    srcStart: 0,
    srcEnd: 0,
    dstStart: 0,
    dstEnd: 0,
  };
  if (sides === 0) {
    if (len !== 3 && len !== 5) return null;
    d.start = d.end = readTime(v, p + 4);
    if (len === 5) d.end = readTime(v, p + 12);
    // A 5-word form holding one instant would not be written back as is.
    if (d.start < 0 || d.end < 0 || (len === 5 && d.end === d.start)) {
      return null;
    }
    return d;
  }
  if (len !== 1 + 2 * popcount4(sides)) return null;
  let at = p + 4, min = Infinity, max = 0;
  for (let i = 0; i < 4; i++) {
    if (!(sides & (1 << i))) continue;
    const t = readTime(v, at);
    if (t <= 0) return null;
    at += 8;
    if (i === 0) d.srcStart = t;
    else if (i === 1) d.srcEnd = t;
    else if (i === 2) d.dstStart = t;
    else d.dstEnd = t;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  d.start = min;
  d.end = max;
  return d;
}

export function encodeTime(out: RecordBuffer, d: TimeDsr): void {
  const sides = (d.subtype & TIME_SIDES) >> 3;
  if (sides === 0) {
    const range = d.end !== d.start;
    out.dsr(0x03, d.subtype, d.qual, range ? 5 : 3);
    putTime(out, d.start);
    if (range) putTime(out, d.end);
    return;
  }
  out.dsr(0x03, d.subtype, d.qual, 1 + 2 * popcount4(sides));
  if (sides & 1) putTime(out, d.srcStart);
  if (sides & 2) putTime(out, d.srcEnd);
  if (sides & 4) putTime(out, d.dstStart);
  if (sides & 8) putTime(out, d.dstEnd);
}
