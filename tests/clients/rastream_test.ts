/**
 * rastream -M time: the files the real rastream 3.0.8 writes from the
 * corpus record files (names, and each file's records byte for byte and
 * as the real ra prints them), records cut at bin boundaries, several
 * inputs, other time zones, stdin, and -f run once per closed file (-B).
 * @module
 */

import assert from "node:assert/strict";
import { runRastream } from "../../src/programs/rastream/run.ts";
import { CanonRecord } from "../../src/cluster/mod.ts";
import { RecordAligner } from "../../src/programs/rastream/record_aligner.ts";
import { parseSplitPeriod } from "../../src/programs/rastream/split_period.ts";
import { readRecordFile } from "../../src/record/record_reader.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { CORPUS_RECORD_FILES, pooled } from "../_util/corpus_records.ts";
import { runOurs } from "../_util/our_client.ts";

const EXPECTED = `${CORPUS}expected/`;
const TCP_LONG_FILE = `${EXPECTED}tcp-long.pcap.argus`;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const TEMPLATE = "%Y/%m/%d/argus.%H.%M.%S";
const FIELDS = [
  "-n",
  "-u",
  "-s",
  "stime",
  "ltime",
  "flgs",
  "proto",
  "saddr",
  "sport",
  "dir",
  "daddr",
  "dport",
  "spkts",
  "dpkts",
  "sbytes",
  "dbytes",
  "state",
];

/** Every file under `dir`, relative, sorted ([] when there is no dir). */
function filesUnder(dir: string, base = dir): string[] {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...filesUnder(p, base));
    else out.push(p.slice(base.length + 1));
  }
  return out.sort();
}

/** The real ra's lines for a record file. */
async function raText(file: string): Promise<string> {
  return (await run("ra", ["-r", file, ...FIELDS])).stdout;
}

/**
 * Asserts the two trees hold the same files with the same bytes; on a
 * difference, the real ra's lines of both say which records differ.
 */
async function assertSameTree(
  real: string,
  ours: string,
  what: string,
  compareText: boolean,
): Promise<number> {
  const names = filesUnder(real);
  assert.deepEqual(filesUnder(ours), names, `${what}: file names`);
  for (const name of names) {
    const a = Deno.readFileSync(`${real}/${name}`);
    const b = Deno.readFileSync(`${ours}/${name}`);
    const same = a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same || compareText) {
      assert.equal(
        await raText(`${ours}/${name}`),
        await raText(`${real}/${name}`),
        `${what}: records of ${name}`,
      );
    }
    assert.ok(same, `${what}: bytes of ${name}`);
  }
  return names.length;
}

