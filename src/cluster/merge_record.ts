/**
 * mergeRecords: folds one canonical record into an aggregate the way the
 * real racluster 3.0.8 does (argus_client.c ArgusMergeRecords): CIDR runs
 * of differing addresses, differing ports and protocols zeroed, times
 * widened, counters summed, TCP objects combined (quirks included: a TCP
 * performance object falls through into the RTP merge), IP attributes,
 * encapsulation bits, and the AGR DSR's count and duration/idle statistics
 * in single-precision floats.
 * @module
 */

import {
  ADDR_IPV4,
  ADDR_IPV6,
  type AgrStats,
  type CanonRecord,
  NET_TCP_INIT,
  NET_TCP_PERF,
  NET_TCP_STATUS,
  T_DST_END,
  T_DST_START,
  T_SRC_END,
  T_SRC_START,
} from "./canon_record.ts";

const f32 = Math.fround;

function secOf(t: number): number {
  return Math.floor(t / 1_000_000);
}
/** secOf(t) === 0, without a division (times are whole microseconds). */
function noSec(t: number): boolean {
  return t >= 0 && t < 1_000_000;
}
/**
 * argus's test before it moves a source end (x) to a start (y): x's
 * second earlier, or the same second and x's microseconds later; each
 * second computed once.
 */
function timevalTest(x: number, y: number): boolean {
  const sx = secOf(x), sy = secOf(y);
  return sx < sy || (sx === sy && x - sx * 1_000_000 > y - sy * 1_000_000);
}

/**
 * ArgusMergeAddress over `len`-byte big-endian addresses at a[x..] and
 * b[y..]; returns the new mask length.
 */
export function mergeAddress(
  a: Uint8Array,
  x: number,
  b: Uint8Array,
  y: number,
  words: number,
  masklen: number,
): number {
  if (words === 1) {
    const a1 = u32(a, x), a2 = u32(b, y);
    if (a1 === a2) return masklen;
    let i = 32, value = 0, ind = 0x80000000;
    while (ind && (a1 & ind) === (a2 & ind) && i > 32 - masklen) {
      value |= a1 & ind;
      ind >>>= 1;
      i--;
    }
    put32(a, x, value);
    return 32 - i;
  }
  for (let z = 0; z < words; z++) {
    const a1z = u32(a, x + z * 4), a2z = u32(b, y + z * 4);
    if (a1z === a2z) continue;
    // argus compares the first word throughout, and its bound is unsigned:
    // with a mask over 32 bits the loop does not run.
    const a0 = u32(a, x), b0 = u32(b, y);
    let i = 32, value = 0, ind = 0x80000000;
    const bound = 32 - masklen;
    while (
      bound >= 0 && ind && (a0 & ind) === (b0 & ind) && i > bound
    ) {
      value |= a0 & ind;
      ind >>>= 1;
      i--;
    }
    masklen = z * 32 + (32 - i);
    put32(a, x + z * 4, value);
    for (let r = z + 1; r < words; r++) put32(a, x + r * 4, 0);
    return masklen;
  }
  return masklen;
}

/** Big-endian 32-bit read and write on plain bytes. */
function u32(a: Uint8Array, at: number): number {
  return ((a[at]! << 24) | (a[at + 1]! << 16) | (a[at + 2]! << 8) |
    a[at + 3]!) >>> 0;
}
function put32(a: Uint8Array, at: number, v: number): void {
  a[at] = v >>> 24;
  a[at + 1] = (v >>> 16) & 0xff;
  a[at + 2] = (v >>> 8) & 0xff;
  a[at + 3] = v & 0xff;
}

