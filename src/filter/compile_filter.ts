/**
 * compileFilter: a ra/argus filter expression turned, once, into a
 * predicate over FilterSubject built from closures: nothing is parsed or
 * allocated per record. Each primitive reproduces what the real ra 3.0.8.2
 * compiles it to (as dumped with `ra -b` and checked on the corpus),
 * including its quirks; see filter_subject.ts for the -1 (absent) rule.
 * @module
 */

import type {
  CompareOp,
  FilterDirection,
  FilterField,
  FilterKeyword,
  FilterNode,
} from "./filter_ast.ts";
import { parseFilter, type ParseFilterOptions } from "./filter_parser.ts";
import type { FilterSubject } from "./filter_subject.ts";

/** A compiled filter: true when the record passes. */
export type FilterPredicate = (r: FilterSubject) => boolean;

/** Options of compileFilter. */
export interface CompileFilterOptions extends ParseFilterOptions {
  /**
   * ra's -p: float comparisons (`dur`, `rate`, `load`) round both sides
   * to this many decimals first, as ra does. @default 6
   */
  precision?: number;
}

type Pred = FilterPredicate;
type NumKey = {
  [K in keyof FilterSubject]: FilterSubject[K] extends number ? K : never;
}[keyof FilterSubject];

const ALL: Pred = () => true;

const IPV4 = 1, IPV6 = 2, ETHER = 3, ARP = 4, ISIS = 10;

/**
 * Compiles `filter` (text or a parsed tree) into a predicate. An empty
 * expression passes everything.
 * @throws {FilterSyntaxError} when the text does not parse.
 * @example
 * ```ts
 * const udpDns = compileFilter("udp and dst port 53");
 * const passing = records.filter(udpDns);
 * ```
 */
export function compileFilter(
  filter: string | FilterNode,
  options: CompileFilterOptions = {},
): FilterPredicate {
  const node = typeof filter === "string"
    ? parseFilter(filter, options)
    : filter;
  return compileNode(node, options.precision ?? 6);
}

function compileNode(n: FilterNode, precision: number): Pred {
  switch (n.kind) {
    case "all":
      return ALL;
    case "and": {
      const a = compileNode(n.left, precision);
      const b = compileNode(n.right, precision);
      return (r) => a(r) && b(r);
    }
    case "or": {
      const a = compileNode(n.left, precision);
      const b = compileNode(n.right, precision);
      return (r) => a(r) || b(r);
    }
    case "not": {
      const a = compileNode(n.operand, precision);
      return (r) => !a(r);
    }
    case "keyword":
      return keyword(n.word, n.dir);
    case "host":
      return host(n);
    case "port":
      return port(n.proto, n.dir, n.op, n.value);
    case "proto":
      return proto(n.scope, n.value);
    case "field":
      return field(n.field, n.dir, n.op, n.value, precision);
    case "ether": {
      const hi = (n.mac[0]! << 8) | n.mac[1]!;
      const lo = ((n.mac[2]! << 24) | (n.mac[3]! << 16) | (n.mac[4]! << 8) |
        n.mac[5]!) >>> 0;
      return sides(
        n.dir,
        (r) => r.smacHi === hi && r.smacLo === lo,
        (r) => r.dmacHi === hi && r.dmacLo === lo,
      );
    }
    case "srcid": {
      // Flow and event records: the transport srcid; management: argusid.
      const k = n.value;
      return (r) => (r.type & 0xd0) !== 0 && r.srcid === k;
    }
  }
}

// ---- building blocks

function and(a: Pred, b: Pred): Pred {
  return (r) => a(r) && b(r);
}

function or(a: Pred, b: Pred): Pred {
  return (r) => a(r) || b(r);
}

/** Applies a per-side test by direction (`either` is src or dst). */
function sides(dir: FilterDirection, src: Pred, dst: Pred): Pred {
  switch (dir) {
    case "src":
      return src;
    case "dst":
      return dst;
    case "either":
      return or(src, dst);
    case "both":
      return and(src, dst);
  }
}

/**
 * ra's compare on a loaded value. k is never negative, so JavaScript's
 * own comparisons give ra's absent-value rule: -1 fails eq/gt/gte and
 * passes lt/lte (ra compiles those as negated gte/gt).
 */
function cmp(key: NumKey, op: CompareOp, k: number): Pred {
  switch (op) {
    case "eq":
      return (r) => r[key] === k;
    case "gt":
      return (r) => r[key] > k;
    case "gte":
      return (r) => r[key] >= k;
    case "lt":
      return (r) => r[key] < k;
    case "lte":
      return (r) => r[key] <= k;
  }
}

