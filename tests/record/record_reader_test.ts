/**
 * The record reader on awkward input: records split across chunks at every
 * byte, gzip-compressed streams, and damage (a cut header, a cut record,
 * garbage, a zero length, Argus 2 data): every good record comes out, then
 * exactly one RecordFormatError naming the stream and the byte offset.
 * @module
 */

import assert from "node:assert/strict";
import {
  type ArgusRecord,
  decodeRecordBytes,
  encodeRecords,
  readArgusRecords,
  readRecordBatches,
  readRecords,
  RecordFormatError,
  recordStream,
} from "../../src/record/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

const BASIC = `${CORPUS}expected/tcp-basic.pcap.argus`;
const MIXED = `${CORPUS}expected/mixed-small.pcap.argus`;
const basic = Deno.readFileSync(BASIC);

/** Offsets of the records in a file. */
function offsets(bytes: Uint8Array): number[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let p = 0; p + 4 <= bytes.length; p += v.getUint16(p + 2) * 4) {
    out.push(p);
  }
  return out;
}

/** An async source handing out the given pieces of `bytes`. */
async function* pieces(
  bytes: Uint8Array,
  cuts: number[],
): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    // A fresh copy each time: the reader must not rely on old chunks.
    yield bytes.slice(at, c);
    at = c;
  }
}

/** Reads everything; returns the records and the error, if any. */
async function readAll(
  source: Parameters<typeof readArgusRecords>[0],
  name = "test",
): Promise<{ records: ArgusRecord[]; error: unknown }> {
  const records: ArgusRecord[] = [];
  try {
    for await (const r of readArgusRecords(source, { name })) records.push(r);
  } catch (e) {
    return { records, error: e };
  }
  return { records, error: null };
}

