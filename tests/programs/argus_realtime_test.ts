/**
 * argus -T timescale: real-time playback of a capture file. tcp-scans.pcap
 * spans 2.015 s: with -T 1 our argus takes at least that long, with -T 10
 * about a tenth of it, and both write the same flow records, byte for byte,
 * as the real argus 3.0.8 with -T 1 (which are those of a plain -r run).
 * The real argus's -T 10 is slower than its -T 1 (it sleeps up to 100 ms
 * per packet once the scaled gap passes 100 ms), so only -T 1 is timed
 * against it.
 * @module
 */

import assert from "node:assert/strict";
import { firstRecordDifference, flowRecords } from "../_util/records.ts";
import { CORPUS, haveRealArgus, run, runOurArgus } from "../_util/oracle.ts";

const PCAP = `${CORPUS}tcp-scans.pcap`;

/** Runs our argus -T; returns the seconds it took and the record file. */
async function ours(dir: string, scale: string) {
  const out = `${dir}/ours-${scale}.argus`;
  const t0 = performance.now();
  const r = await runOurArgus(["-X", "-T", scale, "-r", PCAP, "-w", out]);
  const secs = (performance.now() - t0) / 1000;
  assert.equal(r.code, 0, r.stderr);
  return { secs, records: await Deno.readFile(out) };
}

Deno.test({
  name: "argus -T plays a capture back in real time, scaled, with the " +
    "records of the real argus",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "argus-realtime-" });
    try {
      const theirs = `${dir}/theirs.argus`;
      const real = await run("argus", [
        "-X",
        "-T",
        "1",
        "-r",
        PCAP,
        "-w",
        theirs,
      ]);
      assert.equal(real.code, 0, real.stderr);
      const expected = await Deno.readFile(theirs);
      assert.ok(flowRecords(expected).length > 0);

      const one = await ours(dir, "1");
      assert.equal(firstRecordDifference(expected, one.records), null);
      assert.ok(one.secs >= 2.0, `-T 1 took ${one.secs} s`);

      const ten = await ours(dir, "10");
      assert.equal(firstRecordDifference(expected, ten.records), null);
      assert.ok(ten.secs >= 0.2, `-T 10 took ${ten.secs} s`);
      assert.ok(
        ten.secs < one.secs - 1.2,
        `-T 10 ${ten.secs} s, -T 1 ${one.secs} s`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
