/**
 * racluster's spill to disk (RACLUSTER_MAX_AGGREGATES): with a cap of a
 * few aggregates, our racluster must print and write exactly what it does
 * without one, and what the real racluster 3.0.8 does, on the corpus
 * records read as one multi-file input and on generated files with
 * thousands of aggregates shared across files; truncated input still gets
 * its good aggregates and one error line; the spill files go away.
 * @module
 */

import assert from "node:assert/strict";
import { runRacluster } from "../../src/programs/racluster/run.ts";
import {
  AggregationTable,
  BoundedAggregation,
  CanonRecord,
  parseKeySpec,
  SpillDir,
} from "../../src/cluster/mod.ts";
import { runOurs } from "../_util/our_client.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { CORPUS_RECORD_FILES } from "../_util/corpus_records.ts";
import { ether, ipv4Packet, ipv6Packet, tcp, udp } from "../_util/packets.ts";
import { pcapFile, type PcapPacket } from "../_util/pcap_writer.ts";

const CAP = "RACLUSTER_MAX_AGGREGATES";
const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Our racluster in-process with the cap set (unset: the default). */
async function ours(args: string[], cap?: number) {
  if (cap === undefined) Deno.env.delete(CAP);
  else Deno.env.set(CAP, String(cap));
  try {
    return await runOurs(runRacluster, args);
  } finally {
    Deno.env.delete(CAP);
  }
}

/** Key and order choices (each -m sorts the output its own way). */
const KEYS: string[][] = [
  [],
  ["-m", "saddr"],
  ["-m", "proto", "dport"],
  ["-m", "saddr/16", "-s", "+trans", "+mean", "+stddev", "+max", "+min"],
  ["-m", "daddr", "dport", "-s", "daddr", "dport", "pkts", "bytes", "trans"],
  ["-m", "saddr", "daddr"],
  ["-m", "srcid", "sport", "sttl", "-s", "+dur", "+stddev", "+dttl"],
  ["-m", "none"],
  ["-N", "7"],
  ["-M", "norep", "-m", "proto"],
];

/** Caps: one level of partitions, and several. */
const CAPS = [100, 9];

function firstDifference(a: string, b: string): string {
  const x = a.split("\n"), y = b.split("\n");
  const i = x.findIndex((line, k) => line !== y[k]);
  return `line ${i + 1}:\n  want: ${x[i]}\n  got:  ${y[i]}`;
}

/** Compares capped runs with the uncapped one and the real racluster. */
async function compareAll(
  inputs: string[],
  keys: string[][],
  withReal: boolean,
): Promise<string[]> {
  const failures: string[] = [];
  for (const args of keys) {
    const argv = ["-r", ...inputs, ...args];
    const free = await ours(argv);
    if (withReal) {
      const real = await run("racluster", argv);
      const a = real.stdout.split("\n"), b = free.out.split("\n");
      const same = a.length === b.length && a.every((l, i) => l === b[i]);
      if (!same || real.code !== free.code) {
        failures.push(
          `${args.join(" ")} vs real: exit ${free.code}/${real.code} ${
            firstDifference(real.stdout, free.out)
          }`,
        );
      }
    }
    for (const cap of CAPS) {
      const capped = await ours(argv, cap);
      if (capped.out !== free.out || capped.code !== free.code) {
        failures.push(
          `${args.join(" ")} cap ${cap}: ${
            firstDifference(free.out, capped.out)
          }`,
        );
      }
    }
  }
  return failures;
}

/**
 * Three captures with ~4,000 flows: UDP and TCP over IPv4 and IPv6, the
 * first 1,200 in every file (their records aggregate across files), the
 * rest in one file each.
 */
