/**
 * BadValueError: a UsageError for a bad option value (ragrep's regex, ra's
 * -t range), reported in one line without the usage text (exit 2).
 * @module
 */

import { UsageError } from "../cli/mod.ts";

/** A bad option value, reported in one line. */
export class BadValueError extends UsageError {
  override readonly name: string = "BadValueError";
}
