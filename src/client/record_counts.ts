/**
 * racount's tallies (racount(1)): the record, packet and byte sums, the
 * per-protocol breakdown of -M proto and the address-type summary of
 * -M addr, counted and printed as the real racount 3.0.8 does, quirks
 * included: the record count starts at 1, classic ARP/RARP keys fall
 * through into a second ARP tally, IPv4 addresses are counted once per
 * distinct address but IPv6 ones once per record, only protocol slots
 * below 0x1000 print, and "Test Net" prints when Link Local is non-zero.
 * @module
 */

import { AddrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind } from "./client_record.ts";

/** Packet and byte sums of one tally. */
class Sums {
  records = 0;
  spkts = 0;
  dpkts = 0;
  sbytes = 0;
  dbytes = 0;

  add(r: ClientRecord, swap: boolean): void {
    this.records++;
    if (!r.hasMetric) return;
    this.spkts += swap ? r.dstPkts : r.srcPkts;
    this.dpkts += swap ? r.srcPkts : r.dstPkts;
    this.sbytes += swap ? r.dstBytes : r.srcBytes;
    this.dbytes += swap ? r.srcBytes : r.dstBytes;
  }

  /** The seven columns, `%-11Ld %-14Ld %-14Ld %-14Ld %-18Ld %-18Ld %-18Ld`. */
  columns(records: number): string {
    return [
      String(records).padEnd(11),
      String(this.spkts + this.dpkts).padEnd(14),
      String(this.spkts).padEnd(14),
      String(this.dpkts).padEnd(14),
      String(this.sbytes + this.dbytes).padEnd(18),
      String(this.sbytes).padEnd(18),
      String(this.dbytes).padEnd(18),
    ].join(" ");
  }
}

/** One protocol tally: its sums and its first record (for the label). */
export interface ProtoTally {
  sums: Sums;
  /** The first record's bytes: its protocol names the row. */
  first: Uint8Array;
}

/** Address types, in the order racount prints them. */
const ADDR_TYPES = [
  "IPv4 Unicast             ",
  "IPv4 Unicast This Network",
  "IPv4 Unicast Private     ",
  "IPv4 Unicast LoopBack    ",
  "IPv4 Unicast Link Local  ",
  "IPv4 Unicast Test Net    ",
  "IPv4 Unicast Reserved    ",
  "IPv4 Multicast Local     ",
  "IPv4 Multicast Internet  ",
  "IPv4 Multicast AdHoc     ",
  "IPv4 Multicast Reserved  ",
  "IPv4 Multicast SdpSap    ",
  "IPv4 Multicast Nasdaq    ",
  "IPv4 Multicast DisTrans  ",
  "IPv4 Multicast Src Spec  ",
  "IPv4 Multicast GLOP Blk  ",
  "IPv4 Multicast OrgLocal  ",
  "IPv4 Multicast SiteLocal ",
  "IPv6 Unspecified         ",
  "IPv6 Loopback            ",
  "IPv6 LinkLocal           ",
  "IPv6 SiteLocal           ",
  "IPv6 Global              ",
  "IPv6 Multicast Node Local",
  "IPv6 Multicast Link Local",
  "IPv6 Multicast Site Local",
  "IPv6 Multicast Org  Local",
  "IPv6 Multicast Global    ",
] as const;

const enum A {
  Unicast,
  ThisNet,
  Private,
  LoopBack,
  LinkLocal,
  TestNet,
  Reserved,
  McLocal,
  McInternet,
  McAdHoc,
  McReserved,
  McSdpSap,
  McNasdaq,
  McDisTrans,
  McSrcSpec,
  McGlop,
  McOrgLocal,
  McSiteLocal,
  V6Unspecified,
  V6Loopback,
  V6LinkLocal,
  V6SiteLocal,
  V6Global,
  V6McNodeLocal,
  V6McLinkLocal,
  V6McSiteLocal,
  V6McOrgLocal,
  V6McGlobal,
  // Counted but never printed by racount.
  V6V4Compat,
  V6V4Mapped,
  McAdmin,
}

