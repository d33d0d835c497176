/**
 * The record model's edges: DSRs the codec does not model keep their bytes
 * and their place, repeated DSRs stay raw, the per-side time form and the
 * stream stages round-trip, and the writer refuses what cannot be encoded
 * without leaving half a record behind.
 * @module
 */

import assert from "node:assert/strict";
import {
  decodeRecordBytes,
  encodeRecords,
  type FlowRecord,
  newFlowRecord,
  readRecordBatches,
  RecordEncodeStream,
  recordStream,
  RecordWriter,
  TimeSubtype,
} from "../../src/record/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

const basic = Deno.readFileSync(`${CORPUS}expected/tcp-basic.pcap.argus`);
const [mar, first] = decodeRecordBytes(basic).records;

/** The first flow record of tcp-basic with `dsr` inserted after `after` DSRs. */
function withDsr(dsr: number[], after: number): Uint8Array {
  const r = encodeRecords([first!]);
  const v = new DataView(r.buffer);
  let p = 4;
  for (let i = 0; i < after; i++) p += r[p + 3]! * 4;
  const out = new Uint8Array(r.length + dsr.length);
  out.set(r.subarray(0, p));
  out.set(dsr, p);
  out.set(r.subarray(p), p + dsr.length);
  new DataView(out.buffer).setUint16(2, v.getUint16(2) + dsr.length / 4);
  return out;
}

function roundTrip(bytes: Uint8Array): FlowRecord {
  const { records, error } = decodeRecordBytes(bytes);
  assert.equal(error, null);
  assert.deepEqual(encodeRecords(records), bytes);
  const r = records[0]!;
  assert.equal(r.kind, "flow");
  return r as FlowRecord;
}

Deno.test("RecordWriter puts unmodelled DSRs back where they were", async (t) => {
  // An aggregation DSR (slot 4, racluster's), 3 words, between metric and network.
  const agr = [0x60, 0x01, 0x00, 0x03, 0, 0, 0, 7, 1, 2, 3, 4];
  for (const after of [0, 4, 5, 7]) {
    await t.step(`after ${after} DSRs`, () => {
      const r = roundTrip(withDsr(agr, after));
      assert.equal(r.extra.length, 1);
      assert.equal(r.extra[0]!.type, 0x60);
      assert.equal(r.extra[0]!.index, after);
      assert.notEqual(r.metric, null);
      assert.notEqual(r.encaps, null);
    });
  }
  await t.step("a second metric DSR stays raw", () => {
    const r = roundTrip(withDsr([0x10, 0x01, 0x01, 0x02, 1, 2, 3, 4], 7));
    assert.equal(r.metric?.srcPkts, 7);
    assert.deepEqual(r.extra.map((x) => x.index), [7]);
  });
  await t.step("a DSR out of slot order stays raw", () => {
    // A VLAN DSR (slot 6) after the IP attributes (slot 9).
    const r = roundTrip(withDsr([0x40, 0x00, 0x03, 0x02, 0, 100, 0, 100], 6));
    assert.equal(r.vlan, null);
    assert.equal(r.extra[0]?.type, 0x40);
  });
  await t.step("built records append raw DSRs with index Infinity", () => {
    const r = structuredClone(first!) as FlowRecord;
    r.extra.push({
      type: 0x66,
      index: Infinity,
      bytes: new Uint8Array([0x66, 0, 0, 2, 0x61, 0x62, 0, 0]),
    });
    const bytes = encodeRecords([r]);
    assert.deepEqual([...bytes.subarray(-8)], [
      0x66,
      0,
      0,
      2,
      0x61,
      0x62,
      0,
      0,
    ]);
    assert.deepEqual(decodeRecordBytes(bytes).records[0], {
      ...r,
      extra: [{ ...r.extra[0]!, index: 7 }],
    });
  });
});

Deno.test("RecordWriter writes the per-side time form", () => {
  const r = newFlowRecord();
  r.time = {
    subtype: TimeSubtype.RANGE | TimeSubtype.SRC_START | TimeSubtype.DST_END,
    qual: 0x18,
    start: 0,
    end: 0,
    srcStart: 1_700_000_000_000_001,
    srcEnd: 0,
    dstStart: 0,
    dstEnd: 1_700_000_005_999_999,
  };
  const bytes = encodeRecords([r]);
  assert.deepEqual([...bytes.subarray(4, 8)], [0x03, 0x4a, 0x18, 5]);
  const back = roundTrip(bytes);
  assert.equal(back.time?.start, r.time.srcStart);
  assert.equal(back.time?.end, r.time.dstEnd);
});

Deno.test("RecordWriter refuses what does not fit, leaving no partial record", () => {
  const w = new RecordWriter(16);
  w.write(mar!);
  const r = newFlowRecord();
  r.srcUserData = { subtype: 0x90, size: 0, bytes: new Uint8Array(300_000) };
  assert.throws(() => w.write(r), RangeError);
  assert.equal(w.length, 128);
  r.srcUserData = null;
  r.network = {
    kind: "raw",
    subtype: 0x77,
    qual: 0,
    body: new Uint8Array(2000),
  };
  assert.throws(() => w.write(r), RangeError);
  assert.equal(w.length, 128);
});

Deno.test("RecordEncodeStream and recordStream() round-trip a file", async () => {
  const batches: Uint8Array[] = [];
  await recordStream(basic)
    .pipeThrough(new RecordEncodeStream())
    .pipeTo(new WritableStream({ write: (c) => void batches.push(c) }));
  const out = new Uint8Array(batches.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of batches) {
    out.set(b, at);
    at += b.length;
  }
  assert.deepEqual(out, basic);
  let n = 0;
  for await (const batch of readRecordBatches(out)) n += batch.length;
  assert.equal(n, decodeRecordBytes(basic).records.length);
});
