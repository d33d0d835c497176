/**
 * ra's -t range given in several words, joined before option scanning as
 * ArgusParseTimeArg does: `-t 10 - 12` is `-t 10-12` when "12" is a time
 * (else the "-" starts the filter, as in `-t 2023 - tcp`), and `-t 10 -12`
 * is `-t 10-12` (a word "-" then a digit). Only when the -t value has no
 * "+" or "-" with something after it.
 * @module
 */

import type { OptionSpec } from "../cli/mod.ts";
import { parseRangeText } from "./time_range_parser.ts";

function isTime(word: string, nowUs: number): boolean {
  try {
    parseRangeText(word, nowUs, word);
    return true;
  } catch {
    return false;
  }
}

/** Whether the -t value already holds a range ("a-b", "a+b"). */
function hasRange(value: string): boolean {
  let arg = value;
  if (!(arg[0]! >= "0" && arg[0]! <= "9") && arg[0] === "x") arg = arg.slice(1);
  const plus = arg.indexOf("+");
  if (plus >= 0 && plus + 1 < arg.length) return true;
  const minus = arg.indexOf("-");
  return minus >= 0 && minus + 1 < arg.length;
}

/** Joins the words after the -t value at `out[at]` (after `head`). */
function joinAt(out: string[], at: number, head: string, nowUs: number): void {
  const value = out[at]!.slice(head.length);
  const next = out[at + 1];
  if (hasRange(value) || next === undefined || next[0] !== "-") return;
  if (next === "-") {
    const time = out[at + 2];
    if (time !== undefined && isTime(time, nowUs)) {
      out.splice(at, 3, `${head}${value}-${time}`);
    }
  } else if (next[1]! >= "0" && next[1]! <= "9") {
    out.splice(at, 2, `${head}${value}${next}`);
  }
}

/**
 * `args` with each -t value joined to the words ra takes with it; the
 * scan follows getopt over `table` (option clusters, attached values).
 */
export function joinTimeRangeWords(
  args: readonly string[],
  table: readonly OptionSpec[],
  nowUs: number = Date.now() * 1000,
): string[] {
  const specs = new Map(table.map((o) => [o.letter, o]));
  const out = [...args];
  for (let i = 0; i < out.length; i++) {
    const word = out[i]!;
    if (word === "--") break;
    if (word.length < 2 || word[0] !== "-") continue;
    for (let c = 1; c < word.length; c++) {
      const spec = specs.get(word[c]!);
      if (spec === undefined) break;
      if (spec.arg === "none") continue;
      // The value: the rest of this word (after `head`), or the next word.
      let head = "";
      if (c + 1 < word.length) head = word.slice(0, c + 1);
      else if (++i >= out.length) break;
      if (spec.letter === "t") joinAt(out, i, head, nowUs);
      break;
    }
  }
  return out;
}