function mergeFlow(a: CanonRecord, b: CanonRecord): void {
  if (!a.hasFlow || !b.hasFlow) return;
  const f1 = a.flow, f2 = b.flow;
  if (f1[1] !== f2[1]) return;
  const q1 = f1[2]! & 0x1f, q2 = f2[2]! & 0x1f;
  const kind = f1[1]! & 0x3f;
  if (kind === 0x01) {
    if (q1 === ADDR_IPV4) {
      if (q1 === q2) {
        // The mask bytes; an ESP key (written back swapped) has them at
        // 17 and 16, where its SPI's upper half is.
        const e1 = a.firstProto === 50, e2 = b.firstProto === 50;
        const s1 = e1 ? 17 : 18, d1 = e1 ? 16 : 19;
        const s2 = e2 ? 17 : 18, d2 = e2 ? 16 : 19;
        let m = Math.min(f1[s1]!, f2[s2]!);
        f1[s1] = mergeAddress(f1, 4, f2, 4, 1, m);
        m = Math.min(f1[d1]!, f2[d2]!);
        f1[d1] = mergeAddress(f1, 8, f2, 8, 1, m);
        f1[2] = f1[2]! | 0x40;
        if (f1[12] !== f2[12]) f1[12] = 0;
        else if (f1[12] === 50) {
          if (!sameBytes(f1, f2, 16, 4)) zero(f1, 16, 20);
        } else {
          if (!sameBytes(f1, f2, 14, 2)) zero(f1, 14, 16);
          if (!sameBytes(f1, f2, 16, 2)) zero(f1, 16, 18);
        }
      } else {
        zero(f1, 4, 12);
        // An ESP key's "dport" is its SPI's low half (at 19, 18 here).
        const esp = a.firstProto === 50;
        if (q2 === ADDR_IPV6) {
          if (f1[12] !== f2[36]) f1[12] = 0;
          if (!sameAt(f1, 14, f2, 40, 2)) zero(f1, 14, 16);
          if (esp) {
            if (f1[19] !== f2[42] || f1[18] !== f2[43]) zero(f1, 18, 20);
          } else if (!sameAt(f1, 16, f2, 42, 2)) zero(f1, 16, 18);
        } else {
          f1[12] = 0;
          zero(f1, 14, 16);
          zero(f1, esp ? 18 : 16, esp ? 20 : 18);
        }
      }
    } else if (q1 === ADDR_IPV6) {
      if (q1 === q2) {
        let m = Math.min(f1[44]!, f2[44]!);
        f1[44] = mergeAddress(f1, 4, f2, 4, 4, m);
        m = Math.min(f1[46]!, f2[46]!);
        f1[46] = mergeAddress(f1, 20, f2, 20, 4, m);
        f1[2] = f1[2]! | 0x40;
        if (f1[36] !== f2[36]) f1[36] = 0;
        if (!sameBytes(f1, f2, 40, 2)) zero(f1, 40, 42);
        if (!sameBytes(f1, f2, 42, 2)) zero(f1, 42, 44);
      } else {
        zero(f1, 4, 36);
        if (f1[36] !== f2[12]) f1[36] = 0;
        if (!sameAt(f1, 40, f2, 14, 2)) zero(f1, 40, 42);
        if (!sameAt(f1, 42, f2, 16, 2)) zero(f1, 42, 44);
      }
    }
  } else if (kind === 0x06 && q1 === 5) {
    // RARP: hardware addresses that differ are cleared.
    if (!sameBytes(f1, f2, 12, 6)) zero(f1, 12, 18);
    if (!sameBytes(f1, f2, 18, 4)) zero(f1, 18, 22);
  } else if (kind === 0x06 && q1 === 4) {
    // ARP: the addresses with a mask length of 0 (argus starts at 0).
    if (f1[9] === 4) {
      mergeAddress(f1, 12, f2, 12, 1, 0);
      mergeAddress(f1, 16, f2, 16, 1, 0);
    }
    if (!sameBytes(f1, f2, 20, 6)) zero(f1, 20, 26);
  }
}

/** Zeroes a[from..to) (a loop: cheaper than fill() for a few bytes). */
function zero(a: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) a[i] = 0;
}

/** Copies src[from..from+n) to dst[at..]. */
function copyAt(
  dst: Uint8Array,
  at: number,
  src: Uint8Array,
  from: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}

function sameBytes(a: Uint8Array, b: Uint8Array, at: number, n: number) {
  for (let i = 0; i < n; i++) if (a[at + i] !== b[at + i]) return false;
  return true;
}
function sameAt(a: Uint8Array, x: number, b: Uint8Array, y: number, n: number) {
  for (let i = 0; i < n; i++) if (a[x + i] !== b[y + i]) return false;
  return true;
}

function mergeTransport(a: CanonRecord, b: CanonRecord): void {
  const t1 = a.transport, t2 = b.transport;
  if (t1 === null || t2 === null || t1[2] !== t2[2]) return;
  if ((t1[1]! & 0x01) && (t2[1]! & 0x01)) {
    const q = t1[2]!;
    if ((q === 0 || q === 1) && !sameBytes(t1, t2, 4, 4)) a.transport = null;
  }
}

