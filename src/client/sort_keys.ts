/**
 * rasort's -m sort fields (rasort(1)): the keywords the real rasort 3.0.8
 * takes, matched as it matches them (a keyword matches any argument that
 * starts with it, first in its table order), and each field's comparison
 * as argus's ArgusSort* routines make it, ascending or descending as they
 * do (times, durations, addresses, ports and TTLs ascending; counters,
 * protocols, TOS and transactions descending), with their quirks: a field
 * missing from either record compares equal, and -v turns every order.
 * Values are taken once per record, after ra's corrections, into typed
 * arrays; comparisons read only those. Checked against the real rasort on
 * every corpus file (tests/clients/rasort_test.ts).
 * @module
 */

import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind } from "./client_record.ts";
import { ClientFilterSubject } from "./client_filter_subject.ts";
import { SideTimes } from "./side_times.ts";
import { PRINT_FIELDS, type PrintOptions } from "./print_fields.ts";

/** One -m field over the kept records. */
export interface SortKey {
  /** Takes the values of record `i` (records come in order, from 0). */
  add(r: ClientRecord, i: number): void;
  /** ArgusSortRoutine's answer for this field: > 0 puts `a` after `b`. */
  compare(a: number, b: number): number;
}

/** How the keys were asked for. */
export interface SortKeyOptions {
  /** -v: every field in the other order. */
  reverse: boolean;
  /** The /cidr of the last saddr/daddr field (argus keeps one for both). */
  cidr: number;
}

/** Grows a column so that index `i` fits. */
/** The typed arrays the keys keep their values in. */
type Column =
  | Float64Array<ArrayBuffer>
  | Float32Array<ArrayBuffer>
  | Int32Array<ArrayBuffer>
  | Uint32Array<ArrayBuffer>
  | Int16Array<ArrayBuffer>
  | Uint16Array<ArrayBuffer>
  | Int8Array<ArrayBuffer>
  | Uint8Array<ArrayBuffer>;

/** Grows a column (doubling) so that index `i` fits. */
function fit<T extends Column>(a: T, i: number): T {
  if (i < a.length) return a;
  const make = a.constructor as new (n: number) => T;
  const b = new make(Math.max(1024, a.length * 2));
  b.set(a as never);
  return b;
}

/** argus's -v: the sign turned (its early returns excepted). */
function turn(retn: number, reverse: boolean): number {
  return reverse ? (retn > 0 ? -1 : retn < 0 ? 1 : 0) : retn;
}

/** How a numeric field compares. */
const enum Order {
  /** Smaller values first. */
  Ascending,
  /** Larger values first. */
  Descending,
  /** (int)(a - b) of two unsigned 32-bit values (ArgusSortSrcId). */
  Wrapped,
  /** The sign of (int)(b - a) turned: ascending with int wrap (AS numbers). */
  IntAscending,
}

/**
 * A field that is one number per record; NaN marks it absent, and an
 * absent value on either side compares equal.
 */
class NumberKey implements SortKey {
  /** Wide values (times, counters) in doubles; small ones in 32 bits. */
  #v: Float64Array<ArrayBuffer> | Float32Array<ArrayBuffer>;
  constructor(
    readonly value: (r: ClientRecord) => number,
    readonly order: Order,
    readonly reverse: boolean,
    storage: "f64" | "f32",
  ) {
    this.#v = storage === "f64"
      ? new Float64Array(1024)
      : new Float32Array(1024);
  }

  add(r: ClientRecord, i: number): void {
    this.#v = fit(this.#v, i);
    this.#v[i] = this.value(r);
  }

  compare(a: number, b: number): number {
    const x = this.#v[a]!, y = this.#v[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return 0;
    let retn: number;
    switch (this.order) {
      case Order.Ascending:
        retn = x > y ? 1 : x < y ? -1 : 0;
        break;
      case Order.Descending:
        retn = x < y ? 1 : x > y ? -1 : 0;
        break;
      case Order.Wrapped:
        retn = (x - y) | 0;
        break;
      case Order.IntAscending: {
        const value = (y - x) | 0;
        retn = value < 0 ? 1 : value === 0 ? 0 : -1;
        break;
      }
    }
    return turn(retn, this.reverse);
  }
}

// --- values ---------------------------------------------------------------

