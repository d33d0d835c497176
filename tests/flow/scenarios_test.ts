/**
 * Generated traffic the corpus does not cover, run through our sensor and
 * through the real argus 3.0.8: the flow tables must be equal, flow for
 * flow (flowdiff 100%). Each step builds its capture from scratch.
 * @module
 */

import assert from "node:assert/strict";
import { ether, F, filler, ipv4Packet, tcp, udp } from "../_util/packets.ts";
import { pcapFile } from "../_util/pcap_writer.ts";
import { sensorRecords } from "../_util/sensor_run.ts";
import { firstRecordDifference } from "../_util/records.ts";
import {
  flowdiff,
  haveRealArgus,
  recordsTable,
  referenceTable,
} from "../_util/oracle.ts";
import {
  frame,
  type Host,
  icmpFrame,
  TcpConv,
  Trace,
  udpFrame,
} from "../_util/conversation.ts";

const A: Host = { mac: "02:00:00:00:01:01", ip: "10.1.0.1" };
const B: Host = { mac: "02:00:00:00:01:02", ip: "10.1.0.2" };
const C: Host = { mac: "02:00:00:00:01:03", ip: "10.1.0.3" };
const V6A: Host = { mac: "02:00:00:00:06:01", ip: "2001:db8:1::10" };
const V6B: Host = { mac: "02:00:00:00:06:02", ip: "2001:db8:1::2" };

/**
 * Runs both sensors on `trace`: the flow tables must be equal (flowdiff
 * 100%) and so must the flow records, byte for byte.
 */
