/**
 * Startup and footprint of the appliance forms (issues 5 and 6),
 * whole-process: a 10k-packet capture through `argus -r f -w out` with the
 * bundle (`deno run` of a dist-style argus.js with the permissions and V8
 * flags deno compile bakes in), with `deno run main.ts`, and with the real
 * argus; ra on the records of one such run, ours and the real ra; what the
 * time goes to (deno's own start, module load on an empty capture); the
 * idle RSS of a live sensor on lo after 3 s; and the bundle size. Cases
 * run in turn (one run of each, then the next round), so a machine that
 * slows for a while slows them all; medians of --runs (default 5) after
 * one warm-up run of each.
 *
 *   deno run -A bench/startup_bench.ts [--runs N]
 * @module
 */

import { measure, medians, type Sample } from "./_measure.ts";
import { BAKED_PERMISSIONS } from "../scripts/baked_permissions.ts";
import { V8_FLAGS_ARG } from "../scripts/baked_v8_flags.ts";

const ri = Deno.args.indexOf("--runs");
const runs = ri >= 0 ? Number(Deno.args[ri + 1]) : 5;
const ROOT = new URL("../", import.meta.url).pathname;
const CORPUS = new URL("../../shared/corpus/", import.meta.url).pathname;
const WORK = "/tmp/argus-ts-startup-bench";
const CAPTURE = `${WORK}/10k.pcap`;
const EMPTY = `${CORPUS}header-only.pcap`;
const BUNDLE = `${WORK}/argus.js`;
const OUT = `${WORK}/out.argus`;
// ra's input: the records of one argus run. argus -w appends, as the real
// one does, so OUT grows with every run and is removed before each.
const RECORDS = `${WORK}/10k.argus`;

async function must(cmd: string, args: string[]): Promise<void> {
  const r = await new Deno.Command(cmd, { args, stdout: "null" }).output();
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

await Deno.mkdir(WORK, { recursive: true });
// Deterministic: the same 10,000 packets on every machine.
await must("python3", [
  `${CORPUS}gen-big.py`,
  "--packets",
  "10000",
  "--hosts",
  "200",
  "--servers",
  "40",
  "--duration",
  "30",
  "--seed",
  "5",
  CAPTURE,
]);
await must(Deno.execPath(), [
  "bundle",
  "--platform",
  "deno",
  "-o",
  BUNDLE,
  `${ROOT}main.ts`,
]);

/** deno run as the compiled binary runs: its permissions and V8 flags. */
const deno = (script: string, args: string[]) => [
  Deno.execPath(),
  "run",
  ...BAKED_PERMISSIONS,
  V8_FLAGS_ARG,
  script,
  ...args,
];
const emptyJs = `${WORK}/empty.js`;
await Deno.writeTextFile(emptyJs, "");
await Deno.remove(RECORDS).catch(() => {});
const makeRecords = deno(BUNDLE, ["argus", "-X", "-r", CAPTURE, "-w", RECORDS]);
await must(makeRecords[0]!, makeRecords.slice(1));

const cases: [string, string[]][] = [
  [
    "bundle   argus -r 10k",
    deno(BUNDLE, ["argus", "-X", "-r", CAPTURE, "-w", OUT]),
  ],
  [
    "main.ts  argus -r 10k",
    deno(`${ROOT}main.ts`, ["argus", "-X", "-r", CAPTURE, "-w", OUT]),
  ],
  ["real     argus -r 10k", ["argus", "-X", "-r", CAPTURE, "-w", OUT]],
  [
    "bundle   argus -r empty",
    deno(BUNDLE, ["argus", "-X", "-r", EMPTY, "-w", OUT]),
  ],
  ["bundle   ra -r (10k records)", deno(BUNDLE, ["ra", "-r", RECORDS])],
  ["real     ra -r (10k records)", ["ra", "-r", RECORDS]],
  // Load, dispatch and the ra program's modules; no file read.
  ["bundle   ra -h", deno(BUNDLE, ["ra", "-h"])],
  ["deno run empty.js", deno(emptyJs, [])],
];

function row(name: string, s: Sample): string {
  return `${name.padEnd(30)} wall ${s.wall.toFixed(3)} s  cpu ${
    s.cpu.toFixed(3)
  } s  peak RSS ${s.rss.toFixed(1)} MB`;
}

/** One run of a case, argus's output file gone first (it appends). */
async function once(cmd: string[]): Promise<Sample> {
  await Deno.remove(OUT).catch(() => {});
  return await measure(cmd);
}

console.log(
  `${runs} runs each (medians), in turn, after one warm-up run of each`,
);
for (const [, cmd] of cases) await once(cmd);
const samples: Sample[][] = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [c, [, cmd]] of cases.entries()) samples[c]!.push(await once(cmd));
}
for (const [c, [name]] of cases.entries()) {
  console.log(row(name, medians(samples[c]!)));
}

/** VmRSS of a live sensor on lo, 3 s after it starts. */
async function idleRss(cmd: string[]): Promise<number> {
  const child = new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await new Promise((ok) => setTimeout(ok, 3000));
    const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN) / 1024;
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
}

const live = `${WORK}/live.argus`;
console.log(
  `idle RSS, argus -i lo after 3 s: bundle ${
    (await idleRss(deno(BUNDLE, ["argus", "-i", "lo", "-w", live]))).toFixed(1)
  } MB, real argus ${
    (await idleRss(["argus", "-X", "-i", "lo", "-w", live])).toFixed(1)
  } MB`,
);
const denoSize = (await Deno.stat(await Deno.realPath(Deno.execPath()))).size;
console.log(
  `bundle ${((await Deno.stat(BUNDLE)).size / 1e3).toFixed(0)} kB; deno ${
    (denoSize / 1e6).toFixed(1)
  } MB (a compiled binary is denort plus the bundle: this is its upper bound)`,
);
