/**
 * Help text rendered from an option table, so -h and the parser never
 * drift apart. The layout is argus(8)'s `usage()`: nine columns of indent
 * ("options: " on the first line), the flag padded to 24, the description.
 * @module
 */

import type { OptionSpec } from "./getopt.ts";

/** Columns before the flag. */
const INDENT = " ".repeat(9);
/** Width of the flag column (argus: `-w <file ["filter"]>` plus 4). */
const FLAG_WIDTH = 24;

/** The help lines of one option, without the left indent. */
export function optionLines(o: OptionSpec): string[] {
  const flag = `-${o.letter}${o.argName ? ` <${o.argName}>` : ""}`;
  const [first = "", ...rest] = o.help.split("\n");
  const head = flag.length < FLAG_WIDTH
    ? flag.padEnd(FLAG_WIDTH) + first
    : `${flag} ${first}`;
  return [
    head.trimEnd(),
    ...rest.map((line) => (" ".repeat(FLAG_WIDTH) + line).trimEnd()),
    ...(o.helpMore ?? []).map((line) => line.trimEnd()),
  ];
}

/** The option lines of a help text, each indented nine columns. */
export function renderOptions(table: readonly OptionSpec[]): string {
  return table.flatMap(optionLines).map((l) => INDENT + l).join("\n");
}

/**
 * A whole help text: `header` lines, a blank line, then the options with
 * `label` (at most nine columns) in front of the first.
 */
export function renderHelp(
  header: readonly string[],
  table: readonly OptionSpec[],
  label = "options:",
): string {
  const options = renderOptions(table);
  return [
    ...header,
    "",
    label.padEnd(INDENT.length) + options.slice(INDENT.length),
  ].join("\n");
}
