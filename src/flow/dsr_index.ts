/**
 * The slots of argus's canonical flow record (ARGUS_*_INDEX in argus_def.h):
 * a flow's DSRs are kept and written in this order, and a bit per slot
 * says which are present.
 * @module
 */

import { DsrSlot } from "../record/dsr_type.ts";

/** DSR slot numbers, in record order (the record codec's table). */
export const DsrIndex = DsrSlot;

/** Bit of a slot in a flow's `dsrs` mask. */
export function dsrBit(index: number): number {
  return 1 << index;
}
