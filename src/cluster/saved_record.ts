/**
 * The compact, lossless form an aggregate is kept in between merges
 * (ours, not argus's): a CanonRecord's parts one after the other, present
 * parts only, so a million aggregates cost bytes, not objects. Restored
 * parts that are plain bytes (transport, MPLS, raw DSRs) are copied into
 * arrays the record owns (CanonRecord.ownedCopy), so a merge can change
 * them in place before saving again. Parts are copied byte by byte: they
 * are a few dozen bytes, where a view or a set() call costs more.
 * @module
 */

import {
  type AgrStats,
  type CanonRecord,
  OWN_MPLS,
  OWN_TRANSPORT,
  RAW_USED,
} from "./canon_record.ts";

/**
 * The host's byte order, for DataView reads and writes of the words of
 * the record's Uint32Array views: bytes copied as words stay as they are.
 */
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Copies src[from..from+n) to dst[at..]. */
function copy(
  dst: Uint8Array,
  at: number,
  src: Uint8Array,
  from: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}

const P_TRANSPORT = 1, P_FLOW = 2, P_TIME = 4, P_METRIC = 8;
const P_AGR = 16, P_NET = 32, P_ATTR = 64, P_MPLS = 128;

/** Bytes `save` will write for `r`. */
export function savedSize(r: CanonRecord): number {
  let n = 4;
  if (r.transport !== null) n += 1 + r.transport.length;
  if (r.hasFlow) n += 2 + r.flowWords * 4;
  if (r.hasTime) n += 2 + 32;
  if (r.hasMetric) n += smallMetric(r) ? 24 : 48;
  if (r.hasAgr) n += loneAgr(r) ? 5 : 1 + 4 + 16 + 28 + 28;
  if (r.hasNet) n += 3 + netSize(r);
  if (r.hasAttr) n += 3 + 16;
  if (r.mpls !== null) n += 1 + r.mpls.length;
  const rawParts = r.raw;
  for (let i = 0; i < RAW_USED.length; i++) {
    const raw = rawParts[RAW_USED[i]!];
    if (raw) n += 3 + raw.length;
  }
  return n;
}

/**
 * A network object of at most 32 words (a TCP object is 29) is saved as
 * a mask of its non-zero words, then those words: most TCP objects are
 * half zeros, and a million aggregates save tens of megabytes. A longer
 * one is saved as it is.
 */
const MASKED_NET = 128;

/** Bytes the network object takes saved. */
function netSize(r: CanonRecord): number {
  const n = (r.netWords - 1) * 4;
  if (n > MASKED_NET) return n;
  const n32 = r.net32;
  let size = 4;
  for (let k = 0; k < n >> 2; k++) if (n32[k] !== 0) size += 4;
  return size;
}

/** Flags in the raw-count byte: compact metric and AGR forms. */
const F_SMALL_METRIC = 0x80, F_LONE_AGR = 0x40;

/** All counters fit 32 bits (saved as such). */
function smallMetric(r: CanonRecord): boolean {
  const max = 0xffffffff;
  return r.sp <= max && r.sb <= max && r.sa <= max && r.dp <= max &&
    r.db <= max && r.da <= max;
}

/** The AGR every record gets when read: count 1, one duration, no idle. */
function loneAgr(r: CanonRecord): boolean {
  const a = r.act, i = r.idle;
  return r.agrCount === 1 && a.n === 1 && a.min === a.mean &&
    a.mean === a.max && a.stdev === 0 && i.n === 0 && i.min === 0 &&
    i.mean === 0 && i.stdev === 0 && i.max === 0 &&
    r.agrLastStartSec === 0 && r.agrLastStartUsec === 0 &&
    r.agrLastSec === 0 && r.agrLastUsec === 0 && noDist(a) && noDist(i) &&
    Math.fround(a.mean) === a.mean;
}

function noDist(s: AgrStats): boolean {
  const f = s.fdist;
  return (f[0]! | f[1]! | f[2]! | f[3]! | f[4]! | f[5]! | f[6]! | f[7]!) === 0;
}

function putStats(v: DataView, at: number, s: AgrStats): number {
  v.setInt32(at, s.n, true);
  v.setFloat32(at + 4, s.min, true);
  v.setFloat32(at + 8, s.mean, true);
  v.setFloat32(at + 12, s.stdev, true);
  v.setFloat32(at + 16, s.max, true);
  for (let i = 0; i < 8; i++) v.setUint8(at + 20 + i, s.fdist[i]!);
  return at + 28;
}

function getStats(v: DataView, at: number, s: AgrStats): number {
  s.n = v.getInt32(at, true);
  s.min = v.getFloat32(at + 4, true);
  s.mean = v.getFloat32(at + 8, true);
  s.stdev = v.getFloat32(at + 12, true);
  s.max = v.getFloat32(at + 16, true);
  for (let i = 0; i < 8; i++) s.fdist[i] = v.getUint8(at + 20 + i);
  return at + 28;
}

