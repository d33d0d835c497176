/**
 * argus -i when the kernel drops packets for it: both sensors are frozen
 * (SIGSTOP) while a UDP burst overflows their capture buffers, then resume.
 * The drops their status MARs report (-M 1, the pcap_stats ps_drop of each
 * period) must add up to exactly the packets sent but missing from their
 * flow records, with no MAR counting a negative (wrapped) number, as the
 * real argus's MARs do.
 * @module
 */

import assert from "node:assert/strict";
import { NetnsPair, netnsUnavailable, reportSkip } from "../_util/netns.ts";
import { replay } from "../_util/netns_traffic.ts";
import { startSensors } from "../_util/live_sensors.ts";
import { haveRealArgus } from "../_util/oracle.ts";
import { type RecordCensus, recordCensus } from "../_util/live_records.ts";
import { udpBurstPcap } from "../_util/udp_burst.ts";

const SKIP = reportSkip(
  "tests/live/drop_count_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["tcpreplay"])
    : "the real argus is not installed",
);

/** Drops reported by every MAR after the opening one, and the largest. */
function marDrops(c: RecordCensus): { sum: number; max: number } {
  const later = c.mars.slice(1).map((m) => m.dropped);
  return {
    sum: later.reduce((a, b) => a + b, 0),
    max: Math.max(0, ...later),
  };
}

Deno.test({
  name: "argus -i: MAR drop counts add up to the packets the records miss",
  ignore: SKIP,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "ldc-" });
    await using pair = await NetnsPair.create("ldc");
    try {
      const pcap = `${dir}/burst.pcap`;
      await Deno.writeFile(pcap, udpBurstPcap(1000, 10));
      const files = { ours: `${dir}/ours.argus`, real: `${dir}/real.argus` };
      // Ours gets libpcap's 2 MB buffer, the real argus's (its own default
      // is 32 MB, which this burst would not overflow).
      const conf = `${dir}/buffer.conf`;
      await Deno.writeTextFile(conf, "ARGUS_PCAP_BUF_SIZE=2M\n");
      const sensors = await startSensors(pair, [
        {
          kind: "ours",
          file: files.ours,
          extra: ["-F", conf, "-S", "60", "-M", "1"],
        },
        { kind: "real", file: files.real, extra: ["-S", "60", "-M", "1"] },
      ]);
      for (const s of sensors) s.proc.kill("SIGSTOP");
      // 60,000 frames: several times what a capture buffer holds.
      const sent = await replay(pair, pcap, { topspeed: true }, 6);
      for (const s of sensors) s.proc.kill("SIGCONT");
      // Status MARs every second carry the drops, before the pcap handle
      // closes at shutdown (the real closing MAR reports none).
      await new Promise((r) => setTimeout(r, 3000));
      const [o, r] = await Promise.all(sensors.map((s) => s.stop()));
      assert.equal(o!.code, 0, `our argus: ${o!.stderr}`);
      assert.ok(r!.code === 0 || r!.code === 139, `real argus: ${r!.stderr}`);

      for (const kind of ["real", "ours"] as const) {
        await t.step(
          `${kind}: MAR drops = packets sent - packets in records`,
          async () => {
            const c = await recordCensus(files[kind]);
            const lost = sent.sent - c.packets;
            const d = marDrops(c);
            console.log(
              `${kind}: sent ${sent.sent}, in records ${c.packets}, lost ${lost}, MAR drops ${d.sum} (largest ${d.max})`,
            );
            assert.ok(
              lost > 0,
              "the burst did not overflow the capture buffer",
            );
            assert.ok(d.max < 2 ** 31, `a MAR reports ${d.max} drops`);
            assert.equal(d.sum, lost);
          },
        );
      }
    } finally {
      await pair.cleanup();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