/** Lexicographic (sec, usec) a < b, as argus compares timevals. */
function mergeTime(a: CanonRecord, b: CanonRecord): void {
  if (!a.hasTime || !b.hasTime) return;
  const st1 = a.timeBits, st2 = b.timeBits;
  if (st2) {
    if (st2 & T_SRC_START) {
      if (st1 & T_SRC_START) {
        if (a.srcStart > b.srcStart) {
          a.srcStart = b.srcStart;
          a.timeBits |= T_SRC_START;
        } else if (timevalTest(a.srcEnd, b.srcStart)) {
          a.srcEnd = b.srcStart;
          a.timeBits |= T_SRC_END;
        }
      } else {
        a.srcStart = b.srcStart;
        a.srcEnd = b.srcEnd;
        a.timeBits |= st2 & (T_SRC_START | T_SRC_END);
      }
    }
    if (st2 & (T_SRC_START | T_SRC_END)) {
      if (st1 & (T_SRC_START | T_SRC_END)) {
        if (!noSec(b.srcEnd)) {
          if (a.srcEnd < b.srcEnd) {
            a.srcEnd = b.srcEnd;
            a.timeBits |= T_SRC_END;
          }
        } else if (a.srcEnd < b.srcStart) {
          a.srcEnd = b.srcEnd;
          a.timeBits |= T_SRC_END;
        }
      } else {
        a.srcEnd = b.srcEnd;
        a.timeBits |= st2 & (T_SRC_START | T_SRC_END);
      }
    }
    if (st2 & T_DST_START) {
      if (st1 & T_DST_START) {
        if (a.dstStart > b.dstStart) {
          a.dstStart = b.dstStart;
          a.timeBits |= T_DST_START;
        }
      } else {
        a.dstStart = b.dstStart;
        a.dstEnd = b.dstEnd;
        a.timeBits |= st2 & (T_DST_START | T_DST_END);
      }
    }
    if (st2 & (T_DST_START | T_DST_END)) {
      if (st1 & (T_DST_START | T_DST_END)) {
        if (a.dstEnd < b.dstEnd) {
          a.dstEnd = b.dstEnd;
          a.timeBits |= T_DST_END;
        }
      } else {
        a.dstStart = b.dstStart;
        a.dstEnd = b.dstEnd;
        a.timeBits |= st2 & (T_DST_START | T_DST_END);
      }
    }
  } else {
    if (secOf(a.srcStart) === 0) {
      a.srcStart = b.srcStart;
      a.srcEnd = b.srcEnd;
      a.dstStart = b.dstStart;
      a.dstEnd = b.dstEnd;
      a.timeBits = b.timeBits;
    } else {
      if (a.srcStart > b.srcStart) a.srcStart = b.srcStart;
      if (secOf(a.srcEnd) === 0) a.srcEnd = a.srcStart;
      const e2 = secOf(b.srcEnd) === 0 ? b.srcStart : b.srcEnd;
      if (a.srcEnd < e2) a.srcEnd = e2;
    }
  }
}

/** TCP object field offsets (canonical ArgusTCPObject, big-endian). */
const ST = 0, STATE = 4, OPT = 8, SYNACK = 12, ACKDATA = 16;
const SRC = 20, DST = 68;
const M_STATUS = 8, M_SEQBASE = 12, M_SEQ = 16, M_ACK = 20, M_WINNUM = 24;
const M_BYTES = 28, M_RETRANS = 32, M_ACKBYTES = 36, M_WINBYTES = 40;
const M_WIN = 44, M_FLAGS = 46, M_WINSHIFT = 47;

/** A TCP network DSR subtype (INIT, STATUS or PERF). */
function isTcp(s: number): boolean {
  return s >= NET_TCP_INIT && s <= NET_TCP_PERF;
}

/** Stores a 32-bit value (wrapped as C's unsigned arithmetic). */
function put(v: DataView, o: number, x: number): void {
  v.setUint32(o, x >>> 0);
}

