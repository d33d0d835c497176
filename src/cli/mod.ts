/**
 * Command-line plumbing shared by every program: option tables and their
 * scanning (getopt), help text rendered from the same table, argus.conf(5)
 * style configuration files, and the two user-error kinds.
 *
 * ```ts
 * import { getopt, renderHelp, type OptionSpec } from "./mod.ts";
 * const table: OptionSpec[] = [{ letter: "S", arg: "one", argName: "secs", help: "status interval." }];
 * getopt(["-S5", "tcp"], table); // { options: [{ letter: "S", values: ["5"] }], operands: ["tcp"] }
 * console.log(renderHelp(["usage: x [options]"], table));
 * ```
 * @module
 */

export { getopt } from "./getopt.ts";
export type {
  ArgKind,
  GetoptConfig,
  OptionSpec,
  OptionUse,
  Scanned,
} from "./getopt.ts";
export { optionLines, renderHelp, renderOptions } from "./usage.ts";
export { parseConf, readConf, readConfText } from "./conf_file.ts";
export type { ConfEntry, ConfParseOptions } from "./conf_file.ts";
export { UsageError } from "./usage_error.ts";
export { ConfigError } from "./config_error.ts";
