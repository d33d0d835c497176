/**
 * ConfigError: a configuration file (argus.conf(5), an rc file) cannot be
 * read, or has a line the program refuses. It is a UsageError, so the
 * program exits 2 the same way; it names the file and, for a line, its
 * number.
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** A configuration file that cannot be read or has a refused line. */
export class ConfigError extends UsageError {
  override readonly name: string = "ConfigError";
  /** The file as it was named. */
  readonly file: string;
  /** 1-based line number, or undefined when the whole file is at fault. */
  readonly line: number | undefined;

  /**
   * @param file the path as given (-F argument, /etc/argus.conf)
   * @param line the offending line, or undefined for an unreadable file
   * @param detail what is wrong, e.g. `ARGUS_FILTER: string unterminated`
   */
  constructor(file: string, line: number | undefined, detail: string) {
    super(
      line === undefined
        ? `Cannot read configuration "${file}": ${detail}`
        : `Configuration "${file}" line ${line}: ${detail}`,
    );
    this.file = file;
    this.line = line;
  }
}
