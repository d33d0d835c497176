/**
 * --csv: a header line of the -s field names, then one row per record
 * with the values as ra prints them, unpadded; a value holding a comma,
 * quote or newline is quoted (RFC 4180).
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";
import { byteSet, type TextOut } from "./text_out.ts";

/** Bytes a fast-path value may not hold (it would need quotes). */
const QUOTED = byteSet('",\r\n');

const NEEDS_QUOTES = /[",\r\n]/;

/** Prints records as CSV rows. */
export class CsvPrinter {
  readonly #fields: readonly PrintField[];
  readonly #widths: readonly number[];
  readonly #options: PrintOptions;

  constructor(
    fields: readonly PrintField[],
    options: PrintOptions,
    widths: readonly number[] = fields.map((f) => f.width),
  ) {
    this.#fields = fields;
    this.#widths = widths;
    this.#options = { ...options, fixed: false };
  }

  /** Writes one record's row and newline straight into `out`. */
  writeLine(r: ClientRecord, out: TextOut): void {
    out.beginLine(256);
    // Values unpadded and uncut; blanks a value keeps are trimmed.
    out.padding = false;
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (i > 0) out.putText(",");
      if (f.write !== undefined) {
        const mark = out.mark;
        f.write(r, this.#options, this.#widths[i]!, out);
        out.trimFrom(mark);
        if (!out.hasByteIn(mark, QUOTED)) continue;
        out.rewind(mark);
      }
      out.putText(this.#cell(f, r, i));
    }
    out.padding = true;
    out.endLine();
  }

  #cell(f: PrintField, r: ClientRecord, i: number): string {
    const text = f.print(r, this.#options, this.#widths[i]!).trim();
    return NEEDS_QUOTES.test(text)
      ? '"' + text.replaceAll('"', '""') + '"'
      : text;
  }

  /** The header line: the field names. */
  header(): string {
    return this.#fields.map((f) => f.name).join(",");
  }

  /** One record's row, without the newline. */
  line(r: ClientRecord): string {
    let line = "";
    for (let i = 0; i < this.#fields.length; i++) {
      if (i > 0) line += ",";
      line += this.#cell(this.#fields[i]!, r, i);
    }
    return line;
  }
}
