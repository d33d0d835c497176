/**
 * ra's user data columns, `suser` and `duser` (default length 16): the
 * bytes `argus -U` captured, as ArgusPrintSrcUserData / ArgusPrintDstUserData
 * print them in their default ASCII encoding: "s[N]=" (or "d[N]=") and the
 * first N = min(captured, length) bytes, unprintable ones as '.', in a
 * column of length + 8 (+1 from 10 or 11, +1 from 100 for the source: the
 * two functions differ). Empty on MARs and records without the DSR.
 * @module
 */

import type { ClientRecord } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";
import { findUserData } from "./user_data_match.ts";

const at = new Int32Array(2);

/** The "s[N]=..." text of one side, "" without data. */
function userText(r: ClientRecord, src: boolean, len: number): string {
  findUserData(r, at);
  const p = at[src ? 0 : 1]!;
  if (p < 0 || len <= 0) return "";
  const b = r.view.buf, v = r.view.view;
  const count = v.getUint16(p + 6);
  const shown = Math.min(count, len);
  if (shown <= 0) return "";
  let text = src ? `s[${shown}]=` : `d[${shown}]=`;
  for (let i = p + 8; i < p + 8 + shown; i++) {
    const c = b[i]!;
    text += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
  return text;
}

/** The column's width for a length, as each side computes it. */
function columnWidth(src: boolean, len: number): number {
  if (src) return len + 8 + (len >= 10 ? 1 : 0) + (len >= 100 ? 1 : 0);
  return len + 8 + (len > 10 ? 1 : 0);
}

function userField(name: string, src: boolean): PrintField {
  const title = src ? "srcUdata" : "dstUdata";
  return {
    name,
    width: 16,
    print(r: ClientRecord, o: PrintOptions, len: number): string {
      if (len <= 0) return " ";
      const text = userText(r, src, len);
      if (!o.fixed) return text + " ";
      const w = columnWidth(src, len);
      return (text.length > w ? text.slice(0, w) : text.padEnd(w)) + " ";
    },
    label(_o: PrintOptions, len: number): string {
      if (len <= 0) return "";
      // sprintf("%*s<title>%*s ", half, " ", half, " "): " " fills at least one.
      const half = (len + (len > 10 ? 1 : 0)) >> 1;
      const pad = " ".repeat(Math.max(1, half));
      const odd = (len + (len > 10 ? 1 : 0)) & 1;
      return pad + title + pad + " " + (odd ? " " : "");
    },
  };
}

/** suser and duser, for the -s table. */
export const USER_DATA_FIELDS: readonly PrintField[] = [
  userField("suser", true),
  userField("duser", false),
];
