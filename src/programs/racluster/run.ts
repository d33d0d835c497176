/**
 * The racluster program (racluster(1) 3.0.8): reads records like ra,
 * aggregates them by the -m key (srcid proto saddr sport daddr dport by
 * default) and, at the end, prints or writes (-w) one merged record per
 * key, in the real racluster's order and byte for byte as it writes them.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientSpec } from "../../client/client_options.ts";
import type { ClientRecord } from "../../client/client_record.ts";
import type { TextSink } from "../../client/text_out.ts";
import {
  BoundedAggregation,
  CanonRecord,
  clusterOrder,
  correctsDirection,
  defaultKeySpec,
  type KeySpec,
  parseKeySpec,
  sortSpilled,
  SpillDir,
} from "../../cluster/mod.ts";

/** racluster's name, usage and own options. */
export const RACLUSTER_SPEC: ClientSpec = {
  name: "racluster",
  usageLine:
    "usage: racluster [-m field ...] [ra-options] [- filter-expression]",
  options: [
    {
      letter: "m",
      arg: "many",
      argName: "field ...",
      help: "aggregate on these flow key fields (saddr/16 for a network)",
    },
    {
      letter: "M",
      arg: "many",
      argName: "mode ...",
      help: "modes: norep (no aggregation statistics DSR); others unsupported",
    },
    {
      letter: "f",
      arg: "one",
      argName: "conf",
      help: "aggregation rules file (not supported)",
    },
  ],
};

/** racluster's -M modes this implementation does not have. */
const UNSUPPORTED_MODES = [
  "correct",
  "nocorrect",
  "preserve",
  "nopreserve",
  "rmon",
  "ind",
  "oui",
  "poll",
  "uni",
  "man",
  "noman",
  "replace",
]; // deno-fmt-ignore

/**
 * Aggregates held in memory before racluster spills to temporary files
 * (bounded_aggregation.ts): ~300 bytes each, and a peak RSS that stays
 * under ~200 MB however many aggregates the input makes (measured: 1.03 M
 * aggregates, 345 MB unbounded). RACLUSTER_MAX_AGGREGATES changes it.
 */
const MAX_AGGREGATES = 250_000;

function maxAggregates(): number {
  const v = Number(Deno.env.get("RACLUSTER_MAX_AGGREGATES") ?? "");
  return Number.isSafeInteger(v) && v > 0 ? v : MAX_AGGREGATES;
}

class Racluster implements ClientProgram {
  #spec: KeySpec = defaultKeySpec();
  readonly #cap = maxAggregates();
  /** Where spills go; removed at the end, however it comes. */
  #dir = new SpillDir();
  #table = new BoundedAggregation(this.#spec, this.#cap, this.#dir);
  #scratch = new CanonRecord();
  #correct = true;
  #noAgr = false;
  /** Lone records' AGR left out (-w with a key); else kept (printing). */
  #writing = false;
  /** Printing, not -w: times as argus prints them, from memory. */
  #printing = true;
  /** Records to emit at most (-N's end), 0 for all. */
  #limit = 0;
  /**
   * Records are loaded from their bytes (CanonRecord); the decoded record
   * is asked only whether RA_PORT_DIRECTION turned it round.
   */
  usesDecodedRecord: boolean | "reverseFlag" = false;

  configure(o: Parameters<NonNullable<ClientProgram["configure"]>>[0]) {
    const words: string[] = [];
    for (const use of o.programOptions) {
      if (use.letter === "m") words.push(...use.values);
      else if (use.letter === "f") {
        throw new UsageError("-f: aggregation rules files are not supported");
      } else if (use.letter === "M") {
        for (const mode of use.values.flatMap((v) => v.split(/[ ,]+/))) {
          if (mode === "") continue;
          if (/^norep/i.test(mode)) this.#noAgr = true;
          else if (UNSUPPORTED_MODES.some((m) => mode.startsWith(m))) {
            throw new UsageError(`-M ${mode}: mode not supported`);
          } else throw new UsageError(`-M: unknown mode "${mode}"`);
        }
      }
    }
    if (words.length > 0) this.#spec = parseKeySpec(words);
    this.#correct = correctsDirection(this.#spec) && this.#spec.mask !== 0;
    // A -S stream ends cleanly on SIGINT and SIGTERM (client_main.ts).
    this.#dir = new SpillDir(o.remotes.length === 0);
    this.#table = new BoundedAggregation(this.#spec, this.#cap, this.#dir);
    this.#limit = o.lastRecord > 0 ? o.lastRecord : 0;
    // Without a key (-m none) argus has no duration metric set, and then
    // it writes a lone record's AGR too.
    this.#writing = o.writeFile !== null && this.#spec.mask !== 0;
    this.#printing = o.writeFile === null;
    // The reading loop applies RA_PORT_DIRECTION to the decoded record.
    this.usesDecodedRecord = o.portDirection !== 0 ? "reverseFlag" : false;
  }

  record(
    r: ClientRecord,
    buf: Uint8Array,
    start: number,
    length: number,
  ): void {
    if (this.#scratch.load(buf, start, length, this.#correct)) {
      // RA_PORT_DIRECTION runs on every record before racluster sees it
      // (ArgusHandleRecord's ArgusProcessDirection), so what it turned
      // round is aggregated, printed and written turned round.
      if (r.reverseFlag) this.#scratch.reverse();
      try {
        this.#table.add(this.#scratch);
      } catch (e) {
        this.#dir.close();
        throw e;
      }
    }
  }

  /** The aggregate being printed, for #asHeld. */
  #printed: CanonRecord | null = null;

  /**
   * racluster prints its aggregates from memory: what reading the bytes
   * back would change is put back as held. The REVERSE bit of a turned
   * key, left out of the printed bytes so the key prints as held, still
   * sets Dir; an IPv4 ESP key's SPI keeps the masks (or the 0 of SPIs
   * that differed) that reading sets to 32.
   */
  readonly #asHeld = (p: ClientRecord): void => {
    const r = this.#printed!;
    if (r.reversed) p.reverseFlag = true;
    const spi = r.heldSpi();
    if (spi >= 0) p.spi = spi;
  };

  finish(out: Parameters<NonNullable<ClientProgram["finish"]>>[0]): void {
    const order = this.#spec.given ? clusterOrder(this.#spec.words) : null;
    const bytes = new Uint8Array(1 << 16);
    let left = this.#limit > 0 ? this.#limit : Infinity;
    const emit = (r: CanonRecord): boolean => {
      if (left-- <= 0) return false;
      if (this.#noAgr) r.hasAgr = false;
      // racluster prints from its in-memory record, where even a lone
      // record has its AGR (count 1); it leaves that one out when writing.
      const n = r.encode(bytes, 0, this.#writing, this.#printing);
      if (!this.#printing) out.emitBytes(bytes, 0, n);
      else {
        this.#printed = r;
        out.emitBytes(bytes, 0, n, this.#asHeld);
      }
      return true;
    };
    const table = this.#table;
    try {
      if (order === null || !table.spilled) table.forEach(order, emit);
      else {
        sortSpilled(
          this.#spec,
          (fn) => table.forEach(null, fn),
          order,
          this.#cap,
          this.#dir,
          emit,
        );
      }
    } finally {
      this.#dir.close();
    }
  }
}

/** racluster [options]: returns the exit status. */
export function runRacluster(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  return runClient(RACLUSTER_SPEC, new Racluster(), args, stdout);
}
