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
import type { TextOut } from "./text_out.ts";

const SPACE = 0x20;
const PERIOD = 0x2e;
const NON_BLANK = /\S/;

/** Prints records as text lines. */
export class RecordPrinter {
  readonly #fields: readonly PrintField[];
  readonly #widths: readonly number[];
  readonly #options: PrintOptions;
  /** The field delimiter ("" for fixed-width columns). */
  readonly #delimiter: string;
  /** Per field: a port that follows its address (glued with '.'). */
  readonly #glue: readonly boolean[];

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
    this.#glue = fields.map((f, i) =>
      i > 0 &&
      ((f.name === "sport" && fields[i - 1]!.name === "saddr") ||
        (f.name === "dport" && fields[i - 1]!.name === "daddr"))
    );
  }

  /** One record's line, without the newline. */
  line(r: ClientRecord): string {
    if (this.#delimiter !== "") return this.#delimited(r);
    const flow = r.kind === RecordKind.FAR || r.kind === RecordKind.NETFLOW;
    const fields = this.#fields, widths = this.#widths, glue = this.#glue;
    let line = "";
    for (let i = 0; i < fields.length; i++) {
      const cell = fields[i]!.print(r, this.#options, widths[i]!);
      // A port is glued to its address with a period (addr.port).
      if (
        glue[i] && flow && line.charCodeAt(line.length - 1) === SPACE &&
        NON_BLANK.test(cell)
      ) line = line.slice(0, -1) + ".";
      line += cell;
      if (cell.charCodeAt(cell.length - 1) !== SPACE) line += " ";
    }
    return line.trimEnd();
  }

  /**
   * Writes one record's line (and its newline) straight into `out`: the
   * fixed-width form of line(), without building the line as a string.
   */
  writeLine(r: ClientRecord, out: TextOut): void {
    if (this.#delimiter !== "") {
      out.push(this.#delimited(r));
      return;
    }
    const flow = r.kind === RecordKind.FAR || r.kind === RecordKind.NETFLOW;
    const fields = this.#fields, widths = this.#widths, glue = this.#glue;
    out.beginLine(256);
    const o = this.#options;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const mark = out.mark;
      if (f.write !== undefined) f.write(r, o, widths[i]!, out);
      else {
        const cell = f.print(r, o, widths[i]!);
        out.putText(cell);
        if (cell.charCodeAt(cell.length - 1) !== SPACE) out.putText(" ");
      }
      // A port is glued to its address with a period (addr.port).
      if (
        glue[i] && flow && out.byteBefore(mark) === SPACE &&
        out.hasTextAfter(mark)
      ) out.setByteBefore(mark, PERIOD);
    }
    out.endLine();
  }

  /** A line with a field delimiter: cells trimmed (Flgs keeps its blanks). */
  #delimited(r: ClientRecord): string {
    const delim = this.#delimiter;
    let line = "";
    for (let i = 0; i < this.#fields.length; i++) {
      const f = this.#fields[i]!;
      let cell = f.print(r, this.#options, this.#widths[i]!);
      if (cell.endsWith(" ")) cell = cell.slice(0, -1);
      cell += " ";
      if (f.name !== "flgs") cell = cell.trimEnd();
      line += cell + delim;
    }
    line = line.trimEnd();
    if (line.endsWith(delim)) line = line.slice(0, -1);
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
