/**
 * compileFilter on hand-made subjects: one step per rule of ra's filter
 * machine that the corpus exercises only in part (the absent-value rule,
 * masked tests, float rounding, address layouts crossed by qualifiers).
 * Each expectation was checked against the real ra where a corpus record
 * shows it (see filter_differential_test.ts), else against `ra -b`.
 * @module
 */

import assert from "node:assert/strict";
import {
  compileFilter,
  type FilterSubject,
  parseIPv6,
} from "../../src/filter/mod.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A flow record with every DSR absent, then the given fields. */
function rec(fields: Partial<Mutable<FilterSubject>> = {}): FilterSubject {
  return {
    type: 0x10,
    cause: 0x10,
    srcid: 0,
    seq: 1,
    addrType: -1,
    flowSubtype: -1,
    proto: -1,
    srcAddr: -1,
    dstAddr: -1,
    srcAddr6: new Uint32Array(4),
    dstAddr6: new Uint32Array(4),
    sport: 0,
    dport: 0,
    etherType: -1,
    igmpType: -1,
    spkts: -1,
    dpkts: -1,
    sbytes: -1,
    dbytes: -1,
    sappbytes: -1,
    dappbytes: -1,
    trans: -1,
    dur: 0,
    srate: 0,
    drate: 0,
    sload: 0,
    dload: 0,
    netSubtype: -1,
    netStatus: -1,
    tcpOptions: -1,
    srcTcpFlags: -1,
    dstTcpFlags: -1,
    icmpType: -1,
    ipAttrQual: -1,
    sttl: -1,
    dttl: -1,
    stos: -1,
    dtos: -1,
    sipid: -1,
    dipid: -1,
    svlan: -1,
    dvlan: -1,
    smpls: -1,
    dmpls: -1,
    macQual: -1,
    smacHi: -1,
    smacLo: -1,
    dmacHi: -1,
    dmacLo: -1,
    icmpMapQual: -1,
    icmpMapType: -1,
    ...fields,
  };
}

const MAR = rec({ type: 0x80, cause: 0x10 });

/** An IPv4 flow 10.0.0.1:sport -> 10.0.0.2:dport with metrics. */
function v4(proto: number, fields: Partial<Mutable<FilterSubject>> = {}) {
  return rec({
    addrType: 1,
    flowSubtype: 1,
    proto,
    srcAddr: 0x0a000001,
    dstAddr: 0x0a000002,
    sport: 40000,
    dport: 80,
    spkts: 3,
    dpkts: 2,
    sbytes: 300,
    dbytes: 200,
    sappbytes: 0,
    dappbytes: 0,
    trans: 1,
    sttl: 64,
    dttl: 57,
    stos: 0,
    dtos: 0,
    sipid: 1,
    dipid: 2,
    ipAttrQual: 0,
    ...fields,
  });
}

function v6(proto: number, src: string, dst: string) {
  return rec({
    addrType: 2,
    flowSubtype: 1,
    proto,
    srcAddr6: Uint32Array.from(parseIPv6(src)!),
    dstAddr6: Uint32Array.from(parseIPv6(dst)!),
    spkts: 1,
    dpkts: 1,
  });
}

const ARP = rec({
  addrType: 4,
  flowSubtype: 6,
  srcAddr: 0x0a000a01,
  dstAddr: 0x0a000a02,
  spkts: 1,
  dpkts: 1,
});

