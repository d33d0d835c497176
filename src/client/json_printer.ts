/**
 * --json: one JSON object per record (NDJSON), keyed by the -s field
 * names, values as ra prints them without padding; counters are numbers.
 * Built by string concatenation with prefixes made once, so it costs
 * about what the text line costs.
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

/** Characters JSON strings must escape (non-ASCII too, to stay 7-bit). */
// deno-lint-ignore no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

/** Prints records as JSON lines. */
export class JsonPrinter {
  readonly #fields: readonly PrintField[];
  readonly #widths: readonly number[];
  readonly #options: PrintOptions;
  /** `{"name":` / `,"name":` for each field. */
  readonly #prefixes: readonly string[];

  constructor(
    fields: readonly PrintField[],
    options: PrintOptions,
    widths: readonly number[] = fields.map((f) => f.width),
  ) {
    this.#fields = fields;
    this.#widths = widths;
    // Unpadded values, as with a field delimiter.
    this.#options = { ...options, fixed: false };
    this.#prefixes = fields.map((f, i) =>
      `${i === 0 ? "{" : ","}${JSON.stringify(f.name)}:`
    );
  }

  /** One record's JSON object, without the newline. */
  line(r: ClientRecord): string {
    let line = "";
    for (let i = 0; i < this.#fields.length; i++) {
      const f = this.#fields[i]!;
      const text = f.print(r, this.#options, this.#widths[i]!).trim();
      line += this.#prefixes[i]!;
      if (f.json === "number" && text !== "" && Number.isFinite(+text)) {
        line += text;
      } else if (NEEDS_ESCAPE.test(text)) {
        line += JSON.stringify(text);
      } else {
        line += '"' + text + '"';
      }
    }
    return this.#fields.length === 0 ? "{}" : line + "}";
  }
}