/**
 * A compare after `A &= mask`. ra masks even an absent value (-1), which
 * leaves the mask itself: `vid 4095` is true without a VLAN DSR.
 */
function masked(key: NumKey, mask: number, op: CompareOp, k: number): Pred {
  const load = (r: FilterSubject): number => {
    const v = r[key];
    return v === -1 ? mask : (v & mask) >>> 0;
  };
  switch (op) {
    case "eq":
      return (r) => load(r) === k;
    case "gt":
      return (r) => load(r) > k;
    case "gte":
      return (r) => load(r) >= k;
    case "lt":
      return (r) => load(r) < k;
    case "lte":
      return (r) => load(r) <= k;
  }
}

/** ra's `(A & b) == b`: all of bits b set, or the value absent. */
function bits(key: NumKey, b: number): Pred {
  return (r) => {
    const v = r[key];
    return v === -1 || ((v & b) >>> 0) === b;
  };
}

function addrType(t: number): Pred {
  return (r) => r.addrType === t;
}

/** ra's Argusgen_prototype: an IPv4 or IPv6 key with protocol p. */
function ipProto(p: number): Pred {
  return (r) => (r.addrType === IPV4 || r.addrType === IPV6) && r.proto === p;
}

function typeBits(b: number): Pred {
  return (r) => (r.type & b) === b;
}

function causeBits(b: number): Pred {
  return (r) => (r.cause & b) === b;
}

const TCP = ipProto(6);
const ICMP = ipProto(1);
const IGMP = ipProto(2);
const ESP = ipProto(50);
const V4 = addrType(IPV4);

function tcpStatus(b: number): Pred {
  return and(TCP, bits("netStatus", b));
}

function tcpStatusSides(dir: FilterDirection, s: number, d: number): Pred {
  return and(TCP, sides(dir, bits("netStatus", s), bits("netStatus", d)));
}

function tcpFlags(dir: FilterDirection, f: number): Pred {
  return and(TCP, sides(dir, bits("srcTcpFlags", f), bits("dstTcpFlags", f)));
}

function tcpOption(b: number): Pred {
  // ra tests the option word for every IPv4 record, TCP or not.
  return and(V4, bits("tcpOptions", b >>> 0));
}

/** RTP/RTCP: ra reads key byte 12 (the IPv4 protocol) for any key. */
function rtpLike(subtype: number): Pred {
  return (r) => {
    if (r.netSubtype !== subtype) return false;
    if (r.addrType === IPV4) return r.proto === 17;
    // In an IPv6 key, byte 12 is the ninth byte of the source address.
    if (r.addrType === IPV6) return r.srcAddr6[2]! >>> 24 === 17;
    return false;
  };
}

