/**
 * --json: one JSON object per record (NDJSON), keyed by the -s field
 * names, values as ra prints them without padding; counters are numbers.
 * Built by string concatenation with prefixes made once, so it costs
 * about what the text line costs.
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";
import { byteSet, type TextOut } from "./text_out.ts";

/** Bytes a fast-path string value may not hold (it would need escaping). */
const ESCAPED = byteSet('"\\', true);

/** Bytes a fast-path number may hold. */
const NOT_NUMBER = byteSet(
  Array.from({ length: 128 }, (_, b) => String.fromCharCode(b))
    .filter((c) => !/[0-9.\-]/.test(c)).join(""),
);

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

  /** Writes one record's object and newline straight into `out`. */
  writeLine(r: ClientRecord, out: TextOut): void {
    out.beginLine(256);
    // Values unpadded and uncut; blanks a value keeps are trimmed.
    out.padding = false;
    const fields = this.#fields;
    if (fields.length === 0) out.putText("{}");
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      out.putText(this.#prefixes[i]!);
      if (f.write !== undefined) {
        const number = f.json === "number";
        const mark = out.mark;
        if (!number) out.putText('"');
        const at = out.mark;
        f.write(r, this.#options, this.#widths[i]!, out);
        out.trimFrom(at);
        const ok = number
          ? out.mark > at && !out.hasByteIn(at, NOT_NUMBER)
          : !out.hasByteIn(at, ESCAPED);
        if (ok) {
          if (!number) out.putText('"');
          continue;
        }
        out.rewind(mark);
      }
      out.putText(this.#value(f, r, i));
    }
    if (fields.length > 0) out.putText("}");
    out.padding = true;
    out.endLine();
  }

  /** A field's JSON value, from its printed text. */
  #value(f: PrintField, r: ClientRecord, i: number): string {
    const text = f.print(r, this.#options, this.#widths[i]!).trim();
    if (f.json === "number" && text !== "" && Number.isFinite(+text)) {
      return text;
    }
    return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
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
