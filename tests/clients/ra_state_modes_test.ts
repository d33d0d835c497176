/**
 * ra's -z, -Z, -A and -H against the real ra 3.0.8: a table of
 * invocations per option, each run on every corpus record file (and -A on
 * several files at once), must print the same text byte for byte and exit
 * with the same status.
 *
 * Accepted difference (the `accept` rule of the -Z rows): for a TCP record
 * without a TCP network DSR (damaged captures: malformed, truncated
 * headers), ra's ArgusGetTCPStatus prints the flags of variables it never
 * set (whatever its stack held, "FR_A" or "FS" depending on what ran
 * before); we print no flags. Only lines where ours shows no flags at all
 * and every other column is the same are accepted.
 *
 * Not covered: -A with -e and -N together (ra's -N counts only what its
 * grep kept; ours counts what the filter passed, so the MAR and flow
 * tallies of the totals line can differ there).
 * @module
 */

import assert from "node:assert/strict";
import { ourRa } from "../_util/our_ra.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { CORPUS_RECORD_FILES } from "../_util/corpus_records.ts";

/** One invocation, and the lines it may print differently from ra. */
interface Row {
  args: string[];
  accept?: (real: string, ours: string) => boolean;
}

/** -Z: ours shows no flags ("" or "_"), ra its uninitialised ones. */
function noFlagsOfOurs(real: string, ours: string): boolean {
  const words = (line: string) => line.trim().split(/[\s,]+/);
  const a = words(real), b = words(ours);
  if (b[b.length - 1] === "_") b.pop();
  return a.length === b.length + 1 && b.every((w, i) => w === a[i]);
}

const Z = { accept: noFlagsOfOurs };

const ROWS: Row[] = [
  // -z: TCP state changes; other protocols keep their states.
  { args: ["-z"] },
  { args: ["-z", "-s", "proto", "state", "flgs"] },
  { args: ["-z", "-c", ",", "-s", "proto", "dport", "state"] },
  { args: ["-z", "-s", "proto", "state:3", "-", "tcp"] },
  { args: ["-z", "-N", "4", "-", "tcp", "or", "icmp"] },
  // -Z: TCP flags of one side or both (the last column: see `accept`).
  { args: ["-Z", "b"], ...Z },
  { args: ["-Z", "s", "-s", "proto", "state"], ...Z },
  { args: ["-Z", "d", "-s", "proto", "state"], ...Z },
  { args: ["-Z", "b", "-s", "proto", "state:12"], ...Z },
  { args: ["-Z", "b", "-c", ",", "-s", "saddr", "state"], ...Z },
  // Narrow: cut with '*' (tcp only: ra crashes cutting an ICMPv6 state).
  { args: ["-Z", "b", "-s", "proto", "state:4", "-", "tcp"], ...Z },
  { args: ["-Z", "s", "-s", "proto", "state:2", "-", "tcp"], ...Z },
  // A letter ra does not know prints nothing; -z wins over -Z.
  { args: ["-Z", "x", "-s", "proto", "state"] },
  { args: ["-z", "-Z", "b", "-s", "proto", "state"] },
  // -A: the totals line, counted as ra counts.
  { args: ["-A"] },
  { args: ["-A", "-s", "proto", "pkts", "bytes"] },
  // -A labels the load columns application loads.
  { args: ["-A", "-s", "load", "sload", "dload:12", "rate"] },
  { args: ["-A", "-c", ",", "-s", "sload", "load"] },
  { args: ["-A", "-N", "3"] },
  { args: ["-A", "-N", "2-4", "-", "udp"] },
  { args: ["-A", "-N", "1", "-", "udp"] },
  { args: ["-A", "-M", "man", "-", "tcp"] },
  { args: ["-X", "-A"] },
  { args: ["-X", "-A", "-N", "2"] },
  { args: ["-A", "-M", "noman", "-N", "2"] },
  { args: ["-A", "-q"] },
  { args: ["-A", "-t", "2000"] },
  // ra -e: only what the grep keeps is counted and summed.
  { args: ["-A", "-e", "a"] },
  { args: ["-A", "-e", "s:."] },
  // -H: metrics abbreviated, MAR counters and times left alone.
  {
    args: [
      "-H",
      "-s",
      "pkts",
      "spkts",
      "dpkts",
      "bytes",
      "sbytes",
      "dbytes",
      "appbytes",
      "sappbytes",
      "dappbytes",
    ],
  },
  {
    args: [
      "-H",
      "-s",
      "smeansz",
      "dmeansz",
      "srate",
      "drate",
      "rate",
      "sload",
      "dload",
      "load",
      "dur",
      "stime",
    ],
  },
  {
    args: [
      "-H",
      "-s",
      "proto",
      "swin",
      "dwin",
      "tcprtt",
      "synack",
      "ackdat",
      "sgap",
      "dgap",
    ],
  },
  { args: ["-H"] },
  { args: ["-H", "-p", "1", "-s", "bytes", "rate", "tcprtt", "sgap", "swin"] },
  { args: ["-H", "-p", "0", "-s", "pkts:4", "bytes:5", "rate:3", "sgap:4"] },
  { args: ["-H", "-c", ",", "-s", "pkts", "bytes", "sgap", "swin", "load"] },
  { args: ["-H", "-z", "-A", "-s", "bytes", "state", "-", "tcp"] },
];

