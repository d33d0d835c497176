/**
 * RTP and RTCP flow state (src/flow/rtp_state.ts) on packets built one by
 * one: recognition, drops, silence, record layout, payload accounting.
 * @module
 */

import assert from "node:assert/strict";
import type { Flow } from "../../src/flow/flow.ts";
import { dsrBit, DsrIndex } from "../../src/flow/dsr_index.ts";
import {
  NET_SUBTYPE_RTCP,
  NET_SUBTYPE_RTP,
  RTP_DST_SILENCE,
  RTP_SRC_OUTOFORDER,
  RTP_SRC_SILENCE,
} from "../../src/flow/rtp_state.ts";
import {
  encodeFlowRecord,
  RecordBytes,
} from "../../src/flow/flow_record_encoder.ts";
import { type Host, Trace, udpFrame } from "../_util/conversation.ts";
import { ether, ipv4Packet, udp } from "../_util/packets.ts";
import { be16, be32, rtcp, rtp, runEngine } from "./_app_packets.ts";

const A: Host = { mac: "02:00:00:00:01:01", ip: "10.1.0.1" };
const B: Host = { mac: "02:00:00:00:01:02", ip: "10.1.0.2" };

/** What a record showed of a flow's application state. */
interface Seen {
  network: boolean;
  subtype: number;
  qual: number;
  state: number;
  src: number[];
  dst: number[];
  sdrop: number;
  ddrop: number;
  rtcpSrc: number[];
  rtcpDst: number[];
  srcApp: number;
  dstApp: number;
  record: Uint8Array;
}

/** Runs `tr` and returns what each record showed, in record order. */
function records(tr: Trace): Seen[] {
  const out: Seen[] = [];
  const bytes = new RecordBytes();
  runEngine(tr.packets, {}, (f: Flow, cause: number, engine) => {
    const r = f.rtp;
    bytes.clear();
    encodeFlowRecord(f, engine, cause, bytes, 0, 0);
    out.push({
      network: (f.dsrs & dsrBit(DsrIndex.NETWORK)) !== 0,
      subtype: f.netSubtype,
      qual: f.netQual,
      state: r?.state ?? 0,
      src: r ? [r.src.b0, r.src.b1, r.src.seq, r.src.time, r.src.ssrc] : [],
      dst: r ? [r.dst.b0, r.dst.b1, r.dst.seq, r.dst.time, r.dst.ssrc] : [],
      sdrop: r?.sdrop ?? 0,
      ddrop: r?.ddrop ?? 0,
      rtcpSrc: f.rtcp ? Array.from(f.rtcp.src) : [],
      rtcpDst: f.rtcp ? Array.from(f.rtcp.dst) : [],
      srcApp: f.srcAppBytes,
      dstApp: f.dstAppBytes,
      record: bytes.bytes().slice(),
    });
  });
  return out;
}

/** The network DSR of an encoded record: its header word and body. */
function networkDsr(record: Uint8Array): Uint8Array {
  for (let p = 4; p + 4 <= record.length;) {
    const words = record[p] === 0x50
      ? (record[p + 2]! << 8 | record[p + 3]!)
      : record[p + 3]!;
    if (record[p] === 0x30) return record.subarray(p, p + words * 4);
    p += words * 4;
  }
  throw new Error("No network DSR in record");
}

