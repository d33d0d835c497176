/**
 * UDT flow state (src/flow/udt_state.ts) on packets built one by one:
 * recognition on port 9000, acks, naks, data sequence, record layout.
 * @module
 */

import assert from "node:assert/strict";
import type { Flow } from "../../src/flow/flow.ts";
import { NET_SUBTYPE_RTP } from "../../src/flow/rtp_state.ts";
import {
  NET_SUBTYPE_UDT,
  UdtMetrics,
  UdtStatus,
} from "../../src/flow/udt_state.ts";
import {
  encodeFlowRecord,
  RecordBytes,
} from "../../src/flow/flow_record_encoder.ts";
import { type Host, Trace, udpFrame } from "../_util/conversation.ts";
import { runEngine, udtControl, udtData } from "./_app_packets.ts";

const A: Host = { mac: "02:00:00:00:02:01", ip: "10.2.0.1" };
const C: Host = { mac: "02:00:00:00:02:03", ip: "10.2.0.3" };

interface Seen {
  subtype: number;
  status: number;
  hshake: number[];
  m: UdtMetrics;
  srcApp: number;
  dstApp: number;
  record: Uint8Array;
}

function records(tr: Trace): Seen[] {
  const out: Seen[] = [];
  const bytes = new RecordBytes();
  runEngine(tr.packets, {}, (f: Flow, cause: number, engine) => {
    bytes.clear();
    encodeFlowRecord(f, engine, cause, bytes, 0, 0);
    out.push({
      subtype: f.netSubtype,
      status: f.udt?.status ?? 0,
      hshake: f.udt ? Array.from(f.udt.hshake) : [],
      m: Object.assign(new UdtMetrics(), f.udt?.src),
      srcApp: f.srcAppBytes,
      dstApp: f.dstAppBytes,
      record: bytes.bytes().slice(),
    });
  });
  return out;
}

/** Data packets from A:45000 to C:9000 with these sequence numbers. */
function dataFlow(seqs: number[], msg = 0xc0000000): Trace {
  const tr = new Trace();
  for (const seq of seqs) {
    tr.add(udpFrame(A, C, 45000, 9000, udtData(seq, msg | (seq & 0xffff))));
  }
  return tr;
}

const HANDSHAKE = [4, 1, 1000, 1500, 8192, 1, 77];

