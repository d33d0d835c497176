/**
 * The rasort program. TODO(#3): being built; says so until then.
 * @module
 */

import type { TextSink } from "../../client/text_out.ts";

/** rasort [options]: returns the exit status. */
export function runRasort(
  _args: string[],
  _stdout: TextSink = Deno.stdout,
): Promise<number> {
  console.error("rasort: not available in this build yet");
  return Promise.resolve(2);
}