function mergeNet(a: CanonRecord, b: CanonRecord): void {
  if (!a.hasNet || !b.hasNet) return;
  const s1 = a.netSubtype, s2 = b.netSubtype;
  if (s1 !== s2 && !(isTcp(s1) && isTcp(s2))) {
    a.hasNet = false;
    return;
  }
  const n1 = a.netView, n2 = b.netView;
  switch (s1) {
    case NET_TCP_INIT:
      switch (s2) {
        case NET_TCP_INIT:
          put(n1, ST, n1.getUint32(ST) | n2.getUint32(ST));
          put(n1, OPT, n1.getUint32(OPT) | n2.getUint32(OPT));
          a.net[SRC + M_FLAGS] = a.net[SRC + M_FLAGS]! | b.net[SRC + M_FLAGS]!;
          break;
        case NET_TCP_STATUS:
          a.netSubtype = NET_TCP_PERF;
          put(n1, ST, n2.getUint32(ST));
          put(n1, OPT, n2.getUint32(OPT));
          put(n1, SRC + M_STATUS, n2.getUint32(SRC + M_STATUS));
          put(n1, SRC + M_SEQBASE, n2.getUint32(SRC + M_SEQBASE));
          n1.setUint16(SRC + M_WIN, n2.getUint16(SRC + M_WIN));
          a.net[SRC + M_FLAGS] = b.net[SRC + M_FLAGS]!;
          a.net[SRC + M_WINSHIFT] = b.net[SRC + M_WINSHIFT]!;
          a.net[DST + M_FLAGS] = b.net[DST + M_FLAGS]!;
          break;
        case NET_TCP_PERF:
          copyAt(a.net, 0, b.net, 0, 116);
          break;
      }
      break;
    case NET_TCP_STATUS: {
      // argus reads the canonical objects through the wire structs here.
      const status1 = n1.getUint32(ST);
      const tsrc = a.net[STATE + 3]!, tdst = a.net[STATE + 2]!;
      switch (s2) {
        case NET_TCP_INIT: {
          const st2 = n2.getUint32(ST), opt2 = n2.getUint32(OPT);
          const seqbase2 = n2.getUint32(STATE);
          const win2 = n2.getUint16(SYNACK + 2);
          const flags2 = b.net[SYNACK + 1]!, winshift2 = b.net[SYNACK]!;
          zero(a.net, 0, 116);
          a.netSubtype = NET_TCP_PERF;
          put(n1, ST, status1 | st2);
          put(n1, OPT, opt2);
          put(n1, SRC + M_STATUS, st2);
          put(n1, SRC + M_SEQBASE, seqbase2);
          n1.setUint16(SRC + M_WIN, win2);
          a.net[SRC + M_FLAGS] = flags2 | tsrc;
          a.net[SRC + M_WINSHIFT] = winshift2;
          a.net[DST + M_FLAGS] = tdst;
          break;
        }
        case NET_TCP_STATUS:
          put(n1, ST, status1 | n2.getUint32(ST));
          break;
        case NET_TCP_PERF:
          copyAt(a.net, 0, b.net, 0, 116);
          put(n1, ST, n1.getUint32(ST) | status1);
          put(n1, SRC + M_STATUS, n1.getUint32(SRC + M_STATUS) | status1);
          a.net[SRC + M_FLAGS] = a.net[SRC + M_FLAGS]! | tsrc;
          a.net[DST + M_FLAGS] = a.net[DST + M_FLAGS]! | tdst;
          break;
      }
      break;
    }
    case NET_TCP_PERF:
      if (s2 === NET_TCP_PERF) {
        put(n1, ST, n1.getUint32(ST) | n2.getUint32(ST));
        put(n1, STATE, n1.getUint32(STATE) | n2.getUint32(STATE));
        put(n1, OPT, n1.getUint32(OPT) | n2.getUint32(OPT));
        if (n1.getUint32(SYNACK) === 0) put(n1, SYNACK, n2.getUint32(SYNACK));
        if (n1.getUint32(ACKDATA) === 0) {
          put(n1, ACKDATA, n2.getUint32(ACKDATA));
        }
        const S = SRC, D = DST;
        put(
          n1,
          S + M_STATUS,
          n1.getUint32(S + M_STATUS) | n2.getUint32(S + M_STATUS),
        );
        put(n1, S + M_ACK, n2.getUint32(S + M_ACK));
        const sb1 = n1.getUint32(S + M_SEQBASE),
          sb2 = n2.getUint32(S + M_SEQBASE);
        if (sb1 > sb2) {
          if (sb1 - sb2 > 65536) {
            put(
              n1,
              S + M_ACKBYTES,
              n1.getUint32(S + M_ACKBYTES) + n2.getUint32(S + M_SEQ) +
                (0xffffffff - sb2),
            );
            put(n1, S + M_SEQBASE, 0);
          } else put(n1, S + M_SEQBASE, sb2);
        } else put(n1, S + M_SEQ, n2.getUint32(S + M_SEQ));
        put(
          n1,
          S + M_WINNUM,
          n1.getUint32(S + M_WINNUM) + n2.getUint32(S + M_WINNUM),
        );
        put(
          n1,
          S + M_BYTES,
          n1.getUint32(S + M_BYTES) + n2.getUint32(S + M_BYTES),
        );
        put(
          n1,
          S + M_RETRANS,
          n1.getUint32(S + M_RETRANS) + n2.getUint32(S + M_RETRANS),
        );
        n1.setUint16(S + M_WIN, n2.getUint16(S + M_WIN));
        put(n1, S + M_WINBYTES, n2.getUint32(S + M_WINBYTES));
        a.net[S + M_FLAGS] = a.net[S + M_FLAGS]! | b.net[S + M_FLAGS]!;
        put(
          n1,
          D + M_STATUS,
          n1.getUint32(D + M_STATUS) | n2.getUint32(D + M_STATUS),
        );
        put(n1, D + M_ACK, n2.getUint32(D + M_ACK));
        const db2 = n2.getUint32(D + M_SEQBASE), dq2 = n2.getUint32(D + M_SEQ);
        if (db2 > dq2) {
          put(
            n1,
            D + M_ACKBYTES,
            n1.getUint32(D + M_ACKBYTES) + dq2 + (0xffffffff - db2),
          );
          put(n1, D + M_SEQBASE, 0);
        } else put(n1, D + M_SEQ, dq2);
        put(
          n1,
          D + M_WINNUM,
          n1.getUint32(D + M_WINNUM) + n2.getUint32(D + M_WINNUM),
        );
        put(
          n1,
          D + M_BYTES,
          n1.getUint32(D + M_BYTES) + n2.getUint32(D + M_BYTES),
        );
        put(
          n1,
          D + M_RETRANS,
          n1.getUint32(D + M_RETRANS) + n2.getUint32(D + M_RETRANS),
        );
        n1.setUint16(D + M_WIN, n2.getUint16(D + M_WIN));
        put(n1, D + M_WINBYTES, n2.getUint32(D + M_WINBYTES));
        a.net[D + M_FLAGS] = a.net[D + M_FLAGS]! | b.net[D + M_FLAGS]!;
      }
      rtpFallThrough(a, b);
      break;
    case 0x0a:
      rtpFallThrough(a, b);
      break;
    case 0x38: {
      // ESP: qualifiers or'ed, last sequence taken, losses summed, SPI kept
      // only when equal.
      // ArgusESPObject: status, spi, lastseq, lostseq.
      a.netQual |= b.netQual;
      put(n1, 8, n2.getUint32(8));
      put(n1, 12, n1.getUint32(12) + n2.getUint32(12));
      if (n1.getUint32(4) !== n2.getUint32(4)) put(n1, 4, 0);
      break;
    }
  }
}