function keyword(w: FilterKeyword, dir: FilterDirection): Pred {
  switch (w) {
    case "ip":
      return or(addrType(IPV6), V4);
    case "ipv4":
      return V4;
    case "ipv6":
      return addrType(IPV6);
    case "tcp":
      return TCP;
    case "udp":
      return ipProto(17);
    case "icmp":
      return ICMP;
    case "igmp":
      return IGMP;
    case "rtp":
      return rtpLike(10);
    case "rtcp":
      return rtpLike(9);
    case "udt":
      return (r) => r.netSubtype === 13;
    case "arp":
      // A flow record whose flow subtype has the ARP bits (6).
      return and(typeBits(0x10), masked("flowSubtype", 6, "eq", 6));
    case "rarp":
      // ra tests for ARGUS_TYPE_ARP here, not RARP.
      return addrType(ARP);
    case "isis":
      return addrType(ISIS);
    case "mpls":
      return (r) => r.smpls !== -1 || r.dmpls !== -1;
    case "vlan":
      return (r) => r.svlan !== -1;
    case "man":
      return typeBits(0x80);
    case "far":
      return typeBits(0x10);
    case "event":
      return typeBits(0x40);
    case "index":
      return typeBits(0x20);
    case "start":
      return causeBits(0x10);
    case "stop":
      return causeBits(0x30);
    case "status":
      return causeBits(0x20);
    case "timeout":
      return causeBits(0x40);
    case "error":
    case "anon":
    case "fragonly":
      return ALL;
    case "fin":
      return tcpFlags(dir, 0x01);
    case "syn":
      return tcpFlags(dir, 0x02);
    case "rst":
      return tcpFlags(dir, 0x04);
    case "push":
      return tcpFlags(dir, 0x08);
    case "ack":
      return tcpFlags(dir, 0x10);
    case "urg":
      return tcpFlags(dir, 0x20);
    case "ece":
      return tcpFlags(dir, 0x40);
    case "cwr":
      return tcpFlags(dir, 0x80);
    case "synack":
      return tcpStatus(0x2);
    case "finack":
      return tcpStatus(0x10);
    case "normal":
      return tcpStatus(0x20);
    case "wait":
      return tcpStatus(0x40);
    case "est":
      return or(
        and(V4, (r) => r.spkts > 0 && r.dpkts > 0),
        tcpStatus(0x4),
      );
    case "retrans": {
      const src = or(and(ESP, bits("netStatus", 0x10)), tcpStatus(0x100));
      const dst = or(and(ESP, bits("netStatus", 0x20)), tcpStatus(0x200));
      return sides(dir, src, dst);
    }
    case "outoforder":
      return tcpStatusSides(dir, 0x10000, 0x20000);
    case "winshut":
      return tcpStatusSides(dir, 0x400, 0x800);
    case "ecn":
      return tcpStatusSides(dir, 0x4000, 0x8000);
    case "tcpopt":
      return tcpOption(0xfff00000);
    case "mss":
      return tcpOption(0x100000);
    case "wscale":
      return tcpOption(0x200000);
    case "selackok":
      return tcpOption(0x400000);
    case "selack":
      return tcpOption(0x800000);
    case "tcpecho":
      return tcpOption(0x1000000);
    case "tcpechoreply":
      return tcpOption(0x2000000);
    case "tcptimestamp":
      return tcpOption(0x4000000);
    case "tcpcc":
      return tcpOption(0x8000000);
    case "tcpccnew":
      return tcpOption(0x10000000);
    case "tcpccecho":
      return tcpOption(0x20000000);
    case "secn":
      return tcpOption(0x40000000);
    case "decn":
      return tcpOption(0x80000000);
    case "frag": {
      const src = bits("ipAttrQual", 0x10), dst = bits("ipAttrQual", 0x20);
      // ra has no "both" form here: `src and dst frag` is plain `frag`.
      return and(V4, dir === "src" ? src : dir === "dst" ? dst : or(src, dst));
    }
    case "multipath":
      if (dir === "both") return bits("macQual", 3);
      return sides(dir, bits("macQual", 1), bits("macQual", 2));
    case "echo":
      return and(ICMP, (r) => r.icmpType === 8 || r.icmpType === 0);
    case "unreach":
      return or((r) => r.icmpMapQual === 1, and((r) => r.icmpType === 3, ICMP));
    case "redirect":
      return or(
        (r) => r.icmpMapQual === 2,
        and((r) => r.icmpMapType === 5, ICMP),
      );
    case "timexed":
      return or(
        (r) => r.icmpMapQual === 4,
        and((r) => r.icmpType === 11, ICMP),
      );
    case "icmpmap": {
      const none = masked("icmpMapQual", 7, "eq", 0);
      return (r) => !none(r);
    }
    case "rtr":
      return and((r) => r.igmpType === 0x11, IGMP);
    case "mbr":
      return and((r) => r.igmpType !== 0x11, IGMP);
    case "lvg":
      return and((r) => r.igmpType === 0x17, IGMP);
    case "multicast":
      return and(
        V4,
        (r) =>
          ((r.dstAddr & 0xf0000000) >>> 0) >= 0xe0000000 ||
          ((r.srcAddr & 0xf0000000) >>> 0) >= 0xe0000000,
      );
    case "ipbroadcast":
      return and(
        V4,
        (r) => r.srcAddr === 0xffffffff || r.dstAddr === 0xffffffff,
      );
  }
}

// ---- host and net

function bswap(w: number): number {
  return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) |
    (w >>> 24)) >>> 0;
}

/**
 * The 32-bit address test on keys of types t1 or t2 (IPv4 keys and ARP
 * keys keep their addresses in srcAddr/dstAddr), one closure per shape
 * because host lists are the hot case.
 */