async function sameAsArgus(
  name: string,
  trace: Trace,
  linkType = 1,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "argus-ts-scenario-" });
  try {
    const pcap = `${dir}/${name}.pcap`;
    await Deno.writeFile(pcap, pcapFile(trace.packets, linkType));
    const expected = `${dir}/expected.csv`;
    const theirs = `${dir}/theirs.argus`;
    const ref = await referenceTable(pcap, expected, [], theirs);
    assert.equal(ref.code, 0, `real argus failed: ${ref.stderr}`);
    const ours = `${dir}/ours.argus`;
    await Deno.writeFile(ours, sensorRecords(trace.packets, linkType));
    const actual = `${dir}/actual.csv`;
    const ra = await recordsTable(ours, actual);
    assert.equal(
      ra.code,
      0,
      `real ra could not read our records: ${ra.stderr}`,
    );
    assert.equal(ra.stderr, "", "real ra printed warnings");
    const d = await flowdiff(expected, actual);
    assert.ok(d.ok, `${name}: ${d.match}\n${d.report}`);
    const diff = firstRecordDifference(
      await Deno.readFile(theirs),
      await Deno.readFile(ours),
    );
    assert.equal(diff, null, `${name}: ${diff}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "scenarios: our flows equal the real argus's on generated traffic",
  ignore: !haveRealArgus(),
  async fn(t) {
    await t.step(
      "TCP with options, long transfer across status intervals",
      async () => {
        const tr = new Trace();
        const c = new TcpConv(tr, A, B, 40000, 443);
        const opts = [
          2,
          4,
          5,
          0xb4,
          1,
          3,
          3,
          7,
          4,
          2,
          8,
          10,
          0,
          0,
          0,
          1,
          0,
          0,
          0,
          0,
        ];
        c.seg(true, F.SYN, 0, 1000, opts);
        c.seg(false, F.SYN | F.ACK, 0, 1000, opts);
        c.seg(true, F.ACK);
        for (let i = 0; i < 40; i++) {
          c.seg(false, F.ACK | F.PSH, 1400, 400_000);
          if (i % 2) c.seg(true, F.ACK, 0, 2000);
        }
        c.close(false);
        await sameAsArgus("tcp-long-options", tr);
      },
    );

    await t.step(
      "TCP retransmissions, out of order, duplicate ACKs",
      async () => {
        const tr = new Trace();
        const c = new TcpConv(tr, A, B, 40001, 80);
        c.handshake();
        c.seg(true, F.ACK | F.PSH, 500);
        const seq = c.cseq;
        c.seg(true, F.ACK | F.PSH, 500);
        c.cseq = seq; // retransmit
        c.seg(true, F.ACK | F.PSH, 500, 200_000);
        c.seg(false, F.ACK);
        c.seg(false, F.ACK);
        c.cseq = (c.cseq + 500) >>> 0; // a gap, then the hole
        c.seg(true, F.ACK | F.PSH, 300);
        c.cseq = (c.cseq - 800) >>> 0;
        c.seg(true, F.ACK | F.PSH, 500);
        c.close(true);
        await sameAsArgus("tcp-retrans", tr);
      },
    );

    await t.step(
      "TCP restart: new SYN after RST and after FIN on one 5-tuple",
      async () => {
        const tr = new Trace();
        const c = new TcpConv(tr, A, B, 40002, 22);
        c.handshake();
        c.seg(true, F.ACK | F.PSH, 100);
        c.seg(false, F.RST | F.ACK);
        const d = new TcpConv(tr, A, B, 40002, 22, 90000, 70000);
        d.handshake(1_000_000);
        d.seg(false, F.ACK | F.PSH, 200);
        d.close(true);
        const e = new TcpConv(tr, A, B, 40002, 22, 190000, 170000);
        e.handshake(3_000_000);
        e.close(false);
        await sameAsArgus("tcp-restart", tr);
      },
    );

    await t.step(
      "TCP both directions from equal addresses (ports decide)",
      async () => {
        const tr = new Trace();
        const c = new TcpConv(
          tr,
          A,
          { ...A, mac: "02:00:00:00:01:09" },
          50000,
          1000,
        );
        c.handshake();
        c.close(true);
        const d = new TcpConv(
          tr,
          A,
          { ...A, mac: "02:00:00:00:01:09" },
          1000,
          50000,
        );
        d.handshake();
        d.close(false);
        await sameAsArgus("tcp-same-host", tr);
      },
    );

    await t.step(
      "DNS: interleaved transactions, both port-53 directions",
      async () => {
        const tr = new Trace();
        for (let i = 0; i < 6; i++) {
          const id = [0x10 + i, 0x20 + i];
          tr.add(udpFrame(A, B, 33000, 53, [...id, 1, 0, ...filler(20)]), 1000);
          if (i % 3 !== 2) {
            tr.add(
              udpFrame(B, A, 53, 33000, [...id, 0x81, 0x80, ...filler(40)]),
              500,
            );
          }
        }
        tr.add(udpFrame(B, C, 53, 53, [0xab, 0xcd, 1, 0, ...filler(20)]), 1000);
        tr.add(
          udpFrame(C, B, 53, 53, [0xab, 0xcd, 0x81, 0x80, ...filler(20)]),
          1000,
        );
        await sameAsArgus("dns-txids", tr);
      },
    );

    await t.step("UDP flow idles past its timeout and comes back", async () => {
      const tr = new Trace();
      for (const gap of [1, 2, 40, 1, 31, 29, 65]) {
        tr.add(udpFrame(A, C, 5000, 6000, filler(100)), gap * 1_000_000);
        tr.add(udpFrame(C, A, 6000, 5000, filler(60)), 1000);
      }
      await sameAsArgus("udp-idle", tr);
    });

    await t.step("ICMP: errors mapped onto the flows they report", async () => {
      const tr = new Trace();
      for (let ttl = 1; ttl <= 3; ttl++) {
        const probe = ipv4Packet(
          A.ip,
          "192.0.2.9",
          17,
          udp(33434 + ttl, 33434 + ttl, filler(24)),
          { ttl },
        );
        tr.add(ether(B.mac, A.mac, 0x0800, probe), 100_000);
        const quote = probe.slice(0, 28);
        tr.add(icmpFrame(B, A, 11, 0, 0, 0, quote), 2000);
      }
      const probe = ipv4Packet(A.ip, C.ip, 6, tcp(41000, 9999, F.SYN, 1, 0));
      tr.add(ether(C.mac, A.mac, 0x0800, probe), 100_000);
      tr.add(icmpFrame(C, A, 3, 3, 0, 0, probe.slice(0, 28)), 1000);
      tr.add(icmpFrame(C, A, 3, 1, 0, 0, probe.slice(0, 28)), 1000);
      await sameAsArgus("icmp-mapped", tr);
    });

    await t.step(
      "IPv4 fragments: in order, reversed, overlapping, duplicated",
      async () => {
        const tr = new Trace();
        const payload = udp(7000, 7001, filler(2400));
        const frags = (id: number, order: number[], dup = false) => {
          const parts = [[0, 1480], [1480, 960]] as const;
          const pkts = parts.map(([off, len], i) =>
            ipv4Packet(A.ip, B.ip, 17, payload.slice(off, off + len), {
              id,
              flags: i < parts.length - 1 ? 1 : 0,
              fragOffset: off / 8,
            })
          );
          for (const i of order) {
            tr.add(ether(B.mac, A.mac, 0x0800, pkts[i]!), 500);
          }
          if (dup) {
            tr.add(ether(B.mac, A.mac, 0x0800, pkts[0]!), 500);
          }
        };
        frags(0x100, [0, 1]);
        frags(0x101, [1, 0]);
        frags(0x102, [0, 1], true);
        frags(0x103, [1]);
        await sameAsArgus("ipv4-frags", tr);
      },
    );

    await t.step(
      "IPv6: extension headers, reversed addresses, ICMPv6",
      async () => {
        const tr = new Trace();
        const c = new TcpConv(tr, V6A, V6B, 40010, 8080);
        c.handshake();
        c.seg(true, F.ACK | F.PSH, 300);
        c.seg(false, F.ACK | F.PSH, 900);
        c.close(true);
        const hbh = [17, 0, 5, 2, 0, 0, 1, 0]; // hop-by-hop, router alert, next UDP
        tr.add(
          frame(V6A, V6B, 0, [...hbh, ...udp(5353, 5353, filler(30))]),
          1000,
        );
        tr.add(
          frame(V6A, V6B, 58, [128, 0, 0, 0, 0, 7, 0, 1, ...filler(16)]),
          1000,
        );
        tr.add(
          frame(V6B, V6A, 58, [129, 0, 0, 0, 0, 7, 0, 1, ...filler(16)]),
          1000,
        );
        await sameAsArgus("ipv6-ext", tr);
      },
    );

    await t.step("VLAN and MPLS encapsulations", async () => {
      const tr = new Trace();
      const inner = ipv4Packet(A.ip, B.ip, 17, udp(1111, 2222, filler(50)));
      const vlan = (tag: number, p: number[]) => [0, tag, 0x08, 0x00, ...p];
      tr.add(ether(B.mac, A.mac, 0x8100, vlan(10, inner)), 1000);
      const back = ipv4Packet(B.ip, A.ip, 17, udp(2222, 1111, filler(80)));
      tr.add(ether(A.mac, B.mac, 0x8100, vlan(20, back)), 1000);
      const label = (
        l: number,
        bos: boolean,
      ) => [l >> 12, (l >> 4) & 0xff, ((l & 0xf) << 4) | (bos ? 1 : 0), 64];
      tr.add(
        ether(B.mac, A.mac, 0x8847, [
          ...label(100, false),
          ...label(200, true),
          ...inner,
        ]),
        1000,
      );
      tr.add(ether(A.mac, B.mac, 0x8847, [...label(300, true), ...back]), 1000);
      await sameAsArgus("vlan-mpls", tr);
    });

    await t.step(
      "RTP, RTCP and UDT recognised from a flow's first payload",
      async () => {
        await sameAsArgus("rtp-rtcp-udt", appTrace());
      },
    );

    await t.step("many flows: the flow table grows and shrinks", async () => {
      const tr = new Trace();
      for (let i = 0; i < 3000; i++) {
        const src: Host = { mac: A.mac, ip: `10.${2 + (i >> 8)}.${i & 255}.1` };
        tr.add(
          udpFrame(src, B, 10000 + (i % 5000), 53 + (i % 3), filler(i % 90)),
          3000,
        );
        if (i % 4 === 0) {
          tr.add(
            udpFrame(B, src, 53 + (i % 3), 10000 + (i % 5000), filler(10)),
            100,
          );
        }
      }
      await sameAsArgus("many-flows", tr);
    });
  },
});

const be16 = (v: number) => [v >> 8 & 255, v & 255];
const be32 = (v: number) => [...be16(v >>> 16), ...be16(v & 0xffff)];

/** An RTP packet: header, optional CSRCs/extension, `payload` bytes. */
function rtp(
  pt: number,
  seq: number,
  ssrc: number,
  payload: number,
  extra: number[] = [],
  b0 = 0x80,
): number[] {
  return [
    b0,
    pt,
    ...be16(seq),
    ...be32(seq * 160),
    ...be32(ssrc),
    ...extra,
    ...filler(payload),
  ];
}

/** A UDT control packet of `type` with its body words. */
function udtControl(type: number, body: number[], b0 = 0x80): number[] {
  return [
    b0,
    0,
    ...be16(type),
    ...be32(0),
    ...be32(1234),
    ...be32(77),
    ...body.flatMap(be32),
  ];
}

/** A UDT data packet. */
function udtData(seq: number, msg: number): number[] {
  return [
    ...be32(seq),
    ...be32(msg),
    ...be32(seq * 10),
    ...be32(77),
    ...filler(100),
  ];
}

/** RTP, RTCP and UDT flows exercising argus's application state. */
function appTrace(): Trace {
  const tr = new Trace();
  // A voice call: drops, late packets, silence, CSRCs, an extension, across
  // a status interval.
  const seqs = [1, 2, 3, 6, 5, 7, 8, 20, 21, 9, 22];
  for (const [i, seq] of seqs.entries()) {
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, seq, 0x1234, 160)), 20000);
    const back = i === 4 ? 33 : 160;
    tr.add(udpFrame(B, A, 30000, 20000, rtp(8, seq + 100, 0x99, back)));
  }
  tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 23, 0x1234, 7)), 6_000_000);
  tr.add(udpFrame(A, B, 20000, 30000, rtp(4, 24, 0x1234, 4)), 20000);
  const csrc = [...be32(7), ...be32(8)];
  tr.add(udpFrame(A, B, 20000, 30000, rtp(18, 25, 0x1234, 20, csrc, 0x82)));
  // argus reads the extension length unswapped: 54 passes its check.
  const ext = [0xbe, 0xde, 54, 0, 1, 2, 3, 4];
  tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 26, 0x1234, 34, ext, 0x90)));
  tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 40, 0x1234, 160)), 20000);
  // The source changes: the flow stops being RTP.
  for (const ssrc of [0x55, 0x55, 0x56, 0x55]) {
    tr.add(udpFrame(B, C, 40000, 40002, rtp(96, 1, ssrc, 50)), 1000);
  }
  // Version 2 payloads on a well-known port and on AFS ports: not RTP.
  tr.add(udpFrame(A, C, 40010, 1000, rtp(0, 1, 1, 20)), 1000);
  tr.add(udpFrame(A, C, 40011, 7001, rtp(0, 1, 1, 20)), 1000);
  // RTCP: a sender report with SDES, a receiver report back, SDES alone.
  const sdes = [0x81, 202, 0, 2, ...be32(0x1234), 1, 2, 0x61, 0x62];
  const sr = [0x80, 200, 0, 6, ...be32(0x1234), ...filler(20, 0)];
  const rr = [0x81, 201, 0, 7, ...be32(0x99), ...filler(24, 0)];
  tr.add(udpFrame(A, B, 20001, 30001, [...sr, ...sdes]), 1000);
  tr.add(udpFrame(B, A, 30001, 20001, rr));
  tr.add(udpFrame(A, B, 20003, 30003, sdes), 1000);
  // UDT on port 9000. Control packets start 0x80, which argus takes for
  // RTP when they come first, so this flow starts with data.
  for (const seq of [1000, 1001, 1002, 1005, 1004, 1006, 1006]) {
    tr.add(udpFrame(A, C, 45000, 9000, udtData(seq, 0xc0000000 | seq)), 1000);
  }
  tr.add(udpFrame(A, C, 45000, 9000, udtData(1007, 0x80000000)));
  tr.add(udpFrame(A, C, 45000, 9000, udtData(1008, 0x00000001)));
  tr.add(udpFrame(A, C, 45000, 9000, udtData(1009, 0x40000002)));
  const hs = [4, 1, 1000, 1500, 8192, 1, 77];
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0, hs)));
  tr.add(
    udpFrame(C, A, 9000, 45000, udtControl(2, [1007, 5000, 100, 0, 900, 1200])),
  );
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(2, [1008, 4000, 90])));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(3, [0x80000003, 1006, 1010])));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(4, [])));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(7, [0, 5])));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(5, [])));
  // Control packets that come first must start 0xc0 (RTP version 3) to be
  // seen as UDT: a handshake, a bad handshake version, a drop request.
  tr.add(udpFrame(A, C, 45001, 9000, udtControl(0, hs, 0xc0)), 1000);
  tr.add(udpFrame(A, C, 45001, 9000, udtData(1, 0x40000000)), 1000);
  tr.add(udpFrame(A, C, 45003, 9000, udtControl(0, [5, 1], 0xc0)), 1000);
  tr.add(udpFrame(A, C, 45004, 9000, udtControl(0x38, [0, 5], 0xc0)), 1000);
  tr.add(udpFrame(A, C, 45005, 9000, udtData(0x7fffffff, 0)), 1000);
  tr.add(udpFrame(A, C, 45005, 9000, udtData(0xffffffff, 0)), 1000);
  tr.add(udpFrame(A, C, 45005, 9000, udtData(0xffffffff, 0)), 1000);
  return tr;
}
