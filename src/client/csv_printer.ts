/**
 * --csv: a header line of the -s field names, then one row per record
 * with the values as ra prints them, unpadded; a value holding a comma,
 * quote or newline is quoted (RFC 4180).
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

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

  /** The header line: the field names. */
  header(): string {
    return this.#fields.map((f) => f.name).join(",");
  }

  /** One record's row, without the newline. */
  line(r: ClientRecord): string {
    let line = "";
    for (let i = 0; i < this.#fields.length; i++) {
      const text = this.#fields[i]!.print(r, this.#options, this.#widths[i]!)
        .trim();
      if (i > 0) line += ",";
      line += NEEDS_QUOTES.test(text)
        ? '"' + text.replaceAll('"', '""') + '"'
        : text;
    }
    return line;
  }
}
