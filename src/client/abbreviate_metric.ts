/**
 * ra -H: a metric abbreviated as ArgusAbbreviateMetric writes it. The value
 * is divided by 1000 until below 1000, printed with three decimals (cut,
 * not rounded, to -p's digits when -p is under 3), then a unit letter
 * follows: ' ' for none, K, M, G, T, P, E, Z, Y.
 * @module
 */

import { cFixed } from "./print_cell.ts";
import type { PrintOptions } from "./print_fields.ts";

const UNITS = " KMGTPEZY";

/** `value` as ra -H prints it, with -p `precision`. */
export function abbreviateMetric(value: number, precision: number): string {
  let unit = 0;
  while (value >= 1000) {
    value /= 1000;
    unit++;
  }
  let text = cFixed(value, 3);
  if (precision < 3) {
    // ra ends the string -p digits after the point.
    const dot = text.indexOf(".");
    if (dot >= 0) text = text.slice(0, dot + 1 + precision);
  }
  return unit < UNITS.length ? text + UNITS[unit] : text;
}

/** A fractional metric: abbreviated under -H, else with -p's digits. */
export function metricText(value: number, o: PrintOptions): string {
  return o.abbreviate
    ? abbreviateMetric(value, o.precision)
    : cFixed(value, o.precision);
}

/** A count: abbreviated under -H, else in full. */
export function countText(value: number, o: PrintOptions): string {
  return o.abbreviate ? abbreviateMetric(value, o.precision) : String(value);
}
