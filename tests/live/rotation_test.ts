/**
 * Cron-style rotation of argus -i's output (issue 4): while new flows keep
 * arriving, the file is renamed 20 times at random moments; each time our
 * sensor must notice and start a new file at the path, beginning with a
 * MAR. Then the union of all the files must hold every flow exactly once:
 * the same flow table as the real argus, which captured the same packets
 * into one file that nobody moved.
 * @module
 */

import assert from "node:assert/strict";
import { NetnsPair, netnsUnavailable, reportSkip } from "../_util/netns.ts";
import { startSensors } from "../_util/live_sensors.ts";
import { haveRealArgus } from "../_util/oracle.ts";
import { compareLive } from "../_util/live_compare.ts";
import { recordCensus } from "../_util/live_records.ts";

const SKIP = reportSkip(
  "tests/live/rotation_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["python3"])
    : "the real argus is not installed",
);

const ROTATIONS = 20;

/** One new UDP flow (a new destination port) every `gap` seconds. */
const FLOW_SENDER = `
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
port = 20000
while True:
    s.sendto(b"rotation", (sys.argv[1], port))
    port = 20000 + (port - 19999) % 40000
    time.sleep(float(sys.argv[2]))
`;

/** A small seeded generator, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForFile(path: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await Deno.stat(path)).size > 0) return Date.now() - start;
    } catch {
      // Not there yet.
    }
    await sleep(20);
  }
  throw new Error(`No new "${path}" within ${timeoutMs} ms of a rename`);
}

Deno.test({
  name:
    `argus -i: renamed ${ROTATIONS} times under traffic, every flow is in exactly one file and each file starts with a MAR`,
  ignore: SKIP,
  async fn(t) {
    const seed = Date.now() % 100000;
    const random = prng(seed);
    const dir = await Deno.makeTempDir({ prefix: "rot-" });
    await using pair = await NetnsPair.create("rot");
    const ours = `${dir}/ours.argus`;
    const real = `${dir}/real.argus`;
    // -S 1: records leave the sensors all through the run, not at the end.
    const sensors = await startSensors(pair, [
      { kind: "ours", file: ours, extra: ["-S", "1"] },
      { kind: "real", file: real, extra: ["-S", "1"] },
    ]);
    const sender = pair.spawn("a", [
      "python3",
      "-c",
      FLOW_SENDER,
      pair.ipB,
      "0.02",
    ], { label: "flow sender" });
    const rotated: string[] = [];
    const noticed: number[] = [];
    try {
      for (let i = 1; i <= ROTATIONS; i++) {
        await sleep(100 + random() * 900);
        const to = `${ours}.${i}`;
        await Deno.rename(ours, to);
        rotated.push(to);
        noticed.push(await waitForFile(ours, 5000));
      }
      await sleep(1500);
    } finally {
      sender.kill("SIGKILL");
      await sender.wait();
    }
    // Stop only when every flow has had its status record (-S 1): which
    // flows are still open at a signal depends on when each sensor's queue
    // timer last ran, which differs between any two sensors, real or ours.
    await sleep(2500);
    const [o, r] = await Promise.all(sensors.map((s) => s.stop("SIGTERM")));
    assert.equal(o!.code, 0, `our argus: ${o!.stderr}`);
    assert.ok(r!.code === 0 || r!.code === 139, `real argus: ${r!.stderr}`);

    const files = [...rotated, ours];
    await t.step("every rotation was noticed within a second", () => {
      const slowest = Math.max(...noticed);
      assert.ok(
        slowest <= 1500,
        `a new file took ${slowest} ms (seed ${seed}): ${noticed.join(" ")}`,
      );
    });

    await t.step("each file starts with a MAR and is undamaged", async () => {
      for (const f of files) {
        const c = await recordCensus(f);
        assert.equal(c.damage, null, `${f}: ${c.damage?.message}`);
        const first = await firstRecordType(f);
        assert.equal(first, 0x83, `${f} does not start with a MAR`);
        assert.equal(c.mars[0]?.cause, 0x10, `${f}: first MAR is not opening`);
      }
      assert.ok((await recordCensus(ours)).closed, "no closing MAR at the end");
    });

    await t.step("the union holds every flow exactly once", async () => {
      const union = `${dir}/union.argus`;
      const parts = await Promise.all(files.map((f) => Deno.readFile(f)));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let off = 0;
      for (const p of parts) {
        bytes.set(p, off);
        off += p.length;
      }
      await Deno.writeFile(union, bytes);
      const census = await Promise.all(files.map(recordCensus));
      const withFlows = census.filter((c) => c.flows > 0).length;
      // Records left the sensor all through the run, not only at the end.
      assert.ok(
        withFlows >= ROTATIONS / 2,
        `only ${withFlows} of ${files.length} files hold flow records`,
      );
      const diff = await compareLive(real, union, dir, []);
      assert.ok(diff.ok, `${diff.match} (seed ${seed})\n${diff.report}`);
      assert.ok(diff.rows > 100, `only ${diff.rows} flows`);
      console.log(
        `rotation: ${files.length} files, ${diff.rows} records; ${diff.match}`,
      );
    });
  },
});

/** The type byte of a file's first record. */
async function firstRecordType(file: string): Promise<number> {
  using f = await Deno.open(file);
  const b = new Uint8Array(1);
  return (await f.read(b)) === 1 ? b[0]! : -1;
}