Deno.test({
  name: "rastream -M time: every corpus file split as the real rastream",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "rastream-corpus-" });
    try {
      for (const period of ["1s", "5m"]) {
        await t.step(period, async () => {
          const counts = await pooled(CORPUS_RECORD_FILES, async (name) => {
            const input = `${EXPECTED}${name}`;
            const real = `${dir}/${period}/real/${name}`;
            const ours = `${dir}/${period}/ours/${name}`;
            const made = await run("rastream", [
              "-r",
              input,
              "-M",
              "time",
              period,
              "-w",
              `${real}/${TEMPLATE}`,
            ]);
            assert.equal(made.code, 0, made.stderr);
            const code = (await runOurs(runRastream, [
              "-r",
              input,
              "-M",
              "time",
              period,
              "-w",
              `${ours}/${TEMPLATE}`,
            ])).code;
            assert.equal(code, 0, `${name}: exit status`);
            return await assertSameTree(
              real,
              ours,
              `${name} ${period}`,
              period === "5m",
            );
          });
          // The corpus spans hours and the 1 s bins cut long flows.
          assert.ok(
            counts.reduce((a, b) => a + b, 0) > (period === "1s" ? 300 : 50),
          );
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "rastream: several inputs, other time zones and stdin as the real rastream",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "rastream-zones-" });
    try {
      // Three captures an hour apart and out of order, each file headed
      // by the MAR of the input it was made from.
      const inputs = ["tcp-long", "tcp-basic", "udp-dns"].map((n) =>
        `${EXPECTED}${n}.pcap.argus`
      );
      const cases: [string, string, boolean][] = [
        ["UTC", "1m", false],
        ["Asia/Kolkata", "1h", false], // +05:30: hours cut from the epoch
        ["America/St_Johns", "1d", false], // -03:30: local days
        ["UTC", "1m", true], // one stream on stdin
      ];
      for (const [tz, period, stdin] of cases) {
        await t.step(`${tz} ${period}${stdin ? " stdin" : ""}`, async () => {
          const base = `${dir}/${tz.replace("/", "-")}-${period}-${stdin}`;
          const input = stdin ? [await Deno.readFile(inputs[0]!)] : undefined;
          const files = stdin ? ["-"] : inputs;
          const env = { TZ: tz };
          // The same command line for the real rastream and ours.
          const start = (cmd: string, pre: string[], side: string) =>
            new Deno.Command(cmd, {
              args: [
                ...pre,
                "-r",
                ...files,
                "-M",
                "time",
                period,
                "-w",
                `${base}/${side}/${TEMPLATE}`,
              ],
              env,
              stdin: stdin ? "piped" : "null",
              stdout: "piped",
              stderr: "piped",
            }).spawn();
          const real = start("rastream", [], "real");
          const ours = start(
            Deno.execPath(),
            ["run", "-A", MAIN, "rastream"],
            "ours",
          );
          for (const child of [real, ours]) {
            if (input) {
              const w = child.stdin.getWriter();
              await w.write(input[0]!);
              await w.close();
            }
          }
          const [a, b] = await Promise.all([real.output(), ours.output()]);
          assert.equal(a.code, 0);
          assert.equal(b.code, 0, new TextDecoder().decode(b.stderr));
          const n = await assertSameTree(
            `${base}/real`,
            `${base}/ours`,
            tz,
            true,
          );
          assert.ok(n >= 2, `${tz}: ${n} files`);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rastream -f: the program runs once per closed file, as the real one",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rastream-script-" });
    try {
      // The script logs its arguments and the file's size when it runs:
      // the file must be complete (closed) by then.
      const script = `${dir}/post.sh`;
      await Deno.writeTextFile(
        script,
        `#!/bin/sh\necho "$# $1 $2 $(wc -c < "$2")" >> "$(dirname "$2")/../runs.log"\n`,
      );
      await Deno.chmod(script, 0o755);
      const input = `${EXPECTED}tcp-long.pcap.argus`;
      const args = (out: string) => [
        "-r",
        input,
        "-M",
        "time",
        "1s",
        "-B",
        "2",
        "-f",
        script,
        "-w",
        `${out}/bins/argus.%H.%M.%S`,
      ];
      const made = await run("rastream", args(`${dir}/real`));
      assert.equal(made.code, 0, made.stderr);
      assert.equal((await runOurs(runRastream, args(`${dir}/ours`))).code, 0);
      const log = (side: string) =>
        Deno.readTextFileSync(`${dir}/${side}/runs.log`).trim().split("\n")
          .map((l) => l.replace(`${dir}/${side}/`, ""));
      const ours = log("ours");
      assert.deepEqual(ours, log("real"));
      const names = filesUnder(`${dir}/ours/bins`);
      assert.ok(names.length > 100, `${names.length} files`);
      // Once per file, with "-r path", after the file was complete.
      assert.equal(new Set(ours.map((l) => l.split(" ")[2])).size, ours.length);
      assert.equal(ours.length, names.length);
      for (const line of ours) {
        const [argc, flag, path, size] = line.split(" ");
        assert.equal(argc, "2");
        assert.equal(flag, "-r");
        const bytes = Deno.statSync(`${dir}/ours/${path}`).size;
        assert.equal(Number(size), bytes, `${path} was complete`);
      }
      await assertSameTree(
        `${dir}/real/bins`,
        `${dir}/ours/bins`,
        "-B 2",
        false,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("RecordAligner: the pieces add up to the record, one bin each", async () => {
  for (const name of ["tcp-long.pcap.argus", "mixed-small.pcap.argus"]) {
    for (const text of ["1s", "5m"]) {
      const period = parseSplitPeriod(text);
      const aligner = new RecordAligner(period);
      let records = 0, cut = 0;
      await readRecordFile(`${EXPECTED}${name}`, (buf, start, length) => {
        const r = new CanonRecord();
        if (!r.load(buf, start, length, false) || !r.hasMetric) return true;
        const want = [r.sp, r.dp, r.sb, r.db];
        let sp = 0, dp = 0, sb = 0, db = 0;
        let pieces = 0;
        for (const p of aligner.pieces(r)) {
          pieces++;
          sp += p.sp;
          dp += p.dp;
          sb += p.sb;
          db += p.db;
        }
        records++;
        if (pieces > 1) cut++;
        assert.deepEqual(
          [sp, dp, sb, db],
          want,
          `${name} ${text}: record ${records}`,
        );
        return true;
      });
      if (text === "1s" && name.startsWith("tcp-long")) assert.ok(cut > 10);
    }
  }
});

Deno.test("rastream: bad options are one line and exit status 2", async () => {
  for (
    const [args, message] of [
      [["-M", "count", "100"], /only time mode/],
      [["-M", "time", "5x"], /cannot use period "5x"/],
      [["-M", "time", "5m", "-B", "soon"], /-B: cannot use "soon"/],
      [["-M", "time", "5m", "-w", "x.$srcid"], /"\$"/],
      [[], /give the bin size/],
    ] as [string[], RegExp][]
  ) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "rastream",
        "-r",
        `${EXPECTED}arp.pcap.argus`,
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, err);
    assert.match(err.split("\n")[0]!, message);
    assert.doesNotMatch(err, /at .*\.ts:\d+/);
  }
});

/**
 * A -P server on loopback that replays `records` (each with its start
 * time, µs) at their own times, after the MAR, to every client.
 */
function liveServer(
  mar: Uint8Array,
  records: { at: number; bytes: Uint8Array }[],
): { port: number; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const tasks: Promise<void>[] = [];
  const serve = async (conn: Deno.Conn) => {
    await conn.write(mar);
    const buf = new Uint8Array(1024);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return;
      const m = new TextDecoder().decode(buf.subarray(0, n));
      if (m.startsWith("FILTER: ")) {
        await conn.write(new TextEncoder().encode("OK"));
      }
      if (m.includes("START:")) break;
    }
    for (const r of records) {
      const wait = r.at / 1000 - Date.now();
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      await conn.write(r.bytes);
    }
    // Stay connected: the clients end on SIGTERM.
    await conn.read(buf).catch(() => null);
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      tasks.push(serve(conn).catch(() => {}));
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // closed already
        }
      }
      await accepting.catch(() => {});
      await Promise.allSettled(tasks);
    },
  };
}

