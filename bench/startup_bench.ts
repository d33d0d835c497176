/**
 * Startup and footprint of the appliance forms (issue 5), whole-process:
 * a 10k-packet capture through `argus -r f -w out` with the bundle
 * (`deno run dist-style argus.js`), with `deno run main.ts`, and with the
 * real argus, plus what the time goes to (deno's own start, module load
 * on an empty capture), the idle RSS of a live sensor on lo after 3 s,
 * and the bundle size. Medians of --runs (default 5) after one warm-up.
 *
 *   deno run -A bench/startup_bench.ts [--runs N]
 * @module
 */

import { measure, medians, type Sample } from "./_measure.ts";
import { BAKED_PERMISSIONS } from "../scripts/baked_permissions.ts";

const ri = Deno.args.indexOf("--runs");
const runs = ri >= 0 ? Number(Deno.args[ri + 1]) : 5;
const ROOT = new URL("../", import.meta.url).pathname;
const CORPUS = new URL("../../shared/corpus/", import.meta.url).pathname;
const WORK = "/tmp/argus-ts-startup-bench";
const CAPTURE = `${WORK}/10k.pcap`;
const EMPTY = `${CORPUS}header-only.pcap`;
const BUNDLE = `${WORK}/argus.js`;
const OUT = `${WORK}/out.argus`;

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

const deno = (script: string, args: string[]) => [
  Deno.execPath(),
  "run",
  ...BAKED_PERMISSIONS,
  script,
  ...args,
];
const emptyJs = `${WORK}/empty.js`;
await Deno.writeTextFile(emptyJs, "");

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
  ["bundle   ra -r (10k records)", deno(BUNDLE, ["ra", "-r", OUT])],
  // Load, dispatch and the ra program's modules; no file read.
  ["bundle   ra -h", deno(BUNDLE, ["ra", "-h"])],
  ["deno run empty.js", deno(emptyJs, [])],
];

function row(name: string, s: Sample): string {
  return `${name.padEnd(30)} wall ${s.wall.toFixed(3)} s  cpu ${
    s.cpu.toFixed(3)
  } s  peak RSS ${s.rss.toFixed(1)} MB`;
}

console.log(`${runs} runs each (medians), after one warm-up run`);
for (const [name, cmd] of cases) {
  // ra needs the records: the first case writes them before ra runs.
  await measure(cmd);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(cmd));
  console.log(row(name, medians(samples)));
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
