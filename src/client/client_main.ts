/**
 * The skeleton every ra-family program runs on: options and rc files,
 * help, the filter compiled once before any input is opened, the reading
 * loop, the output, and the exit status rules (2 for usage errors, 1 for
 * damaged input or a filter that matched nothing). A program supplies
 * what it does with each record and what it emits at the end.
 * @module
 */

import { renderOptions, UsageError } from "../cli/mod.ts";
import { BadValueError } from "./bad_value_error.ts";
import {
  compileFilter,
  type FilterPredicate,
  FilterSyntaxError,
} from "../filter/mod.ts";
import { VERSION } from "../version.ts";
import { type ClientRecord, RecordKind } from "./client_record.ts";
import {
  type ClientOptions,
  clientOptionTable,
  type ClientSpec,
  longOptionHelp,
  parseClientOptions,
} from "./client_options.ts";
import { PortDirection } from "./port_direction.ts";
import { readSelectedRecords, type RecordPlace } from "./record_input.ts";
import { RecordOutput } from "./record_output.ts";
import { TextOut, type TextSink } from "./text_out.ts";
import { UnknownHostError } from "./remote_stream.ts";
import { parseTimeRange, type TimeRange } from "./time_range.ts";

export { BadValueError };

/** What a program does with the records. */
export interface ClientProgram {
  /**
   * Takes the parsed options (its own in `o.programOptions`); may throw
   * UsageError. Called before any input is read.
   */
  configure?(o: ClientOptions): void;
  /**
   * One record that passed the selection; its bytes are valid now only.
   * Returning false stops reading (ragrep -m).
   */
  record(
    r: ClientRecord,
    buf: Uint8Array,
    start: number,
    length: number,
    out: RecordOutput,
    place: RecordPlace,
  ): void | boolean;
  /**
   * The first stream's opening MAR, which stdin and -S never hand on as
   * a record (rastream starts each of its files with it).
   */
  streamMar?(mar: Uint8Array): void;
  /** After each input file that held records (ragrep -c, -l, -L). */
  fileDone?(file: string, out: RecordOutput): void;
  /** After the last record (racluster, rasort emit here). */
  finish?(out: RecordOutput): void;
  /**
   * Whether an unmatched filter makes the exit status 1, as ra does.
   * @default {true}
   */
  failWhenNothingMatched?: boolean;
  /**
   * Records the program itself kept after the filter (ra -e), or null
   * when it keeps all: then they, not the filter's, decide the exit status.
   */
  selected?(): number | null;
  /**
   * False when `record` reads only the bytes, never the decoded record:
   * the reading loop then decodes only for a filter or -t.
   * "reverseFlag": it reads only whether RA_PORT_DIRECTION turned the
   * record round (record_input.ts decodes the records the rule may turn).
   * @default {true}
   */
  usesDecodedRecord?: boolean | "reverseFlag";
  /**
   * Whether -A prints ra's totals line at the end (only ra does; the
   * other clients take -A and print nothing).
   * @default {false}
   */
  printsTotals?: boolean;
}

/** ra -A's line (RaParseComplete): each value `%-8Ld`. */
function totalsLine(
  records: number,
  man: number,
  far: number,
  pkts: number,
  bytes: number,
): string {
  const v = (n: number) => String(n).padEnd(8);
  return ` Totalrecords ${v(records)}  TotalManRecords ${v(man)}  ` +
    `TotalFarRecords ${v(far)} TotalPkts ${v(pkts)} TotalBytes ${v(bytes)}`;
}

function usageFailure(spec: ClientSpec, e: UsageError): number {
  console.error(`${spec.name}: ${e.message}`);
  // A bad value (ragrep's regex) is reported in one line, without usage.
  if (!(e instanceof BadValueError)) console.error(spec.usageLine);
  return e.code;
}

