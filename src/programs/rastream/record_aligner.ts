/**
 * Cutting a flow record at time-bin boundaries, as rastream -M time and
 * rabins do (argus_client.c ArgusAlignInit / ArgusAlignRecord, "modify"
 * mode): each piece keeps the part of the record inside one bin, packets
 * and bytes shared out by a uniform rate model with a carried remainder,
 * so the pieces add up to the record. Our own code, checked against the
 * real rastream's output record by record (tests/clients/rastream_test.ts).
 * @module
 */

import {
  CanonRecord,
  T_DST_END,
  T_DST_START,
  T_SRC_END,
  T_SRC_START,
} from "../../cluster/canon_record.ts";
import { alignStart, type SplitPeriod } from "./split_period.ts";

const TIME_MASK = T_SRC_START | T_SRC_END | T_DST_START | T_DST_END;
const SRC_BITS = T_SRC_START | T_SRC_END, DST_BITS = T_DST_START | T_DST_END;
const secOf = (t: number) => Math.floor(t / 1e6);

/** ArgusFetchStartuSecTime of a flow record, µs. */
export function fetchStart(r: CanonRecord): number {
  const bits = r.timeBits & (T_SRC_START | T_DST_START);
  const s = r.srcStart, d = r.dstStart;
  if (bits === T_SRC_START) return s;
  if (bits === T_DST_START) return d;
  if (secOf(s) > 0 && secOf(d) > 0) return Math.min(s, d);
  return secOf(s) > 0 ? s : d;
}

/** ArgusFetchLastuSecTime of a flow record, µs. */
export function fetchLast(r: CanonRecord): number {
  const bits = r.timeBits & (T_SRC_END | T_DST_END);
  if (bits === T_SRC_END) return r.srcEnd;
  if (bits === T_DST_END) return r.dstEnd;
  return Math.max(r.srcEnd, r.dstEnd);
}

/**
 * C's (int) of a double on x86-64: toward zero, and INT_MIN for NaN or
 * out of range (a side whose packets share one instant divides 0 by 0).
 */
function int(x: number): number {
  return x > -2147483649 && x < 2147483648 ? Math.trunc(x) : -2147483648;
}
/** The rates are C floats in argus (ArgusAdjustStruct): single precision. */
const f32 = Math.fround;

/** Cuts one record after another into per-bin pieces. */
export class RecordAligner {
  readonly #period: SplitPeriod;
  readonly #piece = new CanonRecord();
  // The per-record state of ArgusAdjustStruct.
  #binStart = 0;
  #stperiod = 0;
  #dtperiod = 0;
  #spkts = 0;
  #sbytes = 0;
  #sapp = 0;
  #dpkts = 0;
  #dbytes = 0;
  #dapp = 0;
  #stduration = 0;
  #dtduration = 0;
  #scpkts = 0;
  #dcpkts = 0;
  #turns = 0;

  /**
   * Whether bytes left without packets move to a piece (exact sums, for
   * graphs) rather than stay in the rest as well (the real rastream).
   */
  readonly #conserve: boolean;

  constructor(period: SplitPeriod, conserve = false) {
    this.#period = period;
    this.#conserve = conserve;
  }

  /**
   * The pieces of `ns` (a flow record; consumed: its counts end at zero),
   * in time order. A piece is valid until the next one is asked for
   * (one record is reused: a copy per piece cost a third of the time).
   */
  *pieces(ns: CanonRecord): Generator<CanonRecord> {
    this.#binStart = 0;
    this.#stperiod = this.#dtperiod = 0;
    const tcp = tcpObject(ns);
    const srcLoss = tcp !== null && ns.sp > 0 && tcp.getUint32(SRC_RETRANS) > 0;
    const dstLoss = tcp !== null && ns.dp > 0 && tcp.getUint32(DST_RETRANS) > 0;
    for (;;) {
      const piece = this.#next(ns);
      if (piece === null) return;
      if (srcLoss) shareRetrans(ns, piece, ns.sp, piece.sp, SRC_RETRANS);
      if (dstLoss) shareRetrans(ns, piece, ns.dp, piece.dp, DST_RETRANS);
      yield piece;
    }
  }

