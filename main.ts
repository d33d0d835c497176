/**
 * argus-ts: the multi-call entry. Runs argus, ra, ... chosen by the name
 * the binary was invoked as or by the first argument, and is the only
 * place that catches every error: one line on stderr, never a stack trace
 * (set ARGUS_TS_DEBUG=1 to see one).
 * @module
 */

import {
  chooseProgram,
  loadProgram,
  PROGRAM_NAMES,
} from "./src/programs/mod.ts";

async function main(): Promise<number> {
  // node:process (for argv0) costs ~10 ms to load: only links need it.
  const inv = chooseProgram("", Deno.args) ??
    chooseProgram((await import("node:process")).default.argv0, Deno.args);
  if (inv === null) {
    console.error(
      `usage: main.ts PROGRAM [options]  (PROGRAM: ${
        PROGRAM_NAMES.join(", ")
      })`,
    );
    return 2;
  }
  const run = await loadProgram(inv.program);
  return await run(inv.args);
}

let status: number;
try {
  status = await main();
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`argus-ts: ${message}`);
  if (Deno.env.get("ARGUS_TS_DEBUG")) console.error(e);
  status = 1;
}
// Out at once: every program has awaited its output by now, and letting
// the event loop drain and V8 tear down costs ~4 ms a run (issue 6). A
// read left pending (ra -N on a pipe) no longer holds the exit either.
Deno.exit(status);
