/**
 * ragraph's data: per series (metric x group) the sum of its metric in
 * each time bin, from record pieces already cut at bin boundaries (as
 * rabins cuts them for the real ragraph), so each series sums to the
 * totals racount prints for the same records.
 * @module
 */

import type { CanonRecord } from "../../cluster/mod.ts";
import type { GraphMetric } from "./graph_metric.ts";

/** One plotted series. */
export interface Series {
  metric: GraphMetric;
  /** The group's field values, joined ("tcp", "10.0.0.1 80"); "" for all. */
  group: string;
  /** Per-bin sums, bins from the table's first to its last. */
  values: number[];
  total: number;
}

/** Bins of every series. */
export class SeriesTable {
  readonly #size: number;
  readonly #metrics: GraphMetric[];
  /** Per metric index and group: bin start (µs) to sum. */
  readonly #sums = new Map<string, Map<number, number>>();
  #first = Infinity;
  #last = -Infinity;

  /** `size`: bin length, µs. */
  constructor(size: number, metrics: GraphMetric[]) {
    this.#size = size;
    this.#metrics = metrics;
  }

  /** Adds a piece lying in the bin that starts at `bin` µs. */
  add(group: string, bin: number, piece: CanonRecord): void {
    if (bin < this.#first) this.#first = bin;
    if (bin > this.#last) this.#last = bin;
    this.#metrics.forEach((m, i) => {
      const key = `${i}\u0000${group}`;
      let bins = this.#sums.get(key);
      if (bins === undefined) {
        bins = new Map();
        this.#sums.set(key, bins);
      }
      bins.set(bin, (bins.get(bin) ?? 0) + m.value(piece));
    });
  }

  /** First bin's start and the bin count (0 when empty). */
  get range(): { first: number; count: number; size: number } {
    if (this.#first === Infinity) {
      return { first: 0, count: 0, size: this.#size };
    }
    return {
      first: this.#first,
      count: Math.round((this.#last - this.#first) / this.#size) + 1,
      size: this.#size,
    };
  }

  /**
   * The series: per metric its groups, largest first (ranked by the
   * first metric), at most `most` series in all; the smallest groups of
   * a metric are summed into one "other (N)" series.
   */
  series(most = 10): Series[] {
    const { first, count } = this.range;
    const byMetric = this.#metrics.map(() => new Map<string, Series>());
    for (const [key, bins] of this.#sums) {
      const cut = key.indexOf("\u0000");
      const index = Number(key.slice(0, cut));
      const metric = this.#metrics[index]!;
      const values = new Array<number>(count).fill(0);
      let total = 0;
      for (const [bin, v] of bins) {
        values[Math.round((bin - first) / this.#size)]! += v;
        total += v;
      }
      const group = key.slice(cut + 1);
      byMetric[index]!.set(group, { metric, group, values, total });
    }
    const rank = [...byMetric[0]!.values()]
      .sort((a, b) => b.total - a.total || (a.group < b.group ? -1 : 1))
      .map((s) => s.group);
    const per = Math.max(1, Math.floor(most / this.#metrics.length));
    const keep = rank.length <= per ? rank : rank.slice(0, per - 1);
    const out: Series[] = [];
    byMetric.forEach((groups, i) => {
      for (const g of keep) {
        const s = groups.get(g);
        if (s !== undefined) out.push(s);
      }
      const rest = [...groups.values()].filter((s) => !keep.includes(s.group));
      if (rest.length === 0) return;
      const values = new Array<number>(count).fill(0);
      let total = 0;
      for (const s of rest) {
        s.values.forEach((v, k) => values[k]! += v);
        total += s.total;
      }
      const metric = this.#metrics[i]!;
      out.push({ metric, group: `other (${rest.length})`, values, total });
    });
    return out;
  }
}
