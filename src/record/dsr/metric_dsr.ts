/**
 * Metric DSR (type 0x10): packet and byte counters per direction
 * (docs/record-format.md §7). The writer picks argus's form: both
 * directions in 8, 16, 32 or 64 bits (bytes decide, except that the 8-bit
 * form needs the packets to fit too), a single direction in 16, 32 or 64
 * bits (never 8); subtype 0x04 adds application bytes when any are
 * non-zero (`argus -A`). The reader accepts every form.
 * @module
 */

import { readU64, type RecordBuffer } from "../record_buffer.ts";

/** Metric subtypes. */
export const MetricSubtype = {
  PKTS_BYTES: 0x01,
  PKTS_BYTES_APP: 0x04,
} as const;

/** Metric qualifiers: which directions, and the counter width. */
export const MetricQual = {
  SRCDST_BYTE: 0x01,
  SRCDST_SHORT: 0x02,
  SRCDST_INT: 0x03,
  SRCDST_LONGLONG: 0x04,
  SRC_BYTE: 0x05,
  SRC_SHORT: 0x06,
  SRC_INT: 0x07,
  SRC_LONGLONG: 0x08,
  DST_BYTE: 0x09,
  DST_SHORT: 0x0a,
  DST_INT: 0x0b,
  DST_LONGLONG: 0x0c,
} as const;

/** Counters; application bytes are 0 unless argus ran with -A. */
export interface MetricDsr {
  srcPkts: number;
  srcBytes: number;
  srcAppBytes: number;
  dstPkts: number;
  dstBytes: number;
  dstAppBytes: number;
  /**
   * The 1-2 unused bytes that end some application-byte forms, as a
   * big-endian number; argus leaves stale buffer bytes there. Absent = 0.
   */
  pad?: number;
}

const WIDTH = [1, 2, 4, 8];

function readN(v: DataView, at: number, w: number): number {
  switch (w) {
    case 1:
      return v.getUint8(at);
    case 2:
      return v.getUint16(at);
    case 4:
      return v.getUint32(at);
  }
  return readU64(v, at);
}

/** Decodes the DSR at `p`; null for an unknown form or a wrong length. */
export function decodeMetric(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): MetricDsr | null {
  const subtype = b[p + 1]!, qual = b[p + 2]! & 0x0f;
  const app = subtype === MetricSubtype.PKTS_BYTES_APP;
  if ((!app && subtype !== MetricSubtype.PKTS_BYTES) || qual === 0) return null;
  const w = WIDTH[(qual - 1) & 3]!;
  const both = qual <= 4, dst = qual >= 9;
  const per = app ? 3 : 2;
  const n = both ? 2 * per : per;
  if (len !== 1 + ((n * w + 3) >> 2)) return null;
  const vals = [0, 0, 0, 0, 0, 0];
  const first = dst ? 3 : 0;
  for (let i = 0; i < n; i++) {
    // Two-counter forms skip the application slot of each direction.
    const slot = first + (app ? i : i + (i >> 1));
    const x = readN(v, p + 4 + i * w, w);
    if (x < 0) return null;
    vals[slot] = x;
  }
  const d: MetricDsr = {
    srcPkts: vals[0]!,
    srcBytes: vals[1]!,
    srcAppBytes: vals[2]!,
    dstPkts: vals[3]!,
    dstBytes: vals[4]!,
    dstAppBytes: vals[5]!,
  };
  let pad = 0;
  for (let i = p + 4 + n * w; i < p + len * 4; i++) pad = pad * 256 + b[i]!;
  if (pad !== 0) d.pad = pad;
  return d;
}

/** argus's form for these counters (ArgusGenerateRecord's rule). */
export function metricQual(d: MetricDsr): number {
  const B = 0xff, S = 0xffff, I = 0xffffffff;
  if (d.srcPkts && d.dstPkts) {
    if (
      d.srcPkts <= B && d.dstPkts <= B && d.srcBytes <= B && d.dstBytes <= B
    ) {
      return MetricQual.SRCDST_BYTE;
    }
    if (d.srcBytes <= S && d.dstBytes <= S) return MetricQual.SRCDST_SHORT;
    if (d.srcBytes <= I && d.dstBytes <= I) return MetricQual.SRCDST_INT;
    return MetricQual.SRCDST_LONGLONG;
  }
  const src = d.srcPkts !== 0 || d.dstPkts === 0;
  const bytes = src ? d.srcBytes : d.dstBytes;
  const base = src ? MetricQual.SRC_SHORT : MetricQual.DST_SHORT;
  return bytes <= S ? base : bytes <= I ? base + 1 : base + 2;
}

function putN(out: RecordBuffer, x: number, w: number): void {
  switch (w) {
    case 1:
      out.u8(x & 0xff);
      return;
    case 2:
      out.u16(x & 0xffff);
      return;
    case 4:
      out.u32(x);
      return;
  }
  out.u64(x);
}

export function encodeMetric(out: RecordBuffer, d: MetricDsr): void {
  const qual = metricQual(d);
  const app = d.srcAppBytes !== 0 || d.dstAppBytes !== 0;
  const w = WIDTH[(qual - 1) & 3]!;
  const both = qual <= 4;
  const per = app ? 3 : 2;
  const n = both ? 2 * per : per;
  const words = (n * w + 3) >> 2;
  out.dsr(
    0x10,
    app ? MetricSubtype.PKTS_BYTES_APP : MetricSubtype.PKTS_BYTES,
    qual,
    1 + words,
  );
  const end = out.pos + words * 4;
  const src = both || qual < MetricQual.DST_BYTE;
  if (src) {
    putN(out, d.srcPkts, w);
    putN(out, d.srcBytes, w);
    if (app) putN(out, d.srcAppBytes, w);
  }
  if (both || !src) {
    putN(out, d.dstPkts, w);
    putN(out, d.dstBytes, w);
    if (app) putN(out, d.dstAppBytes, w);
  }
  let pad = d.pad ?? 0;
  for (let i = end - 1; i >= out.pos; i--, pad = Math.floor(pad / 256)) {
    out.buf[i] = pad & 0xff;
  }
  out.pos = end;
}