/** Runs a client program: returns the exit status. */
export async function runClient(
  spec: ClientSpec,
  program: ClientProgram,
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  let o: ClientOptions;
  let range: TimeRange | undefined;
  try {
    o = parseClientOptions(spec, args);
    if (o.help) {
      console.log(
        `${spec.name} ${VERSION}\n${spec.usageLine}\n${
          renderOptions(clientOptionTable(spec))
        }\n${longOptionHelp().map((l) => " ".repeat(9) + l).join("\n")}`,
      );
      return 0;
    }
    if (o.timeRange !== null) {
      range = parseTimeRange(o.timeRange, Date.now() * 1000);
    }
    program.configure?.(o);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(spec, e);
    throw e;
  }
  // Compiled once, before any input is opened, as ra does.
  let filter: FilterPredicate | undefined;
  if (o.filter !== "") {
    try {
      filter = compileFilter(o.filter, { precision: o.precision });
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      console.error(`${spec.name}: ${e.message}`);
      return 2;
    }
  }
  if (o.files.length === 0 && o.remotes.length === 0) {
    console.error(
      `${spec.name}: no input: read records with -r file (or -r - for stdin) or -S host:port`,
    );
    console.error(spec.usageLine);
    return 2;
  }
  const text = new TextOut(stdout);
  const direction = o.portDirection !== 0
    ? new PortDirection(o.portDirection)
    : undefined;
  let output: RecordOutput;
  try {
    output = new RecordOutput(o, text, direction?.printedTcpPorts);
  } catch (e) {
    if (!(e instanceof Error) || !(e.name in Deno.errors)) throw e;
    console.error(`${spec.name}: cannot write "${o.writeFile}": ${e.message}`);
    return 1;
  }
  let status = 0;
  // A live -S stream ends on SIGINT or SIGTERM, and what was read is
  // finished as at the end of a file (ra's ArgusShutDown).
  const stop = new AbortController();
  const signals: Deno.Signal[] = o.remotes.length > 0
    ? ["SIGINT", "SIGTERM"]
    : [];
  const onSignal = () => stop.abort();
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    const deferred: string[] = [];
    const totals = o.totals && program.printsTotals === true;
    let totalPkts = 0, totalBytes = 0;
    const result = await readSelectedRecords(
      {
        files: o.files,
        firstRecord: o.firstRecord,
        lastRecord: o.lastRecord,
        // -w writes MARs whatever RA_PRINT_MAN_RECORDS says, as ra does.
        printMan: o.printMan || o.writeFile !== null,
        filter,
        timeRange: range,
        onStreamMar: (mar) => output.streamMar(mar),
        onFirstMar: (mar) => {
          program.streamMar?.(mar);
          return output.streamMar(mar);
        },
        onFileDone: (file) => program.fileDone?.(file, output),
        decode: program.usesDecodedRecord ?? true,
        direction,
        remotes: o.remotes,
        remoteFilter: o.filter === "" ? undefined : o.filter,
        signal: stop.signal,
        // Live records are printed as they come.
        onChunk: () => output.flush(),
        log: (line) => console.error(`${spec.name}: ${line}`),
      },
      (r, buf, start, length, place) => {
        if (!totals) {
          return program.record(r, buf, start, length, output, place);
        }
        // ra -A sums the flow records it processes: those the program
        // keeps, when it selects records itself (ra -e).
        const before = program.selected?.() ?? null;
        const go = program.record(r, buf, start, length, output, place);
        const kept = before === null || program.selected?.() !== before;
        if (
          kept &&
          (r.kind === RecordKind.FAR || r.kind === RecordKind.NETFLOW) &&
          r.hasMetric
        ) {
          totalPkts += r.srcPkts + r.dstPkts;
          totalBytes += r.srcBytes + r.dstBytes;
        }
        return go;
      },
      (message) => {
        // Every good record before the damage is out first: now, or, for
        // a program that emits at the end (racluster, rasort), after that.
        if (program.finish !== undefined) {
          deferred.push(message);
          return;
        }
        output.flush();
        console.error(`${spec.name}: ${message}`);
      },
    );
    status = result.status;
    // Files that were no record stream are skipped (one line each, where
    // ra says nothing); only when nothing at all was read is it 1, as
    // ra's "no MAR read" rule makes it.
    if (
      status === 0 && result.rejected > 0 && result.opened === 0 &&
      o.remotes.length === 0
    ) status = 1;
    program.finish?.(output);
    output.close();
    if (totals) {
      text.push(
        totalsLine(
          // ra counts only what its grep (-e) kept.
          result.opened + (program.selected?.() ?? result.counted) + 1,
          // ra counts a file's opening MAR twice: when it opens the file
          // (ArgusReadConnection) and when it reads the record.
          result.marRecords + result.opened,
          result.farRecords,
          totalPkts,
          totalBytes,
        ),
      );
      text.flush();
    }
    for (const message of deferred) console.error(`${spec.name}: ${message}`);
    const own = program.selected?.() ?? null;
    if (
      // ra's rule (RaParseComplete): 1 when its count of files opened
      // and records passed is at most 1, so two files never give 1.
      status === 0 && program.failWhenNothingMatched !== false &&
      (own === null
        ? filter !== undefined && result.opened + result.matched <= 1
        : result.opened + own <= 1)
    ) status = 1;
  } catch (e) {
    // A reader that went away (ra ... | head) ends quietly, as SIGPIPE does.
    if (e instanceof Deno.errors.BrokenPipe) return status;
    if (e instanceof UnknownHostError) {
      output.close();
      console.error(`${spec.name}: ${e.message}`);
      return 2;
    }
    if (e instanceof Error && e.name in Deno.errors) {
      console.error(`${spec.name}: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
  return status;
}
