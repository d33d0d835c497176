/**
 * ra's StartTime of a one-packet record whose time DSR spans a range (as
 * NetFlow records do): ArgusGenerateRecordStruct moves the start of that
 * packet's side to its end, except a source side with an ICMP DSR, and
 * StartTime, -t and the stime sort read the moved time. LastTime keeps the
 * end. side_times.ts applies the same rule to the durations.
 * @module
 */

import { DsrType, type RecordView } from "../record/record_view.ts";

const T = new Float64Array(4);

/**
 * The start ra uses for `v` whose stored counters are `sp` and `dp`
 * packets, or -1 when the rule leaves the record's start alone.
 */
export function onePacketStart(v: RecordView, sp: number, dp: number): number {
  if (sp + dp !== 1) return -1;
  v.sideTimes(T);
  // The side with the packet; a side without times takes the other's.
  const [own, other] = sp === 1 ? [0, 2] : [2, 0];
  let start = T[own]!, end = T[own + 1]!;
  if (start === 0 && T[other] !== 0) [start, end] = [T[other]!, T[other + 1]!];
  if (start !== 0 && end === 0) end = start;
  if (start === end) return -1;
  if (sp === 1 && v.dsr(DsrType.ICMP) >= 0) return -1;
  return end;
}
