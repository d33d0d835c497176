/**
 * racluster's -m keys against the real racluster 3.0.8: each key set, over
 * the whole corpus read as one multi-file input and over every corpus file
 * alone, prints the same aggregates in the same order (ArgusSortDstPort's
 * mixed IPv4/IPv6 order included), and -w writes records the real ra reads
 * as it reads the real racluster's, headed by the same opening MAR (the
 * last input file's). Not compared: LastTime (ltime), which our record
 * reader takes as the latest of all sides while argus
 * (ArgusFetchLastuSecTime) reads only the sides with an END bit, so a
 * record whose time DSR has dst start but no dst end prints later.
 * @module
 */

import assert from "node:assert/strict";
import { runRacluster } from "../../src/programs/racluster/run.ts";
import { runOurs } from "../_util/our_client.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { CORPUS_RECORD_FILES, pooled } from "../_util/corpus_records.ts";

/** The -m key sets compared (no -m: the default key). */
const KEYS: string[][] = [
  [],
  ["proto", "dport"],
  ["daddr", "dport"],
  ["saddr"],
  ["saddr", "daddr"],
  ["proto"],
  ["dport"],
  ["sport"],
  ["sport", "dport"],
  ["srcid"],
  ["none"],
  ["saddr/16", "proto"],
  ["dttl"],
  ["smac", "dmac"],
];

/** Fields printed besides the default ones (the key's too). */
const SHOW = ["-n", "-s", "+dur", "+trans", "+sttl", "+dttl", "+stos"];

const FILES = CORPUS_RECORD_FILES.map((n) => `${CORPUS}expected/${n}`);

function keyArgs(key: string[]): string[] {
  return key.length === 0 ? [] : ["-m", ...key];
}

/** Null when the outputs agree, else where not. */
function difference(real: string, ours: string): string | null {
  const a = real.split("\n"), b = ours.split("\n");
  const i = a.findIndex((l, k) => l !== b[k]);
  if (i < 0 && a.length === b.length) return null;
  const at = i < 0 ? Math.min(a.length, b.length) : i;
  return `line ${at + 1}:\n  real: ${a[at]}\n  ours: ${b[at]}`;
}

Deno.test({
  name:
    "racluster -m keys over the corpus as one input print the real racluster's aggregates",
  ignore: !haveRealArgus(),
  async fn() {
    assert.ok(FILES.length >= 50, "corpus record files missing");
    const failures: string[] = [];
    for (const inputs of [FILES, [...FILES].reverse()]) {
      const real = await pooled(
        KEYS,
        (key) => run("racluster", ["-r", ...inputs, ...keyArgs(key), ...SHOW]),
      );
      for (const [i, key] of KEYS.entries()) {
        const argv = ["-r", ...inputs, ...keyArgs(key), ...SHOW];
        const ours = await runOurs(runRacluster, argv);
        const d = difference(real[i]!.stdout, ours.out);
        if (ours.code !== real[i]!.code || d !== null) {
          failures.push(
            `-m ${key.join(" ")}: exit ${ours.code}/${real[i]!.code} ${d}`,
          );
        }
        assert.ok(ours.out.length > 0);
      }
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  },
}); // deno-fmt-ignore

Deno.test({
  name: "racluster -m keys over each corpus file print the real racluster's aggregates",
  ignore: !haveRealArgus(),
  async fn() {
    const jobs = FILES.flatMap((file) => KEYS.map((key) => ({ file, key })));
    const real = await pooled(jobs, ({ file, key }) =>
      run("racluster", ["-r", file, ...keyArgs(key), ...SHOW]));
    const failures: string[] = [];
    for (const [i, { file, key }] of jobs.entries()) {
      const ours = await runOurs(runRacluster, ["-r", file, ...keyArgs(key), ...SHOW]);
      const d = difference(real[i]!.stdout, ours.out);
      if (ours.code !== real[i]!.code || d !== null) {
        const name = file.slice(file.lastIndexOf("/") + 1);
        failures.push(`${name} -m ${key.join(" ")}: exit ${ours.code}/${real[i]!.code} ${d}`);
      }
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  },
}); // deno-fmt-ignore

Deno.test({
  name: "racluster -m keys -w over several files: the last file's MAR, records the real ra reads alike",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rckeys-" });
    try {
      // An empty file last: the real racluster cannot open it as a
      // stream (ArgusReadConnection), so the MAR before it stays.
      const empty = `${dir}/empty.argus`;
      await Deno.writeFile(empty, new Uint8Array(0));
      const orders: [string[], string][] = [
        [FILES, FILES.at(-1)!],
        [[...FILES].reverse(), FILES[0]!],
        [[FILES[5]!, FILES[20]!, FILES[9]!, empty], FILES[9]!],
      ];
      const failures: string[] = [];
      for (const [inputs, last] of orders) {
        const head = await Deno.readFile(last);
        const marLength = ((head[2]! << 8) | head[3]!) * 4;
        for (const key of KEYS) {
          const real = `${dir}/real.argus`, ours = `${dir}/ours.argus`;
          for (const f of [real, ours]) await Deno.remove(f).catch(() => {});
          const argv = ["-r", ...inputs, ...keyArgs(key)];
          await run("racluster", [...argv, "-w", real]);
          const done = await runOurs(runRacluster, [...argv, "-w", ours]);
          const label = `${inputs.length} files -m ${key.join(" ")}`;
          assert.equal(done.out, "", "-w prints nothing");
          const a = await Deno.readFile(real), b = await Deno.readFile(ours);
          assert.deepEqual(a.subarray(0, marLength), head.subarray(0, marLength));
          if (b.subarray(0, marLength).some((x, i) => x !== head[i])) {
            failures.push(`${label}: opening MAR not the last file's`);
          }
          const show = ["-n", "-M", "man", "-s", "+trans", "+sttl", "+dttl", "+sport", "+dport", "-r"];
          const x = await run("ra", [...show, real]);
          const y = await run("ra", [...show, ours]);
          const d = difference(x.stdout, y.stdout);
          if (d !== null) failures.push(`${label}: ra reads ${d}`);
        }
      }
      assert.deepEqual(failures, [], failures.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
