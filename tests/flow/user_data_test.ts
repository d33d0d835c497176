/**
 * -U user data (src/flow/user_data.ts) on packets built one by one: what
 * each direction keeps per record, and the DSRs the encoder writes.
 * @module
 */

import assert from "node:assert/strict";
import type { Flow } from "../../src/flow/flow.ts";
import type { FlowEngineOptions } from "../../src/flow/flow_engine.ts";
import { dsrBit, DsrIndex } from "../../src/flow/dsr_index.ts";
import {
  encodeFlowRecord,
  RecordBytes,
} from "../../src/flow/flow_record_encoder.ts";
import { type Host, TcpConv, Trace, udpFrame } from "../_util/conversation.ts";
import { rtp, runEngine } from "./_app_packets.ts";

const A: Host = { mac: "02:00:00:00:03:01", ip: "10.3.0.1" };
const B: Host = { mac: "02:00:00:00:03:02", ip: "10.3.0.2" };

/** What a record carried as user data: null when it had no DSR. */
interface Seen {
  src: { size: number; bytes: number[] } | null;
  dst: { size: number; bytes: number[] } | null;
  record: Uint8Array;
}

function records(tr: Trace, options: FlowEngineOptions): Seen[] {
  const out: Seen[] = [];
  const bytes = new RecordBytes();
  runEngine(tr.packets, options, (f: Flow, cause: number, engine) => {
    bytes.clear();
    encodeFlowRecord(f, engine, cause, bytes, 0, 0);
    const side = (index: number, u: Flow["srcUser"]) =>
      (f.dsrs & dsrBit(index)) && u !== null
        ? { size: u.size, bytes: Array.from(u.bytes.subarray(0, u.count)) }
        : null;
    out.push({
      src: side(DsrIndex.SRCUSERDATA, f.srcUser),
      dst: side(DsrIndex.DSTUSERDATA, f.dstUser),
      record: bytes.bytes().slice(),
    });
  });
  return out;
}

const seq = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => (from + i) & 0xff);

Deno.test("user data (-U): the first bytes of each direction per record", async (t) => {
  await t.step("fills from several packets, per direction", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 40000, 40002, seq(1, 25)));
    tr.add(udpFrame(B, A, 40002, 40000, seq(200, 10)));
    tr.add(udpFrame(A, B, 40000, 40002, seq(101, 25)));
    tr.add(udpFrame(A, B, 40000, 40002, seq(150, 25)));
    const [r] = records(tr, { userData: 40 });
    assert.deepEqual(r!.src, {
      size: 40,
      bytes: [...seq(1, 25), ...seq(101, 15)],
    });
    assert.deepEqual(r!.dst, { size: 40, bytes: seq(200, 10) });
  });

  await t.step("without -U, or with -U 65536, there is none", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 40000, 40002, seq(1, 25)));
    for (const options of [{}, { userData: 0 }, { userData: 0x10000 }]) {
      const [r] = records(tr, options);
      assert.equal(r!.src, null);
      assert.equal(r!.dst, null);
    }
    // argus keeps the length in 16 bits.
    assert.equal(records(tr, { userData: 0x10005 })[0]!.src?.size, 5);
  });

  await t.step("TCP: payload only, and none for packets without", () => {
    const tr = new Trace();
    const c = new TcpConv(tr, A, B, 40001, 80);
    c.handshake();
    c.seg(true, 0x18, 5);
    const [r] = records(tr, { userData: 16 });
    assert.deepEqual(r!.src, { size: 16, bytes: Array(5).fill(0x41) });
    // The server sent no payload: no DSR at all.
    assert.equal(r!.dst, null);
  });

  await t.step("each record period starts afresh", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 40000, 40002, seq(1, 8)));
    // Past the 5 s status interval: a record, then a new period.
    tr.add(udpFrame(A, B, 40000, 40002, seq(50, 8)), 6_000_000);
    tr.add(udpFrame(A, B, 40000, 40002, seq(90, 8)));
    const [first, second] = records(tr, { userData: 12 });
    assert.deepEqual(first!.src?.bytes, seq(1, 8));
    assert.deepEqual(second!.src?.bytes, [...seq(50, 8), ...seq(90, 4)]);
  });

  await t.step(
    "only captured bytes; an uncaptured payload leaves count 0",
    () => {
      const tr = new Trace();
      const head = 14 + 20 + 8;
      tr.add(udpFrame(A, B, 40000, 40002, seq(1, 100)), 1000, head + 7);
      tr.add(udpFrame(B, A, 40002, 40000, seq(1, 100)), 1000, head);
      const [r] = records(tr, { userData: 32 });
      assert.deepEqual(r!.src?.bytes, seq(1, 7));
      assert.deepEqual(r!.dst, { size: 32, bytes: [] });
    },
  );

  await t.step("RTP: after the first packet, the media payload", () => {
    const tr = new Trace();
    const first = rtp(0, 1, 0x1234, 4);
    tr.add(udpFrame(A, B, 20000, 30000, first));
    tr.add(udpFrame(A, B, 20000, 30000, rtp(0, 2, 0x1234, 10)));
    const [r] = records(tr, { userData: 24 });
    assert.deepEqual(r!.src?.bytes, [...first, ...rtp(0, 2, 0, 8).slice(12)]);
  });

  await t.step("the DSRs: 16-bit length, size, count, padded bytes", () => {
    const tr = new Trace();
    tr.add(udpFrame(A, B, 40000, 40002, seq(1, 5)));
    tr.add(udpFrame(B, A, 40002, 40000, seq(9, 8)));
    const [r] = records(tr, { userData: 300 });
    const rec = r!.record;
    let p = 4;
    const dsrs: number[][] = [];
    while (p < rec.length) {
      const words = rec[p] === 0x50
        ? rec[p + 2]! << 8 | rec[p + 3]!
        : rec[p + 3]!;
      dsrs.push(Array.from(rec.subarray(p, p + words * 4)));
      p += words * 4;
    }
    // Record order: ..., IP attributes (0x48), src data, dst data, encaps.
    assert.deepEqual(dsrs.map((d) => d[0]).slice(-4), [0x48, 0x50, 0x50, 0x20]);
    assert.deepEqual(dsrs.at(-3), [
      ...[0x50, 0x90, 0, 4],
      ...[1, 44, 0, 5],
      ...seq(1, 5),
      0,
      0,
      0,
    ]);
    assert.deepEqual(dsrs.at(-2), [
      ...[0x50, 0xa0, 0, 4],
      ...[1, 44, 0, 8],
      ...seq(9, 8),
    ]);
  });
});
