/**
 * Whole-process comparison with the real argus on the same capture, in one
 * run: each sensor reads the file and writes records to /dev/null, runs
 * alternate (3 each by default), and the medians of wall time, CPU time and
 * peak RSS are printed with packets/s and the ratio.
 *
 *   deno run -A bench/vs_argus.ts [capture.pcap] [--runs N] [--bundle]
 *       [--v8-flags=...]
 *
 * Ours runs with the binary's baked V8 flags (scripts/baked_v8_flags.ts)
 * unless --v8-flags replaces them. With --bundle it runs what a compiled
 * binary runs (`deno bundle` of main.ts, the baked permissions and flags)
 * instead of `deno run main.ts`, which also loads the module graph.
 *     [-- extra argus flags]
 *
 * Without a capture it generates ../shared/corpus/gen-big.py's 1M-packet
 * file at /tmp/big.pcap (once).
 * @module
 */

import { measure, median, type Sample } from "./_measure.ts";
import { V8_FLAGS_ARG } from "../scripts/baked_v8_flags.ts";
import { BAKED_PERMISSIONS } from "../scripts/baked_permissions.ts";

const args = [...Deno.args];
const dash = args.indexOf("--");
const extra = dash >= 0 ? args.splice(dash).slice(1) : [];
let runs = 3;
const ri = args.indexOf("--runs");
if (ri >= 0) {
  runs = Number(args[ri + 1]);
  args.splice(ri, 2);
}
// Ours runs with the V8 flags the binary bakes in, unless --v8-flags=...
// replaces them.
const v8i = args.findIndex((a) => a.startsWith("--v8-flags="));
const v8 = v8i >= 0 ? args.splice(v8i, 1) : [V8_FLAGS_ARG];
const bi = args.indexOf("--bundle");
if (bi >= 0) args.splice(bi, 1);
const capture = args[0] ?? "/tmp/big.pcap";
const shared = new URL("../../shared/corpus/", import.meta.url).pathname;
const main = new URL("../main.ts", import.meta.url).pathname;

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

if (!(await exists(capture))) {
  console.error(`generating ${capture} with gen-big.py ...`);
  const g = await new Deno.Command("python3", {
    args: [`${shared}gen-big.py`, capture],
  }).output();
  if (!g.success) throw new Error("gen-big.py failed");
}

/** Packets in a classic pcap file (reads it whole, walks the record headers). */
async function countPackets(path: string): Promise<number> {
  const data = await Deno.readFile(path);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = data[0] === 0xd4 || data[0] === 0x4d;
  let n = 0;
  for (let pos = 24; pos + 16 <= data.length; n++) {
    pos += 16 + v.getUint32(pos + 8, le);
  }
  return n;
}

/** The sensor as one bundled file, as `deno compile` would embed it. */
async function bundle(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "argus-ts-vs-" });
  const out = `${dir}/argus.js`;
  const b = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "deno", "-o", out, main],
    stdout: "null",
  }).output();
  if (!b.success) throw new Error("deno bundle failed");
  return out;
}

const packets = await countPackets(capture);
const script = bi >= 0 ? await bundle() : main;
const ours = [
  Deno.execPath(),
  "run",
  ...(bi >= 0 ? BAKED_PERMISSIONS : ["-A"]),
  ...v8,
  script,
  "argus",
  "-X",
  ...extra,
  "-r",
  capture,
  "-w",
  "/dev/null",
];
const real = ["argus", "-X", ...extra, "-r", capture, "-w", "/dev/null"];
const results: Record<string, Sample[]> = { "argus-ts": [], "argus 3.0.8": [] };
for (let i = 0; i < runs; i++) {
  results["argus-ts"]!.push(await measure(ours));
  results["argus 3.0.8"]!.push(await measure(real));
}

console.log(
  `capture: ${capture} (${packets} packets), ${runs} runs each, medians` +
    (bi >= 0 ? "; ours: the bundle, as the binary runs" : ""),
);
if (bi >= 0) {
  await Deno.remove(script.replace(/\/argus\.js$/, ""), {
    recursive: true,
  });
}
const rows: [string, number, number, number, number][] = [];
for (const [name, samples] of Object.entries(results)) {
  const wall = median(samples.map((s) => s.wall));
  const cpu = median(samples.map((s) => s.cpu));
  const rss = median(samples.map((s) => s.rss));
  rows.push([name, wall, cpu, rss, packets / wall]);
}
console.log("sensor        wall s   cpu s   peak RSS MB   packets/s (wall)");
for (const [name, wall, cpu, rss, pps] of rows) {
  console.log(
    `${name.padEnd(12)} ${wall.toFixed(2).padStart(7)} ${
      cpu.toFixed(2).padStart(7)
    } ${rss.toFixed(0).padStart(12)} ${
      Math.round(pps).toLocaleString("en-US").padStart(18)
    }`,
  );
}
const [o, r] = rows;
console.log(
  `ratio (argus-ts / argus packets per second): ${(o![4] / r![4]).toFixed(2)}x`,
);
