/**
 * CiscoRecords on hostile export packets: random and mutated NetFlow v5
 * and v9 payloads (templates of zero-length fields, lengths past the end)
 * never throw, always end, and give only whole records.
 * @module
 */

import assert from "node:assert/strict";
import { CiscoRecords } from "../../src/netflow/mod.ts";
import { ether, ipv4Packet, udp } from "../_util/packets.ts";

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

/** A batch of one Ethernet frame carrying `payload` to UDP port 2055. */
function batchOf(payload: number[]) {
  const frame = ether(
    "02:00:00:00:00:02",
    "02:00:00:00:00:01",
    0x0800,
    ipv4Packet("10.0.0.1", "10.0.0.2", 17, udp(4000, 2055, payload)),
  );
  return {
    data: frame,
    count: 1,
    start: [0],
    caplen: [frame.length],
    wirelen: [frame.length],
    linkType: [1],
    tsSec: [1_700_000_000],
  };
}

/** Walks records: every length is whole and inside the block. */
function checkRecords(block: Uint8Array | null): void {
  if (block === null) return;
  const v = new DataView(block.buffer, block.byteOffset, block.byteLength);
  let off = 0;
  while (off < block.length) {
    const len = v.getUint16(off + 2) * 4;
    assert.ok(len >= 4 && off + len <= block.length);
    assert.equal(block[off], 0x33);
    off += len;
  }
}

Deno.test("CiscoRecords never throws or hangs on hostile NetFlow payloads", () => {
  const rnd = random(8);
  const nf = new CiscoRecords();
  // A template of zero-length fields, then data for it.
  const zeroTemplate = [
    0,
    9,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1, // header
    0,
    0,
    0,
    12,
    1,
    0,
    0,
    2,
    0,
    1,
    0,
    0, // template 256: two 0-byte fields
    1,
    0,
    0,
    12,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8, // data for it
  ];
  checkRecords(nf.recordsFor(batchOf(zeroTemplate)));
  for (let i = 0; i < 3000; i++) {
    const n = Math.floor(rnd() * 400);
    const payload = Array.from({ length: n }, () => Math.floor(rnd() * 256));
    // Mostly versions 5 and 9, to reach the parsers.
    if (n >= 2) {
      payload[0] = 0;
      payload[1] = rnd() < 0.5 ? 5 : 9;
    }
    if (payload[1] === 9 && n > 24 && rnd() < 0.5) {
      payload[20] = 0; // a template flowset first
      payload[21] = 0;
    }
    checkRecords(nf.recordsFor(batchOf(payload)));
  }
});