/** RaTallyIPv4AddressType: the type(s) an IPv4 address counts under. */
function ipv4Types(addr: number, count: (t: A) => void): void {
  const top = (addr & 0xff000000) >>> 0;
  const low = addr & 0x00ffffff;
  if (((addr & 0xf0000000) >>> 0) === 0xe0000000) {
    if (top === 0xe0000000) {
      if (low < 0x100) count(A.McLocal);
      else if (low < 0x200) count(A.McInternet);
      else if (low < 0xff00) count(A.McAdHoc);
      else if (low < 0x20000) count(A.McReserved);
      else if (low < 0x30000) count(A.McSdpSap);
      else if (low < 0x30040) count(A.McNasdaq);
      else if (low < 0xfd0000) count(A.McReserved);
      else if (low <= 0xfd0000) count(A.McDisTrans);
    }
    if (top > 0xe0000000 && top < 0xe8000000) count(A.McReserved);
    if (top === 0xe8000000) count(A.McSrcSpec);
    if (top === 0xe9000000) count(A.McGlop);
    if (top >= 0xe9000000 && top <= 0xee000000) count(A.McReserved);
    if (top === 0xef000000) {
      count(A.McAdmin);
      const b = addr & 0x00ff0000;
      if (b > 0 && b < 0x00c00000) count(A.McReserved);
      if (b >= 0x00c00000 && b < 0x00fc0000) count(A.McOrgLocal);
      if (b >= 0x00fc0000 && b <= 0x00ff0000) count(A.McSiteLocal);
    }
    return;
  }
  const hi16 = (addr & 0xffff0000) >>> 0;
  if (top === 0) count(A.ThisNet);
  else if (top < 0x03000000) count(A.Reserved);
  else if (
    top === 0x05000000 || top === 0x17000000 || top === 0x1b000000 ||
    top === 0x24000000 || top === 0x25000000 || top === 0x29000000 ||
    top === 0x30000000
  ) count(A.Reserved);
  else if (top >= 0x49000000 && top < 0x50000000) count(A.Reserved);
  else if (top >= 0x59000000 && top < 0x7f000000) count(A.Reserved);
  else if (top === 0x7f000000) count(A.LoopBack);
  else if (hi16 === 0xac100000) count(A.Private);
  else if (top >= 0xad000000 && top < 0xbc000000) {
    // racount's test for 169.254/16 can never hold inside this range.
    count(hi16 === 0xa9fe0000 ? A.LinkLocal : A.Reserved);
  } else if (top >= 0xbe000000 && top < 0xc0000000) count(A.Reserved);
  else if (top === 0xc0000000) {
    if (((addr & 0xffffff00) >>> 0) === 0xc0000200) count(A.TestNet);
    else if (hi16 === 0xc0a80000) count(A.Private);
    else count(A.Unicast);
  } else if (top === 0xc5000000 || top === 0xdf000000) count(A.Reserved);
  else if (top >= 0xf0000000) count(A.Reserved);
  else if (top === 0x0a000000) count(A.Private);
  else count(A.Unicast);
}

/** RaTallyIPv6AddressType (glibc's IN6_IS_ADDR_* tests). */
function ipv6Type(b: Uint8Array, at: number): A | -1 {
  const word = (i: number) =>
    ((b[at + i * 4]! << 24) | (b[at + i * 4 + 1]! << 16) |
      (b[at + i * 4 + 2]! << 8) | b[at + i * 4 + 3]!) >>> 0;
  const w0 = word(0), w1 = word(1), w2 = word(2), w3 = word(3);
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0) return A.V6Unspecified;
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 1) return A.V6Loopback;
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 > 1) return A.V6V4Compat;
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return A.V6V4Mapped;
  if (((w0 & 0xffc00000) >>> 0) === 0xfe800000) return A.V6LinkLocal;
  if (((w0 & 0xffc00000) >>> 0) === 0xfec00000) return A.V6SiteLocal;
  if (b[at] === 0xff) {
    switch (b[at + 1]! & 0xf) {
      case 0x1:
        return A.V6McNodeLocal;
      case 0x2:
        return A.V6McLinkLocal;
      case 0x5:
        return A.V6McSiteLocal;
      case 0x8:
        return A.V6McOrgLocal;
      case 0xe:
        return A.V6McGlobal;
    }
  }
  return -1;
}

function bump(counts: Int32Array, t: number): void {
  counts[t] = counts[t]! + 1;
}

/** Everything racount counts. */
export class RecordCounts {
  /** ArgusTotalFlowRecs starts at 1. */
  records = 1;
  readonly total = new Sums();
  readonly ipProto = new Map<number, ProtoTally>();
  readonly etherProto = new Map<number, ProtoTally>();
  arp: ProtoTally | null = null;
  rarp: ProtoTally | null = null;
  unknown: ProtoTally | null = null;
  readonly #addr = [new Int32Array(32), new Int32Array(32)];
  readonly #seen = [new Set<number>(), new Set<number>()];

  constructor(
    readonly protoMode: boolean,
    readonly addrMode: boolean,
    /** -M rmon: each record also counted turned round, sources only. */
    readonly monMode: boolean,
  ) {}

  /** Counts one flow record (twice in rmon mode). */
  add(r: ClientRecord, buf: Uint8Array, start: number, length: number): void {
    this.#count(r, buf, start, length, false);
    if (this.monMode) this.#count(r, buf, start, length, true);
  }

