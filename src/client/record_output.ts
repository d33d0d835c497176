/**
 * Where a client's records go: ra's text lines with their label lines,
 * CSV with a header, NDJSON, or -w (Argus records appended to a file, or
 * standard output with "-", after the input's opening MAR as the real ra
 * writes it). -q prints nothing.
 * @module
 */

import { ClientRecord } from "./client_record.ts";
import type { ClientOptions } from "./client_options.ts";
import { CsvPrinter } from "./csv_printer.ts";
import { JsonPrinter } from "./json_printer.ts";
import { PRINT_FIELDS } from "./print_fields.ts";
import { RecordPrinter } from "./record_printer.ts";
import type { TextOut } from "./text_out.ts";

/** Write records to a -w file in blocks this large. */
const BLOCK = 1 << 20;

/** Argus records appended to a file or written to standard output. */
class RecordFileOut {
  #buf = new Uint8Array(BLOCK);
  #pos = 0;
  #file: Deno.FsFile | null = null;
  #wroteHeader = false;
  readonly #path: string;
  readonly #stdout: TextOut;

  /** The opening MAR, held until a record follows it. */
  #pending: Uint8Array | null = null;

  constructor(path: string, stdout: TextOut) {
    this.#path = path;
    this.#stdout = stdout;
    if (path !== "-") {
      // The file is created at the first record, as the real clients do:
      // with nothing to write (rasort without flows, ra -X on a file of
      // MARs only) they leave no file behind.
      try {
        this.#wroteHeader = Deno.statSync(path).size > 0;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
  }

  /**
   * The input's opening MAR starts a new file; true when it was written
   * so. Appending, it is an ordinary record (filtered like the others).
   * Until a record follows, a later input's MAR takes its place: ra
   * writes the last opened input's (ArgusInitCon) at its first write.
   */
  header(mar: Uint8Array): boolean {
    if (this.#wroteHeader && this.#pending === null) return false;
    this.#wroteHeader = true;
    this.#pending = mar.slice();
    return true;
  }

  put(buf: Uint8Array, start: number, length: number): void {
    this.#wroteHeader = true;
    if (this.#pending !== null) {
      const mar = this.#pending;
      this.#pending = null;
      this.put(mar, 0, mar.length);
    }
    if (this.#pos + length > this.#buf.length) this.flush();
    if (length > this.#buf.length) {
      this.#write(buf.subarray(start, start + length));
      return;
    }
    this.#buf.set(buf.subarray(start, start + length), this.#pos);
    this.#pos += length;
  }

  flush(): void {
    if (this.#pos === 0) return;
    this.#write(this.#buf.subarray(0, this.#pos));
    this.#pos = 0;
  }

  close(): void {
    this.flush();
    this.#file?.close();
    this.#file = null;
  }

  #write(bytes: Uint8Array): void {
    if (this.#path === "-") {
      this.#stdout.pushBytes(bytes);
      return;
    }
    this.#file ??= Deno.openSync(this.#path, {
      write: true,
      create: true,
      append: true,
    });
    let off = 0;
    while (off < bytes.length) {
      off += this.#file.writeSync(bytes.subarray(off));
    }
  }

  get path(): string {
    return this.#path;
  }
}

/** The output side of a client. */
export class RecordOutput {
  readonly #out: TextOut;
  readonly #quiet: boolean;
  readonly #line: (r: ClientRecord) => string;
  /** The printer of the chosen form, writing lines in place. */
  readonly #writer: { writeLine(r: ClientRecord, out: TextOut): void };
  readonly #labelLine: string;
  #labels: number;
  #labelCount = 0;
  #file: RecordFileOut | null = null;
  /** Scratch record for records given as bytes (emitBytes). */
  readonly #scratch = new ClientRecord();

  /**
   * @param printedTcpPorts where the printer notes each TCP port it names
   * (RA_PORT_DIRECTION's services rule reads them)
   */
  constructor(
    o: ClientOptions,
    out: TextOut,
    printedTcpPorts?: Set<number>,
  ) {
    this.#out = out;
    this.#quiet = o.quiet;
    const fields = o.fields.map((f) => PRINT_FIELDS.get(f.name)!);
    const widths = o.fields.map((f) => f.width);
    const printOptions = {
      nflag: o.nflag,
      precision: o.precision,
      timeFormat: o.timeFormat,
      unixTime: o.unixTime,
      fixed: o.delimiter === "",
      // -z wins over -Z.
      tcpState: o.tcpStates ? "z" : o.tcpFlags ? "Z" + o.tcpFlags : "",
      abbreviate: o.abbreviate,
      appLoad: o.totals,
      // ra names MACs (ff:ff:ff:ff:ff:ff is "Broadcast") only when a MAC
      // column is asked for and -n leaves names on.
      etherNames: o.nflag <= 2 &&
        o.fields.some((f) => f.name === "smac" || f.name === "dmac"),
      ...(printedTcpPorts ? { printedTcpPorts } : {}),
    };
    const text = new RecordPrinter(fields, printOptions, o.delimiter, widths);
    this.#labelLine = text.label();
    this.#labels = o.labels;
    if (o.format === "json") {
      const json = new JsonPrinter(fields, printOptions, widths);
      this.#line = (r) => json.line(r);
      this.#writer = json;
      this.#labels = 0;
    } else if (o.format === "csv") {
      const csv = new CsvPrinter(fields, printOptions, widths);
      this.#line = (r) => csv.line(r);
      this.#writer = csv;
      this.#labelLine = csv.header();
      this.#labels = -1;
    } else {
      this.#line = (r) => text.line(r);
      this.#writer = text;
    }
    if (o.writeFile !== null) {
      this.#file = new RecordFileOut(o.writeFile, out);
    }
  }

  /** The input's opening MAR: true when -w took it as its file header. */
  streamMar(mar: Uint8Array): boolean {
    return this.#file?.header(mar) ?? false;
  }

  /**
   * Emits a record already decoded into `r` (its bytes at buf[start..]);
   * a printed line starts with `prefix` (ragrep's "file:" and "offset:").
   */
  emit(
    r: ClientRecord,
    buf: Uint8Array,
    start: number,
    length: number,
    prefix = "",
  ): void {
    if (this.#file !== null) {
      this.#file.put(buf, start, length);
      return;
    }
    if (prefix === "") this.#print(r);
    else this.printLine(prefix + this.#line(r));
  }

  /**
   * Emits a record given only as bytes; `adjust` redoes on the decoded
   * record what the reading did to it (rasort: RA_PORT_DIRECTION).
   */
  emitBytes(
    buf: Uint8Array,
    start = 0,
    length = buf.length - start,
    adjust?: (r: ClientRecord) => void,
  ): void {
    if (this.#file !== null) {
      this.#file.put(buf, start, length);
      return;
    }
    const r = this.#scratch.load(buf, start, length);
    adjust?.(r);
    this.#print(r);
  }

  /** Prints a record's line, written in place in the text form. */
  #print(r: ClientRecord): void {
    if (this.#labelsDue()) this.#writer.writeLine(r, this.#out);
  }

  /** Prints the label line when due; false when nothing may be printed. */
  #labelsDue(): boolean {
    if (this.#quiet || this.#file !== null) return false;
    if (this.#labels !== 0) {
      if (this.#labelCount++ % this.#labels === 0) {
        this.#out.push(this.#labelLine);
      }
      if (this.#labels < 0) this.#labels = 0;
    }
    return true;
  }

  /** Prints one line of text (labels first when due), unless -q or -w. */
  printLine(line: string): void {
    if (this.#labelsDue()) this.#out.push(line);
  }

  /** Writes what is buffered (text and records). */
  flush(): void {
    this.#file?.flush();
    this.#out.flush();
  }

  /** Flushes and closes the -w file. */
  close(): void {
    this.#file?.close();
    this.#out.flush();
  }
}