  #next(ns: CanonRecord): CanonRecord | null {
    if (!ns.hasTime) return null;
    const size = this.#period.size;
    const startusec = fetchStart(ns), endusec = fetchLast(ns);
    if (this.#binStart === 0) {
      this.#binStart = alignStart(this.#period, startusec);
    }
    if (!ns.hasMetric || ns.sp + ns.dp <= 0) {
      this.#turns = 0;
      return null;
    }
    const value = int((startusec - this.#binStart) / size);
    const esecs = this.#binStart + (value + 1) * size;
    const r = this.#piece;
    r.copyFrom(ns);
    this.#turns++;
    if (ns.sp + ns.dp === 1 || endusec <= esecs) {
      // The rest fits in this bin.
      ns.sp = ns.dp = 0;
      return r;
    }
    if (ns.sp + ns.dp === 2) this.#splitPair(ns, r);
    else this.#share(ns, r, esecs);
    return r;
  }

  /** Two packets across a boundary: one record each. */
  #splitPair(ns: CanonRecord, r: CanonRecord): void {
    if (ns.sp === 1) {
      r.timeBits = (r.timeBits & ~TIME_MASK) | T_SRC_START;
      r.dstStart = r.dstEnd = 0;
      ns.timeBits = (ns.timeBits & ~TIME_MASK) | T_DST_START;
      ns.srcStart = ns.srcEnd = 0;
      r.dp = r.db = r.da = 0;
    } else {
      r.timeBits &= ~TIME_MASK;
      ns.timeBits &= ~TIME_MASK;
      if (r.sp) {
        r.timeBits |= T_SRC_START;
        ns.timeBits |= T_SRC_START;
        r.sp = 1;
        r.sb = halfUp(r.sb);
        r.sa = halfUp(r.sa);
        r.dp = r.db = r.da = 0;
        r.srcEnd = r.srcStart;
        ns.srcStart = ns.srcEnd;
      } else {
        r.timeBits |= T_DST_START;
        ns.timeBits |= T_DST_START;
        r.dp = 1;
        r.db = halfUp(r.db);
        r.da = halfUp(r.da);
        r.dstEnd = r.dstStart;
        ns.dstStart = ns.dstEnd;
      }
    }
    subtractCounts(ns, r);
    if (r.hasAgr && r.agrCount >= 1) {
      r.agrCount = 1;
      ns.agrCount = 1;
    }
  }

