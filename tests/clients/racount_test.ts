/**
 * Our racount against the real racount 3.0.8: every corpus record file,
 * counted with a table of invocations (the sum line, -M proto, addr and
 * rmon, -n, filters, -N), must print the same text byte for byte and exit
 * the same.
 *
 * Accepted differences (not in the table):
 * - racount -c after -r: the real one then reports "no input files"; we
 *   take -c anywhere (and racount prints no delimited fields anyway).
 * @module
 */

import assert from "node:assert/strict";
import { runRacount } from "../../src/programs/racount/run.ts";
import { runOurs } from "../_util/our_client.ts";
import { writeAddressRecords } from "../_util/address_records.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { argv, CORPUS_RECORD_FILES, pooled } from "../_util/corpus_records.ts";

/** racount invocations compared on every corpus record file. */
const INVOCATIONS: string[][] = [
  [],
  ["-n"],
  ["-X"],
  ["-M", "proto"],
  ["-M", "addr"],
  ["-M", "proto", "addr"],
  ["-M", "proto", "-nn"],
  ["-M", "rmon", "proto", "addr"],
  ["-N", "3", "-M", "proto"],
  // racount prints with -q, writes no -w file, ignores modes it lacks.
  ["-q", "-M", "foo", "addr"],
  ["-", "tcp"],
  ["-M", "proto", "-", "udp and dst port 53"],
  ["-M", "addr", "-", "not icmp"],
  ["-M", "proto", "addr", "-", "pkts gt 3"],
];

const recordFiles = CORPUS_RECORD_FILES;

Deno.test({
  name: "racount: our racount prints what the real racount prints, every file",
  ignore: !haveRealArgus(),
  async fn(t) {
    assert.ok(recordFiles.length >= 50, "corpus record files missing");
    for (const args of INVOCATIONS) {
      await t.step(`racount ${args.join(" ")}`, async () => {
        const failures: string[] = [];
        // The real tool runs several files at once: one call per file.
        const reals = await pooled(
          recordFiles,
          (name) => run("racount", argv(args, `${CORPUS}expected/${name}`)),
        );
        for (const [k, name] of recordFiles.entries()) {
          const a = argv(args, `${CORPUS}expected/${name}`);
          const real = reals[k]!;
          const ours = await runOurs(runRacount, a);
          if (ours.code !== real.code) {
            failures.push(`${name}: exit ${ours.code}, real ${real.code}`);
          } else if (ours.out !== real.stdout) {
            const x = real.stdout.split("\n"), y = ours.out.split("\n");
            const i = x.findIndex((line, k) => line !== y[k]);
            failures.push(
              `${name} line ${i + 1}:\n  real: ${x[i]}\n  ours: ${y[i]}`,
            );
          }
        }
        assert.deepEqual(failures, [], failures.join("\n"));
      });
    }
  },
});

Deno.test({
  name: "racount -w: no file is written, as the real racount writes none",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${CORPUS}expected/tcp-basic.pcap.argus`;
      const r = await runOurs(runRacount, ["-w", `${dir}/x.argus`, "-r", file]);
      assert.equal(r.code, 0);
      assert.match(r.out, /^racount {3}records/);
      assert.equal([...Deno.readDirSync(dir)].length, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "racount -M addr: every address type counted as the real racount",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/addresses.argus`;
      await writeAddressRecords(file);
      for (
        const args of [["-M", "addr", "proto"], ["-M", "rmon", "addr"]]
      ) {
        const a = [...args, "-r", file];
        const real = await run("racount", a);
        const ours = await runOurs(runRacount, a);
        assert.ok(real.stdout.split("\n").length > 20, real.stdout);
        assert.equal(ours.out, real.stdout, args.join(" "));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "racount: all corpus records at once count as the real racount",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const all = `${dir}/all.argus`;
      const parts = recordFiles.filter((n) => !n.startsWith("corrupt-"))
        .map((n) => Deno.readFileSync(`${CORPUS}expected/${n}`));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
      await Deno.writeFile(all, bytes);
      for (
        const args of [
          ["-M", "proto", "addr"],
          ["-M", "rmon", "proto", "addr", "-nn"],
          ["-M", "proto", "-", "not tcp"],
        ]
      ) {
        const a = argv(args, all);
        const real = await run("racount", a);
        const ours = await runOurs(runRacount, a);
        assert.ok(real.stdout.split("\n").length > 10, real.stdout);
        assert.equal(ours.out, real.stdout, args.join(" "));
        assert.equal(ours.code, real.code, args.join(" "));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