/**
 * argus's TCP performance merge falls through into its RTP merge, which
 * sees the same bytes as an ArgusRTPObject: the drop counters (the source
 * status word, host order) are summed and the two RTP headers (state to
 * the source last time) copied from the second record.
 */
function rtpFallThrough(a: CanonRecord, b: CanonRecord): void {
  const n1 = a.netView, n2 = b.netView;
  const v1 = n1.getUint32(28), v2 = n2.getUint32(28);
  const lo = ((v1 & 0xffff) + (v2 & 0xffff)) & 0xffff;
  const hi = ((v1 >>> 16) + (v2 >>> 16)) & 0xffff;
  copyAt(a.net, 4, b.net, 4, 24);
  n1.setUint32(28, ((hi << 16) | lo) >>> 0);
}

function mergeAttr(a: CanonRecord, b: CanonRecord): void {
  if (!a.hasAttr || !b.hasAttr) return;
  attrSide(a, b, 0x01, 0x04, 0x10, 0);
  attrSide(a, b, 0x02, 0x08, 0x20, 8);
}

/** One side of the IP attribute merge (`bit` SRC or DST at `at`). */
function attrSide(
  a: CanonRecord,
  b: CanonRecord,
  bit: number,
  opt: number,
  frag: number,
  at: number,
): void {
  const a1 = a.attr, a2 = b.attr;
  const q1 = a.attrQual, q2 = b.attrQual;
  if ((q1 & bit) && (q2 & bit)) {
    if (a1[at + 1] !== a2[at + 1]) a1[at + 1] = 0;
    if (a1[at] !== a2[at] && a2[at]! > 0 && a1[at]! > a2[at]!) {
      a1[at] = a2[at]!;
    }
    for (let i = 4; i < 8; i++) a1[at + i] = a1[at + i]! ^ a2[at + i]!;
    if (q2 & frag) a.attrQual |= frag;
  } else if (!(q1 & bit) && (q2 & bit)) {
    for (let i = 0; i < 8; i++) a1[at + i] = a2[at + i]!;
    a.attrQual |= bit;
    if (q2 & opt) a.attrQual |= opt;
    if (q2 & frag) a.attrQual |= frag;
  }
}

function mergeEncaps(a: CanonRecord, b: CanonRecord): void {
  const e1 = a.raw[15], e2 = b.raw[15];
  if (!e1 || !e2 || e1.length < 12 || e2.length < 12) return;
  const s1 = u32(e1, 4), s2 = u32(e2, 4);
  if (s1 !== s2) {
    e1[2] = e1[2]! | 0x04;
    put32(e1, 4, (s1 | s2) >>> 0);
  }
  const d1 = u32(e1, 8), d2 = u32(e2, 8);
  if (d1 !== d2) {
    e1[2] = e1[2]! | 0x08;
    put32(e1, 8, (d1 | d2) >>> 0);
  }
}

function mergeMac(a: CanonRecord, b: CanonRecord): void {
  const m1 = a.raw[13], m2 = b.raw[13];
  if (m1 && m2) {
    // argus compares the addresses only for subtype ARGUS_TYPE_ETHER (3);
    // argus itself writes subtype 0, so they stay as first seen.
    if (m1[1] !== m2[1]) a.raw[13] = null;
    else if (m1[1] === 3 && m1.length >= 16 && m2.length >= 16) {
      if (!sameBytes(m1, m2, 4, 6)) zero(m1, 4, 10);
      if (!sameBytes(m1, m2, 10, 6)) zero(m1, 10, 16);
    }
  } else if (m1) a.raw[13] = null;
}

/** x squared (as C's pow(x, 2.0), which is exact-rounded too). */
function sq(x: number): number {
  return x * x;
}

/** Whether an idle distribution has any count (else merging it is 0s). */
function hasDist(f: Uint8Array): boolean {
  return (f[0]! | f[1]! | f[2]! | f[3]! | f[4]! | f[5]! | f[6]! | f[7]!) !== 0;
}

/** Scratch for the merged idle distribution. */
const FDIST = new Uint8Array(8);