Deno.test("udt state: recognition on port 9000, acks, naks, sequence", async (t) => {
  await t.step("a data packet to port 9000 starts a UDT flow", () => {
    const [r] = records(dataFlow([1000]));
    assert.equal(r!.subtype, NET_SUBTYPE_UDT);
    // The first packet only classifies: its sequence is not taken.
    assert.equal(r!.m.seq, 0);
    assert.equal(r!.m.solo, 0);
  });

  await t.step("other ports are not UDT", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, C, 45000, 9001, udtData(1000, 0)));
    assert.equal(records(tr)[0]!.subtype, 0);
  });

  await t.step("a control packet starting 0x80 is taken for RTP first", () => {
    // RTP's test comes first and 0x80 is RTP version 2: only control
    // packets with the 0x4000 bit set (version 3) reach the UDT parser.
    const tr = new Trace();
    tr.add(udpFrame(A, C, 45000, 9000, udtControl(0x8002, [1, 2, 3])));
    assert.equal(records(tr)[0]!.subtype, NET_SUBTYPE_RTP);
  });

  await t.step(
    "a first handshake counts only with version 4, copied raw",
    () => {
      const good = new Trace();
      good.add(udpFrame(A, C, 45001, 9000, udtControl(0xc000, HANDSHAKE)));
      const [r] = records(good);
      assert.equal(r!.subtype, NET_SUBTYPE_UDT);
      assert.deepEqual(
        r!.hshake,
        HANDSHAKE.flatMap((
          v,
        ) => [v >>> 24, v >> 16 & 255, v >> 8 & 255, v & 255]),
      );
      const bad = new Trace();
      bad.add(udpFrame(A, C, 45001, 9000, udtControl(0xc000, [5, 1])));
      assert.equal(records(bad)[0]!.subtype, 0);
    },
  );

  await t.step("first control types: argus reads bits 3-6 of the type", () => {
    // The first packet's parser reads (word0 & 0x78) >> 3: 0x38 is a drop
    // request (7), 0x20 congestion (4), a type it does not accept.
    const drop = new Trace();
    drop.add(udpFrame(A, C, 45004, 9000, udtControl(0xc038, [0, 5])));
    const [d] = records(drop);
    assert.equal(d!.subtype, NET_SUBTYPE_UDT);
    assert.equal(d!.status, UdtStatus.FIRSTDROPZERO);
    const congest = new Trace();
    congest.add(udpFrame(A, C, 45004, 9000, udtControl(0xc020, [])));
    assert.equal(records(congest)[0]!.subtype, 0);
  });

  await t.step("data: message kinds, drops and retransmissions", () => {
    const tr = new Trace();
    const add = (seq: number, msg: number) =>
      tr.add(udpFrame(A, C, 45000, 9000, udtData(seq, msg)));
    add(1000, 0xc0000000); // classifies only
    add(1001, 0xc0000000); // solo; sequence starts
    add(1002, 0x80000000); // first
    add(1005, 0x00000000); // middle; beyond seq + 2: two dropped
    add(1004, 0x40000000); // last; not seq + 1: a retransmission
    add(1006, 0x40000000); // in order again
    const [r] = records(tr);
    assert.deepEqual(
      [r!.m.solo, r!.m.first, r!.m.middle, r!.m.last],
      [1, 1, 1, 2],
    );
    assert.equal(r!.m.drops, 2);
    assert.equal(r!.m.retrans, 1);
    assert.equal(r!.m.seq, 1006);
    assert.equal(r!.m.tstamp, 10060);
    assert.equal(
      r!.status,
      UdtStatus.PKTS_DROP | UdtStatus.PKTS_RETRANS,
    );
    const last = tr.packets.at(-1)!.time;
    assert.equal(r!.m.lastSec * 1e6 + r!.m.lastUsec, last);
  });

  await t.step("seq + 2 is not a drop but a retransmission", () => {
    const [r] = records(dataFlow([1, 10, 12]));
    assert.equal(r!.m.drops, 0);
    assert.equal(r!.m.retrans, 1);
    assert.equal(r!.m.seq, 10);
  });

  await t.step("acks fill as many fields as the packet holds", () => {
    const tr = dataFlow([1000]);
    tr.add(
      udpFrame(C, A, 9000, 45000, udtControl(0x8002, [7, 5000, 100, 0, 9, 8])),
    );
    tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8002, [8, 4000])));
    const [r] = records(tr);
    const m = r!.m;
    assert.deepEqual(
      [m.ack, m.rtt, m.variance, m.bsize, m.rate, m.lcap],
      [8, 4000, 100, 0, 9, 8],
    );
    assert.equal(r!.status, UdtStatus.WINDOW_SHUT);
  });

  await t.step("naks count single losses and ranges", () => {
    const tr = dataFlow([1000]);
    tr.add(
      udpFrame(C, A, 9000, 45000, udtControl(0x8003, [0x80000003, 6, 20, 30])),
    );
    tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8004, [])));
    tr.add(udpFrame(C, A, 9000, 45000, udtControl(0x8007, [0, 5])));
    const [r] = records(tr);
    assert.equal(r!.m.nacked, 4 + 1 + 1);
    assert.equal(
      r!.status,
      UdtStatus.ECN_CONGESTED | UdtStatus.FIRSTDROPZERO,
    );
  });

  await t.step("application bytes skip the UDT header after the first", () => {
    const [r] = records(dataFlow([1000, 1001, 1002]));
    assert.equal(r!.srcApp, 116 + 100 + 100);
    assert.equal(r!.dstApp, 0);
  });

  await t.step("the record: host-order words, argus's empty dst half", () => {
    const tr = dataFlow([1000, 1001, 1003 + 2]);
    const [r] = records(tr);
    const rec = r!.record;
    let p = 4;
    while (rec[p] !== 0x30) p += rec[p + 3]! * 4;
    const dsr = rec.subarray(p, p + 44 * 4);
    assert.deepEqual(Array.from(dsr.subarray(0, 4)), [0x30, 0x0d, 0, 44]);
    const v = new DataView(dsr.buffer, dsr.byteOffset, dsr.byteLength);
    assert.equal(v.getUint32(4, true), 0); // state
    assert.equal(v.getUint32(8, true), UdtStatus.PKTS_DROP);
    const metrics = 4 + 8 + 28;
    assert.equal(v.getUint32(metrics + 8, true), 1005); // seq
    assert.equal(v.getUint32(metrics + 14 * 4, true), 3); // drops
    assert.ok(dsr.subarray(metrics + 17 * 4).every((b) => b === 0));
  });
});
