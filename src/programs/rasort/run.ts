/**
 * The rasort program (rasort(1)): keeps every selected flow record (MARs
 * are dropped, as the real rasort drops them), sorts them by the -m
 * fields into the order the real rasort 3.0.8 leaves them (without -m:
 * input order), and emits them (text, --json, --csv, or -w). -N selects the records
 * read, as in ra; -N o<range> (the real one's output window) picks ranks
 * of the sorted output. -v turns every field's order. -M replace sorts
 * each file on its own and writes it back in place. Past a cap (records
 * held, or bytes copied from stdin and gzip input) what is held is sorted
 * and spilled to a temporary file, and the runs are merged at the end, so
 * memory stays bounded whatever the input's size.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientOptions, ClientSpec } from "../../client/client_options.ts";
import {
  type ClientRecord,
  FlowKind,
  RecordKind,
} from "../../client/client_record.ts";
import { mergeSort } from "../../client/merge_sort.ts";
import type { RecordPlace } from "../../client/record_input.ts";
import { RecordArena } from "../../client/record_arena.ts";
import type { RecordOutput } from "../../client/record_output.ts";
import {
  compareBy,
  SortFieldError,
  type SortKey,
  sortKeys,
} from "../../client/sort_keys.ts";
import type { TextSink } from "../../client/text_out.ts";
import { AddrType } from "../../record/record_view.ts";
import { replaceSorted } from "./replace_mode.ts";
import { SortedRuns } from "../../client/sorted_runs.ts";
import { PortDirection } from "../../client/port_direction.ts";

/** rasort's name, usage and own options. */
export const RASORT_SPEC: ClientSpec = {
  name: "rasort",
  usageLine:
    "usage: rasort [[-M mode] [-m sortfield] ...] [ra-options] [- filter-expression]",
  options: [
    {
      letter: "m",
      arg: "many",
      argName: "field ...",
      help: "sort by these fields, in order (rasort(1); none: input order)",
    },
    {
      letter: "M",
      arg: "many",
      argName: "mode ...",
      help: "replace: sort each file in place",
    },
    { letter: "v", arg: "none", help: "sort every field the other way" },
  ],
};

/** The output window of -N o<range>: ranks first..last (last 0: all). */
interface RankWindow {
  first: number;
  last: number;
}

/** Takes -N o<range> out of the arguments (the rest is ra's -N). */
function takeRankWindow(args: string[]): [string[], RankWindow] {
  const rest: string[] = [];
  const win: RankWindow = { first: 0, last: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let value: string | undefined;
    if (a === "-N" && args[i + 1]?.startsWith("o")) value = args[++i];
    else if (a.startsWith("-No")) value = a.slice(2);
    if (value === undefined) {
      rest.push(a);
      continue;
    }
    const v = value.slice(1);
    const m = /^(\d+)(?:([-+])(\d+))?$/.exec(v);
    if (m === null) throw new UsageError(`-N: bad count "${value}"`);
    if (m[2] === undefined) {
      win.first = 0;
      win.last = Number(m[1]);
    } else {
      win.first = Number(m[1]);
      win.last = Number(m[3]) + (m[2] === "+" ? win.first : 0);
    }
  }
  return [rest, win];
}

/**
 * Records held in memory before a sorted run is spilled to disk: ~32
 * bytes each (place, keys, sort index), so ~64 MB at the default.
 * RASORT_MAX_RECORDS changes it.
 */
const MAX_RECORDS = 2_000_000;
/** Bytes of copied records (stdin, gzip) held before a spill. */
const MAX_HELD_BYTES = 64 << 20;

function maxRecords(): number {
  const v = Number(Deno.env.get("RASORT_MAX_RECORDS") ?? "");
  return Number.isSafeInteger(v) && v > 0 ? v : MAX_RECORDS;
}

/** The sorter: records kept compactly, keys in typed arrays. */
class Sorter implements ClientProgram {
  keys: SortKey[] = [];
  arena = new RecordArena();
  replace = false;
  #words: string[] = [];
  #reverse = false;
  /** Sorted runs spilled so far (none for inputs that fit). */
  #runs: SortedRuns | null = null;
  readonly #maxRecords = maxRecords();
  /**
   * RA_PORT_DIRECTION, redone on the held bytes when they are decoded
   * again (keys of spilled runs, printing). Its services rule saw no port
   * printed at reading time, so it notes none.
   */
  #adjust: ((r: ClientRecord) => void) | undefined;
  failWhenNothingMatched = true;

