/**
 * Our ra run in-process (no child process per call): its exit status and
 * everything it printed on standard output.
 * @module
 */

import { runRa } from "../../src/programs/ra/run.ts";

/** Runs our ra with `args`. */
export async function ourRa(
  args: string[],
): Promise<{ code: number; out: string }> {
  const chunks: Uint8Array[] = [];
  const sink = {
    writeSync(p: Uint8Array): number {
      chunks.push(p.slice());
      return p.length;
    },
  };
  const code = await runRa(args, sink);
  let size = 0;
  for (const c of chunks) size += c.length;
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return { code, out: new TextDecoder().decode(all) };
}
