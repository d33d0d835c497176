/**
 * ra's inter-packet time and jitter columns, from the jitter DSR argus
 * writes with -J (record-format §10: per side, active and idle interval
 * statistics as XDR floats in µs; ra prints ms). ra turns the DSR round
 * with the record, so each column takes its data from the side stored
 * and its formula from the side printed.
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import { cFixed, dsrEnd, printedSided } from "./print_cell.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

const JITTER = 0x46;

// --- jitter: inter-packet times -----------------------------------------------------------

/**
 * One side's jitter stats, as XDR stores them: active n, min, mean,
 * stdev, max (JIT[0..4]), then idle (JIT[5..9]); zeros when absent.
 */
const JIT = new Float64Array(10);

/**
 * Fills JIT for the printed side `src` (the stored other side when ra
 * turned the record); false without the DSR.
 */
function jitterSide(r: ClientRecord, printedSrc: boolean): boolean {
  const src = printedSrc !== r.turned;
  const v = r.view;
  const p = v.dsr(JITTER);
  if (p < 0) return false;
  const q = v.buf[p + 2]!;
  JIT.fill(0);
  let at = p + 4;
  const end = dsrEnd(v, p);
  for (let bit = 0; bit < 4; bit++) {
    if (!(q & (1 << bit))) continue;
    if (at + 20 > end) break;
    if (bit < 2 === src) {
      const k = (bit & 1) * 5;
      JIT[k] = v.view.getInt32(at);
      for (let i = 1; i < 5; i++) JIT[k + i] = v.view.getFloat32(at + 4 * i);
    }
    at += 20;
  }
  return true;
}

/** A jitter statistic of one side in ms (JIT index `k`), blank on `when`. */
function jitterStat(k: number, when: "always" | "active" | "idle") {
  return (r: ClientRecord, o: PrintOptions, src: boolean): string => {
    if (!jitterSide(r, src)) return "";
    if (when === "active" && !(JIT[0]! > 0)) return "";
    if (when === "idle" && !(JIT[5]! > 0)) return "";
    return cFixed(JIT[k]! / 1000, o.precision);
  };
}

/**
 * An inter-packet max or min: the source's is the larger of its active
 * and idle values (for the min too, as ra has it), the destination's the
 * active one only.
 */
function jitterBound(k: number) {
  return (r: ClientRecord, o: PrintOptions, src: boolean): string => {
    if (!jitterSide(r, src)) return "";
    const a = JIT[k]!, b = JIT[k + 5]!;
    return cFixed((src && b > a ? b : a) / 1000, o.precision);
  };
}

function intPkt(r: ClientRecord, o: PrintOptions, src: boolean): string {
  if (!jitterSide(r, src)) return "";
  const an = JIT[0]!, am = JIT[2]!, idn = JIT[5]!, im = JIT[7]!;
  const n = (an + idn) >>> 0;
  let mean = 0;
  if (src) {
    if (n > 0) {
      mean = Math.fround(
        Math.fround(Math.fround(am * an) + Math.fround(im * idn)),
      );
      mean = Math.fround(mean / Math.fround(n));
    }
  } else {
    if (n === 0) return "";
    mean = an && idn
      ? Math.fround(
        Math.fround(Math.fround(am * an) + Math.fround(im * idn)) /
          Math.fround(n),
      )
      : an
      ? am
      : im;
  }
  return cFixed(mean / 1000, o.precision);
}

/**
 * Jitter: the standard deviation of the inter-packet times, in ms; for
 * active and idle intervals together, ra's own (unit-mixing) formula.
 */
function jitter(r: ClientRecord, o: PrintOptions, src: boolean): string {
  if (!jitterSide(r, src)) return "";
  const an = JIT[0]!, am = JIT[2]!, as = JIT[3]!;
  const idn = JIT[5]!, im = JIT[7]!, is = JIT[8]!;
  const n = (an + idn) >>> 0;
  if (n === 0) return "";
  let stdev: number;
  if (an && idn) {
    let mean = Math.fround(
      Math.fround(Math.fround(am * an) + Math.fround(im * idn)) /
        Math.fround(n),
    );
    const s1 = an * as ** 2 + Math.fround(am * an) ** 2 / an;
    const s2 = idn * is ** 2 + Math.fround(im * idn) ** 2 / idn;
    const sum = (s1 + s2) / 1000;
    mean = Math.fround(mean / 1000);
    stdev = Math.sqrt(sum / n - mean ** 2);
  } else {
    stdev = (an ? as : is) / 1000;
  }
  // argus's one-interval stdev is a NaN: cFixed prints it as glibc does.
  return cFixed(stdev, o.precision);
}

/** The columns of this file. */
export const JITTER_FIELDS: readonly PrintField[] = [
  printedSided("sjit", 12, "SrcJitter", true, jitter),
  printedSided("djit", 12, "DstJitter", false, jitter),
  printedSided("sjitact", 12, "SrcJitAct", true, jitterStat(3, "active")),
  printedSided("djitact", 12, "DstJitAct", false, jitterStat(3, "active")),
  printedSided("sjitidl", 12, "SrcJitIdl", true, jitterStat(8, "idle")),
  printedSided("djitidl", 12, "DstJitIdl", false, jitterStat(8, "idle")),
  printedSided(
    "sintpktact",
    12,
    "SIntPktAct",
    true,
    jitterStat(2, "always"),
  ),
  printedSided(
    "dintpktact",
    12,
    "DIntPktAct",
    false,
    jitterStat(2, "always"),
  ),
  printedSided(
    "sintpktidl",
    12,
    "SIntPktIdl",
    true,
    jitterStat(7, "always"),
  ),
  printedSided(
    "dintpktidl",
    12,
    "DIntPktIdl",
    false,
    jitterStat(7, "always"),
  ),
  printedSided("sintpktmax", 12, "SIntPktMax", true, jitterBound(4)),
  printedSided("dintpktmax", 12, "DIntPktMax", false, jitterBound(4)),
  printedSided("sintpktmin", 12, "SIntPktMin", true, jitterBound(1)),
  printedSided("dintpktmin", 12, "DIntPktMin", false, jitterBound(1)),
  printedSided("sintpktactmax", 12, "SIPActMax", true, jitterStat(4, "always")),
  printedSided("sintpktactmin", 12, "SIPActMin", true, jitterStat(1, "always")),
  printedSided(
    "dintpktactmax",
    12,
    "DIPActMax",
    false,
    jitterStat(4, "always"),
  ),
  printedSided(
    "dintpktactmin",
    12,
    "DIPActMin",
    false,
    jitterStat(1, "always"),
  ),
  printedSided("sintpktidlmax", 12, "SIPIdlMax", true, jitterStat(9, "always")),
  printedSided("sintpktidlmin", 12, "SIPIdlMin", true, jitterStat(6, "always")),
  printedSided(
    "dintpktidlmax",
    12,
    "DIPIdlMax",
    false,
    jitterStat(9, "always"),
  ),
  printedSided(
    "dintpktidlmin",
    12,
    "DIPIdlMin",
    false,
    jitterStat(6, "always"),
  ),
  printedSided("sintpkt", 12, "SIntPkt", true, intPkt),
  printedSided("dintpkt", 12, "DIntPkt", false, intPkt),
];
