/**
 * UsageError: the command line (or a configuration file) is wrong. The
 * program prints the one-line message and its usage line, and exits with
 * `code` (2). STYLE.md section 4: the one error kind a user causes.
 * @module
 */

/** A user mistake in options or configuration. */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
  /** Exit status to use. */
  readonly code: number;

  constructor(message: string, code = 2) {
    super(message);
    this.code = code;
  }
}
