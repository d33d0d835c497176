/**
 * FuzzTarget: one parser that sees outside bytes, as the fuzzer drives it:
 * its seeds, what the mutators should know of its format, one run on one
 * input, and which errors are the program's own clear refusals (a typed
 * error printed as one line) rather than crashes.
 * @module
 */

import type { FormatHints } from "./mutate.ts";
import type { Prng } from "./prng.ts";

/** A fuzz target. */
export interface FuzzTarget extends FormatHints {
  /** Short name for --target and the report. */
  readonly name: string;
  /** What it runs, one line. */
  readonly description: string;
  /**
   * Builds a new input from the seeds by the format's grammar (used for a
   * share of the inputs, where byte mutations would mostly give text the
   * parser refuses at once).
   */
  generate?(rng: Prng, seeds: readonly Uint8Array[]): Uint8Array;
  /** Loads the seed inputs (once per worker). */
  seeds(): Promise<Uint8Array[]>;
  /**
   * Runs the parser on one input; resolves when it is done. Throws only
   * when it failed: an error `expected` accepts is a refusal, any other
   * is a crash.
   */
  run(input: Uint8Array): Promise<void> | void;
  /** Whether `e` is a refusal the program reports in one line. */
  expected(e: unknown): boolean;
}

/** The corpus of the shared oracle material (capture files, records). */
export const CORPUS: string = Deno.env.get("ARGUS_FUZZ_CORPUS") ??
  new URL("../../shared/corpus/", import.meta.url).pathname;

/** The files of a directory whose names end with one of `suffixes`, sorted. */
export async function corpusFiles(
  dir: string,
  suffixes: readonly string[],
): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && suffixes.some((s) => e.name.endsWith(s))) {
        names.push(`${dir}${e.name}`);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}