function word32(
  t1: number,
  t2: number,
  dir: FilterDirection,
  a: number,
  m: number,
): Pred {
  if (m === 0xffffffff) {
    switch (dir) {
      case "src":
        return (r) =>
          (r.addrType === t1 || r.addrType === t2) && r.srcAddr === a;
      case "dst":
        return (r) =>
          (r.addrType === t1 || r.addrType === t2) && r.dstAddr === a;
      case "either":
        return (r) =>
          (r.addrType === t1 || r.addrType === t2) &&
          (r.srcAddr === a || r.dstAddr === a);
      case "both":
        return (r) =>
          (r.addrType === t1 || r.addrType === t2) &&
          r.srcAddr === a && r.dstAddr === a;
    }
  }
  const src: Pred = (r) => ((r.srcAddr & m) >>> 0) === a;
  const dst: Pred = (r) => ((r.dstAddr & m) >>> 0) === a;
  return and(
    (r) => r.addrType === t1 || r.addrType === t2,
    sides(dir, src, dst),
  );
}

/** A 128-bit address test over the words whose mask is not 0. */
function word128(
  key: "srcAddr6" | "dstAddr6",
  a: readonly number[],
  m: readonly number[],
): Pred {
  if (m.every((x) => x === 0xffffffff)) {
    const [a0, a1, a2, a3] = a as [number, number, number, number];
    return (r) => {
      const w = r[key];
      return w[0] === a0 && w[1] === a1 && w[2] === a2 && w[3] === a3;
    };
  }
  const idx: number[] = [];
  for (let i = 0; i < 4; i++) if (m[i] !== 0) idx.push(i);
  return (r) => {
    const w = r[key];
    for (const i of idx) if (((w[i]! & m[i]!) >>> 0) !== a[i]) return false;
    return true;
  };
}

/**
 * ra's Argusgen_host. ra keeps an address constant as it would load it
 * from its in-memory key: IPv4 as a number, IPv6 words as little-endian
 * loads of the network bytes. When a qualifier makes ra test one layout
 * against the other's constant (`ipv4 host fe80::1`, or the ARP branch of
 * `host 2001:db8::1`), it compares those raw words; so do we.
 */
function host(n: Extract<FilterNode, { kind: "host" }>): Pred {
  const { scope, dir, family } = n;
  const raAddr = family === "ipv6" ? n.addr.map(bswap) : [...n.addr];
  const raMask = family === "ipv6" ? n.mask.map(bswap) : [...n.mask];
  // ra only adds the address test when the first mask word is not 0.
  const tested = raMask[0] !== 0;
  const a0 = raAddr[0]!, m0 = raMask[0]!;
  const beAddr = raAddr.map(bswap), beMask = raMask.map(bswap);
  while (beAddr.length < 4) beAddr.push(0);
  while (beMask.length < 4) beMask.push(0);

  // Which key types get the 32-bit test: ARP keys by default, IPv4 keys
  // unless the literal is IPv6 (or the qualifier forces them).
  const v4 = scope === "ipv4" ||
    ((scope === "default" || scope === "ip") && family !== "ipv6");
  const arp = scope === "default";
  const v6 = scope === "ipv6" ||
    ((scope === "default" || scope === "ip") && family !== "ipv4");

  const parts: Pred[] = [];
  if (v4 || arp) {
    const t1 = v4 ? IPV4 : ARP, t2 = arp ? ARP : IPV4;
    parts.push(
      tested
        ? word32(t1, t2, dir, a0, m0)
        : (r) => r.addrType === t1 || r.addrType === t2,
    );
  }
  if (scope === "arp") {
    const flow = keyword("arp", "either");
    parts.push(tested ? and(flow, word32(ARP, ARP, dir, a0, m0)) : flow);
  }
  if (v6) {
    parts.push(
      tested
        ? and(
          addrType(IPV6),
          sides(
            dir,
            word128("srcAddr6", beAddr, beMask),
            word128("dstAddr6", beAddr, beMask),
          ),
        )
        : addrType(IPV6),
    );
  }
  return parts.reduce(or);
}

// ---- ports, protocols, fields

function port(
  p: 0 | 6 | 17,
  dir: FilterDirection,
  op: CompareOp,
  k: number,
): Pred {
  // Only TCP and UDP keys have ports for ra (p 0 means either).
  const keyOk: Pred = p === 0
    ? (r) =>
      (r.addrType === IPV4 || r.addrType === IPV6) &&
      (r.proto === 6 || r.proto === 17)
    : (r) => (r.addrType === IPV4 || r.addrType === IPV6) && r.proto === p;
  if (op === "eq") {
    // The common case in one closure.
    switch (dir) {
      case "src":
        return (r) => r.sport === k && keyOk(r);
      case "dst":
        return (r) => r.dport === k && keyOk(r);
      case "either":
        return (r) => (r.sport === k || r.dport === k) && keyOk(r);
      case "both":
        return (r) => r.sport === k && r.dport === k && keyOk(r);
    }
  }
  return and(keyOk, sides(dir, cmp("sport", op, k), cmp("dport", op, k)));
}

