/**
 * Flow.reuse must leave a recycled flow exactly as the constructor makes a
 * new one: the engine reuses deleted flows, so a field it forgot would leak
 * one flow's state into the next flow's records.
 * @module
 */

import assert from "node:assert/strict";
import { Flow, IcmpObject } from "../../src/flow/flow.ts";

/** Own enumerable fields, nested plain state objects flattened. */
function state(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v instanceof Uint8Array) out[k] = [...v];
    else if (v !== null && typeof v === "object" && k !== "queue") {
      out[k] = k === "qprev" || k === "qnext" ? "node" : state(v);
    } else out[k] = v;
  }
  return out;
}

Deno.test("Flow.reuse() resets every field a fresh flow starts with", () => {
  const fresh = new Flow(2, 3, 40, 5, 0xabcdef, true, 17);
  const used = new Flow(9, 9, 1, 1, 1, false, 6);
  // Dirty every field, scalars and nested objects alike.
  for (const [k, v] of Object.entries(used)) {
    const rec = used as unknown as Record<string, unknown>;
    if (typeof v === "number") rec[k] = 12345;
    else if (typeof v === "boolean") rec[k] = !v;
    else if (v === null) rec[k] = new IcmpObject();
    else if (typeof v === "object") {
      for (const f of Object.keys(v)) {
        if (typeof (v as Record<string, unknown>)[f] === "number") {
          (v as Record<string, unknown>)[f] = 7;
        }
      }
    }
  }
  used.tcp = 62;
  const tcp = used.reuse(2, 3, 40, 5, 0xabcdef, true, 17);
  assert.deepEqual(state(used), state(fresh));
  // The TCP row comes back, for the engine to give to the next TCP flow.
  assert.equal(tcp, 62);
  assert.equal(fresh.tcp, -1);
});
