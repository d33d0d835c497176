/**
 * The values rasort's -m fields compare, one function per argus fetch:
 * each reads a record (after ra's corrections) as the real rasort's
 * ArgusSort* routine reads its in-memory record, quirks included. NaN
 * marks a value the routine would find missing (the pair compares equal).
 * @module
 */

import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind } from "./client_record.ts";
import { ClientFilterSubject } from "./client_filter_subject.ts";
import { PRINT_FIELDS, type PrintOptions } from "./print_fields.ts";
import { SideTimes } from "./side_times.ts";

/** RaGetFloatDuration after ra's time fixes, a float. */
export function duration(r: ClientRecord): number {
  return sideTimes(r).dur;
}

/**
 * The aggregation DSR as ra holds it: the record's own, or for a record
 * with packets and none, an AGR of one whose activity stats are its
 * duration (ArgusGenerateRecordStruct). `which`: count, n, min, mean,
 * max. NaN without either.
 */
function agr(r: ClientRecord, which: number): number {
  const v = r.view, d = v.view;
  const p = v.dsr(DsrType.AGR);
  if (p >= 0) {
    switch (which) {
      case 0:
        return d.getUint32(p + 4);
      case 1:
        return d.getInt32(p + 24, true);
      default:
        // argus writes the stats' floats little-endian.
        return d.getFloat32(p + 24 + (which - 1) * 4, true);
    }
  }
  if (!r.hasMetric || r.srcPkts + r.dstPkts === 0) return NaN;
  return which <= 1 ? 1 : duration(r);
}

export function transactions(r: ClientRecord): number {
  return agr(r, 0);
}

/** RaGetFloatMean/Min/Max/Sum: 0 without an AGR (still compared). */
export function activity(
  r: ClientRecord,
  which: "min" | "mean" | "max" | "sum",
): number {
  if (which === "sum") {
    const mean = agr(r, 3), n = agr(r, 1);
    return Number.isNaN(mean) ? 0 : Math.fround(mean * n);
  }
  const x = agr(r, which === "min" ? 2 : which === "mean" ? 3 : 5);
  return Number.isNaN(x) ? 0 : x;
}

/** The IP protocol of an IPv4 or IPv6 key, else 0 (ArgusSortProtocol). */
export function ipProto(r: ClientRecord): number {
  if (r.view.dsr(DsrType.FLOW) < 0) return NaN;
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) return 0;
  return r.addrType === AddrType.IPV4 || r.addrType === AddrType.IPV6
    ? r.proto
    : 0;
}

/**
 * A port as ArgusSortSrcPort/DstPort read it, NaN without a flow key. A
 * TCP or UDP key's REVERSE bit (RA_PORT_DIRECTION) makes them read the
 * other side's port.
 */
export function port(r: ClientRecord, src: boolean): number {
  if (r.view.dsr(DsrType.FLOW) < 0) return NaN;
  if (r.reverseFlag && (r.proto === 6 || r.proto === 17)) src = !src;
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) return 0;
  if (r.addrType === AddrType.IPV4) {
    // argus's canonical key of an IPv4 fragment has no ports.
    if (r.fragment) return 0;
    return r.proto === 6 || r.proto === 17 ? (src ? r.sport : r.dport) : 0;
  }
  if (r.addrType === AddrType.IPV6) {
    if (r.proto === 6 || r.proto === 17) return src ? r.sport : r.dport;
    if (r.proto === 58) return src ? r.icmpType : r.icmpCode;
  }
  return 0;
}

/**
 * IP attribute values after ra's corrections: `which` 0 TTL, 1 TOS. TTLs
 * need that side's part; TOS needs only the DSR (an absent part reads 0).
 */
export function attr(r: ClientRecord, src: boolean, which: number): number {
  const v = r.view;
  if (v.dsr(DsrType.IPATTR) < 0) return NaN;
  const side = src !== r.turned;
  const value = which === 0
    ? (side ? v.srcTtl : v.dstTtl)
    : (side ? v.srcTos : v.dstTos);
  if (value >= 0) return value;
  return which === 0 ? NaN : 0;
}

export function srcid(r: ClientRecord): number {
  return r.view.dsr(DsrType.TRANSPORT) < 0 ? NaN : r.view.srcid;
}

// --- values ra derives (the filter's view of a record) ------------------------

/**
 * The record as ra's filter sees it (corrected, sides swapped with it),
 * loaded once per record for every key that needs it.
 */
const subject = new ClientFilterSubject();
let subjectOf: ClientRecord | null = null;
/** The load of `subjectOf` it was filled from. */
let subjectLoad = -1;

function derived(r: ClientRecord): ClientFilterSubject {
  if (subjectOf !== r || subjectLoad !== r.loads) {
    subject.load(r);
    subjectOf = r;
    subjectLoad = r.loads;
  }
  return subject;
}

/** IP ids (ntohs'd by argus); the dipid sort reads the *source* id's low byte. */
export function ipid(r: ClientRecord, src: boolean): number {
  if (r.view.dsr(DsrType.IPATTR) < 0) return NaN;
  const s = derived(r);
  return src ? Math.max(s.sipid, 0) : Math.max(s.sipid, 0) & 0xff;
}

