/**
 * The order racluster prints its aggregates in when -m is given: argus
 * sorts the queue (a stable merge sort in glibc's qsort) by each -m word
 * that is also a sort key (ArgusSortKeyWords), with the directions its
 * comparators happen to have: addresses, ports and TTLs ascending,
 * protocol and TOS descending.
 * @module
 */

import { ADDR_IPV4, ADDR_IPV6, type CanonRecord } from "./canon_record.ts";

type Compare = (a: CanonRecord, b: CanonRecord) => number;

function flowKind(r: CanonRecord): number {
  return r.hasFlow ? r.flow[1]! & 0x3f : -1;
}
function addrType(r: CanonRecord): number {
  return r.flow[2]! & 0x1f;
}

function be32(a: Uint8Array, at: number): number {
  return ((a[at]! << 24) | (a[at + 1]! << 16) | (a[at + 2]! << 8) |
    a[at + 3]!) >>> 0;
}
function le32(a: Uint8Array, at: number): number {
  return ((a[at + 3]! << 24) | (a[at + 2]! << 16) | (a[at + 1]! << 8) |
    a[at]!) >>> 0;
}

/** ArgusSortSrcAddr / ArgusSortDstAddr: ascending. */
function byAddr(src: boolean): Compare {
  return (a, b) => {
    if (!a.hasFlow || !b.hasFlow) return 0;
    const k1 = flowKind(a), k2 = flowKind(b);
    if (k1 !== k2) return k1 - k2;
    const q1 = addrType(a), q2 = addrType(b);
    if (q1 !== q2) return q1 - q2;
    if (k1 === 0x01) {
      if (q1 === ADDR_IPV4) {
        const x = be32(a.flow, src ? 4 : 8), y = be32(b.flow, src ? 4 : 8);
        return x > y ? 1 : x < y ? -1 : 0;
      }
      if (q1 === ADDR_IPV6) {
        // argus compares the words as host (little-endian) integers.
        for (let i = 0; i < 4; i++) {
          const o = (src ? 4 : 20) + i * 4;
          const x = le32(a.flow, o), y = le32(b.flow, o);
          if (x !== y) return x > y ? 1 : -1;
        }
        return 0;
      }
    }
    if (k1 === 0x01 && q1 === 3) {
      // Ethernet: the source address, bytewise (for daddr too, as the real
      // racluster orders them).
      const o = 10;
      for (let i = 0; i < 6; i++) {
        const d = a.flow[o + i]! - b.flow[o + i]!;
        if (d) return d;
      }
      return 0;
    }
    if (k1 === 0x06 || q1 === 4) {
      const x = be32(a.flow, src ? 12 : 16), y = be32(b.flow, src ? 12 : 16);
      return x > y ? 1 : x < y ? -1 : 0;
    }
    return 0;
  };
}

function protoOf(r: CanonRecord): number {
  if (!r.hasFlow || flowKind(r) !== 0x01) return 0;
  const q = addrType(r);
  return q === ADDR_IPV4 ? r.flow[12]! : q === ADDR_IPV6 ? r.flow[36]! : 0;
}

/**
 * ArgusSortSrcPort's value: TCP and UDP the source port (the destination
 * port when RA_PORT_DIRECTION turned the key: its REVERSE bit), ICMPv6
 * the type.
 */
function sportOf(r: CanonRecord): number {
  if (!r.hasFlow || flowKind(r) !== 0x01) return 0;
  const f = r.flow, q = addrType(r);
  if (q === ADDR_IPV4) {
    const p = f[12], at = r.reversed ? 16 : 14;
    return p === 6 || p === 17 ? (f[at]! << 8) | f[at + 1]! : 0;
  }
  if (q !== ADDR_IPV6) return 0;
  const p = f[36];
  if (p === 6 || p === 17) return v6Short(r, r.reversed ? 42 : 40);
  if (p === 58) return v6Converted(r, 40) ? f[41]! : f[40]!;
  return 0;
}

/**
 * Whether argus holds this IPv6 flow's short at `at` (40: sport, 42:
 * dport) in host order: it converted it when it read the record
 * (ArgusNtoH, by the protocol it had then); otherwise the wire bytes sit
 * there unswapped.
 */
function v6Converted(r: CanonRecord, at: number): boolean {
  const first = r.firstProto;
  if (first === 6 || first === 17) return true;
  return at === 42 && (first === 58 || first === 1);
}

/** The IPv6 flow's short at `at` as argus's little-endian memory holds it. */
function v6Short(r: CanonRecord, at: number): number {
  const f = r.flow;
  return v6Converted(r, at)
    ? (f[at]! << 8) | f[at + 1]!
    : f[at]! | (f[at + 1]! << 8);
}

/**
 * The byte at argus's ipv6_flow.ip_p for any flow: the protocol of an
 * IPv6 one; for others whatever sits 35 bytes into the flow (zero past
 * the DSR's end, as ArgusCopyRecordStruct clears it).
 */
