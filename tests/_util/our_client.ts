/**
 * Any of our ra-family programs run in-process (no child process per
 * call): its exit status and everything it printed on standard output.
 * @module
 */

import type { TextSink } from "../../src/client/text_out.ts";

/** A program's entry: arguments and a sink in, exit status out. */
export type ClientEntry = (args: string[], stdout: TextSink) => Promise<number>;

/** Runs `entry` with `args`, collecting standard output as text. */
export async function runOurs(
  entry: ClientEntry,
  args: string[],
): Promise<{ code: number; out: string; bytes: Uint8Array }> {
  const chunks: Uint8Array[] = [];
  const sink = {
    writeSync(p: Uint8Array): number {
      chunks.push(p.slice());
      return p.length;
    },
  };
  const code = await entry(args, sink);
  let size = 0;
  for (const c of chunks) size += c.length;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { code, out: new TextDecoder().decode(bytes), bytes };
}
