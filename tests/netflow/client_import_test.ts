/**
 * CiscoDatagramImport (ra -S cisco://) on hostile datagrams: random and
 * mutated NetFlow v5 and v9 datagrams (templates of no fields or of
 * lengths past the end, 0-length flowsets, huge counts) never throw,
 * always end, and give only whole records that ra can frame; and a v9
 * template times out by the clock (1800 s), as the client's does.
 * @module
 */

import assert from "node:assert/strict";
import { CiscoDatagramImport } from "../../src/netflow/mod.ts";
import { v5Corners, v9Corners } from "../_util/cisco_packets.ts";

/** A deterministic generator (xorshift32). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** Asserts `records` is whole FAR|NETFLOW records end to end. */
function assertWhole(records: Uint8Array | null): number {
  if (records === null) return 0;
  const v = new DataView(records.buffer, records.byteOffset);
  let n = 0;
  for (let p = 0; p < records.length; n++) {
    assert.equal(records[p], 0x33);
    const len = v.getUint16(p + 2) * 4;
    assert.ok(len >= 4 && p + len <= records.length);
    // Every DSR inside fits the record.
    for (let d = p + 4; d < p + len;) {
      const words = records[d + 3]!;
      assert.ok(words > 0 && d + words * 4 <= p + len);
      d += words * 4;
    }
    p += len;
  }
  return n;
}

Deno.test("CiscoDatagramImport: the corner-case datagrams give whole records", () => {
  const imp = new CiscoDatagramImport();
  let n = 0;
  for (const d of [...v5Corners(), ...v9Corners()]) {
    n += assertWhole(imp.records(d, 0x7f000001, 1_700_000_000));
  }
  assert.equal(n, 12);
});

Deno.test("CiscoDatagramImport: mutated and random datagrams never throw", () => {
  const rnd = random(9);
  const seeds = [...v5Corners(), ...v9Corners()];
  for (let i = 0; i < 3000; i++) {
    const imp = new CiscoDatagramImport();
    // Templates first, so mutated data meets a template.
    for (const s of seeds) imp.records(s, 1, 1_700_000_000);
    let d: Uint8Array;
    if (i % 3 === 0) {
      d = new Uint8Array(Math.floor(rnd() * 600));
      for (let j = 0; j < d.length; j++) d[j] = rnd() * 256;
      if (d.length >= 2) {
        d[0] = 0;
        d[1] = i % 2 ? 5 : 9;
      }
    } else {
      d = seeds[Math.floor(rnd() * seeds.length)]!.slice();
      const cut = rnd() < 0.3 ? Math.floor(rnd() * d.length) : d.length;
      d = d.subarray(0, cut);
      for (let k = 0; k < 1 + rnd() * 8 && d.length > 0; k++) {
        d[Math.floor(rnd() * d.length)] = rnd() * 256;
      }
    }
    assertWhole(imp.records(d, rnd() * 0x100000000, 1_700_000_000));
  }
});

Deno.test("CiscoDatagramImport: a v9 template of no fields gives the header's count of records", () => {
  const d = new Uint8Array([
    ...[0, 9, 0, 3, 0, 0, 0, 0, 0x65, 0x53, 0xf1, 0, 0, 0, 0, 1, 0, 0, 0, 7],
    ...[0, 0, 0, 8, 1, 0, 0, 0], // template 256, no fields
    ...[1, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8], // its data
  ]);
  const n = assertWhole(
    new CiscoDatagramImport().records(d, 1, 1_700_000_000),
  );
  // The client would make that many empty records too (count 3).
  assert.equal(n, 3);
});

Deno.test("CiscoDatagramImport: a v9 template is dropped 1800 s after it came, and kept per exporter", () => {
  const [first, second] = v9Corners();
  // The second datagram: 2 records of template 300, 2 of 301 (both in
  // the first datagram), then template 302 and 1 record of it.
  const at = (now: number, exporter = 1) => {
    const imp = new CiscoDatagramImport();
    imp.records(first!, 1, 1000);
    return assertWhole(imp.records(second!, exporter, now));
  };
  assert.equal(at(2799), 5);
  assert.equal(at(2800), 1);
  assert.equal(at(1000, 2), 1);
});
