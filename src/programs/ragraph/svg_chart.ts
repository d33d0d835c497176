/**
 * ragraph's picture as SVG, written by hand (no rrdtool): title, a value
 * axis in the metric's unit with SI-prefixed ticks, a time axis in local
 * time, one colour per series with a legend, stacked areas (-stack),
 * filled areas (-fill) or lines. Each series' group carries its per-bin
 * sums (data-values) so a reader, or a test, can check the numbers.
 * @module
 */

import {
  localDateTime,
  logTicks,
  siLabel,
  type Tick,
  timeTicks,
  valueTicks,
  zoneName,
} from "./axis_ticks.ts";
import { GRAPH_METRICS } from "./graph_metric.ts";
import type { GraphStyle } from "./graph_options.ts";
import type { Series } from "./series_table.ts";

/** Series colours, in order: distinct from the white, grey and black. */
export const SERIES_COLOURS: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#bcbd22",
  "#393b79",
];

/** Margins around the plot area, pixels. */
const LEFT = 80, RIGHT = 40, TOP = 40, BOTTOM = 56;
const LEGEND_ROW = 20, LEGEND_ENTRY = 260;

/** Escapes text for XML. */
function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Numbers in the SVG: two decimals at most. */
function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** What the chart shows about its data. */
export interface ChartData {
  series: Series[];
  /** First bin start, µs; number of bins; bin size, µs. */
  first: number;
  count: number;
  size: number;
  /** "1s": the bin size as given. */
  binText: string;
  /** The fields the series are grouped by. */
  groupBy: string[];
  /** The metrics asked for. */
  metrics: string[];
}

/**
 * The series label: group, with the metric when several are drawn, or
 * its direction when split.
 */
function seriesLabel(s: Series, metrics: number, split: boolean): string {
  const g = s.group === "" ? "all" : s.group;
  if (split) return `${g} ${s.metric.name.startsWith("s") ? "src" : "dst"}`;
  return metrics > 1 ? `${s.metric.name} ${g}` : g;
}

