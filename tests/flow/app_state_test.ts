/**
 * Application state against the real argus 3.0.8 on generated RTP, RTCP,
 * UDT, TCP, ICMP and fragmented traffic: with -U the flow records must be
 * byte-identical, and every record's application bytes must equal what the
 * real argus writes with -A (read back by the real ra).
 * @module
 */

import assert from "node:assert/strict";
import { FlowQual } from "../../src/flow/flow_status.ts";
import { ether, filler, ipv4Packet, udp } from "../_util/packets.ts";
import { pcapFile } from "../_util/pcap_writer.ts";
import { sensorRecords } from "../_util/sensor_run.ts";
import { firstRecordDifference, flowRecords } from "../_util/records.ts";
import { haveRealArgus, run } from "../_util/oracle.ts";
import {
  type Host,
  icmpFrame,
  TcpConv,
  Trace,
  udpFrame,
} from "../_util/conversation.ts";
import {
  be32,
  rtcp,
  rtp,
  runEngine,
  udtControl,
  udtData,
} from "./_app_packets.ts";

const A: Host = { mac: "02:00:00:00:04:01", ip: "10.4.0.1" };
const B: Host = { mac: "02:00:00:00:04:02", ip: "10.4.0.2" };
const C: Host = { mac: "02:00:00:00:04:03", ip: "10.4.0.3" };
const V6A: Host = { mac: "02:00:00:00:04:61", ip: "2001:db8:4::1" };
const V6B: Host = { mac: "02:00:00:00:04:62", ip: "2001:db8:4::2" };

