/**
 * Command-line plumbing shared by every program: scanning, usage text,
 * configuration files and the usage error.
 * @module
 */

export { getopt } from "./getopt.ts";
export type { ArgKind, OptionSpec, OptionUse, Scanned } from "./getopt.ts";
export { renderOptions } from "./usage.ts";
export { parseConf, readConf } from "./conf_file.ts";
export type { ConfEntry } from "./conf_file.ts";
export { UsageError } from "./usage_error.ts";
