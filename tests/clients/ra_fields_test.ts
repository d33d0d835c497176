/**
 * ra's -s columns against the real ra 3.0.8, field by field: every corpus
 * record file, plus records the real argus writes with its extra DSRs
 * (-A -J -Z -m -U: app bytes, jitter, packet sizes, MACs, user data) and
 * records the real racluster merged (aggregation DSRs: trans, mean, ...),
 * each printed fixed-width, with `-c ,`, and narrow (FIELD:3, cut with
 * '*'). Our ra must print the same text byte for byte.
 * @module
 */

import assert from "node:assert/strict";
import { ourRa } from "../_util/our_ra.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";

/** The columns checked, in ra's -s names. */
const FIELDS = [
  "dur",
  "ltime",
  "sttl",
  "dttl",
  "stos",
  "dtos",
  "smac",
  "dmac",
  "srcid",
  "seq",
  "trans",
  "rate",
  "srate",
  "drate",
  "load",
  "sload",
  "dload",
  "loss",
  "sloss",
  "dloss",
  "ploss",
  "sintpkt",
  "dintpkt",
  "sipid",
  "dipid",
  "sdsb",
  "ddsb",
  "svlan",
  "dvlan",
  "smpls",
  "dmpls",
  "sappbytes",
  "dappbytes",
  "tcprtt",
  "synack",
  "ackdat",
  "swin",
  "dwin",
  "mean",
  "min",
  "max",
  "stddev",
  "sum",
  "runtime",
];

/**
 * Accepted differences, each with its reason. Fields left out of the
 * comparison entirely:
 * - `avgdur`: not a field of ra 3.0.8. The real ra drops any unknown -s
 *   name without a word (and prints empty lines for a list of only
 *   unknown names); ours rejects unknown names with a usage error (exit 2).
 * - `idle`: seconds since the record's last time by the wall clock, so it
 *   changes between two runs; checked below within a tolerance.
 */
const NARROW_SKIPPED: Record<string, string> = {
  // The real ra cuts the MAC text inside etheraddr_string's name cache:
  // for "Broadcast" (a string constant) that write crashes it (SIGSEGV),
  // and any later column showing the same address prints the cut text
  // (so the narrow form leaves saddr/daddr out).
  dmac: "the real ra crashes when it cuts the Broadcast name",
};

/** pcaps the real argus re-reads with every extra DSR turned on. */
const EXTRA_PCAPS = [
  "tcp-basic",
  "tcp-anomalies",
  "tcp-long",
  "vlan",
  "mpls",
  "icmp",
  "ipv6",
  "arp",
  "non-ip",
  "netns-veth",
  "udp-dns",
];

/** Record files the real racluster merges (aggregation DSRs). */
const CLUSTERED = ["tcp-long", "tcp-basic", "icmp", "udp-dns", "tcp-scans"];

const corpusFiles = [...Deno.readDirSync(`${CORPUS}expected`)]
  .map((e) => `${CORPUS}expected/${e.name}`)
  .filter((n) => n.endsWith(".argus"))
  .sort();

/** Makes the extra record files in `dir`; returns their paths. */
async function makeExtraFiles(dir: string): Promise<string[]> {
  const made = await Promise.all(EXTRA_PCAPS.map(async (name) => {
    const out = `${dir}/${name}.argus`;
    const r = await run("argus", [
      "-X",
      "-r",
      `${CORPUS}${name}.pcap`,
      "-w",
      out,
      "-A",
      "-J",
      "-R",
      "-Z",
      "-m",
      "-U",
      "32",
    ]);
    assert.equal(r.code, 0, `argus ${name}: ${r.stderr}`);
    return out;
  }));
  const clustered = await Promise.all(
    [
      ...CLUSTERED.map((n) => `${CORPUS}expected/${n}.pcap.argus`),
      `${dir}/tcp-long.argus`,
      `${dir}/netns-veth.argus`,
    ].map(async (file, i) => {
      const out = `${dir}/clustered-${i}.argus`;
      const r = await run("racluster", ["-r", file, "-w", out]);
      assert.equal(r.code, 0, `racluster ${file}: ${r.stderr}`);
      return out;
    }),
  );
  return [...made, ...clustered];
}

/** The first line where two outputs differ, for the failure report. */
function firstDifference(name: string, real: string, ours: string): string {
  const a = real.split("\n"), b = ours.split("\n");
  const i = a.findIndex((line, k) => line !== b[k]);
  return `${name} line ${i + 1}:\n  real: ${a[i]}\n  ours: ${b[i]}`;
}

/** Compares our ra with the real one over `files` for each arg list. */
async function compare(
  files: string[],
  invocations: string[][],
): Promise<string[]> {
  const failures: string[] = [];
  for (const args of invocations) {
    for (const file of files) {
      const [real, ours] = await Promise.all([
        run("ra", [...args, "-r", file]),
        ourRa([...args, "-r", file]),
      ]);
      const name = file.split("/").pop()!;
      if (ours.code !== 0) failures.push(`${name}: our exit ${ours.code}`);
      else if (ours.out !== real.stdout) {
        failures.push(
          `ra ${args.join(" ")}\n` +
            firstDifference(name, real.stdout, ours.out),
        );
      }
    }
  }
  return failures;
}

/**
 * One invocation per field group: the comparison runs ra once per file
 * per form, with every field in the same line (a difference names its
 * field through the `-c ,` form, whose columns split cleanly).
 */
function invocations(): string[][] {
  const narrow = FIELDS.filter((f) => !(f in NARROW_SKIPPED)).map((f) =>
    `${f}:3`
  );
  return [
    ["-s", "stime", "saddr", ...FIELDS],
    ["-s", "stime", "saddr", ...FIELDS, "-c", ","],
    ["-s", "stime", ...narrow],
    ["-p", "2", "-s", "stime", ...FIELDS],
  ];
}

Deno.test({
  name: "ra -s: each field prints what the real ra prints, every record file",
  ignore: !haveRealArgus(),
  async fn(t) {
    assert.ok(corpusFiles.length >= 50, "corpus record files missing");
    const dir = await Deno.makeTempDir();
    try {
      const extra = await makeExtraFiles(dir);
      await t.step("corpus record files", async () => {
        const failures = await compare(corpusFiles, invocations());
        assert.deepEqual(failures, [], failures.join("\n"));
      });
      await t.step(
        "argus -A -J -Z -m -U 32 records, racluster records",
        async () => {
          const failures = await compare(extra, invocations());
          assert.deepEqual(failures, [], failures.join("\n"));
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
