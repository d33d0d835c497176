/**
 * ragraph's command line (ragraph(1)): metrics, then the fields that
 * group records into series, then the graph's own options (rrdtool-style
 * words: -title, -fill, -stack ...) among the ra options, which are left
 * for the shared client parser. The filter after "-" is not looked into.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import { PRINT_FIELDS } from "../../client/print_fields.ts";
import { GRAPH_METRICS } from "./graph_metric.ts";

/** How the graph looks. */
export interface GraphStyle {
  title: string | null;
  verticalLabel: string | null;
  /** Plot area, pixels. */
  width: number;
  height: number;
  /** Series stacked on each other (else drawn each from zero). */
  stack: boolean;
  /** Destination values below the axis (-split), source with -invert. */
  split: boolean;
  invert: boolean;
  /** Areas filled (else lines only). */
  fill: boolean;
  log: boolean;
  upper: number | null;
  lower: number | null;
  legend: boolean;
}

/** The parsed command line. */
export interface GraphArgs {
  /** The metrics drawn (-split: each as its two directions). */
  metrics: string[];
  /** The metrics as given. */
  asked: string[];
  fields: string[];
  style: GraphStyle;
  /** What is left for the ra option parser. */
  rest: string[];
}

/** rrdtool options of the real ragraph that are not implemented here. */
const UNSUPPORTED = [
  "-rigid",
  "-only-graph",
  "-alt-autoscale",
  "-alt-autoscale-max",
  "-no-gridfit",
  "-x-grid",
  "-y-grid",
  "-alt-y-grid",
  "-units-exponent",
  "-units-length",
  "-units=si",
  "-imginfo",
  "-zoom",
  "-font",
  "-font-render-mode",
  "-font-smoothing-threshold",
  "-slope-mode",
];

function numberArg(opt: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (v === undefined || v === "" || !Number.isFinite(n) || n < min) {
    throw new UsageError(`${opt}: cannot use "${v ?? ""}": give a number`);
  }
  return n;
}

/** Splits ragraph's arguments. */
export function parseGraphArgs(args: string[]): GraphArgs {
  const style: GraphStyle = {
    title: null,
    verticalLabel: null,
    width: 800,
    height: 275,
    stack: false,
    split: false,
    invert: false,
    fill: false,
    log: false,
    upper: null,
    lower: null,
    legend: true,
  };
  let i = 0;
  const metrics: string[] = [], fields: string[] = [];
  for (; i < args.length && !args[i]!.startsWith("-"); i++) {
    const w = args[i]!;
    if (fields.length === 0 && GRAPH_METRICS.has(w)) metrics.push(w);
    else if (PRINT_FIELDS.has(w)) fields.push(w);
    else {
      throw new UsageError(
        metrics.length === 0
          ? `unknown metric "${w}" (one of ${
            [...GRAPH_METRICS.keys()].join(", ")
          })`
          : `unknown field "${w}" to group by`,
      );
    }
  }
  const rest: string[] = [];
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-" || a === "--") {
      rest.push(...args.slice(i));
      break;
    }
    switch (a) {
      case "-fill":
        style.fill = true;
        continue;
      case "-stack":
        style.stack = true;
        continue;
      case "-split":
        style.split = true;
        continue;
      case "-invert":
        style.invert = true;
        continue;
      case "-log":
        style.log = true;
        continue;
      case "-no-legend":
        style.legend = false;
        continue;
      case "-title":
        style.title = args[++i] ?? "";
        continue;
      case "-vertical-label":
        style.verticalLabel = args[++i] ?? "";
        continue;
      case "-width":
        style.width = numberArg(a, args[++i], 100);
        continue;
      case "-height":
        style.height = numberArg(a, args[++i], 50);
        continue;
      case "-upper":
        style.upper = numberArg(a, args[++i], -Infinity);
        continue;
      case "-lower":
        style.lower = numberArg(a, args[++i], -Infinity);
        continue;
    }
    if (
      UNSUPPORTED.includes(a.replace(/=.*$/, "")) || UNSUPPORTED.includes(a)
    ) {
      throw new UsageError(`${a}: option not supported`);
    }
    rest.push(a);
  }
  if (metrics.length === 0 && !rest.includes("-h")) {
    throw new UsageError(
      `give a metric first (${[...GRAPH_METRICS.keys()].join(", ")})`,
    );
  }
  const asked = [...metrics];
  if (style.split) {
    // Each two-way metric becomes its two directions.
    const both = metrics.flatMap((m) => {
      if (!["bytes", "pkts", "rate", "load"].includes(m)) {
        throw new UsageError(
          `-split: "${m}" has one direction (give bytes, pkts, rate or load)`,
        );
      }
      return m === "rate"
        ? ["srate", "drate"]
        : m === "load"
        ? ["sload", "dload"]
        : [`s${m}`, `d${m}`];
    });
    if (style.log) throw new UsageError("-split and -log do not go together");
    metrics.splice(0, metrics.length, ...both);
  }
  return { metrics, asked, fields, style, rest };
}