const cases: [string, string, FilterSubject, boolean][] = [
  // The absent-value rule (-1).
  ["lt passes a record without metrics", "pkts lt 5", MAR, true],
  ["lte too", "bytes lte 0", MAR, true],
  ["gt fails it", "pkts gt 0", MAR, false],
  ["eq fails it", "pkts 0", MAR, false],
  [
    "a masked test sees the mask: vid 4095 without VLAN",
    "vid 4095",
    v4(6),
    true,
  ],
  [
    "vid ignores its operator",
    "vid gt 100",
    v4(6, { svlan: 200, dvlan: 200 }),
    false,
  ],
  ["vid equal", "vid 200", v4(6, { svlan: 0x20c8, dvlan: 0 }), true],
  [
    "vpri includes the CFI bit",
    "vpri 3",
    v4(6, { svlan: 0x3000 | 5, dvlan: 0 }),
    true,
  ],
  [
    "mid on a missing side",
    "dst mid 1048575",
    v4(17, { smpls: 17000 * 4096 }),
    true,
  ],
  [
    "mid with an operator",
    "src mid gt 16000",
    v4(17, { smpls: 17000 * 4096 + 0x1ff }),
    true,
  ],
  ["dsb on the TOS top bits", "dsb 46", v4(17, { stos: 0xb8 }), true],
  ["dsb of an absent attribute DSR", "dsb 63", rec({ addrType: 1 }), true],
  ["tcpopt without a network object", "tcpopt", v4(17), true],
  ["mss only on IPv4", "mss", v6(17, "::1", "::2"), false],
  [
    "mss with the bit",
    "mss",
    v4(6, { tcpOptions: 0x100000, netStatus: 1 }),
    true,
  ],
  [
    "tcpopt wants every option bit",
    "tcpopt",
    v4(6, { tcpOptions: 0x100000 }),
    false,
  ],
  ["syn on a TCP record without flags", "syn", v4(6), true],
  [
    "syn with flags",
    "src syn",
    v4(6, { srcTcpFlags: 0x12, dstTcpFlags: 0 }),
    true,
  ],
  [
    "dst syn",
    "dst syn",
    v4(6, { srcTcpFlags: 0x02, dstTcpFlags: 0x14 }),
    false,
  ],
  [
    "src and dst syn",
    "src and dst syn",
    v4(6, { srcTcpFlags: 2, dstTcpFlags: 0x12 }),
    true,
  ],
  ["syn needs TCP", "syn", v4(17), false],
  ["icmpmap without an ICMP DSR", "icmpmap", v4(6), true],
  [
    "icmpmap with unmapped qualifier",
    "icmpmap",
    v4(1, { icmpMapQual: 0 }),
    false,
  ],
  [
    "unreach from the ICMP DSR",
    "unreach",
    v4(6, { icmpMapQual: 1, icmpMapType: 3 }),
    true,
  ],
  ["unreach from the ICMP type", "unreach", v4(1, { icmpType: 3 }), true],
  [
    "redirect reads the ICMP DSR type",
    "redirect",
    v4(1, { icmpType: 5 }),
    false,
  ],
  ["echo", "echo", v4(1, { icmpType: 0 }), true],
  ["echo is IPv4 protocol 1 only", "echo", v6(58, "::1", "::2"), false],
  ["mbr passes an IGMP key without a type", "mbr", v4(2), true],
  ["rtr", "rtr", v4(2, { igmpType: 0x11 }), true],
  // Float compares round to the precision; 0 is less than 0.
  ["dur gte 0 fails a zero duration", "dur gte 0", v4(6), false],
  ["dur lt 0 passes it", "dur lt 0", v4(6), true],
  ["dur lte 0 passes it", "dur lte 0", v4(6), true],
  ["rounding to 6 digits", "dur 0.0000001", v4(6), true],
  ["durations compare as float32", "dur 0.1", v4(6, { dur: 0.1 }), true],
  ["dur gt", "dur gt 1.5", v4(6, { dur: 1.5000004 }), false],
  ["rate is src or dst", "rate gt 10", v4(6, { drate: 10.5 }), true],
  ["src load", "src load lt 1", v4(6, { sload: 0.4 }), true],
  // Ports: TCP and UDP only, per side; ranges join both sides.
  ["port on TCP", "port 80", v4(6), true],
  ["port never matches ICMP", "port 80", v4(1), false],
  ["tcp port on UDP", "tcp port 80", v4(17), false],
  ["src port", "src port 80", v4(6), false],
  ["both ports", "src and dst port 80", v4(6, { sport: 80 }), true],
  [
    "a range over both sides at once",
    "port 100-200",
    v4(17, { sport: 40000, dport: 53 }),
    true,
  ],
  [
    "a range within one side",
    "src port 100-200",
    v4(17, { sport: 40000, dport: 53 }),
    false,
  ],
  ["port comparison", "dst port lt 1024", v4(6), true],
  ["port on IPv6", "port 80", { ...v6(6, "::1", "::2"), dport: 80 }, true],
  // Hosts and nets, key layouts, direction.
  ["host src", "host 10.0.0.1", v4(6), true],
  ["src host", "src host 10.0.0.2", v4(6), false],
  ["dst host", "dst host 10.0.0.2", v4(6), true],
  ["src and dst host", "src and dst host 10.0.0.1", v4(6), false],
  ["host on an ARP key", "host 10.0.10.2", ARP, true],
  ["ip host skips ARP keys", "ip host 10.0.10.2", ARP, false],
  ["arp host", "arp host 10.0.10.1", ARP, true],
  ["arp host on a non-flow record type", "arp host 10.0.10.1", {
    ...ARP,
    type: 0x40,
  }, false],
  ["net", "net 10.0.0.0/8", v4(6), true],
  ["net mask", "dst net 10.0.0.0 mask 255.255.255.252", v4(6), true],
  [
    "net /33 keeps the top bit",
    "net 10.0.0.0/33",
    v4(6, { srcAddr: 0x7f000001, dstAddr: 0xc0000001 }),
    true,
  ],
  ["a bare number tests the family only", "dst 443", v6(6, "::1", "::2"), true],
  ["IPv6 host", "host 2001:db8::1", v6(6, "2001:db8::1", "::2"), true],
  [
    "IPv6 host is exact",
    "host 2001:db8::1",
    v6(6, "2001:db8::2", "::2"),
    false,
  ],
  [
    "IPv6 net",
    "dst net 2001:db8:ab00::/40",
    v6(6, "::1", "2001:db8:abff::9"),
    true,
  ],
  [
    "IPv6 net outside",
    "net 2001:db8:ab00::/40",
    v6(6, "::1", "2001:db8:ac00::9"),
    false,
  ],
  ["an IPv6 host tests no IPv4 key", "host ::a00:1", v4(6), false],
  [
    "ipv4 host of an IPv6 address compares ra's raw first word",
    "ipv4 host fe80::1",
    v4(6, { srcAddr: 0x000080fe }),
    true,
  ],
  [
    "ipv6 host of an IPv4 address compares the first word, byte-swapped",
    "ipv6 host 10.0.1.1",
    v6(6, "101:a::5", "::2"),
    true,
  ],
  // Protocols and key types.
  ["ip", "ip", v6(17, "::1", "::2"), true],
  ["ipv4", "ipv4", v6(17, "::1", "::2"), false],
  ["arp", "arp", ARP, true],
  ["rarp is ra's ARP key type", "rarp", ARP, true],
  ["rarp is not the RARP key type", "rarp", { ...ARP, addrType: 5 }, false],
  ["ether proto of IPv4", "ether proto 0x0800", v4(17), true],
  [
    "ether proto of an Ethernet key",
    "ether proto 0x88cc",
    rec({ addrType: 3, etherType: 0x88cc }),
    true,
  ],
  ["ip proto", "ip proto 50", v4(50), true],
  ["ipv6 proto", "ipv6 proto 58", v4(58), false],
  ["arp proto N is any ARP key", "arp proto 99", ARP, true],
  ["rtp needs the RTP object", "rtp", v4(17, { netSubtype: 10 }), true],
  ["rtp on IPv6 reads the ninth source byte", "rtp", {
    ...v6(17, "::1", "::2"),
    netSubtype: 10,
  }, false],
  ["udt", "udt", v4(17, { netSubtype: 13 }), true],
  ["multicast", "multicast", v4(17, { dstAddr: 0xef000001 }), true],
  [
    "class E counts as multicast",
    "multicast",
    v4(17, { srcAddr: 0xf0000001 }),
    true,
  ],
  ["ip broadcast", "ip broadcast", v4(17, { dstAddr: 0xffffffff }), true],
  // Record types, causes, probe ids.
  ["man", "man", MAR, true],
  ["far", "far", MAR, false],
  [
    "netflow records are far and index",
    "far and index",
    rec({ type: 0x30 }),
    true,
  ],
  [
    "stop is also start and status",
    "start and status",
    rec({ cause: 0x30 }),
    true,
  ],
  ["timeout", "timeout", rec({ cause: 0x40 }), true],
  ["error is always true", "error", MAR, true],
  ["srcid on a flow", "srcid 1.2.3.4", rec({ srcid: 0x01020304 }), true],
  [
    "srcid on a MAR",
    "srcid 1.2.3.4",
    rec({ type: 0x80, srcid: 0x01020304 }),
    true,
  ],
  ["seq only on flows", "seq gt 0", rec({ type: 0x40, seq: 5 }), false],
  ["trans", "trans 1", v4(6), true],
  // TCP state.
  ["est on a two-way IPv4 flow", "est", v4(17), true],
  ["est not on a one-way one", "con", v4(17, { dpkts: 0 }), false],
  ["est from the TCP status", "est", v4(6, { dpkts: 0, netStatus: 4 }), true],
  ["synack", "synack", v4(6, { netStatus: 3 }), true],
  ["retrans on ESP drops", "dst retrans", v4(50, { netStatus: 0x20 }), true],
  ["retrans on TCP", "src retrans", v4(6, { netStatus: 0x200 }), false],
  ["outoforder", "outoforder", v4(6, { netStatus: 0x20000 }), true],
  ["winshut both", "src and dst winshut", v4(6, { netStatus: 0x400 }), false],
  ["ecn", "ecn", v4(6, { netStatus: 0x8000 }), true],
  ["frag", "frag", v4(17, { ipAttrQual: 0x20 }), true],
  ["src frag", "src frag", v4(17, { ipAttrQual: 0x20 }), false],
  ["fragonly is always true", "fragonly", MAR, true],
  ["multipath without a MAC DSR", "multipath", v4(6), true],
  ["src multipath", "src multipath", v4(6, { macQual: 2 }), false],
  // Fields.
  ["pkts is src or dst, not the total", "pkts gt 4", v4(6), false],
  ["src pkts", "src pkts 3", v4(6), true],
  ["src and dst bytes", "src and dst bytes gte 200", v4(6), true],
  ["ttl only on IPv4", "ttl 64", v6(6, "::1", "::2"), false],
  ["ttl", "dst ttl lt 60", v4(6), true],
  ["ipid only on TCP", "ipid 1", v4(17), false],
  ["ipid", "dst ipid 2", v4(6), true],
  ["tos", "tos 0", v4(6), true],
  ["appbytes", "appbytes 0", v4(6), true],
  // Ethernet addresses (MAC DSR).
  [
    "ether src",
    "ether src 2:0:0:0:a:3",
    rec({ smacHi: 0x0200, smacLo: 0x0a03, dmacHi: 0, dmacLo: 0 }),
    true,
  ],
  [
    "ether dst",
    "ether dst 2:0:0:0:a:3",
    rec({ smacHi: 0x0200, smacLo: 0x0a03, dmacHi: 0, dmacLo: 0 }),
    false,
  ],
  [
    "ether broadcast",
    "ether broadcast",
    rec({ smacHi: 0, smacLo: 0, dmacHi: 0xffff, dmacLo: 0xffffffff }),
    true,
  ],
  // Logic.
  ["an empty filter", "", MAR, true],
  ["and", "tcp and port 80", v4(6), true],
  ["or", "udp or port 80", v4(6), true],
  ["not", "not tcp", v4(6), false],
  ["left to right", "tcp or udp and port 53", v4(6), false],
];

Deno.test("compileFilter() follows ra's rules", async (t) => {
  for (const [name, text, subject, expected] of cases) {
    await t.step(`${name}: ${text}`, () => {
      assert.equal(compileFilter(text)(subject), expected);
    });
  }
});

Deno.test("compileFilter() rounds to the given precision", () => {
  const r = v4(6, { dur: 0.00015 });
  assert.equal(compileFilter("dur 0")(r), false);
  assert.equal(compileFilter("dur 0", { precision: 3 })(r), true);
});

Deno.test("compileFilter() takes a parsed tree", () => {
  const pass = compileFilter({ kind: "keyword", word: "tcp", dir: "either" });
  assert.equal(pass(v4(6)), true);
  assert.equal(pass(v4(17)), false);
});
