/**
 * What the client differential tests share: the corpus record files the
 * real argus wrote, a bounded-parallel map for running the real tools, the
 * argument list with `-r file` before the filter, and the first differing
 * line of two outputs for failure messages.
 * @module
 */

import { CORPUS } from "./oracle.ts";

/** Names of the corpus record files (`*.argus` in expected/), sorted. */
export const CORPUS_RECORD_FILES: readonly string[] = [
  ...Deno.readDirSync(`${CORPUS}expected`),
]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".argus"))
  .sort();

/** `f` over `items`, eight at a time, results in order. */
export async function pooled<T, R>(
  items: readonly T[],
  f: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

/** The arguments with `-r file` before any filter expression. */
export function argv(args: string[], file: string): string[] {
  const dash = args.indexOf("-");
  return dash < 0
    ? [...args, "-r", file]
    : [...args.slice(0, dash), "-r", file, ...args.slice(dash)];
}

/** The first differing line of two outputs, for the failure message. */
export function firstDifference(
  name: string,
  real: string,
  ours: string,
): string {
  const a = real.split("\n"), b = ours.split("\n");
  const i = a.findIndex((line, k) => line !== b[k]);
  return `${name} line ${i + 1}:\n  real: ${a[i]}\n  ours: ${b[i]}`;
}