const recordFiles = CORPUS_RECORD_FILES
  .map((n) => `${CORPUS}expected/${n}`);

/** Differences of one run that `accept` does not excuse. */
function differences(
  label: string,
  real: string,
  ours: string,
  accept?: Row["accept"],
): string[] {
  if (real === ours) return [];
  const a = real.split("\n"), b = ours.split("\n");
  if (a.length !== b.length) {
    return [`${label}: ${b.length} lines, ra printed ${a.length}`];
  }
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i] || accept?.(a[i]!, b[i]!)) continue;
    out.push(`${label} line ${i + 1}:\n  real: ${a[i]}\n  ours: ${b[i]}`);
  }
  return out;
}

/** Runs `row` with each set of inputs: ra's all at once, ours in turn. */
async function compare(row: Row, inputs: string[][]): Promise<string[]> {
  const argv = inputs.map((files) => [...row.args, "-r", ...files]);
  // -X clears the options before it (ra's input files too): keep it first.
  const reals = await Promise.all(argv.map((args) => run("ra", args)));
  const failures: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const ours = await ourRa(argv[i]!);
    const label = inputs[i]!.map((f) => f.slice(f.lastIndexOf("/") + 1))
      .join(" ");
    if (ours.code !== reals[i]!.code) {
      failures.push(`${label}: exit ${ours.code}, ra ${reals[i]!.code}`);
    }
    failures.push(
      ...differences(label, reals[i]!.stdout, ours.out, row.accept),
    );
  }
  return failures;
}

Deno.test({
  name: "ra -z -Z -A -H: our ra prints what the real ra prints",
  ignore: !haveRealArgus(),
  async fn(t) {
    assert.ok(recordFiles.length >= 50, "corpus record files missing");
    for (const row of ROWS) {
      await t.step(`ra ${row.args.join(" ")}`, async () => {
        const failures = await compare(row, recordFiles.map((f) => [f]));
        assert.deepEqual(failures, []);
      });
    }
  },
});

Deno.test({
  name: "ra -A: totals over several files",
  ignore: !haveRealArgus(),
  async fn(t) {
    // Neighbours in the sorted list, and one file twice.
    const sets = recordFiles.slice(1).map((f, i) => [recordFiles[i]!, f]);
    sets.push([recordFiles[0]!, recordFiles[0]!, recordFiles[5]!]);
    // A file of one MAR between others ends -N between files.
    const named = (n: string) => recordFiles.find((f) => f.includes(n))!;
    sets.push([named("tcp-basic"), named("empty-file"), named("udp-dns")]);
    const table = [
      ["-A"],
      ["-A", "-N", "5"],
      ["-A", "-N", "8"],
      ["-A", "-N", "2-6"],
      ["-A", "-", "tcp"],
      ["-X", "-A", "-", "udp"],
    ];
    for (const args of table) {
      await t.step(`ra ${args.join(" ")}`, async () => {
        assert.deepEqual(await compare({ args }, sets), []);
      });
    }
  },
});

Deno.test({
  name: "ra -A, -Z: the differential comparison can fail",
  ignore: !haveRealArgus(),
  async fn() {
    // A wrong option must show: our -A against ra without it.
    const file = recordFiles.find((f) => f.includes("tcp-basic"))!;
    const ours = await ourRa(["-A", "-r", file]);
    const real = await run("ra", ["-r", file]);
    assert.notDeepEqual(differences("x", real.stdout, ours.out), []);
    // The -Z rule accepts only a line whose flags ours left empty.
    assert.ok(!noFlagsOfOurs("   tcp  FS_A", "   tcp  FS_P"));
    assert.ok(!noFlagsOfOurs("   udp  FR_A", "   tcp     _"));
    assert.ok(noFlagsOfOurs("   tcp  FR_A", "   tcp     _"));
  },
});

Deno.test({
  name: "ra: RA_PRINT_TCPSTATES and RA_PRINT_TCPFLAGS in an rc file",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir();
    try {
      const rcs = [
        'RA_PRINT_TCPFLAGS="d"',
        "RA_PRINT_TCPFLAGS=s",
        "RA_PRINT_TCPSTATES=yes",
        "RA_PRINT_TCPSTATES=no",
      ];
      const files = recordFiles.filter((f) => /tcp|ipv6/.test(f))
        .map((f) => [f]);
      for (const [i, line] of rcs.entries()) {
        const rc = `${dir}/rc${i}`;
        await Deno.writeTextFile(rc, line + "\n");
        for (const more of [[], ["-z"], ["-Z", "b"]]) {
          const args = ["-F", rc, ...more, "-s", "proto", "state"];
          await t.step(`${line} ${more.join(" ")}`, async () => {
            assert.deepEqual(await compare({ args, ...Z }, files), []);
          });
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
