/**
 * Whole-process comparison of our clients with the real argus 3.0.8
 * clients on ~1M records in one run: each case runs ours and theirs
 * alternately (3 runs each by default) with output to /dev/null, and
 * prints the medians of wall time, CPU time and peak RSS, records/s and
 * the speed ratio. Our --json and --csv are compared with our own text.
 *
 *   deno run -A bench/clients_vs_real.ts [records.argus] [--copies N] [--runs N] [--only NAME]
 *
 * Without a record file it makes one with the real argus from
 * ../shared/corpus/gen-big.py's 1M-packet capture (128,480 records) and
 * reads it N times (default 8: 1.03M records) in each run.
 * @module
 */

import { parseArgs } from "node:util";
import { measure, medians, type Sample } from "./_measure.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    copies: { type: "string", default: "8" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const copies = Number(values.copies);
const runs = Number(values.runs);
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

async function sh(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout);
}

let records = positionals[0];
if (records === undefined) {
  records = "/tmp/big.argus";
  if (!(await exists(records))) {
    if (!(await exists("/tmp/big.pcap"))) {
      console.error("generating /tmp/big.pcap with gen-big.py ...");
      await sh("python3", [`${shared}gen-big.py`, "/tmp/big.pcap"]);
    }
    await sh("argus", ["-X", "-r", "/tmp/big.pcap", "-w", records]);
  }
}
const files = Array.from({ length: copies }, () => records);
const count = copies *
  (await sh("ra", ["-X", "-L", "-1", "-s", "stime", "-r", records]))
    .split("\n").filter((l) => l !== "").length;

const ours = (program: string, args: string[]) => [
  Deno.execPath(),
  "run",
  "-A",
  main,
  program,
  "-X",
  "-r",
  ...files,
  ...args,
];
const real = (program: string, args: string[]) => [
  program,
  "-X",
  "-r",
  ...files,
  ...args,
];

/** name, our command, the command it is compared with, and its label. */
const CASES: [string, string[], string[], string][] = [
  ["ra", ours("ra", []), real("ra", []), "real ra"],
  [
    "ra -n -s (9 fields)",
    ours("ra", [
      "-n",
      "-s",
      "stime",
      "ltime",
      "proto",
      "saddr",
      "sport",
      "daddr",
      "dport",
      "spkts",
      "dbytes",
    ]),
    real("ra", [
      "-n",
      "-s",
      "stime",
      "ltime",
      "proto",
      "saddr",
      "sport",
      "daddr",
      "dport",
      "spkts",
      "dbytes",
    ]),
    "real ra",
  ],
  [
    "ra - tcp and dst port 443",
    ours("ra", ["-", "tcp and dst port 443"]),
    real("ra", ["-", "tcp and dst port 443"]),
    "real ra",
  ],
  ["ra --json", ours("ra", ["--json"]), ours("ra", []), "our ra text"],
  ["ra --csv", ours("ra", ["--csv"]), ours("ra", []), "our ra text"],
  ["racluster", ours("racluster", []), real("racluster", []), "real racluster"],
  [
    "racluster -m saddr",
    ours("racluster", ["-m", "saddr"]),
    real("racluster", ["-m", "saddr"]),
    "real racluster",
  ],
  // Issue 7: the spill to disk, forced by a cap under the 128k aggregates.
  [
    "racluster spilling",
    ["env", "RACLUSTER_MAX_AGGREGATES=20000", ...ours("racluster", [])],
    ours("racluster", []),
    "ours in memory",
  ],
  [
    "rasort -m bytes",
    ours("rasort", ["-m", "bytes"]),
    real("rasort", ["-m", "bytes"]),
    "real rasort",
  ],
  ["racount", ours("racount", []), real("racount", []), "real racount"],
]; // deno-fmt-ignore

console.log(
  `records: ${records} x${copies} (${count.toLocaleString("en-US")} records), ${runs} runs each, medians`,
);
console.log(
  "case                        ours s  RSS MB   records/s |  other s  RSS MB   records/s  | speed ratio",
);
for (const [name, mine, other, otherName] of CASES) {
  if (values.only !== undefined && !name.startsWith(values.only)) continue;
  const a: Sample[] = [], b: Sample[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      a.push(await measure(mine));
      b.push(await measure(other));
    }
  } catch (e) {
    console.log(
      `${name.padEnd(26)} failed: ${(e as Error).message.split("\n")[0]}`,
    );
    continue;
  }
  const x = medians(a), y = medians(b);
  const rate = (s: Sample) =>
    Math.round(count / s.wall).toLocaleString("en-US").padStart(11);
  console.log(
    `${name.padEnd(26)} ${x.wall.toFixed(2).padStart(7)} ${
      x.rss.toFixed(0).padStart(7)
    } ${rate(x)} | ${y.wall.toFixed(2).padStart(7)} ${
      y.rss.toFixed(0).padStart(7)
    } ${rate(y)}  | ${(y.wall / x.wall).toFixed(2)}x vs ${otherName}`,
  );
} // deno-fmt-ignore
