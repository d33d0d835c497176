/**
 * ra, racluster and rasort on hostile record files (issue 7 part 5),
 * beyond the cut file of damaged_input_test.ts: a zero-length header, a
 * length field claiming a 256 KB record, a version nibble gone wrong, bytes
 * that are no Argus stream at all, and a cut gzip stream, from a file and
 * from stdin. Each prints what the good records before the damage give
 * (as the real client prints them from those records alone), then one
 * error line, and exits 1. And rasort's spill to disk past its in-memory
 * cap gives the same output as sorting in memory.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const MIXED = `${CORPUS}expected/mixed-small.pcap.argus`;

/** The clients, with arguments that print every record they keep. */
const PROGRAMS: [string, string[]][] = [
  ["ra", ["-n"]],
  ["racluster", ["-n"]],
  ["rasort", ["-n", "-m", "bytes"]],
];

/** Offset of record `n` (0 = the opening MAR) of a record stream. */
function recordOffset(b: Uint8Array, n: number): number {
  let p = 0;
  for (let i = 0; i < n; i++) p += ((b[p + 2]! << 8) | b[p + 3]!) * 4;
  return p;
}

/**
 * Our client on a file, or on the file as its standard input (redirected:
 * a client that stops at damage leaves the rest unread).
 */
function ours(
  program: string,
  args: string[],
  file: string,
  stdin = false,
  env: string[] = [],
) {
  const q = (x: string) => `'${x.replaceAll("'", `'\\''`)}'`;
  const cmd = [
    "env",
    ...env,
    Deno.execPath(),
    "run",
    "-A",
    MAIN,
    program,
    "-X",
    ...args,
    "-r",
    stdin ? "-" : file,
  ].map(q).join(" ");
  return run("sh", ["-c", stdin ? `${cmd} < ${q(file)}` : cmd]);
}

/** One way to damage a record stream at record `at`'s offset `good`. */
interface Damage {
  name: string;
  /** The damaged bytes from the whole stream. */
  make(whole: Uint8Array, good: number): Uint8Array;
  /** What the error line says after the "Cannot read ...:". */
  reason: RegExp;
}

const DAMAGES: Damage[] = [
  {
    name: "zero-length header",
    make: (w, good) => {
      const b = w.slice();
      b[good + 2] = 0, b[good + 3] = 0;
      return b;
    },
    reason: /zero-length record header at byte (\d+)$/,
  },
  {
    name: "length field claiming 256 KB",
    make: (w, good) => {
      // The last record claims 65535 words: the file ends first.
      const b = w.slice(0, recordOffset(w, 600));
      b[good + 2] = 0xff, b[good + 3] = 0xff;
      return b;
    },
    reason: /truncated record \(\d+ of 262140 bytes\) at byte (\d+)$/,
  },
  {
    name: "version nibble",
    make: (w, good) => {
      const b = w.slice();
      b[good] = (b[good]! & 0xf0) | 0x2;
      return b;
    },
    reason: /Argus version 2 records are not supported .* at byte (\d+)$/,
  },
];

Deno.test({
  name: "clients: damaged headers print the good records, then one error line",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "hostile-in-" });
    try {
      const whole = await Deno.readFile(MIXED);
      const head = `${dir}/head.argus`;
      for (const damage of DAMAGES) {
        // The damage hits record 599 for the huge length (the last one
        // kept), record 300 otherwise.
        const at = damage.name.includes("256") ? 599 : 300;
        const good = recordOffset(whole, at);
        await Deno.writeFile(head, whole.subarray(0, good));
        const bad = `${dir}/bad.argus`;
        const bytes = damage.make(whole, good);
        await Deno.writeFile(bad, bytes);
        for (const [program, args] of PROGRAMS) {
          const real = await run(program, ["-X", ...args, "-r", head]);
          for (const stdin of [false, true]) {
            await t.step(
              `${damage.name}: ${program}${stdin ? " (stdin)" : ""}`,
              async () => {
                const r = await ours(program, args, bad, stdin);
                assert.equal(r.stdout, real.stdout);
                const lines = r.stderr.trimEnd().split("\n");
                assert.equal(lines.length, 1, r.stderr);
                const name = stdin ? "standard input" : '".*bad\\.argus"';
                assert.match(
                  lines[0]!,
                  new RegExp(`^${program}: Cannot read ${name}: `),
                );
                const m = damage.reason.exec(lines[0]!);
                assert.ok(m !== null, lines[0]);
                assert.equal(Number(m[1]), good);
                assert.equal(r.code, 1);
              },
            );
          }
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("clients: bytes that are no record stream give one line and nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "hostile-in-" });
  try {
    const garbage = `${dir}/garbage.argus`;
    const bytes = new Uint8Array(4096).map((_, i) => (i * 37) & 0xff);
    await Deno.writeFile(garbage, bytes);
    for (const [program, args] of PROGRAMS) {
      const r = await ours(program, args, garbage);
      assert.equal(r.stdout, "", program);
      assert.match(
        r.stderr,
        new RegExp(
          `^${program}: Cannot read ".*garbage\\.argus": not an Argus 3 record \\(header bytes [0-9a-f]{8}\\) at byte 0\n$`,
        ),
      );
      assert.equal(r.code, 1, program);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("clients: a cut gzip stream prints the records inflated before the cut", async () => {
  const dir = await Deno.makeTempDir({ prefix: "hostile-in-" });
  try {
    const whole = await Deno.readFile(MIXED);
    const gz = new Uint8Array(
      await new Response(
        new Blob([whole]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    );
    const cut = `${dir}/cut.argus.gz`;
    await Deno.writeFile(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const plain = `${dir}/plain.argus`;
    await Deno.writeFile(plain, whole);
    const all = (await ours("ra", ["-n"], plain)).stdout.split("\n");
    const r = await ours("ra", ["-n"], cut);
    const lines = r.stdout.trimEnd().split("\n");
    // Some records came through, and they are the stream's first ones.
    assert.ok(lines.length > 100, `${lines.length} lines`);
    assert.deepEqual(lines, all.slice(0, lines.length));
    assert.match(
      r.stderr,
      /^ra: Cannot read ".*cut\.argus\.gz": corrupt or truncated gzip data \(.*\) at byte \d+\n$/,
    );
    assert.equal(r.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rasort: spilling sorted runs past its cap gives the in-memory order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "hostile-in-" });
  try {
    const tmp = `${dir}/tmp`;
    await Deno.mkdir(tmp);
    const sorts: string[][] = [
      ["-m", "bytes"],
      ["-m", "saddr", "dport"],
      ["-m", "stime", "-v"],
      ["-m", "pkts", "-N", "o10-40"],
      [],
      ["-m", "dur", "-", "tcp"],
    ];
    for (const sort of sorts) {
      const inMemory = await ours("rasort", ["-n", ...sort], MIXED);
      assert.equal(inMemory.code, 0);
      for (const stdin of [false, true]) {
        // 97 records a run: about 30 runs for the file's 2,773 flows.
        const spilled = await ours(
          "rasort",
          ["-n", ...sort],
          MIXED,
          stdin,
          ["RASORT_MAX_RECORDS=97", `TMPDIR=${tmp}`],
        );
        assert.equal(spilled.stderr, "");
        assert.equal(spilled.stdout, inMemory.stdout, sort.join(" "));
        assert.equal(spilled.code, 0);
      }
    }
    // The runs are gone once rasort is done.
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rasort: a damaged file spilled to disk still prints its good records sorted, then the error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "hostile-in-" });
  try {
    const whole = await Deno.readFile(MIXED);
    const good = recordOffset(whole, 1500);
    const bad = `${dir}/bad.argus`, head = `${dir}/head.argus`;
    const bytes = whole.slice();
    bytes[good + 2] = 0, bytes[good + 3] = 0;
    await Deno.writeFile(bad, bytes);
    await Deno.writeFile(head, whole.subarray(0, good));
    const expected = await ours("rasort", ["-n", "-m", "bytes"], head);
    const r = await ours("rasort", ["-n", "-m", "bytes"], bad, false, [
      "RASORT_MAX_RECORDS=200",
    ]);
    assert.equal(r.stdout, expected.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `^rasort: Cannot read ".*bad\\.argus": zero-length record header at byte ${good}\n$`,
      ),
    );
    assert.equal(r.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
