/**
 * Fuzz target "clients": a mutated record file read by the ra family
 * in-process, as from the command line (`ra -r file`, racluster, rasort,
 * racount, ragrep, with several printing modes): good records printed,
 * damage reported as one error line, exit status 0 or 1. Any exception
 * out of a program is a crash, as is a second error line or a usage exit.
 * @module
 */

import { runRa } from "../../src/programs/ra/run.ts";
import { runRacluster } from "../../src/programs/racluster/run.ts";
import { runRasort } from "../../src/programs/rasort/run.ts";
import { runRacount } from "../../src/programs/racount/run.ts";
import { runRagrep } from "../../src/programs/ragrep/run.ts";
import type { TextSink } from "../../src/client/text_out.ts";
import { argusLengthFields, recordLevelMutant } from "../formats.ts";
import type { FuzzTarget } from "../target.ts";
import { recordSeeds } from "./records.ts";

type Program = (args: string[], stdout: TextSink) => Promise<number>;

/** Every ra column, so each printer runs on damaged records. */
const ALL_FIELDS = [
  "stime ltime trans dur mean min max saddr daddr proto sport dport stos",
  "dtos sdsb ddsb sttl dttl bytes sbytes dbytes pkts spkts dpkts load",
  "sload dload loss sloss dloss rate srate drate srcid flgs smac dmac dir",
  "state seq mpls vlan ipid sipid dipid sintpkt",
  "dintpkt tcprtt synack ackdat tcpopt smaxsz dmaxsz sminsz",
  "dminsz suser duser",
].join(" ").split(" ");

/** Programs and arguments; the input's length picks one. */
const RUNS: [string, Program, string[]][] = [
  ["ra", runRa, []],
  ["ra", runRa, ["-n", "-z", "-s", ...ALL_FIELDS]],
  ["ra", runRa, ["-nn", "-Z", "b", "-u", "-p", "6", "-M", "man"]],
  ["ra", runRa, ["--json", "-M", "man"]],
  ["ra", runRa, ["--csv", "-H", "-s", ...ALL_FIELDS]],
  ["ra", runRa, ["-A", "-c", ",", "-L", "0", "-", "tcp or udp"]],
  ["ra", runRa, ["-e", "s:GET"]],
  ["racluster", runRacluster, []],
  ["racluster", runRacluster, ["-m", "saddr", "proto"]],
  ["rasort", runRasort, ["-m", "bytes"]],
  ["rasort", runRasort, ["-m", "stime", "dur", "saddr"]],
  ["racount", runRacount, []],
  ["ragrep", runRagrep, ["-v", "-e", "x"]],
];

const NULL_SINK: TextSink = { writeSync: (p) => p.length };

let dir: string | null = null;

/**
 * Runs the client chosen by `variant` on `input` written to a temporary
 * file.
 * @returns the error lines it printed
 */
export async function runClientOn(
  input: Uint8Array,
  variant: number,
): Promise<string[]> {
  dir ??= Deno.makeTempDirSync({ prefix: "argus-fuzz-clients-" });
  const file = `${dir}/in.argus`;
  Deno.writeFileSync(file, input);
  const [name, program, args] = RUNS[variant % RUNS.length]!;
  const lines: string[] = [];
  const consoleError = console.error;
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  let status: number;
  try {
    // -X: no rc file of the machine changes what runs.
    status = await program(["-X", ...args, "-r", file], NULL_SINK);
  } finally {
    console.error = consoleError;
  }
  if (status !== 0 && status !== 1) {
    throw new Error(`${name} ${args.join(" ")} exited ${status}: ${lines[0]}`);
  }
  if (lines.length > 1 || lines.some((l) => l.includes("\n"))) {
    throw new Error(`${name} printed ${lines.length} error lines: ${lines}`);
  }
  if (lines.length === 1 && !lines[0]!.startsWith(`${name}: `)) {
    throw new Error(`${name} printed a stray error line: ${lines[0]}`);
  }
  return lines;
}

/** Removes the temporary directory (end of a worker). */
export function cleanUpClients(): void {
  if (dir !== null) Deno.removeSync(dir, { recursive: true });
  dir = null;
}

export const clientsTarget: FuzzTarget = {
  name: "clients",
  description: "ra/racluster/rasort/racount/ragrep on a mutated record file",
  maxSize: 32 * 1024,
  lengthFields: argusLengthFields,
  generate: recordLevelMutant,
  seeds: () => recordSeeds(6 * 1024),
  async run(input) {
    await runClientOn(input, Math.imul(input.length, 0x9e3779b1) >>> 0);
  },
  expected: () => false,
};
