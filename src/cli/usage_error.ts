/**
 * UsageError: the command line (or a configuration file) is wrong. The
 * program prints its usage line and the message, and exits with `code`.
 * @module
 */

/** A user mistake in options or configuration. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** Exit status to use. */
  readonly code: number;

  constructor(message: string, code = 2) {
    super(message);
    this.code = code;
  }
}
