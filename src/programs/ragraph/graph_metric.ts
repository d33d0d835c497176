/**
 * What ragraph can plot (ragraph(1) metrics): per-bin counts (bytes, pkts
 * and their per-direction forms) and per-second rates (rate: packets/s,
 * load: bits/s, and their per-direction forms), each with its unit.
 * @module
 */

import type { CanonRecord } from "../../cluster/mod.ts";

/** One plottable metric. */
export interface GraphMetric {
  name: string;
  /** The record (piece) value counted into its bin. */
  value(r: CanonRecord): number;
  /** Axis unit; "/s" metrics are the bin's sum over its length. */
  unit: string;
  perSecond: boolean;
}

function metric(
  name: string,
  value: (r: CanonRecord) => number,
  unit: string,
  perSecond = false,
): GraphMetric {
  return { name, value, unit, perSecond };
}

/** The metrics, by name. */
export const GRAPH_METRICS: ReadonlyMap<string, GraphMetric> = new Map(
  [
    metric("bytes", (r) => r.sb + r.db, "bytes"),
    metric("sbytes", (r) => r.sb, "bytes"),
    metric("dbytes", (r) => r.db, "bytes"),
    metric("pkts", (r) => r.sp + r.dp, "pkts"),
    metric("spkts", (r) => r.sp, "pkts"),
    metric("dpkts", (r) => r.dp, "pkts"),
    metric("rate", (r) => r.sp + r.dp, "pkts/s", true),
    metric("srate", (r) => r.sp, "pkts/s", true),
    metric("drate", (r) => r.dp, "pkts/s", true),
    metric("load", (r) => (r.sb + r.db) * 8, "bits/s", true),
    metric("sload", (r) => r.sb * 8, "bits/s", true),
    metric("dload", (r) => r.db * 8, "bits/s", true),
  ].map((m) => [m.name, m]),
);
