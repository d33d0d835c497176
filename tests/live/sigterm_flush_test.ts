/**
 * argus -i stopped by a signal while flows are in progress (a TCP
 * connection held open, a ping running): every flow is written, then the
 * closing MAR, and the exit status is 0, as the real argus does when
 * signalled at the same moment (argus(8): SIGTERM and SIGINT end it
 * cleanly).
 * @module
 */

import assert from "node:assert/strict";
import { NetnsPair, netnsUnavailable, reportSkip } from "../_util/netns.ts";
import { pingRunning, tcpHold } from "../_util/netns_traffic.ts";
import { startSensors } from "../_util/live_sensors.ts";
import { haveRealArgus } from "../_util/oracle.ts";
import { compareLive } from "../_util/live_compare.ts";
import { recordCensus } from "../_util/live_records.ts";
import { realRa } from "../_util/real_ra.ts";

const SKIP = reportSkip(
  "tests/live/sigterm_flush_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["nc", "ping", "ss"])
    : "the real argus is not installed",
);

const TCP_PORT = 7201;

for (
  const [signal, prefix] of [["SIGTERM", "stfa"], ["SIGINT", "stfb"]] as const
) {
  Deno.test({
    name:
      `argus -i: ${signal} writes every flow in progress, then the closing MAR`,
    ignore: SKIP,
    async fn(t) {
      const dir = await Deno.makeTempDir({ prefix: `${prefix}-` });
      await using pair = await NetnsPair.create(prefix);
      try {
        const ours = `${dir}/ours.argus`;
        const real = `${dir}/real.argus`;
        const sensors = await startSensors(pair, [
          { kind: "ours", file: ours, extra: ["-S", "60"] },
          { kind: "real", file: real, extra: ["-S", "60"] },
        ]);
        const held = await tcpHold(pair, TCP_PORT);
        const pinging = pingRunning(pair, 0.2);
        await new Promise((r) => setTimeout(r, 1500));
        // Freeze the traffic (the flows stay open) so that no packet
        // crosses while the two sensors stop a few ms apart.
        pinging.kill("SIGSTOP");
        await new Promise((r) => setTimeout(r, 300));
        const [o, r] = await Promise.all(sensors.map((s) => s.stop(signal)));
        pinging.kill("SIGKILL");
        await held.close();

        await t.step(
          "ours exits 0 (the real argus too, but for its shutdown crash)",
          () => {
            // The real argus 3.0.8.2 itself now and then dies of SIGSEGV
            // (exit 139) as it shuts down, after writing its records
            // (measured: 2 of 50 stops); that is no failure of ours.
            assert.ok(
              r!.code === 0 || r!.code === 139,
              `real argus exited ${r!.code}: ${r!.stderr}`,
            );
            assert.equal(o!.code, 0, `our argus: ${o!.stderr}`);
            assert.ok(!o!.timedOut, `our argus ignored ${signal}`);
          },
        );

        await t.step("our file ends with the closing MAR", async () => {
          const c = await recordCensus(ours);
          assert.equal(c.damage, null);
          assert.ok(c.closed, "the last record is not a closing MAR");
          assert.equal(c.mars[0]?.cause, 0x10, "no opening MAR");
        });

        await t.step(
          "the open TCP flow and every echo are written",
          async () => {
            const rows = await realRa(ours, [
              "proto",
              "sport",
              "dport",
              "state",
            ]);
            assert.equal(rows.code, 0, rows.stderr);
            const cells = rows.rows.map((c) => c.map((s) => s.trim()));
            const tcp = cells.filter((c) =>
              c[0] === "6" && c[2] === String(TCP_PORT)
            );
            assert.equal(tcp.length, 1, "the held TCP connection");
            // Its state is whatever the real argus gives (the comparison
            // below): TIM, as argus closes every flow at shutdown.
            const echoes = cells.filter((c) => c[0] === "1");
            assert.ok(echoes.length >= 5, `${echoes.length} echo records`);
          },
        );

        await t.step("the real argus wrote the same flows", async () => {
          const d = await compareLive(real, ours, dir, [TCP_PORT]);
          console.log(`${signal}: ${d.match}`);
          assert.ok(d.ok, d.report);
        });
      } finally {
        await pair.cleanup();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