/** Voice, video, reports and UDT transfers, with argus's corner cases. */
function appTrace(): Trace {
  const tr = new Trace();
  // A call with drops, a late packet, marker bits, silence, CSRCs and an
  // extension, across a status interval so -U restarts.
  const seqs = [1, 2, 3, 6, 5, 7, 8, 20, 21, 9, 22];
  for (const [i, seq] of seqs.entries()) {
    tr.add(
      udpFrame(A, B, 20000, 30000, rtp(0, seq, 0x1234, 160, { mark: i === 2 })),
      20000,
    );
    tr.add(udpFrame(B, A, 30000, 20000, rtp(8, seq + 100, 0x99, i * 7)));
  }
  tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 23, 0x1234, 7)), 6_000_000);
  tr.add(udpFrame(A, B, 20000, 30000, rtp(4, 24, 0x1234, 4)), 20000);
  const csrc = [...be32(7), ...be32(8), ...be32(9)];
  tr.add(
    udpFrame(
      A,
      B,
      20000,
      30000,
      rtp(18, 25, 0x1234, 20, { b0: 0x83, extra: csrc }),
    ),
  );
  // An extension argus accepts (length read as 256) and skips 4 + 1 bytes.
  const ext = [0xbe, 0xde, 0, 1, 9, 9, 9, 9];
  tr.add(
    udpFrame(
      A,
      B,
      20000,
      30000,
      rtp(9, 26, 0x1234, 236, { b0: 0x90, extra: ext }),
    ),
  );
  // One argus takes at its word: it skips 0x3600 bytes past the payload.
  const wild = [0xbe, 0xde, 54, 0, 1, 2, 3, 4];
  tr.add(
    udpFrame(
      A,
      B,
      20000,
      30000,
      rtp(0, 27, 0x1234, 34, { b0: 0x90, extra: wild }),
    ),
  );
  // 8 bytes of UDP payload; the SSRC argus reads lies in the trailer.
  const head = rtp(0, 28, 0x1234, 0).slice(0, 8);
  const ip = ipv4Packet(A.ip, B.ip, 17, udp(20000, 30000, head));
  tr.add(ether(B.mac, A.mac, 0x0800, [...ip, ...be32(0x1234), 0, 0]));
  tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 29, 0x1234, 160)), 20000);

  // Video over IPv6 whose source changes: the RTP DSR ends.
  for (const ssrc of [0x55, 0x55, 0x56, 0x55]) {
    tr.add(udpFrame(V6A, V6B, 40000, 40002, rtp(96, 1, ssrc, 50)), 1000);
  }
  // Version 2 on well-known and AFS ports: plain UDP.
  tr.add(udpFrame(A, C, 40010, 1000, rtp(0, 1, 1, 20)), 1000);
  tr.add(udpFrame(A, C, 40010, 1000, rtp(0, 2, 1, 20)), 1000);
  tr.add(udpFrame(A, C, 40011, 7001, rtp(0, 1, 1, 20)), 1000);
  // RTCP: a compound report each way; SDES alone reads as RTP.
  const sdes = rtcp(202, 0x1234, 2, 1);
  tr.add(udpFrame(A, B, 20001, 30001, [...rtcp(200, 0x1234, 6), ...sdes]));
  tr.add(udpFrame(B, A, 30001, 20001, rtcp(201, 0x99, 7, 1)));
  tr.add(udpFrame(A, B, 20001, 30001, rtcp(200, 0x1234, 6)));
  tr.add(udpFrame(A, B, 20003, 30003, sdes), 1000);
  tr.add(udpFrame(A, B, 20003, 30003, sdes), 1000);

  // A UDT transfer to port 9000 and the receiver's control packets.
  for (const seq of [1000, 1001, 1002, 1005, 1004, 1006, 1006]) {
    tr.add(udpFrame(A, C, 45000, 9000, udtData(seq, 0xc0000000 | seq)), 1000);
  }
  tr.add(udpFrame(A, C, 45000, 9000, udtData(1007, 0x80000000, 300)));
  tr.add(udpFrame(A, C, 45000, 9000, udtData(1008, 0x00000001, 7)));
  tr.add(udpFrame(A, C, 45000, 9000, udtData(1009, 0x40000002, 0)));
  const hs = [4, 1, 1000, 1500, 8192, 1, 77];
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8000, hs)));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8001, [])));
  tr.add(
    udpFrame(C, A, 9000, 45000, udtControl(0x8002, [1007, 5000, 100, 0, 9, 8])),
  );
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8002, [1008, 4000, 90])));
  tr.add(
    udpFrame(C, A, 9000, 45000, udtControl(0x8003, [0x80000003, 1006, 1010])),
  );
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8004, [])));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8007, [0, 5])));
  tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8005, [])));
  // First packets that are control packets (version-3 first byte).
  tr.add(udpFrame(A, C, 45001, 9000, udtControl(0xc000, hs)), 1000);
  tr.add(udpFrame(A, C, 45001, 9000, udtData(1, 0x40000000)), 1000);
  tr.add(udpFrame(A, C, 45003, 9000, udtControl(0xc000, [5, 1])), 1000);
  tr.add(udpFrame(A, C, 45004, 9000, udtControl(0xc038, [0, 5])), 1000);
  tr.add(udpFrame(A, C, 45006, 9000, udtControl(0xc020, [])), 1000);
  tr.add(udpFrame(A, C, 45005, 9000, udtData(0x7fffffff, 0)), 1000);
  tr.add(udpFrame(A, C, 45005, 9000, udtData(0xffffffff, 0)), 1000);
  tr.add(udpFrame(A, C, 45005, 9000, udtData(0xffffffff, 0)), 1000);

  // TCP and ICMP carry user data and application bytes too.
  const c = new TcpConv(tr, A, B, 40100, 80);
  c.handshake();
  c.seg(true, 0x18, 30);
  c.seg(false, 0x18, 700);
  c.seg(false, 0x10, 700);
  c.close();
  tr.add(icmpFrame(A, B, 8, 0, 7, 1, filler(40)), 1000);
  tr.add(icmpFrame(B, A, 0, 0, 7, 1, filler(40)), 1000);

  // An RTP packet in two fragments, then one whole.
  const whole = udp(20010, 30010, rtp(0, 1, 0x77, 200));
  const frag = (off: number, end: number, more: boolean) =>
    ether(
      B.mac,
      A.mac,
      0x0800,
      ipv4Packet(A.ip, B.ip, 17, whole.slice(off, end), {
        id: 999,
        flags: more ? 1 : 0,
        fragOffset: off / 8,
      }),
    );
  tr.add(frag(0, 104, true), 1000);
  tr.add(frag(104, whole.length, false));
  tr.add(udpFrame(A, B, 20010, 30010, rtp(0, 2, 0x77, 200)));
  // A last fragment whose first never comes: a fragment flow of its own.
  const lone = udp(20011, 30011, rtp(0, 1, 0x78, 200));
  tr.add(
    ether(
      B.mac,
      A.mac,
      0x0800,
      ipv4Packet(A.ip, B.ip, 17, lone.slice(104), { id: 1001, fragOffset: 13 }),
    ),
    1000,
  );
  return tr;
}

