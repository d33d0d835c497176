/**
 * The ragraph program (ragraph(1), without rrdtool or perl): reads
 * records like ra, cuts them at time-bin boundaries (-M 1s) as rabins
 * does, sums the metrics per bin and per group of field values
 * (`ragraph bytes proto -M 1s -stack -fill -r file -w out.svg`), and
 * writes the time series as SVG, or PNG through rsvg-convert.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientOptions, ClientSpec } from "../../client/client_options.ts";
import type { ClientRecord } from "../../client/client_record.ts";
import { PRINT_FIELDS, type PrintOptions } from "../../client/print_fields.ts";
import type { TextSink } from "../../client/text_out.ts";
import { CanonRecord } from "../../cluster/mod.ts";
import { fetchStart, RecordAligner } from "../rastream/record_aligner.ts";
import {
  alignStart,
  parseSplitPeriod,
  type SplitPeriod,
} from "../rastream/split_period.ts";
import { GRAPH_METRICS } from "./graph_metric.ts";
import { type GraphArgs, parseGraphArgs } from "./graph_options.ts";
import { PngError, writePng } from "./png_output.ts";
import { SeriesTable } from "./series_table.ts";
import { renderChart } from "./svg_chart.ts";

/** ragraph's name, usage and own options (the graph words aside). */
export const RAGRAPH_SPEC: ClientSpec = {
  name: "ragraph",
  usageLine:
    "usage: ragraph metric ... [field ...] -M N[smhd] [-stack] [-fill] [-title text] [-log] [-upper n] [-lower n] [-width px] [-height px] [-no-legend] [ra-options] [-w out.svg|out.png] [- filter-expression]",
  options: [
    {
      letter: "M",
      arg: "many",
      argName: "N[smhd]",
      help: "bin size (1s, 5m ...); graph words: -stack -fill -title -log ...",
    },
  ],
};

/** The grapher. */
class Ragraph implements ClientProgram {
  readonly #args: GraphArgs;
  #period: SplitPeriod | null = null;
  #table: SeriesTable | null = null;
  #aligner: RecordAligner | null = null;
  #output = "ragraph.png";
  #print: PrintOptions = {
    nflag: 1,
    precision: 6,
    timeFormat: "",
    unixTime: false,
    fixed: false,
  };
  readonly #scratch = new CanonRecord();
  svg = "";

  constructor(args: GraphArgs) {
    this.#args = args;
  }

  configure(o: ClientOptions): void {
    for (const { letter, values } of o.programOptions) {
      if (letter !== "M") continue;
      const words = values.flatMap((v) => v.split(/\s+/)).filter((v) => v);
      const text = words[0] === "time" ? words[1] : words[0];
      if (text === undefined) throw new UsageError("-M: give a bin size");
      this.#period = parseSplitPeriod(text);
    }
    if (this.#period === null) {
      throw new UsageError("give the bin size: -M N[smhd] (-M 1s)");
    }
    const metrics = this.#args.metrics.map((m) => GRAPH_METRICS.get(m)!);
    const units = new Set(metrics.map((m) => m.unit));
    if (units.size > 1) {
      throw new UsageError(
        `metrics ${this.#args.metrics.join(", ")} have different units (${
          [...units].join(", ")
        }): graph them apart`,
      );
    }
    this.#table = new SeriesTable(this.#period.size, metrics);
    this.#aligner = new RecordAligner(this.#period, true);
    this.#print = { ...this.#print, nflag: o.nflag };
    this.#output = o.writeFile ?? "ragraph.png";
    o.writeFile = null;
    o.printMan = false;
  }

  record(r: ClientRecord, buf: Uint8Array, start: number, length: number) {
    const ns = this.#scratch;
    if (!ns.load(buf, start, length, false) || !ns.hasTime) return;
    if (!ns.hasMetric) return;
    const group = groupOf(r, this.#args.fields, this.#print);
    const period = this.#period!;
    for (const piece of this.#aligner!.pieces(ns)) {
      this.#table!.add(group, alignStart(period, fetchStart(piece)), piece);
    }
  }

  finish(): void {
    const table = this.#table!;
    const { first, count, size } = table.range;
    this.svg = renderChart(
      {
        series: table.series(),
        first,
        count,
        size,
        binText: this.#period!.text,
        groupBy: this.#args.fields,
        metrics: this.#args.asked,
      },
      this.#args.style,
    );
  }

  /** Writes the picture where -w said. */
  async write(stdout: TextSink): Promise<void> {
    const path = this.#output;
    if (path === "-") {
      const bytes = new TextEncoder().encode(this.svg);
      let off = 0;
      while (off < bytes.length) off += stdout.writeSync(bytes.subarray(off));
    } else if (/\.png$/i.test(path)) await writePng(this.svg, path);
    else await Deno.writeTextFile(path, this.svg);
  }
}

/** A record's group: its values of the grouping fields, as ra prints them. */
function groupOf(r: ClientRecord, fields: string[], o: PrintOptions): string {
  let key = "";
  for (const f of fields) {
    const text = PRINT_FIELDS.get(f)!.print(r, o, 40).trim();
    key = key === "" ? text : `${key} ${text}`;
  }
  return key;
}

/** ragraph metric ... [field ...] [options]: returns the exit status. */
export async function runRagraph(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  let parsed: GraphArgs;
  try {
    parsed = parseGraphArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`ragraph: ${e.message}`);
    console.error(RAGRAPH_SPEC.usageLine);
    return e.code;
  }
  const program = new Ragraph(parsed);
  const status = await runClient(RAGRAPH_SPEC, program, parsed.rest, stdout);
  if (program.svg === "") return status;
  try {
    await program.write(stdout);
  } catch (e) {
    if (e instanceof PngError) {
      console.error(`ragraph: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && e.name in Deno.errors) {
      console.error(`ragraph: Cannot write "${e.message}"`);
      return 1;
    }
    throw e;
  }
  return status;
}
