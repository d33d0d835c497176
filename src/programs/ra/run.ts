/**
 * The ra program: reads Argus records (ours or the real argus's) and
 * prints them as the real ra 3.0.8 does. Damage in a record file is
 * reported after every good record before it has been printed.
 * @module
 */

import { renderOptions, UsageError } from "../../cli/mod.ts";
import { ClientFilterSubject } from "../../client/client_filter_subject.ts";
import { ClientRecord, RecordKind } from "../../client/client_record.ts";
import {
  compileFilter,
  type FilterPredicate,
  FilterSyntaxError,
} from "../../filter/mod.ts";
import { PRINT_FIELDS } from "../../client/print_fields.ts";
import { RecordPrinter } from "../../client/record_printer.ts";
import { RecordFormatError } from "../../record/record_format_error.ts";
import { readRecordFile } from "../../record/record_reader.ts";
import { VERSION } from "../../version.ts";
import {
  parseRaOptions,
  RA_OPTIONS,
  RA_USAGE_LINE,
  type RaOptions,
} from "./options.ts";

/** Where ra's text goes (standard output, or a test's buffer). */
export interface TextSink {
  writeSync(p: Uint8Array): number;
}

/** Buffered text output. */
class TextOut {
  #parts: string[] = [];
  #size = 0;
  readonly #encoder = new TextEncoder();
  readonly #sink: TextSink;

  constructor(sink: TextSink) {
    this.#sink = sink;
  }

  push(line: string): void {
    this.#parts.push(line, "\n");
    this.#size += line.length + 1;
    if (this.#size >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    const bytes = this.#encoder.encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    let off = 0;
    while (off < bytes.length) {
      off += this.#sink.writeSync(bytes.subarray(off));
    }
  }
}

/** ra [options]: returns the exit status. */
export async function runRa(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  let o: RaOptions;
  try {
    o = parseRaOptions(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`ra: ${e.message}`);
      console.error(RA_USAGE_LINE);
      return e.code;
    }
    throw e;
  }
  if (o.help) {
    console.log(
      `ra ${VERSION}\n${RA_USAGE_LINE}\n${renderOptions([...RA_OPTIONS])}`,
    );
    return 0;
  }
  // Compiled once, before any input is opened, as ra does.
  let pass: FilterPredicate | undefined;
  if (o.filter !== "") {
    try {
      pass = compileFilter(o.filter, { precision: o.precision });
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      console.error(`ra: ${e.message}`);
      return 2;
    }
  }
  if (o.files.length === 0) {
    console.error(
      "ra: no input: read records with -r file (or -r - for stdin)",
    );
    console.error(RA_USAGE_LINE);
    return 2;
  }
  const printer = new RecordPrinter(
    o.fields.map((f) => PRINT_FIELDS.get(f.name)!),
    {
      nflag: o.nflag,
      precision: o.precision,
      timeFormat: o.timeFormat,
      unixTime: o.unixTime,
      fixed: o.delimiter === "",
    },
    o.delimiter,
    o.fields.map((f) => f.width),
  );
  const out = new TextOut(stdout);
  const record = new ClientRecord();
  const subject = new ClientFilterSubject();
  let matched = 0;
  let labels = o.labels;
  let labelCount = 0;
  let total = 0;
  let done = false;

  const print = (line: string) => {
    if (o.quiet) return;
    if (labels !== 0) {
      if (labelCount++ % labels === 0) out.push(printer.label());
      if (labels < 0) labels = 0;
    }
    out.push(line);
  };

  let status = 0;
  try {
    for (const file of o.files) {
      if (done) break;
      let first = true;
      try {
        await readRecordFile(file, (buf, start, length) => {
          const initialMar = first && (buf[start]! & 0x80) !== 0;
          first = false;
          // The first MAR of a stream describes it and is not counted.
          if (!initialMar) {
            total++;
            if (o.lastRecord >= 0 && total > o.lastRecord) {
              done = true;
              return false;
            }
            if (o.firstRecord && o.firstRecord >= total) return true;
          }
          record.load(buf, start, length);
          // ra takes a stream's first MAR from stdin as its header.
          if (
            record.kind === RecordKind.MAR &&
            (!o.printMan || (initialMar && file === "-"))
          ) return true;
          // MARs go through the filter too (`- tcp` drops them).
          if (pass !== undefined && !pass(subject.load(record))) return true;
          // The stream's opening MAR is no match (exit status).
          if (!initialMar) matched++;
          print(printer.line(record));
          return true;
        });
      } catch (e) {
        if (!(e instanceof RecordFormatError)) throw e;
        // Every good record before the damage is printed first.
        out.flush();
        console.error(`ra: ${e.message}`);
        status = 1;
      }
      out.flush();
    }
  } catch (e) {
    // A reader that went away (ra ... | head) ends ra quietly, as SIGPIPE does.
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
  // ra exits 1 when its filter matched nothing.
  if (status === 0 && pass !== undefined && matched === 0) status = 1;
  return status;
}
