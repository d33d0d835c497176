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

Deno.test("ChunkedInput reads the next chunk ahead once the input streams", async () => {
  const data = bytes(10_000);
  let reads = 0;
  const source = trickle(data, 10_000);
  const counting = {
    read(p: Uint8Array) {
      reads++;
      return source.read(p);
    },
  };
  const input = new ChunkedInput(counting, 64);
  let offset = 0;
  for (let i = 0; i < 20; i++) {
    assert.equal(await input.ensure(64), true);
    assert.equal(input.offset, offset);
    assert.deepEqual(
      input.buf.subarray(input.pos, input.pos + 64),
      data.subarray(offset, offset + 64),
    );
    input.pos += 64;
    offset += 64;
    // The first read fills the small first buffer in place; from then on
    // the next read is under way before anyone asks for it.
    assert.equal(reads, i === 0 ? 1 : i + 2, `reads after ensure ${i}`);
  }
});

Deno.test("ChunkedInput gathers a record longer than its headroom", async () => {
  const data = bytes(5_000);
  const input = new ChunkedInput(trickle(data, 700), 1024);
  assert.equal(await input.ensure(100), true);
  input.pos += 100;
  assert.equal(await input.ensure(3_000), true);
  assert.equal(input.offset, 100);
  assert.deepEqual(
    input.buf.subarray(input.pos, input.pos + 3_000),
    data.subarray(100, 3_100),
  );
});

Deno.test("ChunkedInput rethrows a failed read ahead from ensure()", async () => {
  let n = 0;
  const failing = {
    read(p: Uint8Array): Promise<number | null> {
      if (++n > 2) return Promise.reject(new Error("disk gone"));
      p.fill(7);
      return Promise.resolve(p.length);
    },
  };
  const input = new ChunkedInput(failing, 64);
  await assert.rejects(async () => {
    for (;;) {
      await input.ensure(64);
      input.pos = input.end;
    }
  }, /disk gone/);
});