function proto(
  scope: "ip" | "ipv4" | "ipv6" | "arp" | "ether",
  v: number,
): Pred {
  switch (scope) {
    case "ip":
      return ipProto(v);
    case "ipv4":
      return and(V4, (r) => r.proto === v);
    case "ipv6":
      return and(addrType(IPV6), (r) => r.proto === v);
    case "arp":
      // `arp proto N` is just "an ARP key", whatever N.
      return addrType(ARP);
    case "ether":
      // ra maps the IP and ARP types onto key types, others onto Ethernet keys.
      switch (v) {
        case 0x0800:
          return V4;
        case 0x86dd:
          return addrType(IPV6);
        case 0x0806:
        case 0x8035:
          return addrType(ARP);
        default:
          return (r) => r.addrType === ETHER && r.etherType === v;
      }
  }
}

/** Rounds like C's round(): half away from zero. */
function cRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * ra's float compares (floatisequal and friends in argus_filter.c): both
 * sides are float32, rounded to `precision` decimals; 0 is never greater
 * than 0 and always less than it, so `dur gte 0` fails a 0 duration.
 */
function fcmp(key: NumKey, op: CompareOp, v: number, precision: number): Pred {
  const p = Math.pow(10, precision);
  const eps = Math.pow(0.1, precision + 1);
  const f = cRound(Math.fround(v) * p) / p;
  const load = (r: FilterSubject): number =>
    cRound(Math.fround(r[key]) * p) / p;
  const less = (x: number): boolean => x < f || (x === 0 && f === 0);
  switch (op) {
    case "eq":
      return (r) => Math.abs(load(r) - f) <= eps;
    case "gt":
      return (r) => load(r) > f;
    case "gte":
      return (r) => !less(load(r));
    case "lt":
      return (r) => less(load(r));
    case "lte":
      return (r) => !(load(r) > f);
  }
}

function field(
  name: FilterField,
  dir: FilterDirection,
  op: CompareOp,
  v: number,
  precision: number,
): Pred {
  switch (name) {
    case "pkts":
      return sides(dir, cmp("spkts", op, v), cmp("dpkts", op, v));
    case "bytes":
      return sides(dir, cmp("sbytes", op, v), cmp("dbytes", op, v));
    case "appbytes":
      return sides(dir, cmp("sappbytes", op, v), cmp("dappbytes", op, v));
    case "ttl":
      return and(V4, sides(dir, cmp("sttl", op, v), cmp("dttl", op, v)));
    case "tos":
      return and(V4, sides(dir, cmp("stos", op, v), cmp("dtos", op, v)));
    case "dsb": {
      // The DS field is the TOS byte's top six bits.
      const k = (v * 4) % 2 ** 32 & 0xfc;
      return and(
        V4,
        sides(dir, masked("stos", 0xfc, op, k), masked("dtos", 0xfc, op, k)),
      );
    }
    case "ipid":
      // ra guards the IP id test with "is TCP", not "is IP".
      return and(TCP, sides(dir, cmp("sipid", op, v), cmp("dipid", op, v)));
    case "vid": {
      // ra ignores the operator for vid and vpri: always equality.
      const k = v & 0xfff;
      return sides(
        dir,
        masked("svlan", 0xfff, "eq", k),
        masked("dvlan", 0xfff, "eq", k),
      );
    }
    case "vpri": {
      const k = ((v * 4096) % 2 ** 32 & 0xf000) >>> 0;
      return sides(
        dir,
        masked("svlan", 0xf000, "eq", k),
        masked("dvlan", 0xf000, "eq", k),
      );
    }
    case "mid": {
      const k = (((v * 4096) % 2 ** 32) & 0xfffff000) >>> 0;
      return sides(
        dir,
        masked("smpls", 0xfffff000, op, k),
        masked("dmpls", 0xfffff000, op, k),
      );
    }
    case "trans":
      return cmp("trans", op, v);
    case "seq":
      return and(typeBits(0x10), cmp("seq", op, v));
    case "dur":
      return fcmp("dur", op, v, precision);
    case "rate":
      return sides(
        dir,
        fcmp("srate", op, v, precision),
        fcmp("drate", op, v, precision),
      );
    case "load":
      return sides(
        dir,
        fcmp("sload", op, v, precision),
        fcmp("dload", op, v, precision),
      );
  }
}
