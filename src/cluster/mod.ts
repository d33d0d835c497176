/**
 * racluster's aggregation (racluster(1)): the canonical record form the
 * real racluster 3.0.8 works on, the -m key, the aggregation table, the
 * record merge and the output order, and the same in bounded memory
 * (BoundedAggregation, sortSpilled: partitions and runs on disk).
 *
 * ```ts
 * import { AggregationTable, CanonRecord, defaultKeySpec } from "./mod.ts";
 * const table = new AggregationTable(defaultKeySpec());
 * const scratch = new CanonRecord();
 * // for each record: if (scratch.load(buf, start, length, true)) table.add(scratch);
 * ```
 * @module
 */

export { AgrStats, CanonRecord } from "./canon_record.ts";
export {
  correctsDirection,
  defaultKeySpec,
  KEY_BYTES,
  keyBytes,
  keyOf,
  type KeySpec,
  maskFlow,
  parseKeySpec,
} from "./aggregation_key.ts";
export { AggregationTable } from "./aggregation_table.ts";
export {
  type AggregateSink,
  BoundedAggregation,
} from "./bounded_aggregation.ts";
export { sortSpilled } from "./spilled_sort.ts";
export { SpillDir } from "./spill_dir.ts";
export { KeyIndex } from "./key_index.ts";
export { mergeAddress, mergeRecords } from "./merge_record.ts";
export { restore, save, savedSize } from "./saved_record.ts";
export { clusterOrder, glibcMergeSort } from "./cluster_sort.ts";
