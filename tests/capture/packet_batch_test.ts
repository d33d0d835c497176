/**
 * PacketBatch: capacity, packet views, and a clear error for a bad size.
 * @module
 */

import assert from "node:assert/strict";
import { BATCH_PACKETS, PacketBatch } from "../../src/capture/mod.ts";

Deno.test("PacketBatch() makes arrays of its capacity", () => {
  const b = new PacketBatch(8);
  assert.equal(b.capacity, 8);
  for (
    const a of [
      b.start,
      b.caplen,
      b.wirelen,
      b.tsSec,
      b.tsUsec,
      b.linkType,
      b.ifIndex,
    ]
  ) assert.equal(a.length, 8);
  assert.equal(new PacketBatch().capacity, BATCH_PACKETS);
  assert.equal(b.count, 0);
});

Deno.test("PacketBatch.packet() views packet i's captured bytes", () => {
  const b = new PacketBatch(2);
  b.data = new Uint8Array([9, 1, 2, 3, 9, 4, 5]);
  b.start.set([1, 5]);
  b.caplen.set([3, 2]);
  b.count = 2;
  assert.deepEqual([...b.packet(0)], [1, 2, 3]);
  assert.deepEqual([...b.packet(1)], [4, 5]);
  assert.equal(b.packet(1).buffer, b.data.buffer, "a view, not a copy");
});

Deno.test("PacketBatch() refuses a capacity that is not a positive integer", () => {
  for (const bad of [0, -1, 1.5, NaN]) {
    assert.throws(
      () => new PacketBatch(bad),
      (e) =>
        e instanceof RangeError &&
        e.message.startsWith("Cannot create a packet batch: capacity"),
    );
  }
});
