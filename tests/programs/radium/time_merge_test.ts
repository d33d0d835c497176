/**
 * TimeMerge: records leave in start-time order once the clock is a window
 * past them, or after twice the window whatever their time; over the
 * bound the earliest arrivals leave first.
 * @module
 */

import assert from "node:assert/strict";
import { TimeMerge } from "../../../src/programs/radium/time_merge.ts";

/** A fake 4-byte record carrying a tag byte. */
function rec(tag: number): Uint8Array {
  return new Uint8Array([0x83, tag, 0, 1]);
}

function tags(block: Uint8Array | null): number[] {
  const out: number[] = [];
  for (let i = 0; block !== null && i < block.length; i += 4) {
    out.push(block[i + 1]!);
  }
  return out;
}

Deno.test("TimeMerge() releases records a window old, in start-time order", () => {
  let now = 10_000; // ms
  const m = new TimeMerge({ windowMs: 1000, now: () => now });
  // Two sources, each in its own order, interleaved on arrival.
  m.push(rec(3), 9_300_000);
  m.push(rec(1), 8_500_000);
  m.push(rec(4), 9_800_000);
  m.push(rec(2), 8_900_000);
  now = 10_100; // watermark 9.1 s: 1 and 2 are due
  assert.deepEqual(tags(m.release()), [1, 2]);
  assert.equal(m.held, 2);
  now = 10_850; // watermark 9.85 s
  assert.deepEqual(tags(m.release()), [3, 4]);
  assert.equal(m.release(), null);
});

Deno.test("TimeMerge() holds a record from the future at most twice the window", () => {
  let now = 10_000;
  const m = new TimeMerge({ windowMs: 1000, now: () => now });
  m.push(rec(1), 60_000_000); // a sensor clock 50 s ahead
  now = 11_500;
  assert.equal(m.release(), null);
  now = 12_000;
  assert.deepEqual(tags(m.release()), [1]);
});

Deno.test("TimeMerge() over its bound lets the earliest arrivals go; ties keep arrival order", () => {
  const now = 10_000;
  const m = new TimeMerge({ windowMs: 1000, maxHeld: 2, now: () => now });
  m.push(rec(1), 9_900_000);
  m.push(rec(2), 9_900_000);
  m.push(rec(3), 9_950_000);
  m.push(rec(4), 9_950_000);
  assert.deepEqual(tags(m.release()), [1, 2]);
  assert.deepEqual(tags(m.release(true)), [3, 4]);
});
