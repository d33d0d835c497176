/**
 * The two report intervals as argus 3.0.8 reads them: -S /
 * ARGUS_FLOW_STATUS_INTERVAL (flow status records) and -M /
 * ARGUS_MAR_STATUS_INTERVAL (management records), in whole microseconds.
 * argus(8) copies, checked with the installed 3.0.8.2 on a 20 packets/s
 * capture: a fraction goes through C float and remainderf(), so -S 2.7 is
 * 2.299999 s and -S 0.75 is 0.25 s; a whole number replaces only the
 * seconds, so -S 0.5 -S 2 is 2.5 s. No unit suffixes (argus reads -S 1m
 * as 1 s). Text argus would ignore or misread is refused here.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";

const MICROS = 1_000_000;
/** What argus reads as a number of seconds: digits, a dot, digits. */
const SECONDS = /^(?:\d+\.?\d*|\.\d+)$/;
/** tv_sec is filled from a C int. */
const MAX_SECONDS = 2 ** 31 - 1;

/**
 * -S: the new flow status interval in µs, given the current one (a whole
 * number keeps its fraction, as argus's setArgusFarReportInterval does).
 * @throws UsageError naming `what` when `text` is not a number of seconds
 */
export function flowStatusInterval(
  text: string,
  currentUs: number,
  what = "-S",
): number {
  check(text, what);
  if (!text.includes(".")) {
    return Number(text) * MICROS + (currentUs % MICROS);
  }
  // float fvalue = atof(text); sec = floorf; usec = |remainderf(f, 1)·1e6|
  const f = Math.fround(Number(text));
  const r = Math.fround(f - roundHalfEven(f));
  const usec = Math.trunc(Math.abs(Math.fround(r * MICROS)));
  return Math.floor(f) * MICROS + usec;
}

/**
 * -M: the management record interval in µs (argus splits the double with
 * modf and truncates the fraction to microseconds).
 * @throws UsageError naming `what` when `text` is not a number of seconds
 */
export function marInterval(text: string, what = "-M"): number {
  check(text, what);
  const v = Number(text);
  const whole = Math.trunc(v);
  return whole * MICROS + Math.trunc((v - whole) * MICROS);
}

function check(text: string, what: string): void {
  if (!SECONDS.test(text)) {
    throw new UsageError(`${what} "${text}": not a number of seconds`);
  }
  if (Number(text) > MAX_SECONDS) {
    throw new UsageError(`${what} "${text}": more than ${MAX_SECONDS} seconds`);
  }
}

/** Nearest integer, ties to even (the quotient remainderf() uses). */
function roundHalfEven(x: number): number {
  const n = Math.floor(x);
  const d = x - n;
  if (d > 0.5) return n + 1;
  if (d < 0.5) return n;
  return n % 2 === 0 ? n : n + 1;
}
