/**
 * Our ra against the real ra 3.0.8: every record file the real argus wrote
 * for the corpus, printed with a table of ra invocations, must give the
 * same text byte for byte. Plus the error paths (damaged and missing
 * files) and the end-to-end demo path (our argus into our ra).
 * @module
 */

import assert from "node:assert/strict";
import { ourRa } from "../_util/our_ra.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { CORPUS_RECORD_FILES } from "../_util/corpus_records.ts";

/** ra invocations compared on every corpus record file. */
const INVOCATIONS: string[][] = [
  [],
  ["-n"],
  ["-nn"],
  ["-X"],
  ["-X", "-M", "man", "-s", "stime", "proto", "saddr", "dbytes", "state"],
  ["-M", "noman", "foo"],
  ["-c", ","],
  ["-u", "-p", "3"],
  ["-L", "4", "-N", "5"],
  // -N counts the records the filter passed.
  ["-N", "2-4", "-", "udp"],
  ["-N", "3+2", "-", "not", "tcp"],
  ["-s", "stime", "ltime", "saddr", "daddr", "spkts", "dpkts", "sbytes"],
  ["-s", "-flgs", "+dbytes", "-c", ";"],
  // Several -s options add up.
  ["-s", "stime", "-s", "saddr", "-s", "+dport", "-s", "-stime"],
  // ra ignores names it does not know.
  ["-s", "stime", "nosuchfield", "saddr", "+alsonot"],
  // Narrow columns: values cut with '*'. (The real ra crashes when it cuts
  // an ICMPv6 state, so the state keeps its width.)
  ["-s", "proto:4", "saddr:10", "sport:3", "dport:12", "state"],
];

const recordFiles = CORPUS_RECORD_FILES;

Deno.test({
  name: "ra: our ra prints what the real ra prints, on every corpus file",
  ignore: !haveRealArgus(),
  async fn(t) {
    assert.ok(recordFiles.length >= 50, "corpus record files missing");
    for (const args of INVOCATIONS) {
      await t.step(`ra ${args.join(" ")}`, async () => {
        const failures: string[] = [];
        for (const name of recordFiles) {
          const file = `${CORPUS}expected/${name}`;
          const real = await run("ra", [...args, "-r", file]);
          const ours = await ourRa([...args, "-r", file]);
          assert.equal(ours.code, real.code, `${name}: exit ${ours.code}`);
          if (ours.out !== real.stdout) {
            const a = real.stdout.split("\n"), b = ours.out.split("\n");
            const i = a.findIndex((line, k) => line !== b[k]);
            failures.push(
              `${name} line ${i + 1}:\n  real: ${a[i]}\n  ours: ${b[i]}`,
            );
          }
        }
        assert.deepEqual(failures, [], failures.join("\n"));
      });
    }
  },
});

Deno.test({
  name: "ra: a damaged file prints its good records, then one error line",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const whole = await Deno.readFile(
        `${CORPUS}expected/tcp-basic.pcap.argus`,
      );
      const cut = `${dir}/cut.argus`;
      // Cut inside the third record.
      let p = 0;
      for (let i = 0; i < 2; i++) {
        p += ((whole[p + 2]! << 8) | whole[p + 3]!) * 4;
      }
      await Deno.writeFile(cut, whole.subarray(0, p + 10));
      const real = await run("ra", ["-r", cut]);
      const ours = await run(Deno.execPath(), [
        "run",
        "-A",
        new URL("../../main.ts", import.meta.url).pathname,
        "ra",
        "-r",
        cut,
      ]);
      assert.equal(ours.stdout, real.stdout);
      assert.equal(ours.code, 1);
      const lines = ours.stderr.trim().split("\n");
      assert.equal(lines.length, 1, ours.stderr);
      assert.match(
        lines[0]!,
        /^ra: Cannot read ".*cut\.argus": truncated record .* at byte \d+$/,
      );
      const missing = await ourRa(["-r", `${dir}/nothing-here.argus`]);
      assert.equal(missing.code, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("ra: bad options are one usage error, exit 2", async () => {
  for (
    // "bins" is a column of ra 3.0.8 this ra cannot print yet.
    const args of [["-Q"], ["-s", "bins", "-r", "x"], ["-p", "9"], []]
  ) {
    const r = await ourRa(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.out, "");
  }
});

Deno.test({
  name: "ra: our argus into our ra equals the real argus into the real ra",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const sample = new URL("../../samples/sample.pcap", import.meta.url)
        .pathname;
      const main = new URL("../../main.ts", import.meta.url).pathname;
      const theirs = `${dir}/theirs.argus`, ours = `${dir}/ours.argus`;
      assert.equal((await run("argus", ["-r", sample, "-w", theirs])).code, 0);
      const made = await run(Deno.execPath(), [
        "run",
        "-A",
        main,
        "argus",
        "-r",
        sample,
        "-w",
        ours,
      ]);
      assert.equal(made.code, 0, made.stderr);
      // -X: no rc file, so no MARs, whose times are the wall clock's.
      const real = await run("ra", ["-X", "-r", theirs]);
      const mine = await ourRa(["-X", "-r", ours]);
      assert.ok(real.stdout.split("\n").length > 5);
      assert.equal(mine.out, real.stdout);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
