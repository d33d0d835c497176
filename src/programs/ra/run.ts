/**
 * The ra program: reads Argus records (ours or the real argus's) and
 * prints them as the real ra 3.0.8 does, or writes them (-w), or as
 * JSON/CSV. Everything but "each record goes out" is the shared client
 * skeleton.
 * @module
 */

import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientSpec } from "../../client/client_options.ts";
import type { TextSink } from "../../client/text_out.ts";

/** ra's name and usage. */
export const RA_SPEC: ClientSpec = {
  name: "ra",
  usageLine: "usage: ra [options] [-r file ...] [- filter-expression]",
};

const RA: ClientProgram = {
  record(r, buf, start, length, out) {
    out.emit(r, buf, start, length);
  },
};

/** ra [options]: returns the exit status. */
export function runRa(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  return runClient(RA_SPEC, RA, args, stdout);
}
