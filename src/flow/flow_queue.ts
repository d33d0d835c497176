/**
 * argus's circular doubly-linked queues (ArgusQueueStruct): the status
 * queue of active flows, one timeout queue per idle-timeout value, and the
 * queue of those timeout queues. `push` puts an entry at the front; the
 * oldest entry is `start.qprev`; `add` appends after the oldest. The order
 * matters: it decides which records argus emits first.
 * @module
 */

/** An entry that can sit in one FlowQueue at a time. */
export interface QueueNode {
  qprev: QueueNode | null;
  qnext: QueueNode | null;
  queue: FlowQueue | null;
  /** When the entry entered its queue, µs of packet time. */
  qtime: number;
}

/** A queue of flows (or of queues). */
export class FlowQueue implements QueueNode {
  start: QueueNode | null = null;
  count = 0;
  /** For timeout queues: the idle timeout in seconds. */
  timeout: number;
  // A FlowQueue is itself queued on the list of timeout queues.
  qprev: QueueNode | null = null;
  qnext: QueueNode | null = null;
  queue: FlowQueue | null = null;
  qtime = 0;

  constructor(timeout = 0) {
    this.timeout = timeout;
  }

  /** The oldest entry (argus's queue->start->prv). */
  oldest(): QueueNode | null {
    return this.start === null ? null : this.start.qprev;
  }

  /** Appends `node` behind the oldest entry (ArgusAddToQueue). */
  add(node: QueueNode, now: number): void {
    const start = this.start;
    if (start !== null) {
      const last = start.qprev!;
      node.qprev = last;
      node.qnext = start;
      last.qnext = node;
      start.qprev = node;
    } else {
      this.start = node;
      node.qprev = node;
      node.qnext = node;
    }
    this.count++;
    node.queue = this;
    node.qtime = now;
  }

  /** Puts `node` at the front (ArgusPushQueue). */
  push(node: QueueNode, now: number): void {
    this.add(node, now);
    this.start = node;
  }

  /** Unlinks `node` if it is in this queue (ArgusRemoveFromQueue). */
  remove(node: QueueNode): boolean {
    if (node.queue !== this) return false;
    this.count--;
    if (this.count > 0) {
      if (this.start === node) this.start = node.qnext;
      node.qprev!.qnext = node.qnext;
      node.qnext!.qprev = node.qprev;
    } else {
      this.start = null;
    }
    node.qprev = null;
    node.qnext = null;
    node.queue = null;
    return true;
  }

  /** Removes and returns the front entry (ArgusPopQueue). */
  pop(): QueueNode | null {
    const node = this.start;
    if (node !== null) this.remove(node);
    return node;
  }

  /** Removes and returns the oldest entry (ArgusPopBackQueue). */
  popBack(): QueueNode | null {
    const node = this.oldest();
    if (node !== null) this.remove(node);
    return node;
  }
}