function generatedCaptures(): Uint8Array[] {
  const files: Uint8Array[] = [];
  for (let k = 0; k < 3; k++) {
    const packets: PcapPacket[] = [];
    let t = (1_700_000_000 + k * 600) * 1_000_000;
    for (let i = 0; i < 2200; i++) {
      const shared = i < 1200;
      const id = shared ? i : i + k * 1000;
      const client = `10.${1 + (id >> 10)}.${(id >> 4) & 63}.${id & 15}`;
      const server = `198.18.${id % 7}.${1 + (id % 5)}`;
      const sport = 20000 + (shared ? i : k * 5000 + i);
      const dport = [53, 80, 443, 123, 8080][id % 5]!;
      const v6 = id % 11 === 0;
      const ip = (src: string, dst: string, proto: number, p: number[]) =>
        v6
          ? ether(
            "02:00:00:00:00:02",
            "02:00:00:00:00:01",
            0x86dd,
            ipv6Packet(
              `2001:db8:${src.split(".").slice(1).join(":")}::1`,
              `2001:db8:ffff:${dst.split(".").slice(2).join(":")}::1`,
              proto,
              p,
            ),
          )
          : ether(
            "02:00:00:00:00:02",
            "02:00:00:00:00:01",
            0x0800,
            ipv4Packet(src, dst, proto, p, { ttl: 30 + (id % 40), id: i }),
          );
      const rev = (f: (a: string, b: string) => Uint8Array) => f;
      t += 997 + (id % 13) * 101;
      if (id % 2 === 0) {
        packets.push({
          time: t,
          data: ip(client, server, 17, udp(sport, dport, [1, 2, 3 + k])),
        });
        if (id % 3 !== 0) {
          packets.push({
            time: t + 350 + k * 17,
            data: rev((a, b) =>
              ip(a, b, 17, udp(dport, sport, [9, 9, 9, 9, i & 255]))
            )(server, client),
          });
        }
      } else {
        const seq = 1000 + i * 7, ack = 5000 + i * 3;
        packets.push({
          time: t,
          data: ip(client, server, 6, tcp(sport, dport, 0x02, seq, 0)),
        });
        packets.push({
          time: t + 211,
          data: ip(server, client, 6, tcp(dport, sport, 0x12, ack, seq + 1)),
        });
        packets.push({
          time: t + 420,
          data: ip(
            client,
            server,
            6,
            tcp(
              sport,
              dport,
              0x18,
              seq + 1,
              ack + 1,
              Array(1 + (i % 90)).fill(97),
            ),
          ),
        });
        if (id % 4 === 1) {
          packets.push({
            time: t + 900,
            data: ip(
              client,
              server,
              6,
              tcp(sport, dport, 0x11, seq + 2 + (i % 90), ack + 1),
            ),
          });
        }
      }
    }
    packets.sort((a, b) => a.time - b.time);
    files.push(pcapFile(packets));
  }
  return files;
} // deno-fmt-ignore

/** The generated record files (by the real argus if present, else ours). */
async function generatedRecords(dir: string): Promise<string[]> {
  const paths: string[] = [];
  const captures = generatedCaptures();
  for (let k = 0; k < captures.length; k++) {
    const pcap = `${dir}/gen${k}.pcap`, out = `${dir}/gen${k}.argus`;
    await Deno.writeFile(pcap, captures[k]!);
    const made = haveRealArgus()
      ? await run("argus", ["-r", pcap, "-w", out])
      : await run(Deno.execPath(), ["run", "-A", MAIN, "argus", "-r", pcap, "-w", out]);
    assert.equal(made.code, 0, made.stderr);
    paths.push(out);
  }
  return paths;
} // deno-fmt-ignore

Deno.test({
  name: "racluster with a tiny cap prints the corpus as without one and as the real one",
  async fn() {
    const inputs = CORPUS_RECORD_FILES.map((n) => `${CORPUS}expected/${n}`);
    assert.ok(inputs.length >= 50, "corpus record files missing");
    const failures = await compareAll(inputs, KEYS, haveRealArgus());
    assert.deepEqual(failures, [], failures.join("\n"));
  },
});

