/**
 * The time radium orders a record by: a flow's start time (its time DSR),
 * a management record's report time (the MAR's "now"), µs since the epoch;
 * 0 when a record has neither.
 * @module
 */

import { RecordView } from "../../record/mod.ts";

const view = new RecordView();

/** Where a MAR keeps `now` (seconds, then µs): after startime. */
const MAR_NOW = 32;

/** The ordering time of the record at `buf[start..start+length)`. */
export function recordTime(
  buf: Uint8Array,
  start: number,
  length: number,
): number {
  if ((buf[start]! & 0xf0) === 0x80) {
    if (length < MAR_NOW + 8) return 0;
    const v = new DataView(buf.buffer, buf.byteOffset + start, length);
    return v.getUint32(MAR_NOW) * 1_000_000 + v.getUint32(MAR_NOW + 4);
  }
  return view.load(buf, start, length).startTime;
}