/** Writes `r` at out[at..]; returns the end. `v` views all of `out`. */
export function save(
  r: CanonRecord,
  out: Uint8Array,
  v: DataView,
  at: number,
): number {
  const start = at;
  let parts = 0, raws = 0, forms = 0;
  at += 4;
  if (r.transport !== null) {
    parts |= P_TRANSPORT;
    const n = r.transport.length;
    out[at++] = n;
    copy(out, at, r.transport, 0, n);
    at += n;
  }
  if (r.hasFlow) {
    parts |= P_FLOW;
    out[at++] = r.flowWords;
    out[at++] = r.firstProto;
    const f32 = r.flow32, words = r.flowWords;
    for (let k = 0; k < words; k++) v.setUint32(at + k * 4, f32[k]!, HOST_LE);
    at += words * 4;
  }
  if (r.hasTime) {
    parts |= P_TIME;
    out[at++] = r.timeQual;
    out[at++] = r.timeBits;
    v.setFloat64(at, r.srcStart, true);
    v.setFloat64(at + 8, r.srcEnd, true);
    v.setFloat64(at + 16, r.dstStart, true);
    v.setFloat64(at + 24, r.dstEnd, true);
    at += 32;
  }
  if (r.hasMetric) {
    parts |= P_METRIC;
    if (smallMetric(r)) {
      forms |= F_SMALL_METRIC;
      v.setUint32(at, r.sp, true);
      v.setUint32(at + 4, r.sb, true);
      v.setUint32(at + 8, r.sa, true);
      v.setUint32(at + 12, r.dp, true);
      v.setUint32(at + 16, r.db, true);
      v.setUint32(at + 20, r.da, true);
      at += 24;
    } else {
      v.setFloat64(at, r.sp, true);
      v.setFloat64(at + 8, r.sb, true);
      v.setFloat64(at + 16, r.sa, true);
      v.setFloat64(at + 24, r.dp, true);
      v.setFloat64(at + 32, r.db, true);
      v.setFloat64(at + 40, r.da, true);
      at += 48;
    }
  }
  if (r.hasAgr) {
    parts |= P_AGR;
    out[at++] = r.agrSubtype;
    if (loneAgr(r)) {
      forms |= F_LONE_AGR;
      v.setFloat32(at, r.act.mean, true);
      at += 4;
    } else {
      v.setUint32(at, r.agrCount, true);
      v.setInt32(at + 4, r.agrLastStartSec, true);
      v.setInt32(at + 8, r.agrLastStartUsec, true);
      v.setInt32(at + 12, r.agrLastSec, true);
      v.setInt32(at + 16, r.agrLastUsec, true);
      at = putStats(v, at + 20, r.act);
      at = putStats(v, at, r.idle);
    }
  }
  if (r.hasNet) {
    parts |= P_NET;
    out[at++] = r.netSubtype;
    out[at++] = r.netQual;
    out[at++] = r.netWords;
    const n = (r.netWords - 1) * 4;
    if (n > MASKED_NET) {
      copy(out, at, r.net, 0, n);
      at += n;
    } else {
      const n32 = r.net32, maskAt = at;
      let mask = 0;
      at += 4;
      for (let k = 0; k < n >> 2; k++) {
        const word = n32[k]!;
        if (word === 0) continue;
        mask |= 1 << k;
        v.setUint32(at, word, HOST_LE);
        at += 4;
      }
      v.setUint32(maskAt, mask >>> 0, true);
    }
  }
  if (r.hasAttr) {
    parts |= P_ATTR;
    out[at++] = r.attrType;
    out[at++] = r.attrSubtype;
    out[at++] = r.attrQual;
    const a32 = r.attr32;
    for (let k = 0; k < 4; k++) v.setUint32(at + k * 4, a32[k]!, HOST_LE);
    at += 16;
  }
  if (r.mpls !== null) {
    parts |= P_MPLS;
    const n = r.mpls.length;
    out[at++] = n;
    copy(out, at, r.mpls, 0, n);
    at += n;
  }
  const rawParts = r.raw;
  for (let i = 0; i < RAW_USED.length; i++) {
    const slot = RAW_USED[i]!, raw = rawParts[slot];
    if (!raw) continue;
    raws++;
    out[at++] = slot;
    v.setUint16(at, raw.length, true);
    copy(out, at + 2, raw, 0, raw.length);
    at += 2 + raw.length;
  }
  out[start] = r.type;
  out[start + 1] = r.cause;
  out[start + 2] = parts;
  out[start + 3] = raws | forms;
  return at;
}

