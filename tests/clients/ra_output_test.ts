/**
 * Our output forms beyond the real 3.0.8 clients, checked against the
 * real ra's values: --json (one object per record, keys the -s names,
 * counters as numbers) and --csv (a header of the -s names, then rows),
 * whose values must be the cells the real ra prints with a field
 * delimiter; and -w (records out as Argus records), read back by the real
 * ra, which must print what it prints from the real ra's own -w output.
 * @module
 */

import assert from "node:assert/strict";
import { runRa } from "../../src/programs/ra/run.ts";
import { ourRa } from "../_util/our_ra.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";

const FILES = [
  "tcp-basic.pcap",
  "mixed-small.pcap",
  "icmp.pcap",
  "ipv6.pcap",
  "arp.pcap",
].map((n) => `${CORPUS}expected/${n}.argus`);

const FIELDS = [
  "stime",
  "ltime",
  "flgs",
  "proto",
  "saddr",
  "sport",
  "dir",
  "daddr",
  "dport",
  "pkts",
  "bytes",
  "spkts",
  "dbytes",
  "state",
];

const NUMERIC = new Set(["pkts", "bytes", "spkts", "dbytes"]);

/** The real ra's cells, tab-delimited and trimmed, one array per record. */
async function realCells(file: string, extra: string[]): Promise<string[][]> {
  const r = await run("ra", [
    "-X",
    "-L",
    "-1",
    "-c",
    "\t",
    ...extra,
    "-r",
    file,
    "-s",
    ...FIELDS,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) =>
    l.split("\t").map((c) => c.trim())
  );
}

for (const extra of [[], ["-n"], ["-u", "-p", "3"]]) {
  Deno.test({
    name: `ra --json ${
      extra.join(" ")
    }: the real ra's values, keyed by -s name`,
    ignore: !haveRealArgus(),
    async fn() {
      for (const file of FILES) {
        const want = await realCells(file, extra);
        const ours = await ourRa([
          "-X",
          "--json",
          ...extra,
          "-r",
          file,
          "-s",
          ...FIELDS,
        ]);
        assert.equal(ours.code, 0);
        const lines = ours.out.split("\n").filter((l) => l !== "");
        assert.equal(lines.length, want.length, file);
        lines.forEach((line, i) => {
          const obj = JSON.parse(line) as Record<string, unknown>;
          assert.deepEqual(Object.keys(obj), FIELDS);
          FIELDS.forEach((name, k) => {
            const v = obj[name];
            assert.equal(typeof v, NUMERIC.has(name) ? "number" : "string");
            assert.equal(String(v), want[i]![k], `${file} #${i} ${name}`);
          });
        });
      }
    },
  });
}

Deno.test({
  name: "ra --csv: a header of -s names, then the real ra's values",
  ignore: !haveRealArgus(),
  async fn() {
    for (const file of FILES) {
      const want = await realCells(file, ["-n"]);
      const ours = await ourRa([
        "-X",
        "-n",
        "--csv",
        "-r",
        file,
        "-s",
        ...FIELDS,
      ]);
      const [header, ...rows] = ours.out.split("\n").filter((l) => l !== "");
      assert.equal(header, FIELDS.join(","));
      assert.deepEqual(rows.map((r) => r.split(",")), want, file);
    }
  },
});

/**
 * Accepted difference: the real ra's -w re-encodes each record from its
 * parsed form and loses a RARP record's sender hardware address (it reads
 * back as 00:00:00:00:00:00); ours writes records as they were read. So
 * the sender of RARP lines is not compared.
 */
function maskRarpSender(text: string): string {
  return text.replace(/( rarp +)[0-9a-f:]{17}/g, "$1<sender>");
}

/** Our ra's binary standard output. */
async function ourRaBytes(args: string[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const code = await runRa(args, {
    writeSync(p) {
      parts.push(p.slice());
      return p.length;
    },
  });
  assert.equal(code, 0);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

Deno.test({
  name: "ra -w: the real ra reads our records as it reads its own -w output",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      for (const file of FILES) {
        for (const filter of [[], ["-", "tcp"], ["-", "not udp"]]) {
          const real = `${dir}/real.argus`, ours = `${dir}/ours.argus`;
          for (const f of [real, ours]) await Deno.remove(f).catch(() => {});
          const made = await run("ra", ["-r", file, "-w", real, ...filter]);
          const mine = await ourRa(["-r", file, "-w", ours, ...filter]);
          assert.equal(mine.out, "", "-w prints nothing");
          assert.equal(mine.code, made.code, `${file} ${filter}`);
          const show = ["-M", "man", "-n", "-s", ...FIELDS, "-r"];
          const a = await run("ra", [...show, real]);
          const b = await run("ra", [...show, ours]);
          if (filter.length === 0) assert.ok(a.stdout.split("\n").length > 2);
          assert.equal(
            maskRarpSender(b.stdout),
            maskRarpSender(a.stdout),
            `${file} ${filter}`,
          );
          // A second run appends, without a second opening MAR.
          await run("ra", ["-r", file, "-w", real, ...filter]);
          await ourRa(["-r", file, "-w", ours, ...filter]);
          const a2 = await run("ra", [...show, real]);
          const b2 = await run("ra", [...show, ours]);
          assert.equal(
            maskRarpSender(b2.stdout),
            maskRarpSender(a2.stdout),
            `${file} ${filter} appended`,
          );
        }
        // -w - writes the records to standard output.
        const bytes = await ourRaBytes(["-r", file, "-w", "-"]);
        const piped = await run("ra", ["-n", "-r", "-"], bytes);
        const real = await run("sh", [
          "-c",
          `ra -r '${file}' -w - | ra -n -r -`,
        ]);
        assert.ok(real.stdout.split("\n").length > 2);
        assert.equal(
          maskRarpSender(piped.stdout),
          maskRarpSender(real.stdout),
          file,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("ra: an unknown long option is a usage error, exit 2", async () => {
  const r = await ourRa(["--jsn", "-r", "x"]);
  assert.equal(r.code, 2);
});

Deno.test({
  name: "ra --json and --csv: every column, on records with every DSR",
  ignore: !haveRealArgus(),
  async fn() {
    const { PRINT_FIELDS } = await import("../../src/client/print_fields.ts");
    const all = [...PRINT_FIELDS.keys()];
    const dir = await Deno.makeTempDir();
    try {
      const rich = `${dir}/rich.argus`;
      const made = await run("argus", [
        "-X",
        "-A",
        "-J",
        "-R",
        "-Z",
        "-m",
        "-U",
        "32",
        "-r",
        `${CORPUS}tcp-long.pcap`,
        "-w",
        rich,
      ]);
      assert.equal(made.code, 0, made.stderr);
      assert.ok((await Deno.stat(rich)).size > 1000, "no records made");
      for (const file of [...FILES, rich]) {
        const json = await ourRa(["--json", "-r", file, "-s", ...all]);
        const csv = await ourRa(["--csv", "-r", file, "-s", ...all]);
        const jsonLines = json.out.split("\n").filter((l) => l !== "");
        const [header, ...rows] = csv.out.split("\n").filter((l) => l !== "");
        assert.equal(header, all.join(","));
        assert.equal(rows.length, jsonLines.length);
        for (const line of jsonLines) {
          const obj = JSON.parse(line) as Record<string, unknown>;
          assert.deepEqual(Object.keys(obj), all, file);
          for (const name of all) {
            const type = PRINT_FIELDS.get(name)!.json === "number"
              ? "number"
              : "string";
            // A number column may hold text (ra prints "-nan", "*").
            if (type === "string") assert.equal(typeof obj[name], type, name);
          }
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