/** Merges the AGR DSRs (ArgusMergeRecords' ARGUS_AGR_INDEX case). */
function mergeAgr(
  a: CanonRecord,
  b: CanonRecord,
  deltaSrcIn: number,
  deltaDstIn: number,
): void {
  if (a.hasAgr && b.hasAgr) {
    if (
      !(a.agrSubtype === b.agrSubtype ||
        ((a.agrSubtype === 4 || a.agrSubtype === 1) &&
          (b.agrSubtype === 4 || b.agrSubtype === 1)))
    ) return;
    let deltaSrc = deltaSrcIn, deltaDst = deltaDstIn;
    const x1 = a.act, x2 = b.act, i1 = a.idle, i2 = b.idle;
    const count = (a.agrCount + b.agrCount) >>> 0;
    // `data` starts zeroed; its fields are floats, its sums doubles.
    let actMax = 0, actMin = 0, actN = 0, actMean = 0, actStdev = 0;
    let idleMax = 0, idleMin = 0, idleN = 0, idleMean = 0, idleStdev = 0;
    const fdist = FDIST;
    for (let n = 0; n < 8; n++) fdist[n] = 0;
    let sum1 = 0, sum2 = 0, ss1 = 0, ss2 = 0, value = 0;
    if (count) {
      actMax = x1.max > x2.max ? x1.max : x2.max;
      actMin = x1.min < x2.min ? x1.min : x2.min;
      actN = (x1.n + x2.n) | 0;
      sum1 = x1.n > 1 ? f32(x1.mean * f32(x1.n)) : x1.mean;
      sum2 = x2.n > 1 ? f32(x2.mean * f32(x2.n)) : x2.mean;
      ss1 = x1.n > 1 ? x1.n * (sq(x1.stdev) + sq(x1.mean)) : sq(x1.mean);
      ss2 = x2.n > 1 ? x2.n * (sq(x2.stdev) + sq(x2.mean)) : sq(x2.mean);
      if (actN > 0) {
        actMean = f32((sum1 + sum2) / actN);
        actStdev = f32(Math.sqrt(Math.abs((ss1 + ss2) / actN - sq(actMean))));
      }
      value = 0;
      sum1 = i1.n > 1 ? f32(i1.mean * f32(i1.n)) : i1.mean;
      sum2 = i2.n > 1 ? f32(i2.mean * f32(i2.n)) : i2.mean;
      ss1 = i1.stdev !== 0 ? i1.n * (sq(i1.stdev) + sq(i1.mean)) : sq(i1.mean);
      ss1 += sq(deltaSrc) + sq(deltaDst);
      ss2 = i2.stdev !== 0 ? i2.n * (sq(i2.stdev) + sq(i2.mean)) : sq(i2.mean);
      ss2 += sq(deltaSrc) + sq(deltaDst);
      // C ints: products and sums wrap at 32 bits.
      const items = (i1.n + i2.n) | 0;
      if (items > 0 && (hasDist(i1.fdist) || hasDist(i2.fdist))) {
        for (let n = 0; n < 8; n++) {
          const v = ((Math.imul(i1.fdist[n]!, i1.n) +
                Math.imul(i2.fdist[n]!, i2.n)) | 0) / items | 0;
          fdist[n] = v > 0xff ? 0xff : v & 0xff;
          if (fdist[n] === 0 && (i1.fdist[n] || i2.fdist[n])) fdist[n] = 1;
        }
      }
    }
    let lss = 0, lsu = 0, lts = 0, ltu = 0;
    if (deltaSrc || deltaDst) {
      if (deltaSrc) {
        value += deltaSrc;
        if (deltaSrc > i1.max) i1.max = f32(deltaSrc);
        if (deltaSrc < i1.min) i1.min = f32(deltaSrc);
        i1.n = (i1.n + 1) | 0;
      }
      if (deltaDst) {
        value += deltaDst;
        if (deltaDst > i1.max) i1.max = f32(deltaDst);
        if (deltaDst < i1.min) i1.min = f32(deltaDst);
        i1.n = (i1.n + 1) | 0;
      }
      sum1 += value;
      idleMax = i1.max > i2.max ? i1.max : i2.max;
      idleMin = i1.min < i2.min ? i1.min : i2.min;
      idleN = (i1.n + i2.n) | 0;
      if (idleN > 0) {
        idleMean = f32((sum1 + sum2) / idleN);
        if (idleN > 1) {
          idleStdev = f32(
            Math.sqrt(Math.abs((ss1 + ss2) / idleN - sq(idleMean))),
          );
        }
      }
      for (let n = 0, x = 10; n < 8 && (deltaSrc || deltaDst); n++) {
        if (deltaSrc && deltaSrc < x) {
          if (fdist[n]! < 0xff) fdist[n] = fdist[n]! + 1;
          deltaSrc = 0;
        }
        if (deltaDst && deltaDst < x) {
          if (fdist[n]! < 0xff) fdist[n] = fdist[n]! + 1;
          deltaDst = 0;
        }
        x *= 10;
      }
      if (
        a.agrLastStartSec > b.agrLastStartSec ||
        (a.agrLastStartSec === b.agrLastStartSec &&
          a.agrLastStartUsec > b.agrLastStartUsec)
      ) {
        lss = a.agrLastStartSec;
        lsu = a.agrLastStartUsec;
      } else {
        lss = b.agrLastStartSec;
        lsu = b.agrLastStartUsec;
      }
      if (
        a.agrLastSec > b.agrLastSec ||
        (a.agrLastSec === b.agrLastSec && a.agrLastUsec > b.agrLastUsec)
      ) {
        lts = a.agrLastSec;
        ltu = a.agrLastUsec;
      } else {
        lts = b.agrLastSec;
        ltu = b.agrLastUsec;
      }
    }
    a.agrCount = count;
    setStats(x1, actN, actMin, actMean, actStdev, actMax);
    const xf = x1.fdist, f1 = i1.fdist;
    for (let n = 0; n < 8; n++) {
      xf[n] = 0;
      f1[n] = fdist[n]!;
    }
    setStats(i1, idleN, idleMin, idleMean, idleStdev, idleMax);
    a.agrLastStartSec = lss;
    a.agrLastStartUsec = lsu;
    a.agrLastSec = lts;
    a.agrLastUsec = ltu;
  } else if (a.hasAgr) {
    const value = b.duration();
    const x1 = a.act;
    a.agrCount = (a.agrCount + 1) >>> 0;
    if (x1.max < value) x1.max = value;
    if (value !== 0 && x1.min > value) x1.min = value;
    let sum = f32(x1.mean * x1.n);
    sum += value;
    let ss = x1.stdev !== 0 ? x1.n * (sq(x1.stdev) + sq(x1.mean)) : sq(x1.mean);
    ss += sq(value);
    x1.n++;
    x1.mean = f32(sum / x1.n);
    x1.stdev = f32(Math.sqrt(Math.abs(ss / x1.n - sq(x1.mean))));
  } else if (b.hasAgr) {
    a.hasAgr = true;
    a.agrSubtype = b.agrSubtype;
    a.agrCount = b.agrCount;
    a.agrLastStartSec = b.agrLastStartSec;
    a.agrLastStartUsec = b.agrLastStartUsec;
    a.agrLastSec = b.agrLastSec;
    a.agrLastUsec = b.agrLastUsec;
    a.act.copyFrom(b.act);
    a.idle.copyFrom(b.idle);
  }
}

