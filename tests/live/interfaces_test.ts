/**
 * argus with two interfaces at once (`-i vethB -i lo` inside namespace b:
 * traffic over the veth and on b's own loopback), against two real argus,
 * one per interface (the real 3.0.8.2 given two -i kept only one of them
 * and hung on SIGTERM here, so it is no oracle for that); and SIGWINCH, which reopens our outputs without
 * stopping (a new opening MAR in the same file; records on both sides).
 * @module
 */

import assert from "node:assert/strict";
import { NetnsPair, netnsUnavailable, reportSkip } from "../_util/netns.ts";
import { ping, udpExchange } from "../_util/netns_traffic.ts";
import {
  LiveSensor,
  MAIN,
  REAL_ARGUS,
  stampPacketsOnce,
} from "../_util/live_sensors.ts";
import { haveRealArgus } from "../_util/oracle.ts";
import { compareLive } from "../_util/live_compare.ts";
import { recordCensus } from "../_util/live_records.ts";

const SKIP = reportSkip(
  "tests/live/interfaces_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["ping", "python3", "ss"])
    : "the real argus is not installed",
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await Deno.stat(file)).size >= 128) return;
    } catch {
      // Not yet.
    }
    await sleep(50);
  }
  throw new Error(`"${file}" never got its opening MAR`);
}

Deno.test({
  name: "argus -i vethB -i lo: both interfaces' flows, as a real argus on each",
  ignore: SKIP,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "lif-" });
    await using pair = await NetnsPair.create("lif");
    await stampPacketsOnce(pair);
    const args = (file: string, ifs: string[]) => [
      "-X",
      "-S",
      "60",
      ...ifs.flatMap((i) => ["-i", i]),
      "-w",
      file,
    ];
    const ours = `${dir}/ours.argus`;
    const realVeth = `${dir}/real-veth.argus`;
    const realLo = `${dir}/real-lo.argus`;
    const procs = [
      pair.spawn("b", [
        Deno.execPath(),
        "run",
        "-A",
        MAIN,
        "argus",
        ...args(ours, [pair.vethB, "lo"]),
      ], { label: "ours" }),
      pair.spawn("b", [REAL_ARGUS, ...args(realVeth, [pair.vethB])], {
        label: "real veth",
      }),
      pair.spawn("b", [REAL_ARGUS, ...args(realLo, ["lo"])], {
        label: "real lo",
      }),
    ];
    await Promise.all([waitFor(ours), waitFor(realVeth), waitFor(realLo)]);
    await sleep(1000);
    await ping(pair, 3, 0.2);
    await udpExchange(pair, 7401, 3);
    // Loopback traffic inside namespace b only.
    const lo = await pair.exec("b", [
      "python3",
      "-c",
      "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n" +
      "for i in range(5): s.sendto(b'lo', ('127.0.0.1', 7402))",
    ]);
    assert.equal(lo.code, 0, lo.stderr);
    await sleep(1000);
    const [o, ...r] = await Promise.all(procs.map((p) => p.stop("SIGTERM")));
    assert.equal(o!.code, 0, `ours: ${o!.stderr}`);
    for (const x of r) {
      assert.ok(x.code === 0 || x.code === 139, `real: ${x.stderr}`);
    }
    // The two real files together: what each interface saw.
    const real = `${dir}/real.argus`;
    const both = [await Deno.readFile(realVeth), await Deno.readFile(realLo)];
    const joined = new Uint8Array(both[0]!.length + both[1]!.length);
    joined.set(both[0]!);
    joined.set(both[1]!, both[0]!.length);
    await Deno.writeFile(real, joined);
    const d = await compareLive(real, ours, dir, []);
    assert.ok(d.ok, d.report);
    // 3 echoes and a UDP exchange on the veth, UDP (and the ICMP port
    // unreachable answers) on loopback.
    assert.ok(d.rows >= 5, `only ${d.rows} flows`);
    const loFlows = (await Deno.readTextFile(`${dir}/actual.csv`))
      .split("\n").filter((l) => l.includes("127.0.0.1")).length;
    assert.ok(loFlows >= 1, "no loopback flow in our records");
  },
});

Deno.test({
  name: "argus -i: SIGWINCH reopens the output without stopping",
  ignore: SKIP,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "lwi-" });
    await using pair = await NetnsPair.create("lwi");
    const file = `${dir}/ours.argus`;
    const sensor = LiveSensor.start(pair, "ours", file, ["-S", "1"]);
    await sensor.ready();
    await sleep(500);
    await ping(pair, 2, 0.2);
    await sleep(1800); // the echoes' status records are written
    sensor.proc.kill("SIGWINCH");
    await sleep(800);
    await ping(pair, 2, 0.2);
    await sleep(1800);
    const stopped = await sensor.stop("SIGTERM");
    assert.equal(stopped.code, 0, stopped.stderr);
    const c = await recordCensus(file);
    assert.equal(c.damage, null);
    const opening = c.mars.filter((m) => m.cause === 0x10).length;
    assert.equal(opening, 2, "SIGWINCH did not start the file afresh");
    assert.equal(c.flows, 4, "echo flows before and after the reopen");
    assert.ok(c.closed, "no closing MAR");
  },
});
