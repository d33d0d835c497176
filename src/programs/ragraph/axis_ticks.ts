/**
 * Axis ticks for ragraph: values at 1, 2, 5 x 10^k with SI prefixes
 * (k, M, G ...), decades on a log scale, and times at round local-time
 * steps (seconds to days), labelled in the process's time zone (TZ).
 * @module
 */

/** A tick: where (value or µs) and its label. */
export interface Tick {
  at: number;
  label: string;
}

const PREFIXES = ["", "k", "M", "G", "T", "P", "E"];

/** A number with an SI prefix: 1500 -> "1.5 k", 0.25 -> "0.25". */
export function siLabel(v: number): string {
  if (v === 0) return "0";
  const sign = v < 0 ? "-" : "";
  let x = Math.abs(v), p = 0;
  while (x >= 1000 && p < PREFIXES.length - 1) {
    x /= 1000;
    p++;
  }
  const text = x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
  const trimmed = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  return `${sign}${trimmed}${PREFIXES[p] ? " " + PREFIXES[p] : ""}`;
}

/** A "nice" step (1, 2 or 5 x 10^k) near span / count. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Linear ticks covering [lo, hi]; the axis ends move out to ticks. */
export function valueTicks(
  lo: number,
  hi: number,
  count = 5,
): { lo: number; hi: number; ticks: Tick[] } {
  if (hi <= lo) hi = lo + 1;
  const step = niceStep(hi - lo, count);
  const first = Math.floor(lo / step) * step;
  const last = Math.ceil(hi / step) * step;
  const ticks: Tick[] = [];
  for (let v = first; v <= last + step / 2; v += step) {
    const at = Math.abs(v) < step / 1e6 ? 0 : v;
    ticks.push({ at, label: siLabel(at) });
  }
  return { lo: first, hi: last, ticks };
}

/** Decade ticks for a log axis over [lo, hi] (lo > 0). */
export function logTicks(
  lo: number,
  hi: number,
): { lo: number; hi: number; ticks: Tick[] } {
  const a = Math.floor(Math.log10(lo)),
    b = Math.max(Math.ceil(Math.log10(hi)), a + 1);
  const ticks: Tick[] = [];
  for (let e = a; e <= b; e++) {
    ticks.push({ at: 10 ** e, label: siLabel(10 ** e) });
  }
  return { lo: 10 ** a, hi: 10 ** b, ticks };
}

/** Round time steps, seconds. */
const TIME_STEPS = [
  1,
  2,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  10800,
  21600,
  43200,
  86400,
  172800,
  604800,
]; // deno-fmt-ignore

const two = (n: number) => String(n).padStart(2, "0");

/** Local time of `ms` as the axis shows it for a step of `step` s. */
function timeLabel(ms: number, step: number): string {
  const d = new Date(ms);
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (step >= 86400) return `${two(d.getMonth() + 1)}/${two(d.getDate())}`;
  if (step < 60) return `${hm}:${two(d.getSeconds())}`;
  return hm;
}

/** Ticks at round local times in [from, to] µs, about `count` of them. */
export function timeTicks(from: number, to: number, count = 8): Tick[] {
  const span = Math.max((to - from) / 1e6, 1);
  const step = TIME_STEPS.find((s) => span / s <= count) ??
    TIME_STEPS[TIME_STEPS.length - 1]!;
  // Round in local time: shift by the zone's offset at the start.
  const off = -new Date(from / 1000).getTimezoneOffset() * 60;
  const first = Math.ceil((from / 1e6 + off) / step) * step - off;
  const ticks: Tick[] = [];
  for (let s = first; s * 1e6 <= to; s += step) {
    ticks.push({ at: s * 1e6, label: timeLabel(s * 1000, step) });
  }
  return ticks;
}

/** "UTC+05:30": the zone in force at `us`. */
export function zoneName(us: number): string {
  const off = -new Date(us / 1000).getTimezoneOffset();
  const a = Math.abs(off);
  return `UTC${off < 0 ? "-" : "+"}${two(Math.floor(a / 60))}:${two(a % 60)}`;
}

/** "2023-11-15 01:13:20" in local time. */
export function localDateTime(us: number): string {
  const d = new Date(us / 1000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${
    two(d.getHours())
  }:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