Deno.test({
  name:
    "racluster with a tiny cap aggregates thousands of flows across files as without one",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rcspill-" });
    try {
      const inputs = await generatedRecords(dir);
      const all = await ours(["-r", ...inputs]);
      const lines = all.out.split("\n").length;
      assert.ok(lines > 3000, `only ${lines} aggregates`);
      const failures = await compareAll(inputs, KEYS, haveRealArgus());
      assert.deepEqual(failures, [], failures.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "racluster -w with a tiny cap writes the real racluster's bytes",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "rcspill-w-" });
    try {
      const gen = await generatedRecords(dir);
      const corpus = CORPUS_RECORD_FILES.map((n) => `${CORPUS}expected/${n}`);
      // With caps that make each spill (few aggregates: a tiny cap).
      const writes: [string[], number][] = [
        [[], 100],
        [["-m", "saddr/16"], 2],
        [["-m", "proto"], 1],
        [["-m", "saddr", "daddr"], 100],
        [["-m", "none"], 100],
      ];
      for (
        const [label, inputs] of [["generated", gen], [
          "corpus",
          corpus,
        ]] as const
      ) {
        for (const [args, cap] of writes) {
          await t.step(`${label}: racluster -w ${args.join(" ")}`, async () => {
            const real = `${dir}/real.argus`, mine = `${dir}/ours.argus`;
            for (const f of [real, mine]) await Deno.remove(f).catch(() => {});
            await run("racluster", ["-r", ...inputs, "-w", real, ...args]);
            const done = await ours(
              ["-r", ...inputs, "-w", mine, ...args],
              cap,
            );
            assert.equal(done.out, "", "-w prints nothing");
            const a = await Deno.readFile(real), b = await Deno.readFile(mine);
            // The opening MAR: the last input file's, in both.
            const mar = ((a[2]! << 8) | a[3]!) * 4;
            assert.deepEqual(b.subarray(0, mar), a.subarray(0, mar));
            assert.ok(
              a.length === b.length && a.every((v, i) => b[i] === v),
              "-w bytes differ",
            );
            const show = [
              "-n",
              "-s",
              "+trans",
              "+mean",
              "+stddev",
              "+sttl",
              "-r",
            ];
            const x = await run("ra", [...show, real]);
            const y = await run("ra", [...show, mine]);
            const flows = (t: string) =>
              t.split("\n").filter((l) => !/ man /.test(l));
            const xs = flows(x.stdout), ys = flows(y.stdout);
            assert.equal(ys.length, xs.length);
            const bad = xs.findIndex((l, i) => l !== ys[i]);
            assert.equal(bad, -1, `ra differs at ${ys[bad]}`);
            assert.ok(xs.length > 2);
          });
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
}); // deno-fmt-ignore

Deno.test({
  name: "racluster with a tiny cap prints truncated input's good aggregates and one error line",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rcspill-t-" });
    try {
      const file = `${CORPUS}expected/mixed-small.pcap.argus`;
      const bytes = await Deno.readFile(file);
      const cut = `${dir}/cut.argus`;
      await Deno.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const go = async (env: Record<string, string>) => {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", MAIN, "racluster", "-r", cut],
          env: { ...env, TMPDIR: dir },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const dec = new TextDecoder();
        return { code: out.code, out: dec.decode(out.stdout), err: dec.decode(out.stderr) };
      };
      const free = await go({});
      const capped = await go({ [CAP]: "5" });
      assert.ok(free.out.split("\n").length > 100);
      assert.equal(capped.out, free.out);
      assert.equal(capped.code, 1);
      assert.match(capped.err, /^racluster: Cannot read ".*cut\.argus": truncated record [^\n]*\n$/);
      if (haveRealArgus()) {
        assert.equal(capped.out, (await run("racluster", ["-r", cut])).stdout);
      }
      // The spill directory is gone.
      const left = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.deepEqual(left, ["cut.argus"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
}); // deno-fmt-ignore

Deno.test("racluster says in one line when it cannot make its spill directory", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "racluster", "-r", `${CORPUS}expected/mixed-small.pcap.argus`],
    env: { [CAP]: "5", TMPDIR: "/nonexistent-rcspill" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.notEqual(out.code, 0);
  assert.match(err, /^racluster: [A-Z][^\n]*\n$/);
}); // deno-fmt-ignore

Deno.test("BoundedAggregation spills, gives the table's aggregates, and removes its files", () => {
  const file = Deno.readFileSync(`${CORPUS}expected/mixed-small.pcap.argus`);
  for (const words of [["saddr", "daddr"], ["proto", "dport"], ["sttl"]]) {
    const spec = parseKeySpec(words);
    const dir = new SpillDir();
    const bounded = new BoundedAggregation(spec, 4, dir);
    const table = new AggregationTable(spec);
    const r = new CanonRecord();
    for (let at = 0; at + 4 <= file.length;) {
      const n = ((file[at + 2]! << 8) | file[at + 3]!) * 4;
      if (r.load(file, at, n, false)) table.add(r);
      if (r.load(file, at, n, false)) bounded.add(r);
      at += n;
    }
    assert.ok(bounded.spilled);
    const encode = (x: CanonRecord, s: number) => {
      const out = new Uint8Array(1 << 16);
      return `${s} ${out.subarray(0, x.encode(out, 0, false)).join(",")}`;
    };
    const want: string[] = [], got: string[] = [];
    table.forEach(null, (x, s) => want.push(encode(x, s)) > 0);
    bounded.forEach(null, (x, s) => got.push(encode(x, s)) > 0);
    assert.ok(want.length > 4);
    assert.deepEqual(got, want);
    dir.close();
  }
});

/**
 * A corpus file's records, every third one without its IP attribute DSR:
 * with -m saddr stos its key is then a prefix of its peers' (their TOS
 * byte is 0), in the same bucket, so argus's ring walk decides which
 * aggregate it joins (ArgusFindRecord's prefix match).
 */
function withPrefixKeys(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let k = 0;
  for (let at = 0; at + 4 <= file.length;) {
    const n = ((file[at + 2]! << 8) | file[at + 3]!) * 4;
    const rec = file.slice(at, at + n);
    at += n;
    if (rec[0]! & 0x80 || k++ % 3 !== 0) {
      out.push(rec);
      continue;
    }
    const kept: number[] = [...rec.subarray(0, 4)];
    for (let p = 4; p + 4 <= n;) {
      const type = rec[p]! & 0x7f;
      const words = type === 0x50
        ? (rec[p + 2]! << 8) | rec[p + 3]!
        : rec[p + 3]!;
      if (words === 0) break;
      if (type !== 0x48) kept.push(...rec.subarray(p, p + words * 4));
      p += words * 4;
    }
    const r = new Uint8Array(kept);
    r[2] = (r.length / 4) >> 8;
    r[3] = (r.length / 4) & 0xff;
    out.push(r);
  }
  return out;
}

Deno.test("BoundedAggregation merges prefix keys into the aggregates the table would", () => {
  const file = Deno.readFileSync(`${CORPUS}expected/mixed-small.pcap.argus`);
  const records = withPrefixKeys(file);
  const spec = parseKeySpec(["saddr", "stos"]);
  const table = new AggregationTable(spec);
  const r = new CanonRecord();
  for (const rec of records) {
    if (r.load(rec, 0, rec.length, false)) table.add(r);
  }
  const encode = (x: CanonRecord, s: number) => {
    const out = new Uint8Array(1 << 16);
    return `${s} ${out.subarray(0, x.encode(out, 0, false)).join(",")}`;
  };
  const want: string[] = [];
  table.forEach(null, (x, s) => want.push(encode(x, s)) > 0);
  for (const cap of [1, 2, 5]) {
    const dir = new SpillDir();
    const bounded = new BoundedAggregation(spec, cap, dir);
    for (const rec of records) {
      if (r.load(rec, 0, rec.length, false)) bounded.add(r);
    }
    const got: string[] = [];
    bounded.forEach(null, (x, s) => got.push(encode(x, s)) > 0);
    dir.close();
    assert.ok(bounded.spilled);
    assert.deepEqual(got, want, `cap ${cap}`);
  }
}); // deno-fmt-ignore

Deno.test("racluster removes its spill directory when SIGINT ends it mid-input", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rcspill-sig-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "racluster", "-r", "-"],
    env: { [CAP]: "5", TMPDIR: dir },
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const w = child.stdin.getWriter();
    await w.write(await Deno.readFile(`${CORPUS}expected/mixed-small.pcap.argus`));
    // The input stays open: racluster is still reading when it spills.
    let spilled = false;
    for (let i = 0; i < 100 && !spilled; i++) {
      await new Promise((r) => setTimeout(r, 100));
      spilled = [...Deno.readDirSync(dir)].length > 0;
    }
    assert.ok(spilled, "no spill directory");
    child.kill("SIGINT");
    const status = await child.status;
    assert.equal(status.code, 130);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    await w.close().catch(() => {});
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