/** TOS >> 2 (ArgusSortSrcDSByte), needing only the DSR. */
export function dsByte(r: ClientRecord, src: boolean): number {
  const tos = attr(r, src, 1);
  return Number.isNaN(tos) ? NaN : tos >> 2;
}

/**
 * VLAN ids and MPLS labels: -2 without the DSR, -1 without that side,
 * else the value as argus compares it (a VLAN id's 12 bits; an MPLS label
 * word's bytes in the wrong order).
 */
export function vlanOrMpls(
  r: ClientRecord,
  mpls: boolean,
  src: boolean,
): number {
  const v = r.view;
  const p = v.dsr(mpls ? DsrType.MPLS : DsrType.VLAN);
  if (p < 0) return -2;
  const bits = mpls ? v.buf[p + 1]! : v.buf[p + 2]!;
  const side = src !== r.turned;
  if (!(bits & (side ? 0x01 : 0x02))) return -1;
  const s = derived(r);
  if (mpls) {
    // argus ntohl's the label word, then reads its bytes as if in network
    // order: checked against the real rasort on mpls.pcap.
    const x = (src ? s.smpls : s.dmpls) >>> 0;
    return ((x & 0xff) << 12) | (((x >>> 8) & 0xff) << 4) |
      (((x >>> 16) & 0xff) >> 4);
  }
  return (src ? s.svlan : s.dvlan) & 0x0fff;
}

/** A MAC address as one number, ascending (bcmp); NaN without the DSR. */
export function macOf(r: ClientRecord, src: boolean): number {
  if (r.view.dsr(DsrType.MAC) < 0) return NaN;
  const s = derived(r);
  const hi = src ? s.smacHi : s.dmacHi, lo = src ? s.smacLo : s.dmacLo;
  return Math.max(hi, 0) * 2 ** 32 + Math.max(lo, 0);
}

/** The transport sequence number (0 without it), NaN without the DSR. */
export function seqOf(r: ClientRecord): number {
  if (r.view.dsr(DsrType.TRANSPORT) < 0) return NaN;
  return Math.max(derived(r).seq, 0);
}

/** Application bytes as ra's columns print them (0 without a metric). */
export function appBytes(r: ClientRecord, which: number): number {
  const read = (name: string) =>
    Number.parseInt(PRINT_FIELDS.get(name)!.print(r, PLAIN, 12), 10) || 0;
  const sa = which === 2 ? 0 : read("sappbytes");
  const da = which === 1 ? 0 : read("dappbytes");
  return sa + da;
}

/** Packet sizes as ra prints them; NaN without a packet-size DSR. */
export function packetSize(r: ClientRecord, name: string): number {
  if (r.view.dsr(DsrType.PSIZE) < 0) return NaN;
  return Number.parseInt(PRINT_FIELDS.get(name)!.print(r, PLAIN, 12), 10) ||
    0;
}

/** ArgusFetchAppByteRatio: (sapp - dapp) / (sapp + dapp). */
export function appByteRatio(r: ClientRecord): number {
  if (!r.hasMetric) return 0;
  const sa = appBytes(r, 1), da = appBytes(r, 2);
  return sa + da > 0 ? (sa - da) / (sa + da) : -0;
}

/** ra's durations and float loads of a record, once per record. */
const sides = new SideTimes();
let sidesOf: ClientRecord | null = null;
/** The load of `sidesOf` they were computed for. */
let sidesLoad = -1;

function sideTimes(r: ClientRecord): SideTimes {
  if (sidesOf !== r || sidesLoad !== r.loads) {
    sides.load(r);
    sidesOf = r;
    sidesLoad = r.loads;
  }
  return sides;
}

/** ArgusFetchLoad / SrcLoad / DstLoad, in single precision as ra has them. */
export function loadOf(r: ClientRecord, which: number): number {
  const t = sideTimes(r);
  if (which === 1) return t.sload;
  if (which === 2) return t.dload;
  if (!(t.dur > 0)) return 0;
  const sd = t.srcDur > 0 ? t.srcDur : t.dur;
  const dd = t.dstDur > 0 ? t.dstDur : t.dur;
  const f = Math.fround;
  return f(f(f(t.sload * sd) + f(t.dload * dd)) / t.dur);
}

export function rateOf(r: ClientRecord, which: number): number {
  if (which === 0) {
    const d = duration(r);
    const pkts = r.hasMetric ? r.srcPkts + r.dstPkts : 0;
    return pkts > 0 && d > 0 ? pkts / d : 0;
  }
  // ArgusSortDstRate fetches the source rate.
  return Math.fround(derived(r).srate);
}

/**
 * TCP base sequence numbers and the setup round trip from argus's TCP
 * object (a TCP_INIT record gives only the source base), NaN without a
 * network DSR (argus drops subtype 0), 0 for flows other than TCP.
 */
