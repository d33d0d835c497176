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
import { PRINT_FIELDS } from "../../src/client/print_fields.ts";

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
  "sjit",
  "djit",
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
  // Beyond the list asked for.
  "sdur",
  "ddur",
  "appbytes",
  "sploss",
  "dploss",
  "svid",
  "dvid",
  "svpri",
  "dvpri",
  "stcpb",
  "dtcpb",
  "smaxsz",
  "dmaxsz",
  "sminsz",
  "dminsz",
  "smeansz",
  "dmeansz",
  "sjitact",
  "djitact",
  "sjitidl",
  "djitidl",
  "sintpktact",
  "dintpktact",
  "sintpktidl",
  "dintpktidl",
  "sintpktmax",
  "dintpktmax",
  "sintpktmin",
  "dintpktmin",
  "sintpktactmax",
  "sintpktactmin",
  "dintpktactmax",
  "dintpktactmin",
  "sintpktidlmax",
  "sintpktidlmin",
  "dintpktidlmax",
  "dintpktidlmin",
  "sstime",
  "sltime",
  "dstime",
  "dltime",
  "cause",
  "abr",
  "pcr",
  "sgap",
  "dgap",
  "tcpopt",
];

/**
 * Accepted differences, each with its reason. Fields left out of the
 * comparison entirely:
 * - `avgdur`: not a field of ra 3.0.8, so both ras drop it without a
 *   word (ra_test.ts compares that).
 * - `idle`: ra reading a file prints the wall clock (seconds since the
 *   epoch, single precision), which changes between two runs; checked
 *   below within a tolerance.
 * - The stddev ra makes up for a record without an AGR DSR is the last
 *   AGR stdev it read in that file. Ours remembers the last one printed
 *   and forgets it at a printed opening MAR: records a filter or -N drops
 *   and unprinted MARs (no RA_PRINT_MAN_RECORDS) can tell the two apart;
 *   the test files do not.
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
  // Source ids of each type: an integer and an IPv4 address.
  for (const id of ["42", "1.2.3.4"]) {
    const out = `${dir}/srcid-${id}.argus`;
    const r = await run("argus", [
      "-X",
      "-r",
      `${CORPUS}tcp-basic.pcap`,
      "-w",
      out,
      "-e",
      id,
    ]);
    assert.equal(r.code, 0, `argus -e ${id}: ${r.stderr}`);
    made.push(out);
  }
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
  // Whole hosts merged: TCP sequence gaps past INT_MAX (sgap, dgap).
  const hosts = `${dir}/clustered-saddr.argus`;
  const m = await run("racluster", [
    "-m",
    "saddr",
    "-r",
    `${CORPUS}expected/mixed-small.pcap.argus`,
    "-w",
    hosts,
  ]);
  assert.equal(m.code, 0, `racluster -m saddr: ${m.stderr}`);
  clustered.push(hosts);
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
    // -nn: numeric DS bytes and MACs. (-nnn wraps round to 0, where ra
    // looks host names up, which this test leaves alone.)
    ["-nn", "-p", "0", "-s", "stime", "saddr", "daddr", ...FIELDS],
    ["-p", "0", "-s", "stime", ...FIELDS, "-c", ","],
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
      await t.step("two files: the AGR stdev does not carry over", async () => {
        // udp-dns merged (an AGR stdev of 0.0005), then plain records.
        const args = [
          "-s",
          "stime",
          "stddev",
          "trans",
          "-r",
          extra.find((f) => f.endsWith("clustered-3.argus"))!,
          `${CORPUS}expected/tcp-basic.pcap.argus`,
        ];
        const [real, ours] = await Promise.all([run("ra", args), ourRa(args)]);
        assert.match(real.stdout, /0\.000500/);
        assert.equal(ours.out, real.stdout);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ra -s idle: the wall-clock idle time the real ra prints, give or take",
  ignore: !haveRealArgus(),
  async fn() {
    for (const name of ["tcp-basic", "udp-dns", "arp"]) {
      const file = `${CORPUS}expected/${name}.pcap.argus`;
      const args = ["-s", "stime", "idle", "-c", ",", "-r", file];
      const [real, ours] = await Promise.all([run("ra", args), ourRa(args)]);
      const a = real.stdout.trimEnd().split("\n");
      const b = ours.out.trimEnd().split("\n");
      assert.equal(b.length, a.length, name);
      assert.ok(a.length > 2, name);
      for (let i = 0; i < a.length; i++) {
        const [t1 = "", v1 = ""] = a[i]!.split(",");
        const [t2 = "", v2 = ""] = b[i]!.split(",");
        assert.equal(t2, t1, `${name} line ${i + 1}`);
        if (i === 0 || v1 === "") {
          assert.equal(v2, v1, `${name} line ${i + 1}`);
          continue;
        }
        // Single precision near 1e9 s steps by 64-128 s; both runs read
        // the clock a moment apart.
        assert.ok(
          Math.abs(Number(v1) - Number(v2)) <= 256,
          `${name} line ${i + 1}: real ${v1}, ours ${v2}`,
        );
      }
    }
  },
});

Deno.test({
  name: "ra --json: numeric columns are JSON numbers equal to the real ra's",
  ignore: !haveRealArgus(),
  async fn() {
    const file = `${CORPUS}expected/tcp-basic.pcap.argus`;
    const fields = ["saddr", ...FIELDS];
    const real = await run("ra", ["-s", ...fields, "-c", ",", "-r", file]);
    const ours = await ourRa(["-s", ...fields, "--json", "-r", file]);
    const rows = real.stdout.trimEnd().split("\n").slice(1);
    const objects = ours.out.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(objects.length, rows.length);
    let numbers = 0;
    rows.forEach((row, i) => {
      const texts = row.split(",");
      fields.forEach((f, k) => {
        const text = (texts[k] ?? "").trim();
        const value = objects[i][f];
        const isNumber = text !== "" && Number.isFinite(Number(text));
        if (PRINT_FIELDS.get(f)?.json === "number" && isNumber) {
          assert.equal(typeof value, "number", `${f} of record ${i + 1}`);
          assert.equal(value, Number(text), `${f} of record ${i + 1}`);
          numbers++;
        } else {
          assert.equal(value, text, `${f} of record ${i + 1}`);
        }
      });
    });
    assert.ok(numbers > 100);
  },
});

Deno.test({
  name: "ra -s: every column prints damaged DSRs without failing",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const good = `${dir}/good.argus`;
      const made = await run("argus", [
        "-X",
        "-r",
        `${CORPUS}tcp-basic.pcap`,
        "-w",
        good,
        "-A",
        "-J",
        "-Z",
        "-m",
        "-U",
        "32",
      ]);
      assert.equal(made.code, 0, made.stderr);
      const bytes = await Deno.readFile(good);
      const fields = [...PRINT_FIELDS.keys()];
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let round = 0; round < 20; round++) {
        // Random bytes inside flow records' DSRs; record headers intact.
        const b = bytes.slice();
        for (let p = 0; p + 4 <= b.length;) {
          const len = ((b[p + 2]! << 8) | b[p + 3]!) * 4;
          if (len < 4 || p + len > b.length) break;
          if (!(b[p]! & 0x80) && len > 8) {
            for (let k = 0; k < 3; k++) {
              b[p + 4 + random(len - 4)] = random(256);
            }
          }
          p += len;
        }
        const file = `${dir}/damaged.argus`;
        await Deno.writeFile(file, b);
        for (const form of [[], ["-c", ","], ["--json"]]) {
          const r = await ourRa(["-X", "-s", ...fields, ...form, "-r", file]);
          assert.equal(r.code, 0, `round ${round} ${form.join(" ")}`);
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "ra: a one-packet record over a time range starts at its end (NetFlow records)",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rafields-nf-" });
    try {
      const netflow = new URL("../testdata/netflow/", import.meta.url)
        .pathname;
      const files: string[] = [];
      for (const name of ["netflow-v5", "netflow-v9", "netflow-v9-ipv6"]) {
        const out = `${dir}/${name}.argus`;
        const r = await run("argus", [
          "-X",
          "-r",
          `cisco:${netflow}${name}.pcap`,
          "-w",
          out,
        ]);
        assert.equal(r.code, 0, `argus -r cisco:${name}: ${r.stderr}`);
        files.push(out);
      }
      const times = ["spkts", "dpkts", "stime", "ltime", "dur", "srate"];
      const failures = await compare(files, [
        ["-s", ...times, "saddr", "daddr"],
        ["-u", "-s", ...times, "sload", "dload"],
        // The filter's dur reads the moved start too (0 for one packet).
        ["-s", ...times, "-", "dur", "lt", "0.001"],
      ]);
      assert.deepEqual(failures, [], failures.join("\n"));
      // The records hold such flows: StartTime equals LastTime in them.
      const one = await ourRa(["-u", "-s", "stime", "ltime", "-r", files[0]!]);
      assert.match(one.out, /\n\s*(\d+\.\d+)\s+\1\n/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
