/**
 * The durations and loads ra derives for a record (ArgusGenerateRecordStruct
 * in the 3.0.8 clients): a record's one time range is split into a source
 * and a destination range by its packet counts, in single precision as ra
 * keeps them, and each side's load counts the bytes after its first
 * packet. Rates, loads and ploss columns read these.
 *
 * Verified against the real ra on the corpus and on -J/-A records
 * (tests/clients/ra_fields_test.ts).
 * @module
 */

import { type ClientRecord, RecordKind } from "./client_record.ts";
import { Mar, marTime, marU32 } from "./print_cell.ts";

const T = new Float64Array(4);

/** The whole seconds of a µs time. */
function sec(t: number): number {
  return Math.floor(t / 1e6);
}

/** ra's float duration of `[start, end]` µs (0 when both are equal). */
export function floatSpan(start: number, end: number): number {
  const sec = Math.floor(end / 1e6) - Math.floor(start / 1e6);
  const usec = end % 1e6 - start % 1e6;
  return Math.fround(sec + usec / 1e6);
}

/** Durations and loads of one record, as ra prints them. */
export class SideTimes {
  /** Whole record (for a MAR: now - start of the sensor). */
  dur = 0;
  /** Source and destination ranges, after ra's turn of the record. */
  srcDur = 0;
  dstDur = 0;
  /** Loads in bits/s; ra computes them before it turns a record round. */
  sload = 0;
  dload = 0;
  /** The corrected ranges in µs (0: none), after ra's turn of the record. */
  srcStart = 0;
  srcEnd = 0;
  dstStart = 0;
  dstEnd = 0;

  /** Fills the values for `r`. */
  load(r: ClientRecord): this {
    this.srcDur =
      this.dstDur =
      this.sload =
      this.dload =
        0;
    if (r.kind === RecordKind.MAR) {
      const sec = marU32(r, Mar.nowSec) - marU32(r, Mar.startSec);
      const usec = marU32(r, Mar.nowSec + 4) - marU32(r, Mar.startSec + 4);
      this.dur = this.srcDur = this.dstDur = Math.fround(sec + usec / 1e6);
      this.srcStart = this.dstStart = marTime(r, Mar.startSec);
      this.srcEnd = this.dstEnd = marTime(r, Mar.nowSec);
      return this;
    }
    const v = r.view;
    v.sideTimes(T);
    // The counters as stored: ra splits the times before any correction.
    const sp = v.srcPkts, dp = v.dstPkts;
    let ss = T[0]!, se = T[1]!, ds = T[2]!, de = T[3]!;
    if (sp > 0 && dp > 0) {
      if (sp === 1 && dp === 1) {
        if (ss === 0 && ds !== 0) [ss, se, de] = [de, de, ds];
        else if (ss !== 0 && ds === 0) [ds, de, se] = [se, se, ss];
      } else {
        if (ss === 0 && ds !== 0) [ss, se] = [ds, de];
        else if (ss !== 0 && ds === 0) [ds, de] = [ss, se];
        // ra compares the seconds only here.
        if (sp === 1 && sec(ss) !== sec(se)) {
          if (ss === 0) ss = se;
          else se = ss;
        }
        if (dp === 1 && sec(ds) !== sec(de)) {
          if (ds === 0) ds = de;
          else de = ds;
        }
      }
    } else if (sp > 0) {
      if (ss === 0 && ds !== 0) [ss, se, ds, de] = [ds, de, 0, 0];
    } else if (dp > 0) {
      if (ds === 0 && ss !== 0) [ds, de, ss, se] = [ss, se, 0, 0];
    }
    if (ss !== 0 && se === 0) se = ss;
    if (ds !== 0 && de === 0) de = ds;
    if (sp + dp === 1) {
      // One packet over a range: ra moves its start to its end.
      if (sp === 1 && ss !== se) {
        if (v.dsr(0x34) < 0) ss = se;
      } else if (dp === 1 && ds !== de) ds = de;
    }
    const srcStart = ss, srcEnd = se, dstStart = ds, dstEnd = de;
    this.dur = floatSpan(
      ss === 0 ? ds : ds === 0 ? ss : Math.min(ss, ds),
      Math.max(se, de),
    );
    let srcDur = floatSpan(srcStart, srcEnd);
    let dstDur = floatSpan(dstStart, dstEnd);
    this.sload = sideLoad(sp, v.srcBytes, srcDur, this.dur);
    this.dload = sideLoad(dp, v.dstBytes, dstDur, this.dur);
    if (r.turned) {
      [srcDur, dstDur] = [dstDur, srcDur];
      this.srcStart = dstStart;
      this.srcEnd = dstEnd;
      this.dstStart = srcStart;
      this.dstEnd = srcEnd;
    } else {
      this.srcStart = srcStart;
      this.srcEnd = srcEnd;
      this.dstStart = dstStart;
      this.dstEnd = dstEnd;
    }
    this.srcDur = srcDur;
    this.dstDur = dstDur;
    return this;
  }
}

/** One side's load: the bytes after its first packet over its time. */
function sideLoad(
  pkts: number,
  bytes: number,
  sideDur: number,
  dur: number,
): number {
  if (pkts <= 1) return 0;
  const seconds = sideDur > 0 ? sideDur : dur;
  if (!(seconds > 0)) return 0;
  const perPacket = Math.trunc(bytes / pkts);
  return Math.fround(Math.fround((bytes - perPacket) * 8) / seconds);
}