  constructor(readonly window: RankWindow) {}

  configure(o: ClientOptions): void {
    const words: string[] = [];
    let reverse = false;
    for (const use of o.programOptions) {
      if (use.letter === "m") {
        // Each argument is one field, as the real one takes it: "proto,bytes"
        // is "proto" (keywords match as prefixes).
        words.push(...use.values);
      } else if (use.letter === "v") reverse = true;
      else if (use.letter === "M") {
        if (use.values.some((v) => v === "replace")) this.replace = true;
      }
    }
    if (this.replace && o.writeFile !== null) {
      throw new UsageError("replace mode and -w option are incompatible");
    }
    if (o.portDirection !== 0) {
      const direction = new PortDirection(o.portDirection);
      this.#adjust = (r) => direction.apply(r);
    }
    this.#words = words.filter(Boolean);
    this.#reverse = reverse;
    try {
      this.keys = sortKeys(this.#words, reverse);
    } catch (e) {
      if (e instanceof SortFieldError) throw new UsageError(e.message);
      throw e;
    }
  }

  record(
    r: ClientRecord,
    buf: Uint8Array,
    start: number,
    length: number,
    _out: RecordOutput,
    place: RecordPlace,
  ): void {
    if (r.kind === RecordKind.MAR) return;
    const i = this.arena.add(buf, start, length, place.file, place.offset);
    if (r.flowKind === FlowKind.ARP && r.addrType === AddrType.RARP) {
      // ArgusCopyRecordStruct loses a RARP key's sender hardware address:
      // the real rasort prints (and writes) it as 00:00:00:00:00:00.
      // (Offsets in the record: its view may be a copy.)
      const at = r.srcAddrAt - r.view.start;
      this.arena.zero(i, at, at + 6);
    }
    for (const k of this.keys) k.add(r, i);
    if (
      !this.replace &&
      (i + 1 >= this.#maxRecords || this.arena.heldBytes >= MAX_HELD_BYTES)
    ) this.#spill();
  }

  /** Sorts what is held into a run on disk, and starts afresh. */
  #spill(): void {
    this.#runs ??= new SortedRuns();
    this.#runs.write(this.arena, this.sorted());
    this.arena.close();
    this.arena = new RecordArena();
    this.keys = sortKeys(this.#words, this.#reverse);
  }

  /** Record indexes in sorted order. */
  sorted(): Int32Array {
    const n = this.arena.count;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    if (this.keys.length > 0) mergeSort(idx, compareBy(this.keys));
    return idx;
  }

  /** Emits the sorted records within the rank window. */
  emit(out: RecordOutput): void {
    const { first, last } = this.window;
    if (this.#runs !== null) return this.#emitRuns(out);
    const idx = this.sorted();
    // The keys are done with: let their memory go before printing.
    this.keys = [];
    const a = this.arena;
    for (let rank = 1; rank <= idx.length; rank++) {
      if (last !== 0 && last < rank) break;
      if (last !== 0 && first > rank) continue;
      const rec = a.read(idx[rank - 1]!);
      out.emitBytes(rec.bytes, rec.start, rec.length, this.#adjust);
    }
    a.close();
  }

  /** Emits the merge of the spilled runs (the rest spilled first). */
  #emitRuns(out: RecordOutput): void {
    const { first, last } = this.window;
    const runs = this.#runs!;
    try {
      if (this.arena.count > 0) this.#spill();
      this.keys = [];
      this.arena.close();
      let rank = 0;
      runs.merge(sortKeys(this.#words, this.#reverse), (bytes, start, n) => {
        rank++;
        if (last !== 0 && last < rank) return false;
        if (last === 0 || first <= rank) {
          out.emitBytes(bytes, start, n, this.#adjust);
        }
        return true;
      }, this.#adjust);
    } finally {
      runs.close();
      this.#runs = null;
    }
  }

  fileDone(file: string): void {
    if (!this.replace) return;
    replaceSorted(file, this.arena, this.sorted());
    this.arena = new RecordArena();
    this.keys = sortKeys(this.#words, this.#reverse);
  }

  finish(out: RecordOutput): void {
    if (!this.replace) this.emit(out);
  }
}

/** rasort [options]: returns the exit status. */
export function runRasort(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  let rest: string[], win: RankWindow;
  try {
    [rest, win] = takeRankWindow(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`rasort: ${e.message}`);
    console.error(RASORT_SPEC.usageLine);
    return Promise.resolve(e.code);
  }
  return runClient(RASORT_SPEC, new Sorter(win), rest, stdout);
}
