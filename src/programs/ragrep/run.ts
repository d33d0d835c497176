/**
 * The ragrep program. TODO(#3): being built; says so until then.
 * @module
 */

import type { TextSink } from "../../client/text_out.ts";

/** ragrep [options]: returns the exit status. */
export function runRagrep(
  _args: string[],
  _stdout: TextSink = Deno.stdout,
): Promise<number> {
  console.error("ragrep: not available in this build yet");
  return Promise.resolve(2);
}
