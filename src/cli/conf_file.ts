/**
 * Configuration files in argus.conf(5) form, read the way argus's
 * ArgusParseResourceFile reads them: `NAME=value` lines (no space before
 * the "="), leading blanks skipped, `#` and `!` comment lines, a value in
 * double quotes taken up to the next quote (the rest of the line ignored),
 * an unquoted value cut at " //" or "\t//", and every other line ignored.
 * @module
 */

import { ConfigError } from "./config_error.ts";

/** One setting of a configuration file. */
export interface ConfEntry {
  name: string;
  /**
   * The value as argus sees it: inside the quotes, or the unquoted rest of
   * the line up to a ` //` comment, trailing blanks kept (argus keeps them,
   * and they matter: `ARGUS_MONITOR_ID=1234 ` is an IPv4 address to it).
   */
  value: string;
  /** The value was in double quotes. */
  quoted: boolean;
  /** 1-based line number. */
  line: number;
}

/** What to read. */
export interface ConfParseOptions {
  /**
   * Only these names are read; other lines are skipped unexamined, as
   * argus skips everything that is not one of its variables (so broken
   * quoting on an unknown name is no error). Default: every name.
   */
  names?: ReadonlySet<string>;
}

/** Characters C's isspace() accepts, which argus skips at line starts. */
const LEADING_SPACE = /^[ \t\n\v\f\r]+/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses configuration text; `file` names it in errors.
 * @throws ConfigError for a value that opens a double quote and never
 *   closes it (argus stops with "string unterminated" there)
 */
export function parseConf(
  text: string,
  file: string,
  options: ConfParseOptions = {},
): ConfEntry[] {
  const out: ConfEntry[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    // A CR before the LF is taken as part of the line end (argus would keep
    // it in the value; a DOS-edited file is the likely cause).
    const line = lines[n]!.replace(/\r$/, "").replace(LEADING_SPACE, "");
    if (line === "" || line[0] === "#" || line[0] === "!") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    if (!NAME.test(name)) continue;
    if (options.names && !options.names.has(name)) continue;
    let value = line.slice(eq + 1);
    let quoted = false;
    if (value.startsWith('"')) {
      const end = value.indexOf('"', 1);
      if (end < 0) {
        throw new ConfigError(file, n + 1, `${name}: string unterminated`);
      }
      value = value.slice(1, end);
      quoted = true;
    } else {
      // argus looks for " //" first and only then for "\t//".
      let comment = value.indexOf(" //");
      if (comment < 0) comment = value.indexOf("\t//");
      if (comment >= 0) value = value.slice(0, comment);
    }
    out.push({ name, value, quoted, line: n + 1 });
  }
  return out;
}

/**
 * Reads and parses a configuration file.
 * @throws ConfigError when the file cannot be read, or as parseConf
 */
export function readConf(
  path: string,
  options: ConfParseOptions = {},
): ConfEntry[] {
  return parseConf(readConfText(path), path, options);
}

/**
 * A configuration file's text.
 * @throws ConfigError naming the file and the reason it cannot be read
 */
export function readConfText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    throw new ConfigError(path, undefined, readFailure(e));
  }
}

function readFailure(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  return e instanceof Error ? e.message : String(e);
}