export function tcpValue(
  r: ClientRecord,
  which: "sbase" | "dbase" | "rtt",
): number {
  const v = r.view, b = v.buf, d = v.view;
  const n = v.dsr(DsrType.NETWORK);
  if (n < 0 || !(r.netSubtype > 0)) return NaN;
  if (
    r.flowKind !== FlowKind.CLASSIC5TUPLE || r.proto !== 6 ||
    (r.addrType !== AddrType.IPV4 && r.addrType !== AddrType.IPV6)
  ) return 0;
  const sub = b[n + 1]!;
  if (which === "rtt") {
    return sub === 5 ? (d.getUint32(n + 16) + d.getUint32(n + 20)) >>> 0 : 0;
  }
  // ArgusReverseRecord trades the sides of a turned record.
  const src = (which === "sbase") !== r.turned;
  if (sub === 3) return src ? d.getUint32(n + 8) : 0;
  if (sub === 5) return d.getUint32(n + (src ? 36 : 84));
  return 0;
}

/**
 * ArgusFetchSrcGap/DstGap: bytes missing from a TCP side's sequence space
 * (-1 for other flows, 0 without a TCP perf object or with retransmits).
 */
export function gapOf(r: ClientRecord, src: boolean): number {
  const v = r.view, b = v.buf, d = v.view;
  const n = v.dsr(DsrType.NETWORK);
  if (n < 0 || !(r.netSubtype > 0) || r.flowKind !== FlowKind.CLASSIC5TUPLE) {
    return -1;
  }
  if (r.addrType !== AddrType.IPV4 && r.addrType !== AddrType.IPV6) return -1;
  if (r.proto !== 6) return -1;
  if (b[n + 1] !== 5) return 0;
  // The side's metrics in argus's TCP object (sides traded when turned).
  const m = n + 24 + ((src !== r.turned) ? 0 : 48);
  const seqbase = d.getUint32(m + 12), seq = d.getUint32(m + 16);
  const bytes = d.getUint32(m + 28), retrans = d.getUint32(m + 32);
  const ackbytes = d.getUint32(m + 36), winbytes = d.getUint32(m + 40);
  if (seqbase === ackbytes || seq === 0 || retrans !== 0) return 0;
  let gap = (seq - seqbase) >>> 0;
  if (gap === bytes || gap === ((bytes - winbytes) >>> 0)) return 0;
  gap -= bytes;
  if (gap < 0) gap = 0;
  return gap > 0 ? gap - 1 : gap;
}

/** The mapped ICMP packet's source (ArgusSortInode); NaN when unmapped. */
export function inode(r: ClientRecord): number {
  const p = r.view.dsr(DsrType.ICMP);
  if (p < 0 || !(r.view.buf[p + 2]! & 0x07)) return NaN;
  return r.view.view.getUint32(p + 8);
}

/**
 * Country codes (ralabel's DSR) as strcmp compares them: argus's two
 * characters per side have no NUL, so a source code runs on into the
 * destination one. Encoded as a number with the same order; NaN without
 * the DSR. (No corpus record carries one: unverified beyond absence.)
 */
export function countryCode(r: ClientRecord, src: boolean): number {
  const p = r.view.dsr(DsrType.COCODE);
  if (p < 0) return NaN;
  const b = r.view.buf, end = p + b[p + 3]! * 4;
  let key = 0;
  let done = false;
  for (let k = src ? 4 : 6; k < 8; k++) {
    const c = !done && p + k < end ? b[p + k]! : 0;
    if (c === 0) done = true;
    key = key * 256 + c;
  }
  // Keys of different lengths: pad so that a shorter string sorts first.
  return src ? key : key * 65536;
}

/** AS numbers (ASN DSR, ntohl'd by argus); NaN without the DSR. */
export function asNumber(r: ClientRecord, src: boolean): number {
  const p = r.view.dsr(DsrType.ASN);
  if (p < 0) return NaN;
  return r.view.view.getUint32(p + (src ? 4 : 8));
}

/** Options to read a number from a print column, untruncated. */
const PLAIN: PrintOptions = {
  nflag: 2,
  precision: 6,
  timeFormat: "%T.%f",
  unixTime: false,
  fixed: false,
};

/**
 * Packets lost (ArgusFetchLoss/SrcLoss/DstLoss: TCP retransmissions, ESP
 * sequence gaps, RTP drops) as ra's loss columns print them; `percent`
 * gives ArgusFetchPercent*Loss.
 */
export function lossOf(
  r: ClientRecord,
  side: "" | "s" | "d",
  percent: boolean,
): number {
  const field = PRINT_FIELDS.get(`${side}loss`)!;
  const lost = Number.parseInt(field.print(r, PLAIN, 10), 10) || 0;
  if (!percent) return lost;
  if (!r.hasMetric) return 0;
  const pkts = side === "s"
    ? r.srcPkts
    : side === "d"
    ? r.dstPkts
    : r.srcPkts + r.dstPkts;
  return pkts > 0 ? (lost * 100) / (pkts + lost) : 0;
}