/** RaGetFloatDuration after ra's time fixes, a float. */
function duration(r: ClientRecord): number {
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

function transactions(r: ClientRecord): number {
  return agr(r, 0);
}

/** RaGetFloatMean/Min/Max/Sum: 0 without an AGR (still compared). */
function activity(r: ClientRecord, which: "min" | "mean" | "max" | "sum") {
  if (which === "sum") {
    const mean = agr(r, 3), n = agr(r, 1);
    return Number.isNaN(mean) ? 0 : Math.fround(mean * n);
  }
  const x = agr(r, which === "min" ? 2 : which === "mean" ? 3 : 5);
  return Number.isNaN(x) ? 0 : x;
}

/** The IP protocol of an IPv4 or IPv6 key, else 0 (ArgusSortProtocol). */
function ipProto(r: ClientRecord): number {
  if (r.view.dsr(DsrType.FLOW) < 0) return NaN;
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) return 0;
  return r.addrType === AddrType.IPV4 || r.addrType === AddrType.IPV6
    ? r.proto
    : 0;
}

/** A port as ArgusSortSrcPort/DstPort read it, NaN without a flow key. */
function port(r: ClientRecord, src: boolean): number {
  if (r.view.dsr(DsrType.FLOW) < 0) return NaN;
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
function attr(r: ClientRecord, src: boolean, which: number): number {
  const v = r.view;
  if (v.dsr(DsrType.IPATTR) < 0) return NaN;
  const side = src !== r.turned;
  const value = which === 0
    ? (side ? v.srcTtl : v.dstTtl)
    : (side ? v.srcTos : v.dstTos);
  if (value >= 0) return value;
  return which === 0 ? NaN : 0;
}

function srcid(r: ClientRecord): number {
  return r.view.dsr(DsrType.TRANSPORT) < 0 ? NaN : r.view.srcid;
}

// --- values ra derives (the filter's view of a record) ------------------------

/**
 * The record as ra's filter sees it (corrected, sides swapped with it),
 * loaded once per record for every key that needs it.
 */
const subject = new ClientFilterSubject();
let subjectOf: ClientRecord | null = null;
let subjectAt = -1;

function derived(r: ClientRecord): ClientFilterSubject {
  const at = r.view.start;
  if (subjectOf !== r || subjectAt !== at || subject.type !== r.view.buf[at]) {
    subject.load(r);
    subjectOf = r;
    subjectAt = at;
  }
  return subject;
}

/** IP ids (ntohs'd by argus); the dipid sort reads the *source* id's low byte. */
function ipid(r: ClientRecord, src: boolean): number {
  if (r.view.dsr(DsrType.IPATTR) < 0) return NaN;
  const s = derived(r);
  return src ? Math.max(s.sipid, 0) : Math.max(s.sipid, 0) & 0xff;
}

/** TOS >> 2 (ArgusSortSrcDSByte), needing only the DSR. */
function dsByte(r: ClientRecord, src: boolean): number {
  const tos = attr(r, src, 1);
  return Number.isNaN(tos) ? NaN : tos >> 2;
}

/**
 * VLAN ids and MPLS labels: -2 without the DSR, -1 without that side,
 * else the value as argus compares it (a VLAN id's 12 bits; an MPLS label
 * word's bytes in the wrong order).
 */
function vlanOrMpls(r: ClientRecord, mpls: boolean, src: boolean): number {
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
function macOf(r: ClientRecord, src: boolean): number {
  if (r.view.dsr(DsrType.MAC) < 0) return NaN;
  const s = derived(r);
  const hi = src ? s.smacHi : s.dmacHi, lo = src ? s.smacLo : s.dmacLo;
  return Math.max(hi, 0) * 2 ** 32 + Math.max(lo, 0);
}

/** The transport sequence number (0 without it), NaN without the DSR. */
function seqOf(r: ClientRecord): number {
  if (r.view.dsr(DsrType.TRANSPORT) < 0) return NaN;
  return Math.max(derived(r).seq, 0);
}

/** Application bytes as ra's columns print them (0 without a metric). */
function appBytes(r: ClientRecord, which: number): number {
  const read = (name: string) =>
    Number.parseInt(PRINT_FIELDS.get(name)!.print(r, PLAIN, 12), 10) || 0;
  const sa = which === 2 ? 0 : read("sappbytes");
  const da = which === 1 ? 0 : read("dappbytes");
  return sa + da;
}

/** Packet sizes as ra prints them; NaN without a packet-size DSR. */
function packetSize(r: ClientRecord, name: string): number {
  if (r.view.dsr(DsrType.PSIZE) < 0) return NaN;
  return Number.parseInt(PRINT_FIELDS.get(name)!.print(r, PLAIN, 12), 10) ||
    0;
}

/** ArgusFetchAppByteRatio: (sapp - dapp) / (sapp + dapp). */
function appByteRatio(r: ClientRecord): number {
  if (!r.hasMetric) return 0;
  const sa = appBytes(r, 1), da = appBytes(r, 2);
  return sa + da > 0 ? (sa - da) / (sa + da) : -0;
}

/** ra's durations and float loads of a record, once per record. */
const sides = new SideTimes();
let sidesOf: ClientRecord | null = null;
let sidesAt = -1;

function sideTimes(r: ClientRecord): SideTimes {
  const at = r.view.start;
  if (sidesOf !== r || sidesAt !== at) {
    sides.load(r);
    sidesOf = r;
    sidesAt = at;
  }
  return sides;
}

/** ArgusFetchLoad / SrcLoad / DstLoad, in single precision as ra has them. */
function loadOf(r: ClientRecord, which: number): number {
  const t = sideTimes(r);
  if (which === 1) return t.sload;
  if (which === 2) return t.dload;
  if (!(t.dur > 0)) return 0;
  const sd = t.srcDur > 0 ? t.srcDur : t.dur;
  const dd = t.dstDur > 0 ? t.dstDur : t.dur;
  const f = Math.fround;
  return f(f(f(t.sload * sd) + f(t.dload * dd)) / t.dur);
}

function rateOf(r: ClientRecord, which: number): number {
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
function tcpValue(r: ClientRecord, which: "sbase" | "dbase" | "rtt"): number {
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
function gapOf(r: ClientRecord, src: boolean): number {
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
function inode(r: ClientRecord): number {
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
function countryCode(r: ClientRecord, src: boolean): number {
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
function asNumber(r: ClientRecord, src: boolean): number {
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
function lossOf(r: ClientRecord, side: "" | "s" | "d", percent: boolean) {
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

// --- addresses --------------------------------------------------------------

/** A byte of a flow DSR; past its end 0, as argus's zeroed canonical flow. */
function byteIn(b: Uint8Array, at: number, end: number): number {
  return at < end ? b[at]! : 0;
}

/** Four bytes as a little-endian host reads them. */
function le32(b: Uint8Array, at: number, end: number): number {
  return (byteIn(b, at, end) | (byteIn(b, at + 1, end) << 8) |
    (byteIn(b, at + 2, end) << 16) | (byteIn(b, at + 3, end) << 24)) >>> 0;
}

/**
 * ArgusSortSrcAddr/DstAddr: records of different flow kinds, then of
 * different address types, order by those numbers (not turned by -v);
 * within one type by the address as argus holds it in memory.
 */
class AddrKey implements SortKey {
  /** Flow subtype (-1: no flow key) and address type. */
  #kind = new Int8Array(1024);
  #qual = new Uint8Array(1024);
  /**
   * Up to four 32-bit words (IPv6 as a little-endian host reads them, a
   * MAC as its top 16 bits and low 32 bits); words 1-3 are made only when
   * a record needs them.
   */
  #w: Uint32Array<ArrayBuffer>[] = [new Uint32Array(1024)];
  readonly #shift: number;

  constructor(readonly src: boolean, readonly reverse: boolean, cidr: number) {
    this.#shift = 32 - (cidr > 0 ? cidr : 32);
  }

  add(r: ClientRecord, i: number): void {
    this.#kind = fit(this.#kind, i);
    this.#qual = fit(this.#qual, i);
    const w = this.#w;
    for (let n = 0; n < w.length; n++) w[n] = fit(w[n]!, i);
    const v = r.view, b = v.buf, dv = v.view;
    const p = v.dsr(DsrType.FLOW);
    this.#kind[i] = p < 0 ? -1 : b[p + 1]! & 0x3f;
    this.#qual[i] = p < 0 ? 0 : b[p + 2]! & 0x1f;
    for (let n = 0; n < w.length; n++) w[n]![i] = 0;
    if (p < 0) return;
    const end = p + b[p + 3]! * 4;
    const k = p + 4;
    const kind = b[p + 1]! & 0x3f, qual = b[p + 2]! & 0x1f;
    const at = this.src ? r.srcAddrAt : r.dstAddrAt;
    if (kind === FlowKind.CLASSIC5TUPLE) {
      switch (qual) {
        case AddrType.IPV4: {
          const a = dv.getUint32(at);
          w[0]![i] = this.#shift
            ? ((a >>> this.#shift) << this.#shift) >>> 0
            : a;
          break;
        }
        case AddrType.IPV6:
          this.#words(4);
          for (let n = 0; n < 4; n++) w[n]![i] = le32(b, at + n * 4, end);
          break;
        case AddrType.RARP:
          // rarp_flow's hardware addresses over the legacy RARP layout.
          this.#mac(i, b, k + (this.src ? 12 : 28), end);
          break;
        case AddrType.ARP:
          // arp_flow's arp_spa/arp_tpa over the legacy ARP layout.
          w[0]![i] = le32(b, k + (this.src ? 8 : 12), end);
          break;
        case AddrType.ETHER:
          // argus compares the source MAC for daddr too.
          this.#mac(i, b, k + 6, end);
          break;
      }
    } else if (kind === FlowKind.ARP) {
      if (qual === AddrType.ARP) {
        w[0]![i] = dv.getUint32(k + (this.src ? 8 : 12));
      } else if (qual !== AddrType.RARP) {
        w[0]![i] = dv.getUint32(k + (this.src ? 4 : 8));
      }
    }
  }

  /** Makes sure `n` words are kept per record. */
  #words(n: number): void {
    const w = this.#w;
    while (w.length < n) w.push(new Uint32Array(w[0]!.length));
  }

  /** A MAC address (6 bytes at `at`) as two words. */
  #mac(i: number, b: Uint8Array, at: number, end: number): void {
    this.#words(2);
    const w = this.#w;
    w[0]![i] = (byteIn(b, at, end) << 8) | byteIn(b, at + 1, end);
    w[1]![i] = ((byteIn(b, at + 2, end) << 24) |
      (byteIn(b, at + 3, end) << 16) | (byteIn(b, at + 4, end) << 8) |
      byteIn(b, at + 5, end)) >>> 0;
  }

  compare(a: number, b: number): number {
    const ka = this.#kind[a]!, kb = this.#kind[b]!;
    if (ka < 0 || kb < 0) return 0;
    if (ka !== kb) return ka - kb;
    const qa = this.#qual[a]!, qb = this.#qual[b]!;
    if (qa !== qb) return qa - qb;
    let retn = 0;
    const w = this.#w;
    for (let n = 0; n < w.length; n++) {
      const x = w[n]![a]!, y = w[n]![b]!;
      if (x !== y) {
        retn = x > y ? 1 : -1;
        break;
      }
    }
    return turn(retn, this.reverse);
  }
}

// --- destination port ---------------------------------------------------------

/**
 * ArgusSortDstPort, with its slip: for an IPv6 record it picks what to
 * read by the *other* record's IPv6 protocol byte (0 unless that one is
 * IPv6 too), so an IPv6 UDP record next to an ICMPv6 one is read as the
 * ICMPv6 code byte (the high byte of its source port, in memory).
 */
class DstPortKey implements SortKey {
  /** The port as ArgusSortDstPort reads a record by its own protocol. */
  #own = new Float32Array(1024);
  /** IPv6 only: the protocol (-1 otherwise), the port's 16 bits, the code. */
  #proto6 = new Int16Array(1024);
  #word = new Uint16Array(1024);
  #code = new Uint8Array(1024);

  constructor(readonly reverse: boolean) {}

  add(r: ClientRecord, i: number): void {
    this.#own = fit(this.#own, i);
    this.#proto6 = fit(this.#proto6, i);
    this.#word = fit(this.#word, i);
    this.#code = fit(this.#code, i);
    this.#own[i] = port(r, false);
    this.#proto6[i] = -1;
    if (
      r.flowKind !== FlowKind.CLASSIC5TUPLE || r.addrType !== AddrType.IPV6
    ) return;
    const p = r.view.dsr(DsrType.FLOW);
    const b = r.view.buf, k = p + 4;
    this.#proto6[i] = r.proto;
    if (r.proto === 6 || r.proto === 17) {
      this.#word[i] = r.dport;
      this.#code[i] = r.sport >>> 8;
    } else if (r.proto === 58) {
      this.#word[i] = (b[k + 38]! << 8) | b[k + 39]!;
      this.#code[i] = b[k + 37]!;
    } else {
      // Not byte-swapped by argus: read little-endian.
      this.#word[i] = b[k + 38]! | (b[k + 39]! << 8);
      this.#code[i] = b[k + 37]!;
    }
  }

  compare(a: number, b: number): number {
    const p1 = this.#own[b]!;
    let p2 = this.#own[a]!;
    if (Number.isNaN(p1) || Number.isNaN(p2)) return 0;
    if (this.#proto6[a]! >= 0) {
      const other = Math.max(this.#proto6[b]!, 0);
      p2 = other === 6 || other === 17
        ? this.#word[a]!
        : other === 58
        ? this.#code[a]!
        : 0;
    }
    return turn(p2 - p1, this.reverse);
  }
}

// --- the table -------------------------------------------------------------------

type Make = (o: SortKeyOptions) => SortKey;

/** A numeric key; "f32" for values a float holds exactly (ports, TTLs). */
const num = (
  value: (r: ClientRecord) => number,
  order: Order,
  storage: "f64" | "f32" = "f64",
): Make =>
(o) => new NumberKey(value, order, o.reverse, storage);

const ASC = Order.Ascending, DESC = Order.Descending;

/**
 * ArgusSortKeyWords in the real table's order (which decides prefix
 * matches), each with our key, or null where this rasort lacks it.
 */
const KEYWORDS: readonly [string, Make | null][] = [
  ["stime", num((r) => r.startTime, ASC)],
  ["ltime", num((r) => r.lastTime, ASC)],
  ["trans", num(transactions, DESC)],
  ["dur", num(duration, ASC, "f32")],
  ["mean", num((r) => activity(r, "mean"), ASC)],
  ["min", num((r) => activity(r, "min"), ASC)],
  ["max", num((r) => activity(r, "max"), ASC)],
  ["smac", num((r) => macOf(r, true), ASC)],
  ["dmac", num((r) => macOf(r, false), ASC)],
  ["saddr", (o) => new AddrKey(true, o.reverse, o.cidr)],
  ["daddr", (o) => new AddrKey(false, o.reverse, o.cidr)],
  ["proto", num(ipProto, DESC, "f32")],
  ["sipid", num((r) => ipid(r, true), DESC, "f32")],
  ["dipid", num((r) => ipid(r, false), DESC, "f32")],
  ["sport", num((r) => port(r, true), ASC, "f32")],
  ["dport", (o) => new DstPortKey(o.reverse)],
  ["stos", num((r) => attr(r, true, 1), DESC, "f32")],
  ["dtos", num((r) => attr(r, false, 1), DESC, "f32")],
  ["sttl", num((r) => attr(r, true, 0), ASC, "f32")],
  ["dttl", num((r) => attr(r, false, 0), ASC, "f32")],
  ["bytes", num((r) => r.srcBytes + r.dstBytes, DESC)],
  ["sbytes", num((r) => r.srcBytes, DESC)],
  ["dbytes", num((r) => r.dstBytes, DESC)],
  ["pkts", num((r) => r.srcPkts + r.dstPkts, DESC)],
  ["spkts", num((r) => r.srcPkts, DESC)],
  ["dpkts", num((r) => r.dstPkts, DESC)],
  ["appbytes", num((r) => appBytes(r, 0), DESC)],
  ["sappbytes", num((r) => appBytes(r, 1), DESC)],
  ["dappbytes", num((r) => appBytes(r, 2), DESC)],
  ["load", num((r) => loadOf(r, 0), DESC)],
  ["sload", num((r) => loadOf(r, 1), DESC)],
  ["dload", num((r) => loadOf(r, 2), DESC)],
  ["loss", num((r) => lossOf(r, "", false), DESC)],
  ["ploss", num((r) => lossOf(r, "", true), DESC)],
  ["rate", num((r) => rateOf(r, 0), DESC)],
  ["srate", num((r) => rateOf(r, 1), DESC)],
  ["drate", num((r) => rateOf(r, 2), DESC)],
  // ArgusSortTranRef compares nothing.
  ["tranref", num(() => 0, ASC, "f32")],
  ["seq", num(seqOf, Order.Wrapped)],
  ["smpls", num((r) => vlanOrMpls(r, true, true), DESC, "f32")],
  ["dmpls", num((r) => vlanOrMpls(r, true, false), DESC, "f32")],
  ["svlan", num((r) => vlanOrMpls(r, false, true), DESC, "f32")],
  ["dvlan", num((r) => vlanOrMpls(r, false, false), DESC, "f32")],
  ["srcid", num(srcid, Order.Wrapped)],
  ["stcpb", num((r) => tcpValue(r, "sbase"), DESC)],
  ["dtcpb", num((r) => tcpValue(r, "dbase"), DESC)],
  ["tcprtt", num((r) => tcpValue(r, "rtt"), DESC)],
  ["sloss", num((r) => lossOf(r, "s", false), DESC)],
  ["dloss", num((r) => lossOf(r, "d", false), DESC)],
  ["sploss", num((r) => lossOf(r, "s", true), DESC)],
  ["dploss", num((r) => lossOf(r, "d", true), DESC)],
  ["smaxsz", num((r) => packetSize(r, "smaxsz"), DESC, "f32")],
  ["sminsz", num((r) => packetSize(r, "sminsz"), ASC, "f32")],
  ["dmaxsz", num((r) => packetSize(r, "dmaxsz"), DESC, "f32")],
  ["dminsz", num((r) => packetSize(r, "dminsz"), ASC, "f32")],
  ["sdsb", num((r) => dsByte(r, true), DESC, "f32")],
  ["ddsb", num((r) => dsByte(r, false), DESC, "f32")],
  ["sco", num((r) => countryCode(r, true), DESC)],
  ["dco", num((r) => countryCode(r, false), DESC)],
  ["sas", num((r) => asNumber(r, true), Order.IntAscending)],
  ["das", num((r) => asNumber(r, false), Order.IntAscending)],
  ["sum", num((r) => activity(r, "sum"), ASC)],
  ["runtime", num((r) => activity(r, "sum"), ASC)],
  ["idle", null],
  // etheraddr_oui names the vendor; the real rasort has no vendor table
  // loaded and crashes when both records carry MACs, so only records
  // without a MAC DSR (all equal) are sorted alike.
  ["soui", num(() => NaN, ASC, "f32")],
  ["doui", num(() => NaN, ASC, "f32")],
  ["abr", num(appByteRatio, DESC)],
  ["pcr", num(appByteRatio, DESC)],
  ["inode", num(inode, ASC)],
  ["sgap", num((r) => gapOf(r, true), DESC)],
  ["dgap", num((r) => gapOf(r, false), DESC)],
];

/** Why a -m field cannot be used. */
export class SortFieldError extends Error {
  override name = "SortFieldError";
}

/**
 * The keys for -m's words, in order. None without -m: the real rasort
 * then leaves records in input order (rasort(1) says stime; ArgusSortQueue
 * skips qsort when no algorithm is set, checked on icmp.pcap). Throws
 * SortFieldError for a word the real rasort rejects ("sort syntax
 * error") or one this rasort does not implement.
 */
export function sortKeys(
  words: readonly string[],
  reverse: boolean,
): SortKey[] {
  const found: Make[] = [];
  let cidr = 0;
  for (const word of words) {
    const hit = KEYWORDS.find(([k]) => word.startsWith(k));
    if (hit === undefined) {
      throw new SortFieldError(`sort syntax error. '${word}' not supported`);
    }
    const [keyword, make] = hit;
    if (make === null) {
      throw new SortFieldError(
        `sort field '${keyword}' is not implemented in this rasort`,
      );
    }
    if (keyword === "saddr" || keyword === "daddr") {
      const slash = word.indexOf("/");
      if (slash >= 0) cidr = Number.parseInt(word.slice(slash + 1), 10) || 0;
    }
    found.push(make);
  }
  return found.map((make) => make({ reverse, cidr }));
}

/** ArgusSortRoutine: the first field that tells two records apart. */
export function compareBy(
  keys: readonly SortKey[],
): (a: number, b: number) => number {
  if (keys.length === 1) {
    const k = keys[0]!;
    return (a, b) => k.compare(a, b);
  }
  return (a, b) => {
    for (const k of keys) {
      const retn = k.compare(a, b);
      if (retn !== 0) return retn;
    }
    return 0;
  };
}