  #count(
    r: ClientRecord,
    buf: Uint8Array,
    start: number,
    length: number,
    swap: boolean,
  ): void {
    this.records++;
    this.total.add(r, swap);
    if (r.flowKind === 0) return;
    if (this.protoMode) {
      const tally = (t: ProtoTally | null | undefined): ProtoTally => {
        const x = t ?? {
          sums: new Sums(),
          first: buf.slice(start, start + length),
        };
        x.sums.add(r, swap);
        return x;
      };
      const kind = r.flowKind, qual = r.addrType;
      if (kind === FlowKind.CLASSIC5TUPLE || kind === 0x02) {
        switch (qual) {
          case AddrType.IPV4:
          case AddrType.IPV6:
            this.ipProto.set(r.proto, tally(this.ipProto.get(r.proto)));
            break;
          case AddrType.ARP:
            this.arp = tally(this.arp);
            break;
          case AddrType.RARP:
            this.rarp = tally(this.rarp);
            break;
          case AddrType.ETHER:
          case 0x08: // WLAN
            this.etherProto.set(
              r.etherType,
              tally(this.etherProto.get(r.etherType)),
            );
            break;
          default:
            this.unknown = tally(this.unknown);
        }
      }
      // racount's switch falls through from the classic case to the ARP one.
      if (
        kind === FlowKind.CLASSIC5TUPLE || kind === 0x02 ||
        kind === FlowKind.ARP
      ) {
        if (qual === AddrType.RARP) this.rarp = tally(this.rarp);
        else if (qual === AddrType.ARP) this.arp = tally(this.arp);
      } else this.unknown = tally(this.unknown);
    }
    if (
      this.addrMode &&
      (r.flowKind === FlowKind.CLASSIC5TUPLE || r.flowKind === 0x02)
    ) {
      const b = r.view.buf, dv = r.view.view;
      const srcAt = swap ? r.dstAddrAt : r.srcAddrAt;
      const dstAt = swap ? r.srcAddrAt : r.dstAddrAt;
      if (r.addrType === AddrType.IPV4) {
        this.#ipv4(dv.getUint32(srcAt), 0);
        if (!this.monMode) this.#ipv4(dv.getUint32(dstAt), 1);
      } else if (r.addrType === AddrType.IPV6) {
        const s = ipv6Type(b, srcAt), d = ipv6Type(b, dstAt);
        if (s >= 0) bump(this.#addr[0]!, s);
        if (d >= 0) bump(this.#addr[1]!, d);
      }
    }
  }

  #ipv4(addr: number, side: number): void {
    const seen = this.#seen[side]!;
    if (seen.has(addr)) return;
    seen.add(addr);
    const counts = this.#addr[side]!;
    ipv4Types(addr, (t) => bump(counts, t));
  }

  /** The address summary lines (RaPrintAddressTally / ...SrcAddressTally). */
  addressLines(): string[] {
    const [src, dst] = this.#addr as [Int32Array, Int32Array];
    const lines = ["Address Summary"];
    for (let t = 0; t < ADDR_TYPES.length; t++) {
      // racount tests Link Local's counts before printing Test Net.
      const test = t === A.TestNet ? A.LinkLocal : t;
      const label = ADDR_TYPES[t]!;
      if (this.monMode) {
        if (src[test]) lines.push(`  ${label} ${String(src[t]).padEnd(10)}`);
      } else if (src[test] || dst[test]) {
        lines.push(
          `  ${label} src ${String(src[t]).padEnd(10)}  dst ${
            String(dst[t]).padEnd(10)
          }`,
        );
      }
    }
    return lines;
  }

  /** The "sum" line. */
  sumLine(): string {
    return `    sum   ${this.total.columns(this.records)}`;
  }

  /** Protocol rows in racount's order, each as (tally, fixed label|null). */
  protoRows(): [ProtoTally, string | null][] {
    const rows: [ProtoTally, string | null][] = [];
    const slots = (m: Map<number, ProtoTally>) =>
      [...m.entries()].filter(([k]) => k < 0x1000).sort(([a], [b]) => a - b);
    for (const [, t] of slots(this.ipProto)) rows.push([t, null]);
    for (const [, t] of slots(this.etherProto)) rows.push([t, null]);
    if (this.arp) rows.push([this.arp, "arp "]);
    if (this.rarp) rows.push([this.rarp, "rarp "]);
    if (this.unknown) rows.push([this.unknown, "unkwn "]);
    return rows;
  }
}

/** The heading racount prints first. */
export const COUNT_HEADER =
  "racount   records     total_pkts     src_pkts       dst_pkts       total_bytes        src_bytes          dst_bytes";

/** A protocol row: the label as `%8.8s`, then the columns. */
export function protoRow(label: string, t: ProtoTally): string {
  const cell = label.length > 8 ? label.slice(0, 8) : label.padStart(8);
  return `${cell}  ${t.sums.columns(t.sums.records)}`;
}
