/**
 * Configuration files in argus.conf(5) form: `NAME=value` lines, `#` and
 * `!` comments, values optionally in double quotes (kept verbatim inside),
 * and ` //` trailing comments on unquoted values, as argus reads them.
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** One setting of a configuration file. */
export interface ConfEntry {
  name: string;
  value: string;
  /** The value was in double quotes. */
  quoted: boolean;
  /** 1-based line number. */
  line: number;
}

/** Parses configuration text; `file` names it in error messages. */
export function parseConf(text: string, file: string): ConfEntry[] {
  const out: ConfEntry[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, "").trimStart();
    if (line === "" || line[0] === "#" || line[0] === "!") continue;
    const eq = line.indexOf("=");
    const name = eq > 0 ? line.slice(0, eq) : "";
    // argus silently ignores lines it does not know, names included.
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    let value = line.slice(eq + 1);
    let quoted = false;
    if (value.startsWith('"')) {
      const end = value.indexOf('"', 1);
      if (end < 0) {
        throw new UsageError(`${file}: line ${n + 1}: string unterminated`);
      }
      value = value.slice(1, end);
      quoted = true;
    } else {
      const comment = value.search(/[ \t]\/\//);
      if (comment >= 0) value = value.slice(0, comment);
      value = value.trimEnd();
    }
    out.push({ name, value, quoted, line: n + 1 });
  }
  return out;
}

/** Reads and parses a configuration file; UsageError when unreadable. */
export function readConf(path: string): ConfEntry[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : String(e);
    throw new UsageError(`Cannot read configuration "${path}": ${why}`);
  }
  return parseConf(text, path);
}
