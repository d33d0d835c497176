/**
 * The racluster program. TODO(#3): being built; says so until then.
 * @module
 */

import type { TextSink } from "../../client/text_out.ts";

/** racluster [options]: returns the exit status. */
export function runRacluster(
  _args: string[],
  _stdout: TextSink = Deno.stdout,
): Promise<number> {
  console.error("racluster: not available in this build yet");
  return Promise.resolve(2);
}
