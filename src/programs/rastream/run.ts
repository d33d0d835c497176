/**
 * The rastream program (rastream(1), time mode): reads records like ra
 * and writes each into the file of its time bin (`-M time 5m`, `-w
 * 'dir/%Y/%m/%d/argus.%H.%M.%S'`), records that span bins cut at the
 * boundaries as the real rastream cuts them; `-f program` runs on each
 * closed file, `-B secs` closes a bin's file that long after its end.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientOptions, ClientSpec } from "../../client/client_options.ts";
import { RecordKind } from "../../client/client_record.ts";
import type { RecordPlace } from "../../client/record_input.ts";
import type { TextSink } from "../../client/text_out.ts";
import { CanonRecord } from "../../cluster/mod.ts";
import { BinFiles } from "./bin_files.ts";
import { FileScript } from "./file_script.ts";
import { fetchStart, RecordAligner } from "./record_aligner.ts";
import { parseSplitPeriod, type SplitPeriod } from "./split_period.ts";

/** rastream's name, usage and own options. */
export const RASTREAM_SPEC: ClientSpec = {
  name: "rastream",
  usageLine:
    "usage: rastream -M time N[smhd] -w template [-f program [-B secs]] [ra-options] [- filter-expression]",
  options: [
    {
      letter: "M",
      arg: "many",
      argName: "time N[smhd]",
      help:
        "split by time into bins of this size (count, size, flow: not supported)",
    },
    {
      letter: "f",
      arg: "one",
      argName: "program",
      help: "run 'program -r file' on each closed file",
    },
    {
      letter: "B",
      arg: "one",
      argName: "secs",
      help: "close a bin's file this long after the bin ends (hold time)",
    },
  ],
};

/** The strftime name template: the real rastream's default suffix rule. */
function nameTemplate(w: string | null): string {
  const name = w ?? "x";
  if (name === "-") {
    throw new UsageError("-w -: a single split stream is not supported");
  }
  if (name.includes("$")) {
    throw new UsageError(`-w: record fields ("$") in names are not supported`);
  }
  if (name.includes("%")) return name;
  return (name.endsWith(".") ? name : name + ".") + "%Y.%m.%d.%H.%M.%S";
}

/** The splitter. */
class Rastream implements ClientProgram {
  #period: SplitPeriod | null = null;
  #files: BinFiles | null = null;
  #script: FileScript | null = null;
  #aligner: RecordAligner | null = null;
  readonly #scratch = new CanonRecord();
  readonly #bytes = new Uint8Array(1 << 16);
  /**
   * The real rastream drops the first MAR it is handed (RaFirstRecord):
   * a file's opening MAR, or from stdin (whose opening MAR is a header)
   * the next one.
   */
  #firstMar = true;
  /** The clock the hold time runs on: record time, or the wall clock. */
  #live = false;
  #streamTime = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  failWhenNothingMatched = false;
  /** Records are loaded from their bytes (CanonRecord), never decoded. */
  readonly usesDecodedRecord = false;

  configure(o: ClientOptions): void {
    let hold = 0, program: string | null = null;
    for (const { letter, values } of o.programOptions) {
      if (letter === "M") {
        const [mode, arg] = values.flatMap((v) => v.split(/\s+/)).filter((v) =>
          v !== ""
        );
        if (mode !== "time") {
          throw new UsageError(
            `-M ${mode ?? ""}: only time mode is supported (-M time 5m)`,
          );
        }
        if (arg === undefined) throw new UsageError("-M time: give a period");
        this.#period = parseSplitPeriod(arg);
      } else if (letter === "f") program = values[0] ?? "";
      else if (letter === "B") {
        const v = values[0] ?? "";
        if (!/^\d+$/.test(v)) {
          throw new UsageError(`-B: cannot use "${v}": give whole seconds`);
        }
        hold = Number(v);
      }
    }
    if (this.#period === null) {
      throw new UsageError("give the bin size: -M time N[smhd]");
    }
    const template = nameTemplate(o.writeFile);
    o.writeFile = null;
    // MARs are records for rastream: each goes to the file of its time.
    o.printMan = true;
    const log = (line: string) => console.error(`rastream: ${line}`);
    if (program !== null) this.#script = new FileScript(program, log);
    this.#files = new BinFiles(template, this.#period, hold, this.#script);
    this.#aligner = new RecordAligner(this.#period);
    this.#live = o.remotes.length > 0;
    if (this.#live && hold > 0) {
      this.#timer = setInterval(
        () => this.#files?.tick(Date.now() / 1000),
        330,
      );
    }
  }

  streamMar(mar: Uint8Array): void {
    if (this.#files !== null) this.#files.header ??= mar.slice();
  }

  record(
    _r: unknown,
    buf: Uint8Array,
    start: number,
    length: number,
    _out: unknown,
    place: RecordPlace,
  ): void {
    const files = this.#files!;
    const kind = buf[start]! & 0xf0;
    if (kind === RecordKind.MAR) {
      // Files made while an input is read start with its opening MAR.
      if (place.offset === 0) files.header = buf.slice(start, start + length);
      if (this.#firstMar) {
        this.#firstMar = false;
        return;
      }
      // A MAR goes to the file of its time ("now"); its wall-clock time
      // does not move the records' clock.
      const v = new DataView(buf.buffer, buf.byteOffset + start, length);
      const now = v.getUint32(32) * 1e6 + v.getUint32(36);
      if (this.#live) this.#tick(now);
      files.write(now, buf.subarray(start, start + length));
      return;
    }
    const ns = this.#scratch;
    if (!ns.load(buf, start, length, false) || !ns.hasTime) return;
    this.#tick(fetchStart(ns));
    for (const piece of this.#aligner!.pieces(ns)) {
      const n = piece.encode(this.#bytes, 0, false);
      files.write(fetchStart(piece), this.#bytes.subarray(0, n));
    }
  }

  #tick(recordTime: number): void {
    if (this.#live) {
      this.#files!.tick(Date.now() / 1000);
      return;
    }
    // Reading files, the hold time runs on the records' own clock.
    if (recordTime > this.#streamTime) this.#streamTime = recordTime;
    this.#files!.tick(Math.floor(this.#streamTime / 1e6));
  }

  finish(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#files?.closeAll();
  }

  /** Waits for the -f runs still going. */
  drain(): Promise<void> {
    return this.#script?.drain() ?? Promise.resolve();
  }
}

/** rastream [options]: returns the exit status. */
export async function runRastream(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  const program = new Rastream();
  const status = await runClient(RASTREAM_SPEC, program, args, stdout);
  await program.drain();
  return status;
}
