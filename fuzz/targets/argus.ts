/**
 * Fuzz target "argus": a mutated capture file through the whole `argus -r
 * file -w out` program in-process (options, the -r source stream, the
 * sensor run, MARs, the file sink). Damage is reported in one error line
 * and the records of the packets before it are written; the output file
 * must read back cleanly. Anything thrown is a crash.
 * @module
 */

import { runArgus } from "../../src/programs/argus/run.ts";
import { decodeRecordBytes } from "../../src/record/mod.ts";
import { captureLengthFields } from "../formats.ts";
import type { FuzzTarget } from "../target.ts";
import { captureTarget } from "./capture.ts";

let dir: string | null = null;

/** Runs `argus -X -r in.pcap -w out.argus` on the input; its error lines. */
export async function runArgusOn(input: Uint8Array): Promise<string[]> {
  dir ??= Deno.makeTempDirSync({ prefix: "argus-fuzz-argus-" });
  const file = `${dir}/in.pcap`, out = `${dir}/out.argus`;
  Deno.writeFileSync(file, input);
  const lines: string[] = [];
  const consoleError = console.error;
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  let status: number;
  try {
    status = await runArgus(["-X", "-r", file, "-w", out]);
  } finally {
    console.error = consoleError;
  }
  // The debug logger may write through console.error too: only lines
  // that name argus count.
  const errors = lines.filter((l) => l.startsWith("argus"));
  if (status !== 0 && status !== 1) {
    throw new Error(`argus exited ${status}: ${lines.join(" | ")}`);
  }
  if (errors.length > 1 || errors.some((l) => l.includes("\n"))) {
    throw new Error(`argus printed ${errors.length} error lines: ${errors}`);
  }
  let written: Uint8Array;
  try {
    written = Deno.readFileSync(out);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return errors;
    throw e;
  }
  Deno.removeSync(out);
  const back = decodeRecordBytes(written, "argus output");
  if (back.error !== null) {
    throw new Error(
      `argus wrote records it cannot read: ${back.error.message}`,
    );
  }
  return errors;
}

/** Removes the temporary directory (end of a worker). */
export function cleanUpArgus(): void {
  if (dir !== null) Deno.removeSync(dir, { recursive: true });
  dir = null;
}

export const argusTarget: FuzzTarget = {
  name: "argus",
  description: "argus -r file -w out, the whole sensor program in-process",
  maxSize: 32 * 1024,
  lengthFields: captureLengthFields,
  seeds: () => captureTarget.seeds(),
  async run(input) {
    await runArgusOn(input);
  },
  expected: () => false,
};
