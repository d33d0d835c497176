/**
 * The racount program. TODO(#3): being built; says so until then.
 * @module
 */

import type { TextSink } from "../../client/text_out.ts";

/** racount [options]: returns the exit status. */
export function runRacount(
  _args: string[],
  _stdout: TextSink = Deno.stdout,
): Promise<number> {
  console.error("racount: not available in this build yet");
  return Promise.resolve(2);
}
