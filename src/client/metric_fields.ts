/**
 * ra's time and rate columns (dur, rate, srate, drate, load, sload, dload,
 * idle) and the aggregation columns (trans, mean, min, max, stddev, sum,
 * runtime) that read the AGR DSR racluster writes (type 0x60: count, then
 * activity statistics in host order) or, for a record without one, the
 * one-record statistics ra makes up from its duration.
 * @module
 */

import { type ClientRecord, RecordKind } from "./client_record.ts";
import { cFixed, fit, labelOf, right } from "./print_cell.ts";
import { metricText } from "./abbreviate_metric.ts";
import { formatTime } from "./time_format.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";
import { SideTimes } from "./side_times.ts";

const AGR = 0x60;

const times = new SideTimes();

/** A numeric column whose text is `value(r, o)`. */
function numeric(
  name: string,
  width: number,
  label: string,
  value: (r: ClientRecord, o: PrintOptions) => string,
): PrintField {
  return {
    name,
    width,
    print: (r, o, len) => fit(value(r, o), len, o),
    label: labelOf(label),
    json: "number",
  };
}

/** A load column: under -A ra labels it an application load. */
function loadField(
  name: string,
  side: string,
  value: (r: ClientRecord, o: PrintOptions) => string,
): PrintField {
  return {
    ...numeric(name, 8, `${side}Load`, value),
    label: (o, width) => right(`${side}${o.appLoad ? "App" : ""}Load`, width),
  };
}

/** float `count / seconds`, 0 unless both are positive. */
function perSecond(count: number, seconds: number): number {
  return count > 0 && seconds > 0 ? Math.fround(count / seconds) : 0;
}

function rate(r: ClientRecord, o: PrintOptions): string {
  if (r.kind === RecordKind.MAR || !r.hasMetric) return metricText(0, o);
  const t = times.load(r);
  return metricText(perSecond(r.srcPkts + r.dstPkts - 1, t.dur), o);
}

function sideRate(src: boolean) {
  return (r: ClientRecord, o: PrintOptions): string => {
    if (r.kind === RecordKind.MAR || !r.hasMetric) {
      return metricText(0, o);
    }
    const t = times.load(r);
    const d = src ? t.srcDur : t.dstDur;
    const seconds = d === 0 ? t.dur : d;
    const pkts = src ? r.srcPkts : r.dstPkts;
    return metricText(perSecond(pkts - 1, seconds), o);
  };
}

function sideLoad(src: boolean) {
  return (r: ClientRecord, o: PrintOptions): string => {
    if (r.kind === RecordKind.MAR) return metricText(0, o);
    const t = times.load(r);
    return metricText(src ? t.sload : t.dload, o);
  };
}

function load(r: ClientRecord, o: PrintOptions): string {
  if (r.kind === RecordKind.MAR) return metricText(0, o);
  const t = times.load(r);
  let value = 0;
  if (t.dur > 0) {
    const sdur = t.srcDur > 0 ? t.srcDur : t.dur;
    const ddur = t.dstDur > 0 ? t.dstDur : t.dur;
    const sum = Math.fround(
      Math.fround(t.sload * sdur) + Math.fround(t.dload * ddur),
    );
    value = Math.fround(sum / t.dur);
  }
  return metricText(value, o);
}

// --- aggregation ----------------------------------------------------------------

/** Activity statistics of a record (ArgusAgrStruct.act), or none. */
interface Agr {
  count: number;
  n: number;
  min: number;
  mean: number;
  stdev: number;
  max: number;
}

const agr: Agr = { count: 0, n: 0, min: 0, mean: 0, stdev: 0, max: 0 };

/**
 * The last AGR stdev each reader (ClientRecord) saw: ra reuses one
 * in-memory AGR for the records of a file, and the statistics it makes up
 * for a record without an AGR DSR leave the previous stdev in place
 * (verified on racluster output mixing merged and single records). A
 * printed opening MAR starts a new file.
 */
const lastStdev = new WeakMap<ClientRecord, number>();

/**
 * The record's AGR values, or the ones ra makes up for a record with
 * packets (count 1, its duration as min, mean and max); null without.
 */
function agrOf(r: ClientRecord): Agr | null {
  const v = r.view;
  const p = v.dsr(AGR);
  if (p >= 0 && v.buf[p + 3]! >= 11) {
    const d = v.view;
    agr.count = d.getUint32(p + 4);
    // racluster writes the statistics in host (little-endian) order.
    agr.n = d.getInt32(p + 24, true);
    agr.min = d.getFloat32(p + 28, true);
    agr.mean = d.getFloat32(p + 32, true);
    agr.stdev = d.getFloat32(p + 36, true);
    agr.max = d.getFloat32(p + 40, true);
    lastStdev.set(r, agr.stdev);
    return agr;
  }
  if (v.srcPkts + v.dstPkts === 0) return null;
  agr.count = agr.n = 1;
  agr.min = agr.mean = agr.max = times.load(r).dur;
  agr.stdev = lastStdev.get(r) ?? 0;
  return agr;
}

