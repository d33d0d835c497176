/**
 * Our BPF interpreter against libpcap's pcap_offline_filter: for a table of
 * filters and every packet of several corpus captures, the same verdict.
 * @module
 */

import assert from "node:assert/strict";
import { BpfFilter, openCapture, PacketBatch } from "../../src/capture/mod.ts";
import {
  compileFilter,
  libpcapFilterVerdict,
  PcapError,
} from "../../ffi/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

const FILTERS = [
  "tcp",
  "udp and port 53",
  "not icmp",
  "ip6",
  "vlan",
  "arp",
  "net 10.0.0.0/8",
  "tcp[tcpflags] & tcp-syn != 0",
  "greater 1000",
  "less 100",
  "ether host 02:00:00:00:0d:01",
  "icmp[icmptype] == icmp-echo",
  "ip[6:2] & 0x1fff != 0",
  "tcp and (port 80 or port 443) and not host 10.0.1.3",
  "ip proto 47 or mpls",
  "len > 60 and ip",
];

const CAPTURES = [
  "tcp-basic.pcap",
  "vlan.pcap",
  "ipv4-frag.pcap",
  "ipv6.pcap",
  "non-ip.pcap",
  "mpls.pcap",
  "truncated-headers.pcap",
  "snaplen-96.pcap",
  "icmp.pcap",
];

Deno.test("BPF interpreter gives libpcap's verdict", async (t) => {
  for (const name of CAPTURES) {
    await t.step(name, async () => {
      const { reader, close } = await openCapture(CORPUS + name);
      const batch = new PacketBatch();
      const packets: { bytes: Uint8Array; wirelen: number }[] = [];
      while (await reader.next(batch)) {
        for (let i = 0; i < batch.count; i++) {
          const s = batch.start[i]!;
          packets.push({
            bytes: batch.data.slice(s, s + batch.caplen[i]!),
            wirelen: batch.wirelen[i]!,
          });
        }
      }
      close();
      for (const expr of FILTERS) {
        const program = compileFilter(expr, reader.linkType, reader.snaplen);
        const vm = new BpfFilter(program.words);
        packets.forEach((p, i) => {
          const want = libpcapFilterVerdict(program, p.bytes, p.wirelen);
          const got = vm.matches(p.bytes, 0, p.bytes.length, p.wirelen);
          assert.equal(got, want, `${name} packet ${i + 1}, filter "${expr}"`);
        });
      }
    });
  }
});

Deno.test("compileFilter reports libpcap's syntax errors", () => {
  assert.throws(
    () => compileFilter("tcp and", 1),
    (e) => e instanceof PcapError && /syntax error/.test(e.message),
  );
  assert.throws(() => compileFilter("port 99999", 1), PcapError);
});

Deno.test("compileFilter renders the program as argus -b prints it", () => {
  const p = compileFilter("tcp and port 80", 1, 65535);
  assert.equal(p.text.length, p.length);
  assert.equal(p.text[0], "(000) ldh      [12]");
  assert.match(p.text.at(-2)!, /ret\s+#65535/);
});