/** Reads the record saved at buf[at..] into `r`; returns the end. */
export function restore(
  r: CanonRecord,
  buf: Uint8Array,
  v: DataView,
  at: number,
): number {
  r.clear();
  r.type = buf[at]!;
  r.cause = buf[at + 1]!;
  const parts = buf[at + 2]!;
  const forms = buf[at + 3]! & (F_SMALL_METRIC | F_LONE_AGR);
  let raws = buf[at + 3]! & 0x3f;
  at += 4;
  if (parts & P_TRANSPORT) {
    const n = buf[at++]!;
    r.transport = r.ownedCopy(OWN_TRANSPORT, buf, at, at + n);
    at += n;
  }
  if (parts & P_FLOW) {
    r.hasFlow = true;
    r.flowWords = buf[at++]!;
    r.firstProto = buf[at++]!;
    const f32 = r.flow32, words = r.flowWords;
    for (let k = 0; k < words; k++) f32[k] = v.getUint32(at + k * 4, HOST_LE);
    at += words * 4;
  }
  if (parts & P_TIME) {
    r.hasTime = true;
    r.timeQual = buf[at++]!;
    r.timeBits = buf[at++]!;
    r.srcStart = v.getFloat64(at, true);
    r.srcEnd = v.getFloat64(at + 8, true);
    r.dstStart = v.getFloat64(at + 16, true);
    r.dstEnd = v.getFloat64(at + 24, true);
    at += 32;
  }
  if (parts & P_METRIC) {
    r.hasMetric = true;
    if (forms & F_SMALL_METRIC) {
      r.sp = v.getUint32(at, true);
      r.sb = v.getUint32(at + 4, true);
      r.sa = v.getUint32(at + 8, true);
      r.dp = v.getUint32(at + 12, true);
      r.db = v.getUint32(at + 16, true);
      r.da = v.getUint32(at + 20, true);
      at += 24;
    } else {
      r.sp = v.getFloat64(at, true);
      r.sb = v.getFloat64(at + 8, true);
      r.sa = v.getFloat64(at + 16, true);
      r.dp = v.getFloat64(at + 24, true);
      r.db = v.getFloat64(at + 32, true);
      r.da = v.getFloat64(at + 40, true);
      at += 48;
    }
  }
  if (parts & P_AGR) {
    r.hasAgr = true;
    r.agrSubtype = buf[at++]!;
    if (forms & F_LONE_AGR) {
      const value = v.getFloat32(at, true);
      at += 4;
      r.agrCount = 1;
      r.agrLastStartSec = r.agrLastStartUsec = 0;
      r.agrLastSec = r.agrLastUsec = 0;
      r.act.clear();
      r.act.n = 1;
      r.act.min = r.act.mean = r.act.max = value;
      r.idle.clear();
    } else {
      r.agrCount = v.getUint32(at, true);
      r.agrLastStartSec = v.getInt32(at + 4, true);
      r.agrLastStartUsec = v.getInt32(at + 8, true);
      r.agrLastSec = v.getInt32(at + 12, true);
      r.agrLastUsec = v.getInt32(at + 16, true);
      at = getStats(v, at + 20, r.act);
      at = getStats(v, at, r.idle);
    }
  }
  if (parts & P_NET) {
    r.hasNet = true;
    r.netSubtype = buf[at++]!;
    r.netQual = buf[at++]!;
    r.netWords = buf[at++]!;
    const n = (r.netWords - 1) * 4;
    const net = r.net;
    if (n > MASKED_NET) {
      copy(net, 0, buf, at, n);
      at += n;
    } else {
      const n32 = r.net32;
      const mask = v.getUint32(at, true);
      at += 4;
      let k = 0;
      for (; k < n >> 2; k++) {
        if (mask & (1 << k)) {
          n32[k] = v.getUint32(at, HOST_LE);
          at += 4;
        } else n32[k] = 0;
      }
      // The rest of the first 128 bytes, as before: zeros.
      for (; k < 32; k++) n32[k] = 0;
    }
  }
  if (parts & P_ATTR) {
    r.hasAttr = true;
    r.attrType = buf[at++]!;
    r.attrSubtype = buf[at++]!;
    r.attrQual = buf[at++]!;
    const a32 = r.attr32;
    for (let k = 0; k < 4; k++) a32[k] = v.getUint32(at + k * 4, HOST_LE);
    at += 16;
  }
  if (parts & P_MPLS) {
    const n = buf[at++]!;
    r.mpls = r.ownedCopy(OWN_MPLS, buf, at, at + n);
    at += n;
  }
  while (raws-- > 0) {
    const slot = buf[at]!, n = v.getUint16(at + 1, true);
    r.raw[slot] = r.ownedCopy(slot, buf, at + 3, at + 3 + n);
    at += 3 + n;
  }
  return at;
}
