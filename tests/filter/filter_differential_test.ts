/**
 * Our filters against the real ra: for each expression, the records the
 * real `ra -M man -r FILE - EXPR` prints must be exactly those our
 * predicate selects, over corpus record files (and two made with
 * `argus -m`, which adds MAC DSRs). Records reach the predicate through
 * _subject_from_ra.ts, so this needs no record decoder. Also: ra and we
 * reject the same expressions.
 * @module
 */

import assert from "node:assert/strict";
import { compileFilter } from "../../src/filter/mod.ts";
import { CORPUS } from "../_util/oracle.ts";
import { type RaRecord, raSelect, recordsFromRa } from "./_subject_from_ra.ts";

const EXPECTED = `${CORPUS}expected/`;

const CORPUS_FILES = [
  "tcp-basic", // two keys stored reversed (flow subtype bit 0x40)
  "tcp-rst",
  "tcp-anomalies",
  "tcp-scans",
  "udp-dns",
  "icmp", // mapped ICMP events (unreach, redirect, time exceeded)
  "ipv6",
  "arp",
  "vlan",
  "mpls",
  "non-ip", // Ethernet keys
  "ip-protocols", // IGMP, ESP, SCTP, ...
  "ipv4-frag",
  "malformed", // header-only network DSRs
  "snaplen-96",
  "netns-veth",
  "mixed-small", // 2773 flows
].map((n) => `${EXPECTED}${n}.pcap.argus`);

/** Captures put through `argus -X -m` for records with MAC DSRs. */
const MAC_CAPTURES = ["netns-veth.pcap", "arp.pcap"];

const EXPRESSIONS = [
  // the examples
  "tcp",
  "udp and dst port 53",
  "not icmp",
  "src net 10.0.0.0/8",
  "pkts gt 3",
  // protocols, key types, record types
  "ip",
  "ipv4",
  "ipv6",
  "arp",
  "rarp",
  "igmp",
  "udt",
  "man",
  "far",
  "start",
  "stop or status",
  "proto 58",
  "ip proto 50",
  "ipv4 proto 6 or 17",
  "ether proto 0x88cc",
  "ether proto 0x0806",
  // addresses (tcp-basic keeps 10.0.1.4 -> 10.0.1.2 reversed: src is the
  // side ra prints first)
  "src host 10.0.1.4",
  "dst host 10.0.1.2 and not src 10.0.1.1",
  "host 10.1.0.10 or 10.1.0.12",
  "ip host 10.0.10.1",
  "arp host 10.0.10.1",
  "net 10.1.0.0/24",
  "dst net 10.0.0.0 mask 255.255.255.0",
  "net 10.0.0.0/33",
  "dst 443",
  "dst net 2001:db8::/32",
  "net 2001:db8::/48",
  "host fe80::1",
  "multicast",
  // ports
  "port 80",
  "port http",
  "port domain",
  "tcp port 443 or 80",
  "port 20-100",
  "port 80-22",
  "src port gt 1024",
  "dst port lt 1024",
  "src and dst port 53",
  // counters and attributes
  "bytes gte 1000",
  "src pkts lt 2",
  "dst bytes lte 100",
  "pkts gt 100 or 2",
  "ttl 64",
  "dst ttl 0",
  "src ttl gt 60 and dst ttl lt 60",
  "tos 0",
  "dsb 63",
  "ipid gt 100",
  "vid 100",
  "vid 4095",
  "vpri 0",
  "vlan",
  "mpls",
  "mid 16001",
  "mid 1048575",
  "trans 1",
  "seq gt 10",
  "dur gt 1",
  "dur gte 0",
  "dur 0.00015",
  "rate gt 100",
  "dst load lt 1000",
  // TCP
  "syn",
  "src syn and dst rst",
  "fin",
  "synack",
  "finack",
  "normal",
  "est",
  "retrans",
  "outoforder",
  "winshut",
  "tcpopt",
  "mss",
  "tcp and tcptimestamp",
  // ICMP, fragments
  "echo",
  "unreach",
  "redirect",
  "timexed",
  "icmpmap",
  "frag",
  // Ethernet (MAC DSR; only the -m files have one)
  "ether host 02:77:00:00:00:01",
  "ether src 2:77:0:0:0:2",
  "ether broadcast",
  "multipath",
  // logic
  "not (tcp or udp)",
  "tcp or udp and dst port 53",
  "port 443 and not src net 10.1.0.0/24",
  "port (80 or 443)",
  "host not 10.1.0.10",
  "not port 80 or 443",
];

/** Expressions both ra and we must refuse. */
const REJECTED = [
  "tcp and",
  "tcp tcp",
  "(tcp",
  "ip6",
  "pkts > 3",
  "pkts gt 1.5",
  "tcp and 80",
  "(dst port 53) or 123",
  "port foo",
  "port ftp-data",
  "udp port http",
  "host 10.0.0.1/8",
  "tcp host 10.0.0.1",
  "src proto 6",
  "proto tcp",
  "port 22-",
  "src synack",
  "broadcast",
  "ether",
  "ip net 2001:db8::/32",
  "pkts gt (3 or 5)",
];

async function macFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const pcap of MAC_CAPTURES) {
    const file = `${dir}/${pcap}.m.argus`;
    const run = await new Deno.Command("argus", {
      args: ["-X", "-m", "-r", `${CORPUS}${pcap}`, "-w", file],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(run.code, 0, `argus -m on ${pcap}`);
    out.push(file);
  }
  return out;
}

Deno.test("compileFilter() selects the records the real ra prints", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "filter-diff-" });
  try {
    const files = [...CORPUS_FILES, ...await macFiles(dir)];
    const records = new Map<string, RaRecord[]>();
    const all = await Promise.all(files.map(recordsFromRa));
    files.forEach((f, i) => records.set(f, all[i]!));
    for (const expr of EXPRESSIONS) {
      await t.step(expr, async () => {
        const pass = compileFilter(expr);
        const entries = [...records];
        const theirs = await Promise.all(
          entries.map(([file]) => raSelect(file, expr)),
        );
        entries.forEach(([file, recs], i) => {
          const ours = recs.filter((r) => pass(r.subject)).map((r) => r.key);
          assert.deepEqual(ours, theirs[i], `${expr} on ${file}`);
        });
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compileFilter() rejects what the real ra rejects", async (t) => {
  const file = `${EXPECTED}tcp-basic.pcap.argus`;
  for (const expr of REJECTED) {
    await t.step(expr, async () => {
      await assert.rejects(() => raSelect(file, expr), /syntax error/);
      assert.throws(() => compileFilter(expr), SyntaxError);
    });
  }
});
