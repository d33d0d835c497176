/**
 * Values our reader decodes equal what the real ra prints from the same
 * record files: addresses, ports, protocol, counters, times, sequence and
 * source id, TTL and TOS, TCP windows and base sequence numbers, and the
 * encapsulation letter of the flags column. The model is the stored view;
 * like ra, this test turns REVERSE keys round before comparing.
 * @module
 */

import assert from "node:assert/strict";
import {
  type FlowRecord,
  FlowSubtype,
  readArgusRecords,
} from "../../src/record/mod.ts";
import { CORPUS } from "../_util/oracle.ts";
import { realRa } from "../_util/real_ra.ts";

const FIELDS = [
  "saddr",
  "daddr",
  "sport",
  "dport",
  "proto",
  "spkts",
  "dpkts",
  "sbytes",
  "dbytes",
  "stime",
  "ltime",
  "seq",
  "srcid",
  "sttl",
  "dttl",
  "stos",
  "dtos",
  "swin",
  "dwin",
  "stcpb",
  "dtcpb",
  "flgs",
];

function ipv4(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** inet_ntop's text: lower-case hex, the first longest zero run (≥ 2) as "::". */
function ipv6(a: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((a[i]! << 8) | a[i + 1]!);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (x: number[]) => x.map((n) => n.toString(16)).join(":");
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

function mac(a: number): string {
  return a.toString(16).padStart(12, "0").replace(/(..)(?!$)/g, "$1:");
}

function time(us: number): string {
  const sec = Math.floor(us / 1_000_000);
  return `${sec}.${String(us - sec * 1_000_000).padStart(6, "0")}`;
}

/** Encapsulation bits and the letter ra shows for each. */
const ENCAPS_LETTER: [number, string][] = [
  [0x01, "m"],
  [0x02, "e"],
  [0x04, "v"],
  [0x08, "l"],
  [0x10, "p"],
  [0x40, "G"],
  [0x80, "a"],
  [0x2000, "S"],
];

/** The fields ra should print for a record, "" where ra prints nothing. */
function expectedRow(r: FlowRecord): Map<string, string> {
  const m = new Map<string, string>();
  const key = r.flow?.key;
  const rev = ((r.flow?.subtype ?? 0) & FlowSubtype.REVERSE) !== 0;
  if (
    key && key.kind !== "ether" && key.kind !== "arp" && key.kind !== "rarp"
  ) {
    const v6 = key.src instanceof Uint8Array;
    const s = v6 ? ipv6(key.src as Uint8Array) : ipv4(key.src as number);
    const d = v6 ? ipv6(key.dst as Uint8Array) : ipv4(key.dst as number);
    m.set("saddr", rev ? d : s);
    m.set("daddr", rev ? s : d);
    m.set("proto", String(key.proto));
    if (
      (key.kind === "ipv4" || key.kind === "ipv6") &&
      (key.proto === 6 || key.proto === 17)
    ) {
      m.set("sport", String(rev ? key.dport : key.sport));
      m.set("dport", String(rev ? key.sport : key.dport));
    }
  }
  if (key?.kind === "ether") {
    // ra takes the stored source slot as saddr, REVERSE or not.
    m.set("saddr", mac(key.src));
    m.set("daddr", mac(key.dst));
    m.set("proto", String(key.etherType));
  }
  if (key?.kind === "arp") {
    m.set("saddr", ipv4(key.spa));
    m.set("daddr", ipv4(key.tpa));
  }
  if (r.metric) {
    m.set("spkts", String(r.metric.srcPkts));
    m.set("dpkts", String(r.metric.dstPkts));
    m.set("sbytes", String(r.metric.srcBytes));
    m.set("dbytes", String(r.metric.dstBytes));
  }
  if (r.time) {
    m.set("stime", time(r.time.start));
    m.set("ltime", time(r.time.end));
  }
  if (r.transport) {
    m.set("seq", String(r.transport.seq));
    m.set("srcid", ipv4(r.transport.srcid));
  }
  const a = r.ipAttr;
  if (a) {
    m.set("sttl", a.qual & 1 ? String(a.srcTtl) : "");
    m.set("stos", a.qual & 1 ? String(a.srcTos) : "");
    m.set("dttl", a.qual & 2 ? String(a.dstTtl) : "");
    m.set("dtos", a.qual & 2 ? String(a.dstTos) : "");
  }
  const net = r.network;
  if (net?.kind === "tcp" && net.dst !== null) {
    // ra shows the window scaled by the window shift, for a side that sent.
    const sp = r.metric?.srcPkts ?? 0, dp = r.metric?.dstPkts ?? 0;
    m.set("swin", sp ? String(net.src.win * 2 ** net.src.winShift) : "");
    m.set("dwin", dp ? String(net.dst.win * 2 ** net.dst.winShift) : "");
    // ...and leaves a base sequence number of 0 blank.
    m.set("stcpb", net.src.seqBase ? String(net.src.seqBase) : "");
    m.set("dtcpb", net.dst.seqBase ? String(net.dst.seqBase) : "");
  }
  if (r.encaps) {
    const bits = (r.encaps.src | r.encaps.dst) >>> 0;
    const letters = ENCAPS_LETTER.filter(([bit]) => bits & bit);
    const known = ENCAPS_LETTER.reduce((n, [bit]) => n | bit, 0);
    // ra shows '*' for more than one encapsulation.
    if ((bits & ~known) === 0) {
      m.set("flgs", letters.length > 1 ? "*" : letters[0]?.[1] ?? " ");
    }
  }
  return m;
}

const FILES = [
  "tcp-basic.pcap",
  "tcp-long.pcap",
  "udp-dns.pcap",
  "ipv6.pcap",
  "icmp.pcap",
  "vlan.pcap",
  "mpls.pcap",
  "sll.pcap",
  "non-ip.pcap",
  "arp.pcap",
  "mixed-small.pcap",
];

Deno.test("readArgusRecords() decodes what the real ra prints", async (t) => {
  for (const name of FILES) {
    await t.step(name, async () => {
      const file = `${CORPUS}expected/${name}.argus`;
      const ra = await realRa(file, FIELDS);
      assert.equal(ra.stderr, "");
      const flows: FlowRecord[] = [];
      for await (const r of readArgusRecords(file)) {
        if (r.kind === "flow") flows.push(r);
      }
      assert.equal(flows.length, ra.rows.length, "record count");
      let compared = 0;
      for (let i = 0; i < flows.length; i++) {
        const row = ra.rows[i]!;
        for (const [field, want] of expectedRow(flows[i]!)) {
          const col = FIELDS.indexOf(field);
          const got = field === "flgs" ? row[col]![1]! : row[col]!.trim();
          assert.equal(
            want,
            got,
            `${name} record ${i + 1} ${field}: ours ${want}, ra ${got}`,
          );
          compared++;
        }
      }
      assert.ok(
        compared > flows.length * 10,
        `only ${compared} values compared`,
      );
    });
  }
});
