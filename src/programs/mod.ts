/**
 * The programs of the multi-call binary. Each is loaded only when chosen,
 * so a client never loads libpcap.
 * @module
 */

export { chooseProgram, PROGRAM_NAMES } from "./dispatch.ts";
export type { Invocation, ProgramName } from "./dispatch.ts";

import type { ProgramName } from "./dispatch.ts";

/** A program's entry: arguments in, exit status out. */
export type ProgramMain = (args: string[]) => Promise<number>;

/** Loads the entry point of a program. */
export async function loadProgram(name: ProgramName): Promise<ProgramMain> {
  switch (name) {
    case "argus":
      return (await import("./argus/run.ts")).runArgus;
    case "ra":
      return (await import("./ra/run.ts")).runRa;
    case "racluster":
      return (await import("./racluster/run.ts")).runRacluster;
    case "rasort":
      return (await import("./rasort/run.ts")).runRasort;
    case "racount":
      return (await import("./racount/run.ts")).runRacount;
    case "ragrep":
      return (await import("./ragrep/run.ts")).runRagrep;
    case "radium":
      return (await import("./radium/run.ts")).runRadium;
    case "rastream":
      return (await import("./rastream/run.ts")).runRastream;
    case "ragraph":
      return (await import("./ragraph/run.ts")).runRagraph;
  }
}
