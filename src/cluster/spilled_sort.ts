/**
 * sortSpilled: racluster's -m output sort (cluster_sort.ts, glibc's merge
 * sort over the queue) for more aggregates than memory holds. It is the
 * same top-down merge sort, halves split at n/2 and ties taken from the
 * left, with the halves that fit sorted in memory and the others merged
 * from files: the same algorithm gives the same order, which matters
 * because argus's comparators are not transitive.
 * @module
 */

import type { CanonRecord } from "./canon_record.ts";
import { KEY_BYTES, type KeySpec } from "./aggregation_key.ts";
import { AggregationTable } from "./aggregation_table.ts";
import type { AggregateSink } from "./bounded_aggregation.ts";
import { removeSpill, type SpillDir } from "./spill_dir.ts";
import { SPILL_AGGREGATE, SpillReader, SpillWriter } from "./spill_file.ts";

type Compare = (a: CanonRecord, b: CanonRecord) => number;

/**
 * Sorts aggregates handed over in queue order by `each` into `fn`,
 * holding at most `cap` of them in memory.
 */
export function sortSpilled(
  spec: KeySpec,
  each: (fn: AggregateSink) => void,
  order: Compare,
  cap: number,
  dir: SpillDir,
  fn: AggregateSink,
): void {
  const queue = new SpillWriter(dir.file("queue"));
  try {
    each((r, stamp) => {
      queue.write(SPILL_AGGREGATE, r, stamp, KEY_BYTES, -1);
      return true;
    });
  } finally {
    queue.close();
  }
  if (queue.count === 0) return;
  const input = new SpillReader(queue.path);
  try {
    const n = queue.count;
    const sink = (path: string) => {
      const w = new SpillWriter(path);
      const write: AggregateSink = (r, stamp) => {
        w.write(SPILL_AGGREGATE, r, stamp, KEY_BYTES, -1);
        return true;
      };
      return { w, write };
    };
    /** Sorts the next n aggregates of the queue into `out`. */
    const sortNext = (n: number, out: AggregateSink): boolean => {
      if (n <= cap) {
        const table = new AggregationTable(spec);
        for (let i = 0; i < n && input.next(); i++) {
          table.adopt(input.record, input.stamp, KEY_BYTES, -1);
        }
        let go = true;
        table.forEach(order, (r, stamp) => go = out(r, stamp));
        return go;
      }
      const n1 = n >>> 1;
      const left = sink(dir.file("half"));
      try {
        sortNext(n1, left.write);
      } finally {
        left.w.close();
      }
      const right = sink(dir.file("half"));
      try {
        sortNext(n - n1, right.write);
      } finally {
        right.w.close();
      }
      return mergeHalves(left.w.path, right.w.path, order, out);
    };
    sortNext(n, fn);
  } finally {
    input.close();
    removeSpill(queue.path);
  }
}

/** glibc's merge step over two sorted files: ties from the left. */
function mergeHalves(
  leftPath: string,
  rightPath: string,
  order: Compare,
  out: AggregateSink,
): boolean {
  const a = new SpillReader(leftPath), b = new SpillReader(rightPath);
  try {
    let hasA = a.next(), hasB = b.next();
    while (hasA && hasB) {
      if (order(a.record, b.record) <= 0) {
        if (!out(a.record, a.stamp)) return false;
        hasA = a.next();
      } else {
        if (!out(b.record, b.stamp)) return false;
        hasB = b.next();
      }
    }
    for (; hasA; hasA = a.next()) if (!out(a.record, a.stamp)) return false;
    for (; hasB; hasB = b.next()) if (!out(b.record, b.stamp)) return false;
    return true;
  } finally {
    a.close();
    b.close();
    removeSpill(leftPath);
    removeSpill(rightPath);
  }
}