function setStats(
  s: AgrStats,
  n: number,
  min: number,
  mean: number,
  stdev: number,
  max: number,
): void {
  s.n = n | 0;
  s.min = f32(min);
  s.mean = f32(mean);
  s.stdev = f32(stdev);
  s.max = f32(max);
}

/** ArgusMergeRecords(agg, a, b): `a` becomes the merge of both. */
export function mergeRecords(a: CanonRecord, b: CanonRecord): void {
  if (!(a.type & 0x10) || !(b.type & 0x10)) return;
  let deltaSrc = 0, deltaDst = 0;
  if (a.hasTime && b.hasTime && a.hasMetric && b.hasMetric) {
    if (a.sp && b.sp) deltaSrc = Math.abs(b.srcStart - a.srcEnd);
    if (a.dp && b.dp) deltaDst = Math.abs(b.dstStart - a.dstEnd);
  }
  if (!a.hasAgr && a.hasMetric && a.sp + a.dp > 0) {
    const value = a.duration();
    a.hasAgr = true;
    a.agrSubtype = 4;
    a.agrCount = 1;
    a.act.clear();
    a.act.n = 1;
    a.act.min = a.act.mean = a.act.max = value;
    a.idle.clear();
    a.idle.min = f32(1000000000.0);
  }
  mergeTransport(a, b);
  mergeFlow(a, b);
  mergeTime(a, b);
  if (a.hasMetric && b.hasMetric) {
    a.sp += b.sp;
    a.sb += b.sb;
    a.sa += b.sa;
    a.dp += b.dp;
    a.db += b.db;
    a.da += b.da;
  }
  mergeAgr(a, b, deltaSrc, deltaDst);
  mergeNet(a, b);
  mergeAttr(a, b);
  mergeMac(a, b);
  const i1 = a.raw[14], i2 = b.raw[14];
  if (i1 && i2 && i1.length >= 12 && i2.length >= 12) {
    // Mapped ICMP (unreachables...): the original source as a CIDR run.
    const f = a.flow;
    if (
      (i1[2]! & 0x07) && (i2[2]! & 0x07) && a.hasFlow &&
      ((f[1]! & 0x3f) === 0x01 || (f[1]! & 0x3f) === 0x02) &&
      (f[2]! & 0x1f) === ADDR_IPV4
    ) mergeAddress(i1, 8, i2, 8, 1, 32);
  }
  if (!i1 && i2) a.raw[14] = i2.slice();
  if (!a.raw[8] && b.raw[8]) a.raw[8] = b.raw[8].slice();
  else mergeJitter(a, b);
  mergePsize(a, b);
  mergeUserData(a, b, 11);
  mergeUserData(a, b, 12);
  mergeEncaps(a, b);
}

/**
 * Packet sizes (canonical form, see canon_record.ts): per side, min of the
 * minimums, max of the maximums, histograms summed and scaled to 255.
 */