function v6ProtoByte(r: CanonRecord): number {
  if (addrType(r) === ADDR_IPV6 && flowKind(r) === 0x01) return r.flow[36]!;
  return r.flowWords * 4 > 39 ? r.flow[39]! : 0;
}

/**
 * ArgusSortDstPort's value for a flow, its protocol tested as `proto`
 * (for IPv6): TCP and UDP the destination port, ICMPv6 the code byte
 * (the upper half of a converted source port).
 */
function dportAs(r: CanonRecord, proto: number): number {
  if (!r.hasFlow || flowKind(r) !== 0x01) return 0;
  const f = r.flow, q = addrType(r);
  if (q === ADDR_IPV4) {
    const p = f[12], at = r.reversed ? 14 : 16;
    return p === 6 || p === 17 ? (f[at]! << 8) | f[at + 1]! : 0;
  }
  if (q !== ADDR_IPV6) return 0;
  if (proto === 6 || proto === 17) return v6Short(r, r.reversed ? 40 : 42);
  if (proto === 58) return v6Converted(r, 40) ? f[40]! : f[41]!;
  return 0;
}

/**
 * ArgusSortDstPort as qsort calls it (a left, b right): for an IPv6 `a`
 * argus tests b's protocol byte (f1->ipv6_flow.ip_p, a slip in 3.0.8),
 * so an IPv6 aggregate left of an IPv4 one counts as port 0 and the order
 * of mixed IPv4/IPv6 ports is not sorted (checked against the real
 * racluster on the corpus: -m proto dport, -m daddr dport).
 */
function byDport(a: CanonRecord, b: CanonRecord): number {
  if (!a.hasFlow || !b.hasFlow) return 0;
  return dportAs(a, v6ProtoByte(b)) - dportAs(b, v6ProtoByte(b));
}

function attrOf(r: CanonRecord, at: number): number {
  return r.attr[at]!;
}

const COMPARE: Record<string, Compare> = {
  saddr: byAddr(true),
  daddr: byAddr(false),
  proto: (a, b) => protoOf(b) - protoOf(a),
  sport: (a, b) => sportOf(a) - sportOf(b),
  dport: byDport,
  stos: (a, b) => a.hasAttr && b.hasAttr ? attrOf(b, 1) - attrOf(a, 1) : 0,
  dtos: (a, b) => a.hasAttr && b.hasAttr ? attrOf(b, 9) - attrOf(a, 9) : 0,
  sttl: (a, b) =>
    a.hasAttr && b.hasAttr && (a.attrQual & 1) && (b.attrQual & 1)
      ? attrOf(a, 0) - attrOf(b, 0)
      : 0,
  dttl: (a, b) =>
    a.hasAttr && b.hasAttr && (a.attrQual & 2) && (b.attrQual & 2)
      ? attrOf(a, 8) - attrOf(b, 8)
      : 0,
  srcid: (a, b) => {
    const t1 = a.transport, t2 = b.transport;
    if (!t1 || !t2 || !(t1[1]! & 1) || !(t2[1]! & 1)) return 0;
    return (be32(t1, 4) - be32(t2, 4)) | 0;
  },
  smac: (a, b) => macCompare(a, b, 10),
  dmac: (a, b) => macCompare(a, b, 4),
};

function macCompare(a: CanonRecord, b: CanonRecord, at: number): number {
  const m1 = a.raw[13], m2 = b.raw[13];
  if (!m1 || !m2) return 0;
  for (let i = 0; i < 6; i++) {
    const d = (m1[at + i] ?? 0) - (m2[at + i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** The comparator racluster sorts by for these -m words, or null. */
export function clusterOrder(words: readonly string[]): Compare | null {
  const list: Compare[] = [];
  for (const w of words) {
    const key = Object.keys(COMPARE).find((k) => w.startsWith(k));
    if (key !== undefined) list.push(COMPARE[key]!);
  }
  if (list.length === 0) return null;
  return (a, b) => {
    for (const c of list) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

/**
 * Sorts as glibc's qsort does for racluster's arrays (its merge sort:
 * halves split at n/2, ties taken from the left). The comparators are not
 * always transitive (a record without the field compares equal to all),
 * so only the same algorithm gives the same order.
 */
export function glibcMergeSort<T>(a: T[], cmp: (x: T, y: T) => number): void {
  const tmp = new Array<T>(a.length);
  const sort = (lo: number, n: number): void => {
    if (n <= 1) return;
    const n1 = n >>> 1, n2 = n - n1;
    sort(lo, n1);
    sort(lo + n1, n2);
    let i = lo, j = lo + n1, k = 0;
    const iEnd = lo + n1, jEnd = lo + n;
    while (i < iEnd && j < jEnd) {
      if (cmp(a[i]!, a[j]!) <= 0) tmp[k++] = a[i++]!;
      else tmp[k++] = a[j++]!;
    }
    while (i < iEnd) tmp[k++] = a[i++]!;
    for (let x = 0; x < k; x++) a[lo + x] = tmp[x]!;
  };
  sort(0, a.length);
}
