/**
 * The open-addressing flow table: lookups by key after many inserts and
 * removals (backward-shift deletion keeps probe chains whole), growth.
 * @module
 */

import assert from "node:assert/strict";
import { Flow } from "../../src/flow/flow.ts";
import { FlowKey } from "../../src/flow/flow_key.ts";
import { FlowTable } from "../../src/flow/flow_table.ts";
import { KeyStore } from "../../src/flow/key_store.ts";

function keyFor(i: number, k = new FlowKey()): FlowKey {
  k.reset();
  k.qual = 1;
  k.subtype = 1;
  k.size = 4;
  k.put32(0, 0x0a000000 + i);
  k.put32(4, 0x0a000001);
  k.put8(8, 6);
  k.put16(10, i & 0xffff);
  return k;
}

Deno.test("FlowTable: finds every flow after inserts, removals and growth", () => {
  const keys = new KeyStore(64);
  const table = new FlowTable(keys, 16);
  const flows = new Map<number, Flow>();
  const k = new FlowKey();
  for (let i = 0; i < 5000; i++) {
    keyFor(i, k);
    const f = new Flow(
      k.subtype,
      k.qual,
      keys.store(k.words, k.size),
      k.size,
      k.hash(),
      false,
      6,
    );
    table.insert(f);
    flows.set(i, f);
  }
  assert.equal(table.size, 5000);
  // Remove every third flow, then check every lookup.
  for (let i = 0; i < 5000; i += 3) {
    const f = flows.get(i)!;
    table.remove(f);
    keys.release(f.keyOffset, f.keySize);
    flows.delete(i);
  }
  for (let i = 0; i < 5000; i++) {
    keyFor(i, k);
    const found = table.find(k, k.hash());
    assert.equal(found, flows.get(i), `flow ${i}`);
  }
  assert.equal(table.size, flows.size);
  // Freed key slots are reused.
  keyFor(99999, k);
  const f = new Flow(
    k.subtype,
    k.qual,
    keys.store(k.words, k.size),
    k.size,
    k.hash(),
    false,
    6,
  );
  assert.ok(f.keyOffset < 5000 * 4);
});