function mergePsize(a: CanonRecord, b: CanonRecord): void {
  const p1 = a.raw[10], p2 = b.raw[10];
  if (!p1 || !p2) return;
  for (const [bit, o] of [[0x01, 4], [0x02, 16]] as const) {
    if ((p1[1]! & bit) && (p2[1]! & bit)) {
      const max1 = (p1[o + 2]! << 8) | p1[o + 3]!;
      const max2 = (p2[o + 2]! << 8) | p2[o + 3]!;
      if (max1 < max2) {
        p1[o + 2] = p2[o + 2]!;
        p1[o + 3] = p2[o + 3]!;
      }
      const min1 = (p1[o]! << 8) | p1[o + 1]!;
      const min2 = (p2[o]! << 8) | p2[o + 1]!;
      if (min1 > min2) {
        p1[o] = p2[o]!;
        p1[o + 1] = p2[o + 1]!;
      }
      if (p1[1]! & 0x04) {
        let max = 0;
        const val = [0, 0, 0, 0, 0, 0, 0, 0];
        for (let x = 0; x < 8; x++) {
          val[x] = p1[o + 4 + x]! + p2[o + 4 + x]!;
          if (max < val[x]!) max = val[x]!;
        }
        for (let x = 0; x < 8; x++) {
          let v = val[x]!;
          if (v) {
            if (max > 255) v = Math.trunc((v * 255) / max);
            if (v === 0) v = 1;
          }
          p1[o + 4 + x] = v & 0xff;
        }
      }
    } else if (p2[1]! & bit) {
      p1[1] = p1[1]! | bit;
      p1.set(p2.subarray(o, o + 12), o);
    }
  }
}

/**
 * Jitter (argus -J) without histograms: per statistics block both records
 * have (source active, source idle, destination active, destination idle;
 * n, then min, mean, stdev and max as floats), counts summed, the mean
 * and deviation recombined and cut to whole numbers, as argus does; where
 * it sums in single precision (destination active) or into an int
 * (destination idle), so do we.
 */
function mergeJitter(a: CanonRecord, b: CanonRecord): void {
  const j1 = a.raw[8], j2 = b.raw[8];
  if (!j1 || !j2 || (j1[1]! & 0x03) || (j2[1]! & 0x03)) return;
  const v1 = new DataView(j1.buffer, j1.byteOffset, j1.length);
  const v2 = new DataView(j2.buffer, j2.byteOffset, j2.length);
  const q1 = j1[2]!, q2 = j2[2]!;
  let o1 = 4, o2 = 4;
  for (let k = 0; k < 4; k++) {
    const bit = 1 << k;
    const has1 = (q1 & bit) !== 0, has2 = (q2 & bit) !== 0;
    if (has1 && has2 && o1 + 20 <= j1.length && o2 + 20 <= j2.length) {
      const n1 = v1.getInt32(o1), n2 = v2.getInt32(o2);
      if (n2 > 0) {
        const mean1 = v1.getFloat32(o1 + 8), mean2 = v2.getFloat32(o2 + 8);
        const sd1 = v1.getFloat32(o1 + 12), sd2 = v2.getFloat32(o2 + 12);
        const n = (n1 + n2) >>> 0;
        const mean = (mean1 * n1 + mean2 * n2) / n;
        let sumsqrd = 0;
        if (n1) {
          const sum = k === 2
            ? f32(mean1 * f32(n1))
            : k === 3
            ? Math.trunc(mean1 * n1) | 0
            : mean1 * n1;
          sumsqrd += n1 * (sd1 * sd1) + (sum * sum) / n1;
        }
        {
          const sum = mean2 * n2;
          sumsqrd += n2 * (sd2 * sd2) + (sum * sum) / n2;
        }
        // (int) sqrt(...): out of range gives INT_MIN, and the compiled
        // code turns it into a float as a signed number.
        const x = Math.sqrt(Math.abs(sumsqrd / n - mean * mean));
        const stdev = x < 2147483648 ? Math.trunc(x) : -2147483648;
        v1.setInt32(o1, n | 0);
        v1.setFloat32(o1 + 8, Math.trunc(mean) >>> 0);
        v1.setFloat32(o1 + 12, stdev);
        if (v1.getFloat32(o1 + 4) > v2.getFloat32(o2 + 4)) {
          v1.setFloat32(o1 + 4, v2.getFloat32(o2 + 4));
        }
        if (v1.getFloat32(o1 + 16) < v2.getFloat32(o2 + 16)) {
          v1.setFloat32(o1 + 16, v2.getFloat32(o2 + 16));
        }
      }
    }
    if (has1) o1 += 20;
    if (has2) o2 += 20;
  }
}

/** User data: the second record's bytes appended while there is room. */
function mergeUserData(a: CanonRecord, b: CanonRecord, slot: number): void {
  const d1 = a.raw[slot], d2 = b.raw[slot];
  if (d1 && d2) {
    const size = (d1[4]! << 8) | d1[5]!, count = (d1[6]! << 8) | d1[7]!;
    const count2 = (d2[6]! << 8) | d2[7]!;
    const tlen = Math.min(size - count, count2);
    if (tlen > 0) {
      // argus's buffer holds `size` bytes, but the DSR written keeps its
      // length: what lies past it is counted, not written.
      for (let i = 0; i < tlen && 8 + count + i < d1.length; i++) {
        d1[8 + count + i] = d2[8 + i] ?? 0;
      }
      d1[6] = ((count + tlen) >> 8) & 0xff;
      d1[7] = (count + tlen) & 0xff;
    }
  } else if (!d1 && d2) {
    const t = d2.slice();
    const size = t.length - 8;
    t[4] = (size >> 8) & 0xff;
    t[5] = size & 0xff;
    a.raw[slot] = t;
  }
}
