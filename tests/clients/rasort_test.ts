/**
 * Our rasort against the real rasort 3.0.8: every corpus record file,
 * sorted with a table of invocations, must print the same text byte for
 * byte and exit the same; -w output read back by the real ra must equal
 * the real rasort's -w output read the same way; -M replace leaves files
 * the real ra reads alike.
 *
 * Accepted differences (not in the table):
 * - a bad -m field exits 2 (our usage-error rule); the real one exits 1.
 * - -w / -M replace bytes: the real rasort regenerates each record
 *   (ArgusGenerateRecord) and we write the bytes as read, so the files
 *   differ while the real ra prints them alike (checked below).
 * - --json / --csv are ours only.
 * - -m soui/doui: the real rasort crashes (no vendor table) when two
 *   records carry MAC DSRs; ours leaves them in input order.
 * - -m idle is refused: the real one sorts by the wall clock at reading.
 * @module
 */

import assert from "node:assert/strict";
import { runRasort } from "../../src/programs/rasort/run.ts";
import { mergeSort } from "../../src/client/merge_sort.ts";
import { runOurs } from "../_util/our_client.ts";
import { writeAddressRecords } from "../_util/address_records.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import {
  argv,
  CORPUS_RECORD_FILES,
  firstDifference,
  pooled,
} from "../_util/corpus_records.ts";

/** rasort invocations compared on every corpus record file. */
const INVOCATIONS: string[][] = [
  // No -m: the real rasort keeps input order.
  [],
  ["-m", "bytes"],
  ["-m", "pkts", "stime"],
  ["-m", "saddr", "dport"],
  ["-m", "proto", "daddr", "-n"],
  ["-m", "dur", "-s", "stime", "dur", "saddr", "daddr", "pkts"],
  ["-c", ",", "-m", "ltime"],
  ["-m", "bytes", "-", "tcp"],
  ["-m", "pkts", "-", "udp and dst port 53"],
  ["-m", "saddr", "-", "not icmp"],
  ["-m", "dur", "-", "pkts gt 3"],
  ["-m", "sport", "-v"],
  ["-m", "daddr/24", "sport"],
  // -N reads that many records; -N o<range> picks ranks of the output.
  ["-N", "10", "-m", "proto"],
  ["-No3", "-m", "bytes"],
  ["-N", "o2-4", "-m", "pkts"],
  ["-X", "-L", "5", "-m", "ltime"],
];

/**
 * Every field this rasort takes, each first (later ones break its ties),
 * compared on all corpus records at once (one file of them all).
 */
const FIELD_INVOCATIONS: string[][] = [
  ["stime"],
  ["ltime"],
  ["trans", "bytes"],
  ["dur"],
  ["mean"],
  ["min"],
  ["max"],
  ["smac"],
  ["dmac"],
  ["saddr", "sport"],
  ["daddr", "dport"],
  ["saddr/16", "daddr"],
  ["proto", "dport"],
  ["sipid"],
  ["dipid"],
  ["sport"],
  ["dport"],
  ["stos"],
  ["dtos"],
  ["sttl"],
  ["dttl"],
  ["bytes"],
  ["sbytes"],
  ["dbytes"],
  ["pkts"],
  ["spkts"],
  ["dpkts"],
  ["appbytes"],
  ["sappbytes"],
  ["dappbytes"],
  ["load"],
  ["sload"],
  ["dload"],
  ["loss"],
  ["ploss"],
  ["rate"],
  ["srate"],
  ["drate"],
  ["tranref"],
  ["seq"],
  ["smpls"],
  ["dmpls"],
  ["svlan"],
  ["dvlan"],
  ["srcid", "stime"],
  ["stcpb"],
  ["dtcpb"],
  ["tcprtt"],
  ["sloss"],
  ["dloss"],
  ["sploss"],
  ["dploss"],
  ["smaxsz"],
  ["sminsz"],
  ["dmaxsz"],
  ["dminsz"],
  ["sdsb"],
  ["ddsb"],
  ["sum"],
  ["runtime"],
  ["abr"],
  ["pcr"],
  ["inode"],
  ["sgap"],
  ["dgap"],
  ["dur", "-v"],
  ["saddr", "-v"],
  ["bytes", "-v"],
]; // deno-fmt-ignore

const recordFiles = CORPUS_RECORD_FILES;

