/**
 * Lines of ra output: the chosen columns of each record joined the way
 * ArgusPrintRecord joins them (a port glued to its address with a period,
 * trailing blanks dropped, or a field delimiter with blanks trimmed), and
 * the label line (ArgusGenerateLabel).
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import { RecordKind } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

/** Prints records as text lines. */
export class RecordPrinter {
  readonly #fields: readonly PrintField[];
  readonly #widths: readonly number[];
  readonly #options: PrintOptions;
  /** The field delimiter ("" for fixed-width columns). */
  readonly #delimiter: string;

  constructor(
    fields: readonly PrintField[],
    options: PrintOptions,
    delimiter: string,
    widths: readonly number[] = fields.map((f) => f.width),
  ) {
    this.#fields = fields;
    this.#widths = widths;
    this.#options = options;
    this.#delimiter = delimiter;
  }

  /** One record's line, without the newline. */
  line(r: ClientRecord): string {
    const delim = this.#delimiter;
    const flow = r.kind === RecordKind.FAR || r.kind === RecordKind.NETFLOW;
    let line = "";
    for (let i = 0; i < this.#fields.length; i++) {
      const f = this.#fields[i]!;
      let cell = f.print(r, this.#options, this.#widths[i]!);
      if (cell.endsWith(" ")) cell = cell.slice(0, -1);
      if (delim === "" && flow && i > 0 && /\S/.test(cell)) {
        const prev = this.#fields[i - 1]!.name;
        if (
          (f.name === "sport" && prev === "saddr") ||
          (f.name === "dport" && prev === "daddr")
        ) {
          if (line.endsWith(" ")) line = line.slice(0, -1) + ".";
        }
      }
      cell += " ";
      if (delim !== "") {
        if (f.name !== "flgs") cell = cell.trimEnd();
        line += cell + delim;
      } else line += cell;
    }
    line = line.trimEnd();
    if (delim !== "" && line.endsWith(delim)) line = line.slice(0, -1);
    return line;
  }

  /** The label line. */
  label(): string {
    const delim = this.#delimiter;
    let text = "";
    for (let i = 0; i < this.#fields.length; i++) {
      const l = this.#fields[i]!.label(this.#options, this.#widths[i]!);
      text += this.#options.fixed ? l : l.trim() + " ";
    }
    if (delim === "") return text;
    // Runs of blanks become one delimiter.
    let out = "";
    let last = delim;
    for (let i = 0; i < text.length;) {
      if (text[i] === " ") {
        if (last !== delim) out += delim;
        while (i < text.length && /\s/.test(text[i]!)) i++;
        if (i >= text.length) break;
      }
      last = text[i]!;
      out += text[i++];
    }
    if (out.endsWith(delim)) out = out.slice(0, -1);
    return out;
  }
}
