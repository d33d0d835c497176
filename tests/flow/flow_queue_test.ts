/**
 * argus's queue discipline: push puts an entry in front, the oldest is
 * worked first, add appends behind the oldest, removal from the middle.
 * @module
 */

import assert from "node:assert/strict";
import { FlowQueue, type QueueNode } from "../../src/flow/flow_queue.ts";

function node(): QueueNode & { id: number } {
  return { qprev: null, qnext: null, queue: null, qtime: 0, id: 0 };
}

function order(q: FlowQueue): number[] {
  const out: number[] = [];
  let n = q.start;
  for (let i = 0; n !== null && i < q.count; i++, n = n.qnext) {
    out.push((n as { id: number } & QueueNode).id);
  }
  return out;
}

Deno.test("FlowQueue: push makes the newest the start; the oldest is start.qprev", () => {
  const q = new FlowQueue();
  const ns = [1, 2, 3].map((id) => Object.assign(node(), { id }));
  ns.forEach((n, i) => q.push(n, i * 10));
  assert.deepEqual(order(q), [3, 2, 1]);
  assert.equal((q.oldest() as { id: number } & QueueNode).id, 1);
  assert.equal(ns[0]!.qtime, 0, "qtime is the time the entry was queued");
});

Deno.test("FlowQueue: add appends behind the oldest; pop takes the start, popBack the oldest", () => {
  const q = new FlowQueue();
  const ns = [1, 2, 3, 4].map((id) => Object.assign(node(), { id }));
  q.push(ns[0]!, 0);
  q.push(ns[1]!, 0);
  q.add(ns[2]!, 0);
  assert.deepEqual(order(q), [2, 1, 3]);
  assert.equal((q.pop() as { id: number } & QueueNode).id, 2);
  assert.equal((q.popBack() as { id: number } & QueueNode).id, 3);
  assert.deepEqual(order(q), [1]);
  assert.equal(q.count, 1);
});

Deno.test("FlowQueue: remove from the middle, and remove of a stranger is refused", () => {
  const q = new FlowQueue();
  const other = new FlowQueue();
  const ns = [1, 2, 3].map((id) => Object.assign(node(), { id }));
  ns.forEach((n) => q.push(n, 0));
  assert.equal(other.remove(ns[1]!), false);
  assert.equal(q.remove(ns[1]!), true);
  assert.deepEqual(order(q), [3, 1]);
  assert.equal(ns[1]!.queue, null);
  q.remove(ns[0]!);
  q.remove(ns[2]!);
  assert.equal(q.start, null);
  assert.equal(q.count, 0);
});