Deno.test("rtp state: recognition, drops, silence, payload accounting", async (t) => {
  await t.step("a version 2 payload between high ports starts RTP", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 7, 0x1234, 160)));
    const [r] = records(tr);
    assert.equal(r!.subtype, NET_SUBTYPE_RTP);
    assert.deepEqual(r!.src, [0x80, 0, 7, 7 * 160, 0x1234]);
    assert.deepEqual(r!.dst, [0, 0, 0, 0, 0]);
  });

  await t.step("well-known, AFS and non-version-2 payloads stay UDP", () => {
    for (
      const [sport, dport, b0] of [
        [40000, 1000, 0x80], // a well-known port
        [7005, 40000, 0x80], // AFS range, source side
        [40000, 7010, 0x80], // AFS range, destination side
        [40000, 40002, 0x40], // RTP version 1
      ] as const
    ) {
      const tr = new Trace();
      tr.add(udpFrame(A, B, sport, dport, rtp(0, 1, 1, 20, { b0 })));
      const [r] = records(tr);
      assert.equal(r!.subtype, 0, `${sport} -> ${dport}, b0 ${b0}`);
    }
  });

  await t.step("twelve captured bytes are needed, padding counts", () => {
    const short = [0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    const cut = new Trace();
    // Captured up to the payload's end: no room for an RTP header.
    cut.add(udpFrame(A, B, 20000, 30000, short), 1000, 14 + 20 + 8 + 10);
    assert.equal(records(cut)[0]!.subtype, 0);
    // argus checks the capture, not the payload: the Ethernet padding
    // completes the header.
    const padded = new Trace();
    padded.add(udpFrame(A, B, 20000, 30000, short));
    assert.equal(records(padded)[0]!.subtype, NET_SUBTYPE_RTP);
  });

  await t.step(
    "a sender or receiver report makes RTCP; SDES alone is RTP",
    () => {
      const sdes = rtcp(202, 0x1234, 2, 1);
      const sr = rtcp(200, 0x1234, 6);
      const tr = new Trace();
      tr.add(udpFrame(A, B, 20001, 30001, [...sdes, ...sr]));
      tr.add(udpFrame(B, A, 30001, 20001, rtcp(201, 0x99, 7, 1)));
      tr.add(udpFrame(A, B, 20003, 30003, sdes));
      const [compound, sdesOnly] = records(tr);
      assert.equal(compound!.subtype, NET_SUBTYPE_RTCP);
      // The first header of each direction, raw.
      assert.deepEqual(compound!.rtcpSrc, sdes.slice(0, 8));
      // Only the packet that started the flow is kept.
      assert.deepEqual(compound!.rtcpDst, Array(8).fill(0));
      assert.equal(sdesOnly!.subtype, NET_SUBTYPE_RTP);
    },
  );

  await t.step("RTCP's record byte-swaps the raw length and SSRC", () => {
    // argus stores the header as received and still applies htons/htonl
    // to it: on a little-endian host both come out reversed.
    const tr = new Trace();
    tr.add(udpFrame(A, B, 20001, 30001, rtcp(200, 0x01020304, 6, 3)));
    const [r] = records(tr);
    assert.deepEqual(
      Array.from(networkDsr(r!.record)),
      [0x30, 0x09, 0, 6, 0x83, 200, 6, 0, 4, 3, 2, 1, ...Array(12).fill(0)],
    );
  });

  await t.step("gaps count as drops and a late packet takes one back", () => {
    const tr = new Trace();
    // After the late 5 argus compares with 5, so 7 counts one more drop.
    for (const seq of [1, 2, 3, 6, 5, 7]) {
      tr.add(udpFrame(A, B, 20000, 30000, rtp(0, seq, 0x1234, 160)));
    }
    const [r] = records(tr);
    assert.equal(r!.sdrop, 2);
    assert.equal(r!.state, RTP_SRC_OUTOFORDER);
    assert.equal(r!.src[2], 7);
    assert.deepEqual(
      Array.from(networkDsr(r!.record)),
      [
        ...[0x30, 0x0a, 0, 10],
        ...be32(RTP_SRC_OUTOFORDER),
        ...[0x80, 0, ...be16(7), ...be32(7 * 160), ...be32(0x1234)],
        ...Array(12).fill(0),
        ...be16(2),
        ...be16(0),
        ...be32(0),
      ],
    );
  });

  await t.step("the sequence wrapping to 0 is a late packet", () => {
    const tr = new Trace();
    for (const seq of [65534, 65535, 0, 1]) {
      tr.add(udpFrame(A, B, 20000, 30000, rtp(0, seq, 0x1234, 160)));
    }
    const [r] = records(tr);
    // 0 < 65535 with no drop to take back; then 1 follows 0.
    assert.equal(r!.sdrop, 0);
    assert.equal(r!.state, 0);
  });

  await t.step("a direction's first packet is only remembered", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 10, 0x1234, 160)));
    tr.add(udpFrame(B, A, 30000, 20000, rtp(8, 500, 0x99, 160)));
    tr.add(udpFrame(B, A, 30000, 20000, rtp(8, 503, 0x99, 160)));
    const [r] = records(tr);
    assert.deepEqual(r!.dst, [0x80, 8, 503, 503 * 160, 0x99]);
    assert.equal(r!.ddrop, 2);
    assert.equal(r!.sdrop, 0);
  });

  await t.step("silent voice packets set their direction's bit", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 1, 0x1234, 160)));
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 2, 0x1234, 160)));
    assert.equal(records(tr)[0]!.qual, 0);
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 3, 0x1234, 7)));
    assert.equal(records(tr)[0]!.qual, RTP_SRC_SILENCE);

    const g723 = new Trace();
    g723.add(udpFrame(B, A, 30000, 20000, rtp(4, 1, 0x99, 24)));
    g723.add(udpFrame(A, B, 20000, 30000, rtp(4, 1, 0x1234, 24)));
    g723.add(udpFrame(A, B, 20000, 30000, rtp(4, 2, 0x1234, 4)));
    // The flow's source is B: A's packets are its destination side.
    assert.equal(records(g723)[0]!.qual, RTP_DST_SILENCE);
  });

  await t.step("a new SSRC, or SSRC 0, ends the RTP DSR", () => {
    for (const ssrc of [0x56, 0]) {
      const tr = new Trace();
      tr.add(udpFrame(A, B, 40000, 40002, rtp(96, 1, 0x55, 50)));
      tr.add(udpFrame(A, B, 40000, 40002, rtp(96, 2, ssrc, 50)));
      const [r] = records(tr);
      assert.equal(r!.network, false);
      assert.equal(r!.subtype, 0);
    }
  });

  await t.step("an extension longer than argus believes ends the DSR", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 1, 0x1234, 160)));
    // argus reads the length little-endian: 0x0100 = 256 ≠ about 50.
    const ext = [0xbe, 0xde, 0, 1, 1, 2, 3, 4];
    tr.add(
      udpFrame(
        A,
        B,
        20000,
        30000,
        rtp(0, 2, 0x1234, 30, { b0: 0x90, extra: ext }),
      ),
    );
    assert.equal(records(tr)[0]!.network, false);
  });

  await t.step("application bytes skip the RTP header after the first", () => {
    const tr = new Trace();
    // First packet: the whole UDP payload (argus parses no header yet).
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 1, 0x1234, 160)));
    // The header and two CSRCs come off.
    const csrc = [...be32(7), ...be32(8)];
    tr.add(
      udpFrame(
        A,
        B,
        20000,
        30000,
        rtp(0, 2, 0x1234, 20, { b0: 0x82, extra: csrc }),
      ),
    );
    // An extension whose length argus reads as 256 little-endian (the UDP
    // payload is 256 bytes, so it stays RTP) and as 1 big-endian: it skips
    // 4 + 1 bytes after the header.
    const ext = [0xbe, 0xde, 0, 1, 9, 9, 9, 9];
    tr.add(
      udpFrame(
        A,
        B,
        20000,
        30000,
        rtp(0, 3, 0x1234, 256 - 20, { b0: 0x90, extra: ext }),
      ),
    );
    const [r] = records(tr);
    assert.equal(r!.network, true);
    assert.equal(r!.srcApp, 172 + 20 + (256 - 12 - 5));
  });

  await t.step("a payload shorter than its header makes negative bytes", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 1, 0x1234, 160)));
    // 8 bytes of UDP payload; the SSRC argus reads lies in the frame's
    // trailer, past the IP packet.
    const head = rtp(0, 2, 0x1234, 0).slice(0, 8);
    const ip = ipv4Packet(A.ip, B.ip, 17, udp(20000, 30000, head));
    tr.add(ether(B.mac, A.mac, 0x0800, [...ip, ...be32(0x1234), 0, 0]));
    const [r] = records(tr);
    assert.equal(r!.network, true);
    assert.equal(r!.srcApp, 172 + (8 - 12));
  });
});
