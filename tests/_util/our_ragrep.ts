/**
 * Our ragrep run in-process (no child process per call): its exit status
 * and everything it printed on standard output.
 * @module
 */

import { runRagrep } from "../../src/programs/ragrep/run.ts";

/** Runs our ragrep with `args`. */
export async function ourRagrep(
  args: string[],
): Promise<{ code: number; out: string }> {
  const chunks: Uint8Array[] = [];
  const sink = {
    writeSync(p: Uint8Array): number {
      chunks.push(p.slice());
      return p.length;
    },
  };
  const code = await runRagrep(args, sink);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return { code, out: new TextDecoder().decode(all) };
}