/** The SVG text of the chart. */
export function renderChart(data: ChartData, style: GraphStyle): string {
  const { series, first, count, size } = data;
  const binSec = size / 1e6;
  const firstMetric = GRAPH_METRICS.get(data.metrics[0] ?? "");
  const unit = firstMetric?.unit ?? "";
  const perSecond = firstMetric?.perSecond ?? false;
  // Plotted values: counts per bin, or per second for rates.
  const scale = perSecond ? 1 / binSec : 1;
  // -split: destination series below the axis (source with -invert).
  const down = (name: string) =>
    style.split && name.startsWith(style.invert ? "s" : "d");
  const plotted = series.map((s) => {
    const sign = down(s.metric.name) ? -scale : scale;
    return s.values.map((v) => v * sign);
  });
  const metrics = new Set(series.map((s) => s.metric.name)).size;
  // A colour per group (split: both directions of a group share it, the
  // lower one lighter), else per series.
  const groups = [...new Set(series.map((s) => s.group))];
  const colours = series.map((s, k) =>
    SERIES_COLOURS[
      (style.split ? groups.indexOf(s.group) : k) %
      SERIES_COLOURS.length
    ]!
  );
  const w = style.width, h = style.height;
  const legendCols = Math.max(
    1,
    Math.floor((w + LEFT + RIGHT - 20) / LEGEND_ENTRY),
  );
  const legendRows = style.legend ? Math.ceil(series.length / legendCols) : 0;
  const W = LEFT + w + RIGHT;
  const H = TOP + h + BOTTOM + legendRows * LEGEND_ROW + (legendRows ? 8 : 0);

  // Stack bases and tops.
  const bases = plotted.map(() => new Array<number>(count).fill(0));
  const tops = plotted.map((p) => p.slice());
  if (style.stack) {
    // Upward and downward series stack apart, each from the axis.
    const up = new Array<number>(count).fill(0);
    const below = new Array<number>(count).fill(0);
    plotted.forEach((p, k) => {
      const acc = down(series[k]!.metric.name) ? below : up;
      for (let i = 0; i < count; i++) {
        bases[k]![i] = acc[i]!;
        acc[i]! += p[i]!;
        tops[k]![i] = acc[i]!;
      }
    });
  }
  let max = 0, min = 0, minPos = Infinity;
  for (const t of tops) {
    for (const v of t) {
      if (v > max) max = v;
      if (v < min) min = v;
      if (v > 0 && v < minPos) minPos = v;
    }
  }
  let axis: { lo: number; hi: number; ticks: Tick[] };
  if (style.log) {
    const lo = style.lower !== null && style.lower > 0
      ? style.lower
      : minPos === Infinity
      ? 1
      : minPos;
    axis = logTicks(lo, Math.max(style.upper ?? max, lo * 10));
  } else {
    axis = valueTicks(style.lower ?? min, style.upper ?? Math.max(max, 1));
  }
  if (style.upper !== null) axis.hi = style.upper;
  if (style.lower !== null && (!style.log || style.lower > 0)) {
    axis.lo = style.lower;
  }
  axis.ticks = axis.ticks.filter((t) => t.at >= axis.lo && t.at <= axis.hi);
  const y = (v: number): number => {
    let f: number;
    if (style.log) {
      const c = Math.max(v, axis.lo);
      f = (Math.log10(c) - Math.log10(axis.lo)) /
        (Math.log10(axis.hi) - Math.log10(axis.lo));
    } else f = (v - axis.lo) / (axis.hi - axis.lo);
    return TOP + h - Math.min(Math.max(f, 0), 1) * h;
  };
  const t0 = first, t1 = first + count * size;
  const x = (t: number): number => LEFT + ((t - t0) / (t1 - t0 || 1)) * w;

  const out: string[] = [];
  const sides = style.invert
    ? " (destination up, source down)"
    : " (source up, destination down)";
  const title = style.title ??
    `${data.metrics.join(", ")}${
      data.groupBy.length ? ` by ${data.groupBy.join(", ")}` : ""
    }${style.split ? sides : ""}`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" fill="#222222">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${
      n(W / 2)
    }" y="24" text-anchor="middle" font-size="15" font-weight="bold">${
      esc(title)
    }</text>`,
  );
  // Grid and value labels.
  out.push(`<g class="grid" stroke="#dddddd" stroke-width="1">`);
  for (const t of axis.ticks) {
    out.push(
      `<line x1="${LEFT}" y1="${n(y(t.at))}" x2="${LEFT + w}" y2="${
        n(y(t.at))
      }"/>`,
    );
  }
  const times = count > 0 ? timeTicks(t0, t1) : [];
  for (const t of times) {
    out.push(
      `<line x1="${n(x(t.at))}" y1="${TOP}" x2="${n(x(t.at))}" y2="${
        TOP + h
      }"/>`,
    );
  }
  out.push(`</g>`);
  out.push(`<g class="y-labels" text-anchor="end">`);
  for (const t of axis.ticks) {
    out.push(
      `<text x="${LEFT - 6}" y="${n(y(t.at) + 4)}">${esc(t.label)}</text>`,
    );
  }
  out.push(`</g>`, `<g class="x-labels" text-anchor="middle">`);
  for (const t of times) {
    out.push(
      `<text x="${n(x(t.at))}" y="${TOP + h + 16}">${esc(t.label)}</text>`,
    );
  }
  out.push(`</g>`);
  const yLabel = style.verticalLabel ??
    (perSecond ? unit : `${unit} per ${data.binText}`);
  out.push(
    `<text transform="translate(16 ${
      n(TOP + h / 2)
    }) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
    `<text x="${n(LEFT + w / 2)}" y="${TOP + h + 36}" text-anchor="middle">${
      esc(
        count > 0
          ? `local time (${zoneName(t0)}) from ${
            localDateTime(t0)
          }, ${data.binText} bins`
          : `local time, ${data.binText} bins`,
      )
    }</text>`,
  );
  if (count === 0) {
    out.push(
      `<text x="${n(LEFT + w / 2)}" y="${
        n(TOP + h / 2)
      }" text-anchor="middle" font-size="14">no flow records</text>`,
    );
  }
  // The plot area, clipped; series in legend order, the first at the bottom.
  out.push(
    `<clipPath id="plot-area"><rect x="${LEFT}" y="${TOP}" width="${w}" height="${h}"/></clipPath>`,
    `<rect class="plot" x="${LEFT}" y="${TOP}" width="${w}" height="${h}" fill="none"/>`,
    `<g clip-path="url(#plot-area)">`,
  );
  series.forEach((s, k) => {
    const colour = colours[k]!;
    const shade = down(s.metric.name) ? 0.55 : 1;
    const top: string[] = [];
    for (let i = 0; i < count; i++) {
      const yy = n(y(tops[k]![i]!));
      top.push(
        `${n(x(t0 + i * size))},${yy}`,
        `${n(x(t0 + (i + 1) * size))},${yy}`,
      );
    }
    const attrs = `class="series" data-label="${
      esc(seriesLabel(s, metrics, style.split))
    }" data-metric="${s.metric.name}" data-group="${
      esc(s.group)
    }" data-colour="${colour}" data-total="${s.total}" data-values="${
      s.values.join(" ")
    }"`;
    out.push(`<g ${attrs}>`);
    if (style.stack || style.fill) {
      const bottom: string[] = [];
      for (let i = count - 1; i >= 0; i--) {
        const yy = n(y(bases[k]![i]!));
        bottom.push(
          `${n(x(t0 + (i + 1) * size))},${yy}`,
          `${n(x(t0 + i * size))},${yy}`,
        );
      }
      const opacity = (style.stack ? 1 : 0.35) * shade;
      out.push(
        `<polygon points="${top.join(" ")} ${
          bottom.join(" ")
        }" fill="${colour}" fill-opacity="${opacity}" stroke="none"/>`,
      );
    }
    if (!style.stack) {
      out.push(
        `<polyline points="${
          top.join(" ")
        }" fill="none" stroke="${colour}" stroke-width="2"${
          shade < 1 ? ' stroke-dasharray="6 3"' : ""
        }/>`,
      );
    }
    out.push(`</g>`);
  });
  out.push(`</g>`);
  out.push(
    `<rect x="${LEFT}" y="${TOP}" width="${w}" height="${h}" fill="none" stroke="#222222" stroke-width="1"/>`,
  );
  if (min < 0) {
    // The axis between the two directions.
    out.push(
      `<line class="zero" x1="${LEFT}" y1="${n(y(0))}" x2="${LEFT + w}" y2="${
        n(y(0))
      }" stroke="#222222" stroke-width="1"/>`,
    );
  }
  if (style.legend) {
    const ly = TOP + h + BOTTOM;
    out.push(`<g class="legend">`);
    series.forEach((s, k) => {
      const col = k % legendCols, row = Math.floor(k / legendCols);
      const lx = LEFT + col * LEGEND_ENTRY, yy = ly + row * LEGEND_ROW;
      const colour = colours[k]!;
      const opacity = down(s.metric.name) ? 0.55 : 1;
      const summary = perSecond
        ? `mean ${siLabel((s.total * scale) / Math.max(count, 1))}${unit}`
        : `total ${siLabel(s.total)}${unit}`;
      out.push(
        `<rect x="${lx}" y="${yy}" width="12" height="12" fill="${colour}" fill-opacity="${opacity}"/>`,
        `<text x="${lx + 18}" y="${yy + 11}">${
          esc(seriesLabel(s, metrics, style.split))
        }  ${esc(summary.replace(/(\d)([a-zA-Z])/, "$1 $2"))}</text>`,
      );
    });
    out.push(`</g>`);
  }
  out.push(`</svg>`, ``);
  return out.join("\n");
}
