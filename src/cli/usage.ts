/**
 * Help text rendered from an option table, so -h and the parser never
 * drift apart.
 * @module
 */

import type { OptionSpec } from "./getopt.ts";

/** The option lines of a help text, argus(8)'s layout. */
export function renderOptions(table: OptionSpec[]): string {
  const lines: string[] = [];
  for (const o of table) {
    const flag = `-${o.letter}${o.argName ? ` <${o.argName}>` : ""}`;
    lines.push(`         ${flag.padEnd(24)}${o.help}`);
  }
  return lines.join("\n");
}