function assertFormatError(
  e: unknown,
  file: string,
  offset: number,
  reason: RegExp,
): void {
  assert.ok(
    e instanceof RecordFormatError,
    `expected RecordFormatError, got ${e}`,
  );
  assert.ok(e instanceof SyntaxError);
  assert.equal(e.file, file);
  assert.equal(e.offset, offset);
  assert.match(e.reason, reason);
  assert.match(e.message, new RegExp(`at byte ${offset}$`));
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

Deno.test("readArgusRecords() reassembles records split at any byte", async (t) => {
  const want = decodeRecordBytes(basic).records;
  await t.step("two chunks, cut at every offset", async () => {
    for (let cut = 1; cut < basic.length; cut++) {
      const { records, error } = await readAll(pieces(basic, [cut]));
      assert.equal(error, null, `cut at ${cut}`);
      assert.deepEqual(records, want, `cut at ${cut}`);
    }
  });
  await t.step("one byte per chunk", async () => {
    const cuts = Array.from({ length: basic.length - 1 }, (_, i) => i + 1);
    const { records, error } = await readAll(pieces(basic, cuts));
    assert.equal(error, null);
    assert.deepEqual(records, want);
  });
  await t.step("a ReadableStream of 7-byte chunks", async () => {
    const cuts = [];
    for (let c = 7; c < basic.length; c += 7) cuts.push(c);
    const stream = ReadableStream.from(pieces(basic, cuts));
    const { records } = await readAll(stream);
    assert.deepEqual(records, want);
  });
  await t.step(
    "a file read in 100-byte chunks by a reused buffer",
    async () => {
      const records: ArgusRecord[] = [];
      for await (const batch of readRecordBatches(MIXED, { chunkSize: 100 })) {
        records.push(...batch);
      }
      assert.deepEqual(encodeRecords(records), Deno.readFileSync(MIXED));
    },
  );
});

Deno.test("readArgusRecords() reads gzip-compressed record files", async (t) => {
  const plain = Deno.readFileSync(MIXED);
  const packed = await gzip(plain);
  const dir = await Deno.makeTempDir({ prefix: "record_gz_" });
  try {
    await t.step("from a file", async () => {
      const path = `${dir}/mixed.argus.gz`;
      await Deno.writeFile(path, packed);
      const { records, error } = await readAll(path);
      assert.equal(error, null);
      assert.deepEqual(encodeRecords(records), plain);
    });
    await t.step("from a stream split inside the magic", async () => {
      const { records, error } = await readAll(pieces(packed, [1, 2, 500]));
      assert.equal(error, null);
      assert.deepEqual(encodeRecords(records), plain);
    });
    await t.step("cut short: good records, then the error", async () => {
      const cut = packed.subarray(0, packed.length >> 1);
      const { records, error } = await readAll(cut, "cut.gz");
      assert.ok(records.length > 100, `${records.length} records`);
      const good = encodeRecords(records);
      assert.deepEqual(good, plain.subarray(0, good.length));
      assert.ok(error instanceof RecordFormatError, String(error));
      assert.equal(error.file, "cut.gz");
      assert.ok(error.offset >= good.length);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readArgusRecords() delivers the good records, then one RecordFormatError", async (t) => {
  const at = offsets(basic);
  const second = at[1]!, third = at[2]!;
  const cases: [string, Uint8Array, number, number, RegExp][] = [
    [
      "cut inside a header",
      basic.subarray(0, second + 2),
      1,
      second,
      /truncated record header/,
    ],
    [
      "cut inside a record",
      basic.subarray(0, third - 10),
      1,
      second,
      /truncated record \(\d+ of 212 bytes\)/,
    ],
    [
      "cut inside the opening MAR",
      basic.subarray(0, 60),
      0,
      0,
      /truncated record \(60 of 128/,
    ],
    [
      "garbage after the records",
      concat(basic, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4])),
      at.length,
      basic.length,
      /not an Argus 3 record \(header bytes deadbeef\)/,
    ],
    [
      "a zero-length header",
      concat(basic.subarray(0, third), new Uint8Array([0x13, 0x10, 0, 0])),
      2,
      third,
      /zero-length/,
    ],
    [
      "a DSR overrunning its record",
      concat(
        basic.subarray(0, second),
        patched(basic.subarray(second, third), 4 + 12 + 3, 0x60),
      ),
      1,
      second,
      /DSR 0x2 at record byte 16 overruns/,
    ],
  ];
  for (const [what, bytes, good, offset, reason] of cases) {
    await t.step(what, async () => {
      for (const cuts of [[], [3], [second + 1], [bytes.length - 1]]) {
        const { records, error } = await readAll(
          pieces(bytes, cuts.filter((c) => c < bytes.length)),
          "x.argus",
        );
        assert.equal(
          records.length,
          good,
          `records before the damage (cuts ${cuts})`,
        );
        assert.deepEqual(
          records,
          decodeRecordBytes(basic).records.slice(0, good),
        );
        assertFormatError(error, "x.argus", offset, reason);
      }
      const sync = decodeRecordBytes(bytes, "x.argus");
      assert.equal(sync.records.length, good);
      assertFormatError(sync.error, "x.argus", offset, reason);
    });
  }
});

Deno.test("readArgusRecords() refuses Argus 2 data by name", async () => {
  // An Argus 2 opening MAR: type 0x80, cause START, the version 2 cookie.
  const v2 = new Uint8Array(128);
  const v = new DataView(v2.buffer);
  v.setUint8(0, 0x80);
  v.setUint8(1, 0x01);
  v.setUint16(2, 128);
  v.setUint32(4, 0x20000000);
  v.setUint32(8, 0xe5617acb);
  const { records, error } = await readAll(v2, "old.argus");
  assert.equal(records.length, 0);
  assertFormatError(
    error,
    "old.argus",
    0,
    /Argus version 2 records are not supported/,
  );
});

Deno.test("readArgusRecords() names a missing file", async () => {
  const { error } = await readAll(
    "/nonexistent/x.argus",
    "/nonexistent/x.argus",
  );
  assertFormatError(error, "/nonexistent/x.argus", 0, /no such file/);
});

Deno.test("recordStream() errors only after every good batch was read", async () => {
  const cut = basic.subarray(0, offsets(basic)[3]! + 5);
  const reader = recordStream(pieces(cut, [130, 400]), { name: "s" })
    .getReader();
  let count = 0;
  // Let the stream run ahead if it would: nothing may be dropped.
  await new Promise((r) => setTimeout(r, 10));
  let error: unknown = null;
  for (;;) {
    try {
      const r = await reader.read();
      if (r.done) break;
      count += r.value.length;
    } catch (e) {
      error = e;
      break;
    }
  }
  assert.equal(count, 3);
  assertFormatError(error, "s", offsets(basic)[3]!, /truncated record/);
});

Deno.test("readRecords() visits records in place and stops when told", async () => {
  const seen: number[] = [];
  await readRecords(
    pieces(basic, [200, 201]),
    "v",
    (buf, start, length, offset) => {
      assert.equal(buf[start]! & 0x0f, 3);
      assert.equal(length % 4, 0);
      seen.push(offset);
      return seen.length < 3;
    },
  );
  assert.deepEqual(seen, offsets(basic).slice(0, 3));
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

/** A copy of `b` with one byte changed. */
function patched(b: Uint8Array, at: number, value: number): Uint8Array {
  const c = b.slice();
  c[at] = value;
  return c;
}
