/**
 * Whole-number option values (-s, -U, -P, -D, ARGUS_*_TIMEOUT ...). argus
 * reads them with atoi(), which takes "12abc" as 12 and "abc" as 0; here
 * anything but digits is refused with one line naming the option.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";

/**
 * Parses a whole number from 0 to `max`.
 * @throws UsageError `-P "x": not a number from 0 to 65535`
 */
export function parseCount(
  text: string,
  what: string,
  max = 2 ** 31 - 1,
): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(`${what} "${text}": not a number from 0 to ${max}`);
  }
  return Number(text);
}