function trans(r: ClientRecord): string {
  if (r.kind === RecordKind.MAR) return " ";
  return String(agrOf(r)?.count ?? 0);
}

/** mean, sum and runtime: 0 without statistics. */
function agrValue(pick: (a: Agr) => number) {
  return (r: ClientRecord, o: PrintOptions): string => {
    if (r.kind === RecordKind.MAR) return "";
    const a = agrOf(r);
    return cFixed(a && a.count > 0 ? pick(a) : 0, o.precision);
  };
}

/** min and max: blank without statistics. */
function agrBound(max: boolean) {
  return (r: ClientRecord, o: PrintOptions): string => {
    if (r.kind === RecordKind.MAR) return "";
    const a = agrOf(r);
    return a ? cFixed(max ? a.max : a.min, o.precision) : "";
  };
}

const stddev: PrintField = {
  name: "stddev",
  width: 10,
  print(r, o, len) {
    if (r.kind === RecordKind.MAR) {
      // A file's opening MAR: ra reads each file into fresh memory.
      if ((r.cause & 0xf0) === 0x10) lastStdev.delete(r);
      return fit("", len, o);
    }
    const a = agrOf(r);
    if (a) return fit(cFixed(a.stdev, o.precision), len, o);
    // Without statistics ra prints the duration cell into the value and
    // then cuts that (trailing blank included) to the width.
    const cell = fit(cFixed(times.load(r).dur, o.precision), len, o);
    return fit(o.fixed ? cell : cell.slice(0, -1), len, o);
  },
  label: labelOf("StdDev"),
  json: "number",
};

/**
 * Seconds since the record was last queued, by the wall clock. ra reading
 * records never queues them, so it prints the time since the epoch
 * (single precision); verified against the real ra.
 */
function idle(r: ClientRecord, o: PrintOptions): string {
  if (r.kind === RecordKind.MAR) return "";
  return cFixed(Math.fround(Date.now() / 1000), o.precision);
}

/** One side's start or last time (ArgusPrintSrcStartDate ...). */
function sideTime(
  name: string,
  label: string,
  pick: (t: SideTimes) => number,
): PrintField {
  return {
    name,
    width: 12,
    print(r, o, len) {
      const text = formatTime(pick(times.load(r)), o);
      if (!o.fixed) return text + " ";
      len += o.precision;
      return right(
        text.length > len ? text.slice(0, len - 1) + "*" : text,
        len,
      );
    },
    // One wider than the column, as ra's labels for these are.
    label: (o, width) => right(label, width + o.precision + 1),
  };
}

/** The columns of this file. */
export const METRIC_FIELDS: readonly PrintField[] = [
  numeric("dur", 10, "Dur", (r, o) => cFixed(times.load(r).dur, o.precision)),
  numeric(
    "sdur",
    10,
    "SrcDur",
    (r, o) => cFixed(times.load(r).srcDur, o.precision),
  ),
  numeric(
    "ddur",
    10,
    "DstDur",
    (r, o) => cFixed(times.load(r).dstDur, o.precision),
  ),
  sideTime("sstime", "SrcStartTime", (t) => t.srcStart),
  sideTime("sltime", "SrcLastTime", (t) => t.srcEnd),
  sideTime("dstime", "DstStartTime", (t) => t.dstStart),
  sideTime("dltime", "DstLastTime", (t) => t.dstEnd),
  numeric("rate", 12, "Rate", rate),
  numeric("srate", 12, "SrcRate", sideRate(true)),
  numeric("drate", 12, "DstRate", sideRate(false)),
  loadField("load", "", load),
  loadField("sload", "Src", sideLoad(true)),
  loadField("dload", "Dst", sideLoad(false)),
  numeric("trans", 6, "Trans", trans),
  numeric("mean", 10, "Mean", agrValue((a) => a.mean)),
  numeric("min", 10, "Min", agrBound(false)),
  numeric("max", 10, "Max", agrBound(true)),
  stddev,
  numeric("sum", 10, "Sum", agrValue((a) => Math.fround(a.mean * a.n))),
  numeric("runtime", 10, "RunTime", agrValue((a) => Math.fround(a.mean * a.n))),
  numeric("idle", 10, "IdleTime", idle),
];
