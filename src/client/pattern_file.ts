/**
 * ragrep -f: the patterns of a file, read as ArgusParseGrepExpressionFile
 * does: one per line; lines starting with "#" or "!" and empty lines are
 * skipped; a line ending in a backslash continues on the next one.
 * @module
 */

import { BadValueError } from "./bad_value_error.ts";

/**
 * The patterns in `path`, in order.
 * @throws BadValueError when the file cannot be read
 */
export function readPatternFile(path: string): string[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new BadValueError(
      `-f: cannot read "${path}": ${(e as Error).message}`,
    );
  }
  const patterns: string[] = [];
  let pending = "";
  const lines = text.split("\n");
  // A final newline leaves an empty last piece, which is no line.
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    if (line === "" || line[0] === "#" || line[0] === "!") continue;
    if (line.endsWith("\\")) {
      pending += line.slice(0, -1);
      continue;
    }
    pending += line;
    if (pending !== "") patterns.push(pending);
    pending = "";
  }
  if (pending !== "") patterns.push(pending);
  return patterns;
}