/** seq -> [sappbytes, dappbytes] as the real ra prints them. */
function appBytesTable(csv: string): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (const line of csv.trim().split("\n").slice(1)) {
    const [seq, s, d] = line.split(",").map((x) => Number(x.trim()));
    if (seq) out.set(seq!, [s!, d!]);
  }
  return out;
}

/**
 * The width argus writes application bytes in: that of the metric DSR,
 * chosen by the packet and byte counters (ArgusGenerateRecord).
 */
function metricBits(sp: number, sb: number, dp: number, db: number): number {
  if (sp && dp) {
    if (sp <= 0xff && dp <= 0xff && sb <= 0xff && db <= 0xff) return 8;
    if (sb <= 0xffff && db <= 0xffff) return 16;
    return 32;
  }
  return (sp ? sb : db) <= 0xffff ? 16 : 32;
}

Deno.test({
  name: "app state: our records and application bytes equal the real argus's",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "argus-ts-app-" });
    const tr = appTrace();
    const pcap = `${dir}/app.pcap`;
    await Deno.writeFile(pcap, pcapFile(tr.packets));
    try {
      for (const userData of [0, 3, 48, 600]) {
        await t.step(`-U ${userData}: records byte for byte`, async () => {
          const theirs = `${dir}/u${userData}.argus`;
          const args = ["-X", "-r", pcap, "-w", theirs];
          if (userData) args.push("-U", `${userData}`);
          const real = await run("/usr/sbin/argus", args);
          assert.equal(real.code, 0, real.stderr);
          const expected = await Deno.readFile(theirs);
          const ours = sensorRecords(tr.packets, 1, { userData });
          assert.ok(flowRecords(expected).length >= 15);
          const diff = firstRecordDifference(expected, ours);
          assert.equal(diff, null, `${diff}`);
        });
      }

      await t.step("-A: every record's application bytes", async () => {
        const theirs = `${dir}/a.argus`;
        const real = await run("/usr/sbin/argus", [
          ...["-X", "-A", "-r", pcap, "-w", theirs],
        ]);
        assert.equal(real.code, 0, real.stderr);
        const ra = await run("/usr/bin/ra", [
          ...["-r", theirs, "-n", "-c", ",", "-s", "seq"],
          ...["sappbytes", "dappbytes"],
        ]);
        assert.equal(ra.code, 0, ra.stderr);
        const expected = appBytesTable(ra.stdout);
        const ours = new Map<number, [number, number]>();
        let fragments = 0, negative = 0;
        runEngine(tr.packets, {}, (f) => {
          if (f.keyQual & FlowQual.FRAGMENT) fragments++;
          // argus's RTP quirks can take the count below zero; it writes
          // the count cut to the metric DSR's width.
          if (f.srcAppBytes < 0 || f.dstAppBytes < 0) negative++;
          const bits = metricBits(f.srcPkts, f.srcBytes, f.dstPkts, f.dstBytes);
          const mod = 2 ** bits;
          const cut = (v: number) => ((v % mod) + mod) % mod;
          ours.set(f.seqnum, [cut(f.srcAppBytes), cut(f.dstAppBytes)]);
        });
        assert.deepEqual(ours, expected);
        // The capture covers the quirks it is meant to.
        assert.ok(fragments > 0, "no fragment flow record");
        assert.ok(negative > 0, "no negative application byte count");
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