Deno.test({
  name:
    "rastream -S -B: a bin's file closes and its program runs by the wall clock, as the real one",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rastream-live-" });
    // tcp-long's first 3 seconds of records, moved to start 4 s from now (time to connect).
    const bytes = await Deno.readFile(TCP_LONG_FILE);
    const mar = bytes.slice(0, 128);
    const loaded: CanonRecord[] = [];
    await readRecordFile(TCP_LONG_FILE, (buf, start, length) => {
      const r = new CanonRecord();
      if (r.load(buf, start, length, false) && r.hasTime) loaded.push(r);
      return true;
    });
    const first = Math.min(...loaded.map((r) => r.srcStart || r.dstStart));
    const delta = (Math.ceil(Date.now() / 1000) + 4) * 1e6 -
      Math.floor(first / 1e6) * 1e6;
    const out = new Uint8Array(4096);
    const records = loaded
      .filter((r) => (r.srcStart || r.dstStart) < first + 3e6)
      .map((r) => {
        for (const k of ["srcStart", "srcEnd", "dstStart", "dstEnd"] as const) {
          if (r[k] !== 0) r[k] += delta;
        }
        const n = r.encode(out, 0, false);
        return { at: r.srcStart || r.dstStart, bytes: out.slice(0, n) };
      })
      .sort((a, b) => a.at - b.at);
    const server = liveServer(mar, records);
    const script = `${dir}/post.sh`;
    await Deno.writeTextFile(
      script,
      `#!/bin/sh\necho "$2" >> "$(dirname "$2")/../runs.log"\n`,
    );
    await Deno.chmod(script, 0o755);
    const args = (side: string) => [
      "-S",
      `127.0.0.1:${server.port}`,
      "-M",
      "time",
      "1s",
      "-B",
      "1",
      "-f",
      script,
      "-w",
      `${dir}/${side}/bins/argus.%H.%M.%S`,
    ];
    const spawn = (cmd: string, a: string[]) =>
      new Deno.Command(cmd, { args: a, stdout: "null", stderr: "piped" })
        .spawn();
    const real = spawn("rastream", args("real"));
    const ours = spawn(Deno.execPath(), [
      "run",
      "-A",
      MAIN,
      "rastream",
      ...args("ours"),
    ]);
    try {
      // The last record's bin ends within 4 s; with the 1 s hold every
      // file is closed (and its program run) 2.5 s after that.
      const last = records.at(-1)!.at;
      await new Promise((ok) =>
        setTimeout(ok, Math.max(0, last / 1000 - Date.now()) + 3500)
      );
      const runs = (side: string) => {
        try {
          return Deno.readTextFileSync(`${dir}/${side}/runs.log`).trim()
            .split("\n").map((l) => l.slice(`${dir}/${side}/`.length));
        } catch {
          return [];
        }
      };
      // Closed while the stream is still open: by the hold time. A loaded
      // machine (the suite runs files in parallel) may start ours late:
      // give it up to 10 s more, the stream still open.
      const settled = () =>
        runs("ours").join() ===
          filesUnder(`${dir}/ours/bins`).map((f) => `bins/${f}`).join() &&
        runs("ours").length >= 3;
      for (let i = 0; i < 100 && !settled(); i++) {
        await new Promise((ok) => setTimeout(ok, 100));
      }
      const closedOurs = runs("ours");
      assert.deepEqual(
        closedOurs,
        filesUnder(`${dir}/ours/bins`).map((f) => `bins/${f}`),
      );
      assert.ok(closedOurs.length >= 3, closedOurs.join(" "));
      // The real one runs its programs from a thread that looks once a
      // second: give it that long.
      for (let i = 0; i < 30 && runs("real").length < closedOurs.length; i++) {
        await new Promise((ok) => setTimeout(ok, 100));
      }
      assert.deepEqual(closedOurs, runs("real"));
    } finally {
      for (const p of [real, ours]) {
        try {
          p.kill("SIGTERM");
        } catch {
          // gone already
        }
      }
      const [a, b] = await Promise.all([real.output(), ours.output()]);
      await server.close();
      try {
        assert.equal(b.code, 0, new TextDecoder().decode(b.stderr));
        await assertSameTree(
          `${dir}/real/bins`,
          `${dir}/ours/bins`,
          "-S",
          true,
        );
        void a;
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  name:
    "rastream: names without % get the real one's time suffix ('x' without -w)",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rastream-names-" });
    try {
      for (const side of ["real", "ours"]) {
        await Deno.mkdir(`${dir}/${side}`);
        for (const w of [["-w", "arg"], ["-w", "dot."], []]) {
          const cmd = side === "real"
            ? ["rastream"]
            : [Deno.execPath(), "run", "-A", MAIN, "rastream"];
          const out = await new Deno.Command(cmd[0]!, {
            args: [
              ...cmd.slice(1),
              "-r",
              TCP_LONG_FILE,
              "-M",
              "time",
              "1m",
              ...w,
            ],
            cwd: `${dir}/${side}`,
            stdout: "null",
            stderr: "piped",
          }).output();
          assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
        }
      }
      const n = await assertSameTree(
        `${dir}/real`,
        `${dir}/ours`,
        "names",
        false,
      );
      assert.ok(
        filesUnder(`${dir}/ours`).includes("x.2023.11.15.01.13.00") &&
          filesUnder(`${dir}/ours`).includes("dot.2023.11.15.01.13.00"),
      );
      assert.equal(n, 15);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "rastream: a filter and -t select the records as the real one's",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rastream-filter-" });
    try {
      const input = `${EXPECTED}mixed-small.pcap.argus`;
      const cases = [
        ["-", "udp and port 53"],
        ["-t", "2023/11/16.02:00:10-2023/11/16.02:00:30"],
      ];
      for (const [i, select] of cases.entries()) {
        const args = (side: string) => {
          const a = ["-r", input, "-M", "time", "10s", "-w"];
          a.push(`${dir}/${i}/${side}/a.%H.%M.%S`);
          return select[0] === "-" ? [...a, ...select] : [...select, ...a];
        };
        const made = await run("rastream", args("real"));
        assert.equal(made.code, 0, made.stderr);
        assert.equal((await runOurs(runRastream, args("ours"))).code, 0);
        const n = await assertSameTree(
          `${dir}/${i}/real`,
          `${dir}/${i}/ours`,
          select.join(" "),
          true,
        );
        assert.ok(n >= 4, `${select.join(" ")}: ${n} files`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