  /** Many packets: the share of the time inside the bin. */
  #share(ns: CanonRecord, r: CanonRecord, esecs: number): void {
    const size = this.#period.size;
    const sstime = r.srcStart, dstime = r.dstStart;
    const setime = r.srcEnd, detime = r.dstEnd;
    if (this.#stperiod === 0 && this.#dtperiod === 0) {
      this.#period_(ns);
      this.#stduration = ns.sp > 1 ? this.#stperiod / (ns.sp - 1) : 0;
      // argus clears the source's step here, not the destination's.
      if (ns.dp > 1) this.#dtduration = this.#dtperiod / (ns.dp - 1);
      else this.#stduration = 0;
      this.#scpkts = this.#dcpkts = 0;
    }
    if (sstime > esecs) {
      r.srcStart = r.srcEnd = 0;
      r.sp = r.sb = r.sa = 0;
      r.timeBits &= ~SRC_BITS;
    } else if (setime > esecs) {
      r.srcEnd = esecs;
      r.timeBits |= SRC_BITS;
      ns.srcStart = esecs;
      ns.timeBits |= SRC_BITS;
    } else {
      ns.srcStart = ns.srcEnd = 0;
      ns.timeBits &= ~SRC_BITS;
      this.#stduration = 0;
    }
    if (dstime > esecs) {
      r.dstStart = r.dstEnd = 0;
      r.dp = r.db = r.da = 0;
      r.timeBits &= ~DST_BITS;
    } else if (detime > esecs) {
      r.dstEnd = esecs;
      r.timeBits |= DST_BITS;
      ns.dstStart = esecs;
      ns.timeBits |= DST_BITS;
    } else {
      ns.dstStart = ns.dstEnd = 0;
      ns.timeBits &= ~DST_BITS;
      this.#dtduration = 0;
    }
    if (secOf(r.srcStart) && r.sp) {
      const td = Math.min(r.srcEnd - r.srcStart, size);
      const rd = Math.min(setime - sstime, size);
      let n = int((f32(this.#spkts + this.#scpkts) * td) / rd);
      if (n > r.sp) n = r.sp;
      if (n < 1) n = 1;
      this.#scpkts = f32(this.#scpkts + ((this.#spkts * td) / rd - n));
      const ratio = n / this.#spkts;
      r.sp = n;
      r.sb = int(this.#sbytes * ratio);
      r.sa = int(this.#sapp * ratio);
    }
    if (secOf(r.dstStart) && r.dp) {
      const td = Math.min(r.dstEnd - r.dstStart, size);
      const rd = Math.min(detime - dstime, size);
      let n = int((f32(this.#dpkts + this.#dcpkts) * td) / rd);
      if (n > r.dp) n = r.dp;
      if (n < 1) n = 1;
      this.#dcpkts = f32(this.#dcpkts + ((this.#dpkts * td) / rd - n));
      const ratio = n / this.#dpkts;
      r.dp = n;
      r.db = int(this.#dbytes * ratio);
      r.da = int(this.#dapp * ratio);
    }
    const agrRatio = (r.sp + r.dp) / (ns.sp + ns.dp);
    if (r.hasAgr && ns.hasAgr) {
      if (ns.agrCount > 1) {
        r.agrCount = int(ns.agrCount * agrRatio);
        if (r.agrCount === 0 && r.sp + r.dp > 0) r.agrCount = 1;
        ns.agrCount -= r.agrCount;
      } else r.agrCount = ns.agrCount;
    }
    subtractCounts(ns, r);
    // Bytes left without packets go to this piece (argus keeps them in
    // the rest too).
    if (ns.sp === 0 && ns.sb > 0) {
      if (r.sp > 1) {
        r.sp--;
        ns.sp++;
      } else {
        r.sb += ns.sb;
        r.sa += ns.sa;
        if (this.#conserve) ns.sb = ns.sa = 0;
      }
    }
    if (ns.dp === 0 && ns.db > 0) {
      if (r.dp > 1) {
        r.dp--;
        ns.dp++;
      } else {
        r.db += ns.db;
        r.da += ns.da;
        if (this.#conserve) ns.db = ns.da = 0;
      }
    }
    if (r.sp + r.dp === 1) {
      r.srcEnd = r.srcStart;
      r.dstEnd = r.dstStart;
    }
    if (ns.sp > 1 && this.#stduration) {
      const t = sstime + this.#step(this.#stduration, r.sp);
      if (t - ns.srcStart >= size) ns.srcStart = t;
    } else if (ns.sp === 1) ns.srcStart = ns.srcEnd;
    if (ns.dp > 1 && this.#dtduration) {
      const t = dstime + this.#step(this.#dtduration, r.dp);
      if (t - ns.dstStart >= size) ns.dstStart = t;
    } else if (ns.dp === 1) ns.dstStart = ns.dstEnd;
  }

  /**
   * How far the rest's start moves for `pkts` packets taken, µs. The
   * 3.0.8 rastream's pieces show no bin-sized step (the per-packet period
   * in bins is taken as µs, so the rest starts at the boundary); checked
   * on the corpus. The newer sources scale it by the bin size.
   */
  #step(duration: number, pkts: number): number {
    return int(duration * pkts);
  }

  /** ArgusCalculatePeriod: each side's span in bins and its rates. */
  #period_(ns: CanonRecord): void {
    const size = this.#period.size;
    this.#stperiod = Math.max((ns.srcEnd - ns.srcStart) / size, 1);
    this.#dtperiod = Math.max((ns.dstEnd - ns.dstStart) / size, 1);
    this.#spkts = f32(ns.sp / this.#stperiod);
    this.#sbytes = f32(ns.sb / this.#stperiod);
    this.#sapp = f32(ns.sa / this.#stperiod);
    this.#dpkts = f32(ns.dp / this.#dtperiod);
    this.#dbytes = f32(ns.db / this.#dtperiod);
    this.#dapp = f32(ns.da / this.#dtperiod);
  }
}

/** Half, rounded up, as argus halves a pair's bytes. */
function halfUp(n: number): number {
  return Math.floor(n / 2) + (n & 1);
}

function subtractCounts(ns: CanonRecord, r: CanonRecord): void {
  ns.sp -= r.sp;
  ns.sb -= r.sb;
  ns.sa -= r.sa;
  ns.dp -= r.dp;
  ns.db -= r.db;
  ns.da -= r.da;
}

/** Offsets in the TCP object (ArgusTCPObject): per-side status, retrans. */
const SRC_STATUS = 28, SRC_RETRANS = 52, DST_STATUS = 76, DST_RETRANS = 100;
const RETRANS_OR_DROP = 0x330, SRC_FLAGS = 0x110, DST_FLAGS = 0x220;

/** The TCP object of a TCP flow with a state, else null. */
function tcpObject(r: CanonRecord): DataView | null {
  if (!r.hasNet || !r.hasFlow || r.netSubtype < 3 || r.netSubtype > 5) {
    return null;
  }
  const f = r.flow, addr = f[2]! & 0x1f;
  if ((f[1]! & 0x3f) !== 0x01) return null;
  const proto = addr === 1 ? f[12] : addr === 2 ? f[36] : -1;
  if (proto !== 6) return null;
  return r.netView.getUint32(4) !== 0 ? r.netView : null;
}

/**
 * ArgusAdjustSrcLoss / DstLoss for TCP: the piece takes its share of the
 * retransmissions left (rounded to even), the rest keeps the others; a
 * piece with none loses its retransmission and drop flags.
 */
function shareRetrans(
  ns: CanonRecord,
  piece: CanonRecord,
  restPkts: number,
  piecePkts: number,
  at: number,
): void {
  const rest = tcpObject(ns), own = tcpObject(piece);
  if (rest === null || own === null) return;
  const share = rint(rest.getUint32(at) * (piecePkts / (restPkts + piecePkts)));
  const drop = Number.isFinite(share) ? share >>> 0 : 0;
  own.setUint32(at, drop);
  if (drop === 0) {
    const src = at === SRC_RETRANS;
    const statusAt = src ? SRC_STATUS : DST_STATUS;
    own.setUint32(statusAt, own.getUint32(statusAt) & ~RETRANS_OR_DROP);
    own.setUint32(0, own.getUint32(0) & ~(src ? SRC_FLAGS : DST_FLAGS));
  } else rest.setUint32(at, rest.getUint32(at) - drop);
}

/** C's rint: to the nearest, halves to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