Deno.test({
  name: "rasort: our rasort prints what the real rasort prints, every file",
  ignore: !haveRealArgus(),
  async fn(t) {
    assert.ok(recordFiles.length >= 50, "corpus record files missing");
    for (const args of INVOCATIONS) {
      await t.step(`rasort ${args.join(" ")}`, async () => {
        const failures: string[] = [];
        // The real tool runs several files at once: one call per file.
        const reals = await pooled(
          recordFiles,
          (name) => run("rasort", argv(args, `${CORPUS}expected/${name}`)),
        );
        for (const [k, name] of recordFiles.entries()) {
          const a = argv(args, `${CORPUS}expected/${name}`);
          const real = reals[k]!;
          const ours = await runOurs(runRasort, a);
          if (ours.code !== real.code) {
            failures.push(`${name}: exit ${ours.code}, real ${real.code}`);
          } else if (ours.out !== real.stdout) {
            failures.push(firstDifference(name, real.stdout, ours.out));
          }
        }
        assert.deepEqual(failures, [], failures.join("\n"));
      });
    }
  },
});

Deno.test({
  name: "rasort -m: every field orders all corpus records as the real rasort",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // The undamaged corpus files one after another, as one stream.
      const all = `${dir}/all.argus`;
      const parts = recordFiles.filter((n) => !n.startsWith("corrupt-"))
        .map((n) => Deno.readFileSync(`${CORPUS}expected/${n}`));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
      await Deno.writeFile(all, bytes);
      const failures: string[] = [];
      for (const m of FIELD_INVOCATIONS) {
        const a = ["-m", ...m, "-r", all];
        const real = await run("rasort", a);
        const ours = await runOurs(runRasort, a);
        assert.ok(real.stdout.length > 100_000, "the real rasort read all");
        if (ours.out !== real.stdout) {
          failures.push(firstDifference(m.join(" "), real.stdout, ours.out));
        }
      }
      assert.deepEqual(failures, [], failures.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** What the real ra prints of a record file, or null when it is absent. */
async function realRaOf(path: string): Promise<string | null> {
  try {
    Deno.statSync(path);
  } catch {
    return null;
  }
  return (await run("ra", ["-r", path, "-s", "+sttl", "+dttl", "+stos"]))
    .stdout;
}

Deno.test({
  name: "rasort -w: the real ra reads our file as it reads the real one's",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir();
    try {
      for (const args of [[], ["-m", "bytes"], ["-m", "saddr", "dport"]]) {
        await t.step(`rasort ${args.join(" ")} -w`, async () => {
          const failures: string[] = [];
          for (const name of recordFiles) {
            const file = `${CORPUS}expected/${name}`;
            const theirs = `${dir}/real.argus`, mine = `${dir}/ours.argus`;
            await run("rasort", [...args, "-w", theirs, "-r", file]);
            await runOurs(runRasort, [...args, "-w", mine, "-r", file]);
            // Without flow records neither writes a file.
            const real = await realRaOf(theirs), ours = await realRaOf(mine);
            if (ours !== real) {
              failures.push(
                firstDifference(name, real ?? "(no file)", ours ?? "(no file)"),
              );
            }
            await Deno.remove(theirs).catch(() => {});
            await Deno.remove(mine).catch(() => {});
          }
          assert.deepEqual(failures, [], failures.join("\n"));
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rasort -M replace: each file sorted in place, read alike by ra",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const names = ["mixed-small.pcap.argus", "ipv6.pcap.argus"];
      const copies = async (tag: string) => {
        const out: string[] = [];
        for (const n of names) {
          const p = `${dir}/${tag}-${n}`;
          await Deno.writeFile(
            p,
            await Deno.readFile(`${CORPUS}expected/${n}`),
          );
          out.push(p);
        }
        return out;
      };
      const theirs = await copies("real"), mine = await copies("ours");
      const args = ["-M", "replace", "-m", "bytes", "saddr"];
      assert.equal((await run("rasort", [...args, "-r", ...theirs])).code, 0);
      assert.equal(
        (await runOurs(runRasort, [...args, "-r", ...mine])).code,
        0,
      );
      for (let i = 0; i < names.length; i++) {
        assert.equal(await realRaOf(mine[i]!), await realRaOf(theirs[i]!));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("rasort: a bad sort field is one usage error, exit 2", async () => {
  for (const field of ["nosuch", "avgdur"]) {
    const r = await runOurs(runRasort, ["-m", field, "-r", "x.argus"]);
    assert.equal(r.code, 2, field);
    assert.equal(r.out, "");
  }
});

Deno.test("mergeSort() keeps ties in input order and splits as glibc", () => {
  const idx = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
  const key = [3, 1, 3, 0, 1, 3, 0];
  mergeSort(idx, (a, b) => key[a]! - key[b]!);
  assert.deepEqual([...idx], [3, 6, 1, 4, 0, 2, 5]);
  // A comparator that calls 2 equal to everything: glibc's halves decide.
  const odd = Int32Array.from([0, 1, 2, 3]);
  const v = [3, 2, -1, 1];
  mergeSort(odd, (a, b) => (v[a]! < 0 || v[b]! < 0 ? 0 : v[a]! - v[b]!));
  // [0,1] -> [1,0]; [2,3] stay; merge: 1 vs 2 -> 1; 0 vs 2 -> 0; then 2, 3.
  assert.deepEqual([...odd], [1, 0, 2, 3]);
});

Deno.test({
  name: "rasort: addresses of every kind sort as the real rasort sorts them",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/addresses.argus`;
      await writeAddressRecords(file);
      for (
        const m of [["saddr"], ["daddr"], ["daddr/8"], ["saddr/16", "daddr"]]
      ) {
        const a = ["-m", ...m, "-s", "saddr", "daddr", "-r", file];
        const real = await run("rasort", a);
        const ours = await runOurs(runRasort, a);
        assert.equal(ours.out, real.stdout, m.join(" "));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rasort: racluster's records (with AGR DSRs) sort as the real rasort",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const failures: string[] = [];
      for (const name of ["mixed-small", "ipv6", "icmp", "arp"]) {
        const file = `${dir}/${name}.argus`;
        const made = await run("racluster", [
          "-r",
          `${CORPUS}expected/${name}.pcap.argus`,
          "-w",
          file,
        ]);
        assert.equal(made.code, 0, made.stderr);
        for (
          const m of [
            ["trans"],
            ["mean"],
            ["min", "max"],
            ["sum", "dur"],
            ["runtime", "bytes"],
            ["load", "rate"],
          ]
        ) {
          const a = ["-m", ...m, "-r", file];
          const real = await run("rasort", a);
          const ours = await runOurs(runRasort, a);
          if (ours.out !== real.stdout) {
            failures.push(
              firstDifference(`${name} -m ${m}`, real.stdout, ours.out),
            );
          }
        }
      }
      assert.deepEqual(failures, [], failures.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rasort: MAC, application-byte and packet-size fields (argus -m -A -Z)",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // The corpus files hold none of these DSRs: the real argus adds them.
      const file = `${dir}/mac-app-psize.argus`;
      const made = await run("argus", [
        "-X",
        "-r",
        `${CORPUS}mixed-small.pcap`,
        "-m",
        "-A",
        "-Z",
        "-w",
        file,
      ]);
      assert.equal(made.code, 0, made.stderr);
      const failures: string[] = [];
      for (
        const m of [
          ["smac"],
          ["dmac", "sport"],
          ["appbytes"],
          ["sappbytes", "dappbytes"],
          ["abr"],
          ["pcr", "-v"],
          ["smaxsz"],
          ["sminsz"],
          ["dmaxsz", "dminsz"],
        ]
      ) {
        const a = ["-m", ...m, "-r", file];
        const real = await run("rasort", a);
        const ours = await runOurs(runRasort, a);
        if (ours.out !== real.stdout) {
          failures.push(firstDifference(m.join(" "), real.stdout, ours.out));
        }
      }
      assert.deepEqual(failures, [], failures.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rasort: gzip input (records copied, not read back) sorts alike",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const gz = `${dir}/mixed.argus.gz`;
      const plain = await Deno.readFile(
        `${CORPUS}expected/mixed-small.pcap.argus`,
      );
      const zipped = await new Response(
        new Blob([plain]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer();
      await Deno.writeFile(gz, new Uint8Array(zipped));
      for (const m of [["saddr", "dport"], ["bytes"], ["stime"]]) {
        const a = ["-m", ...m, "-r", gz];
        const real = await run("rasort", a);
        const ours = await runOurs(runRasort, a);
        assert.ok(real.stdout.length > 100_000, real.stderr);
        assert.equal(ours.out, real.stdout, m.join(" "));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rasort --csv/--json: the real rasort's order, in our forms",
  ignore: !haveRealArgus(),
  async fn() {
    const file = `${CORPUS}expected/mixed-small.pcap.argus`;
    const fields = ["-s", "saddr", "sport", "bytes"];
    const real = await run("rasort", [
      "-m",
      "bytes",
      "saddr",
      "-c",
      ",",
      ...fields,
      "-r",
      file,
    ]); // deno-fmt-ignore
    const rows = real.stdout.trimEnd().split("\n").slice(1);
    assert.ok(rows.length > 1000);
    const csv = await runOurs(runRasort, [
      "--csv",
      "-m",
      "bytes",
      "saddr",
      ...fields,
      "-r",
      file,
    ]); // deno-fmt-ignore
    assert.deepEqual(csv.out.trimEnd().split("\n").slice(1), rows);
    const json = await runOurs(runRasort, [
      "--json",
      "-m",
      "bytes",
      "saddr",
      ...fields,
      "-r",
      file,
    ]); // deno-fmt-ignore
    const objects = json.out.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(
      objects.map((o) => `${o.saddr},${o.sport},${o.bytes}`),
      rows,
    );
  },
});
