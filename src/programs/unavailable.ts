/**
 * Placeholder entry for programs not built yet: one clear line, exit 2.
 * TODO(#3): ra, racluster, rasort, racount, ragrep.
 * @module
 */

import type { ProgramMain } from "./mod.ts";

/** An entry that says the program is not available yet. */
export function unavailable(name: string): ProgramMain {
  return (_args) => {
    console.error(`${name}: not available in this build yet`);
    return Promise.resolve(2);
  };
}
