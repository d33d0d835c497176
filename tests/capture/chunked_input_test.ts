/**
 * ChunkedInput: making n bytes available across reads, offsets, the end of
 * input, records bigger than a buffer, and the buffer-reuse rule per batch.
 * @module
 */

import assert from "node:assert/strict";
import { ChunkedInput } from "../../src/capture/chunked_input.ts";
import { bytes, trickle } from "./_capture_files.ts";

Deno.test("ChunkedInput.ensure() gathers n bytes from small reads", async () => {
  const data = bytes(100);
  const input = new ChunkedInput(trickle(data, 3), 32);
  assert.equal(await input.ensure(10), true);
  assert.ok(input.available >= 10);
  assert.deepEqual(
    input.buf.subarray(input.pos, input.pos + 10),
    data.subarray(0, 10),
  );
  input.pos += 10;
  assert.equal(input.offset, 10);
  // More than one buffer's worth: the buffer grows for the record.
  assert.equal(await input.ensure(50), true);
  assert.deepEqual(
    input.buf.subarray(input.pos, input.pos + 50),
    data.subarray(10, 60),
  );
  assert.equal(input.offset, 10);
  input.pos += 50;
  assert.equal(await input.ensure(41), false, "only 40 bytes are left");
  assert.equal(input.available, 40);
  assert.equal(input.eof, true);
  assert.equal(await input.ensure(40), true);
});

Deno.test("ChunkedInput gives a fresh buffer on a second swap in one batch", async () => {
  const input = new ChunkedInput(trickle(bytes(100_000), 100_000), 64);
  const next = async () => {
    input.pos = input.end; // all consumed: the next ensure swaps
    await input.ensure(64);
    return input.buf;
  };
  // Warm up until two full-size buffers alternate.
  for (let i = 0; i < 4; i++) await next();
  const x = input.buf; // the buffer the previous batch points into
  input.beginBatch();
  const y = await next(); // swap 1: to the other buffer
  assert.notEqual(y, x);
  const z = await next(); // swap 2: x is off limits
  assert.notEqual(z, x);
  assert.notEqual(z, y);
  input.beginBatch();
  assert.equal(await next(), y, "a new batch may reuse y");
});

Deno.test("ChunkedInput without batches swaps freely (record reading)", async () => {
  const input = new ChunkedInput(trickle(bytes(10_000), 10_000), 64);
  await input.ensure(64);
  const seen = new Set<Uint8Array>();
  for (let i = 0; i < 10; i++) {
    input.pos = input.end;
    await input.ensure(64);
    seen.add(input.buf);
  }
  assert.equal(seen.size, 2, "two buffers, reused");
});
