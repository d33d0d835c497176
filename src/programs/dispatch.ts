/**
 * Multi-call dispatch: which program runs, from the name the binary was
 * invoked as (busybox-style links: argus, ra, ...) or from the first
 * argument (`main.ts argus ...`, `dist/argus ra ...`).
 * @module
 */

/** Names of the programs this binary contains. */
export const PROGRAM_NAMES = [
  "argus",
  "ra",
  "racluster",
  "rasort",
  "racount",
  "ragrep",
  "radium",
  "rastream",
  "ragraph",
] as const;
export type ProgramName = typeof PROGRAM_NAMES[number];

/** The program to run and its arguments. */
export interface Invocation {
  program: ProgramName;
  args: string[];
}

function asProgram(name: string): ProgramName | undefined {
  const base = name.replace(/^.*\//, "").replace(/\.(exe|js|ts)$/, "");
  return (PROGRAM_NAMES as readonly string[]).includes(base)
    ? base as ProgramName
    : undefined;
}

/**
 * Picks the program: a first argument naming one wins (so `argus ra -r f`
 * runs ra), then the invoked name; null when neither names a program.
 */
export function chooseProgram(
  argv0: string,
  args: string[],
): Invocation | null {
  const first = args[0];
  if (first !== undefined) {
    const named = asProgram(first);
    if (named !== undefined && !first.includes("/")) {
      return { program: named, args: args.slice(1) };
    }
  }
  const invoked = asProgram(argv0);
  if (invoked !== undefined) return { program: invoked, args };
  return null;
}
