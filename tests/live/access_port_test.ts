/**
 * argus -i -P, end to end: the real `ra -S` connects to our sensor while it
 * captures on a veth and prints exactly the flow records our -w file gets;
 * with -M 1 status MARs leave every second and account for every packet.
 * (The access server's protocol details, denied and stalled clients are
 * tested in-process in tests/output/access_server_test.ts.)
 * @module
 */

import assert from "node:assert/strict";
import { NetnsPair, netnsUnavailable, reportSkip } from "../_util/netns.ts";
import { ping, udpExchange } from "../_util/netns_traffic.ts";
import { LiveSensor, stampPacketsOnce } from "../_util/live_sensors.ts";
import { haveRealArgus, run } from "../_util/oracle.ts";
import { recordCensus } from "../_util/live_records.ts";

const SKIP = reportSkip(
  "tests/live/access_port_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["ping", "python3", "ss"])
    : "the real argus is not installed",
);

/** Each namespace has its own ports: argus's default one is free here. */
const PORT = 561;
const FIELDS = [
  "-s",
  "stime",
  "ltime",
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test({
  name:
    "argus -i -P: the real ra -S prints the records our file gets; -M 1 status MARs count every packet",
  ignore: SKIP,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "lap-" });
    await using pair = await NetnsPair.create("lap");
    const file = `${dir}/ours.argus`;
    await stampPacketsOnce(pair);
    const sensor = LiveSensor.start(pair, "ours", file, [
      "-S",
      "60",
      "-M",
      "1",
      "-P",
      String(PORT),
    ]);
    await sensor.ready();
    const client = pair.spawn("b", [
      "ra",
      "-X",
      "-n",
      "-u",
      "-S",
      `127.0.0.1:${PORT}`,
      ...FIELDS,
      "-",
      "not",
      "man",
    ], { label: "real ra -S" });
    // The client is started (START: sent) well before the first flow.
    await sleep(1500);
    await ping(pair, 3, 0.2);
    await udpExchange(pair, 7301, 4);
    await udpExchange(pair, 7302, 2);
    await sleep(2500);
    const stopped = await sensor.stop("SIGTERM");
    const ra = await client.stop("SIGTERM", 10_000);
    assert.equal(stopped.code, 0, `our argus: ${stopped.stderr}`);

    await t.step(
      "the real ra -S got every flow record, as written",
      async () => {
        assert.equal(ra.code, 0, `ra -S: ${ra.stderr}`);
        const fromFile = await run("ra", [
          "-X",
          "-n",
          "-u",
          "-r",
          file,
          ...FIELDS,
          "-",
          "not",
          "man",
        ]);
        assert.equal(fromFile.code, 0, fromFile.stderr);
        const lines = (s: string) => s.trimEnd().split("\n").slice(1); // no label
        const remote = lines(ra.stdout);
        assert.ok(
          remote.length >= 5,
          `only ${remote.length} records:\n${ra.stdout}`,
        );
        assert.deepEqual(remote, lines(fromFile.stdout));
      },
    );

    await t.step("status MARs every second; their packets add up", async () => {
      const c = await recordCensus(file);
      const status = c.mars.filter((m) => m.cause === 0x20);
      assert.ok(status.length >= 3, `${status.length} status MARs in ~6 s`);
      for (let i = 1; i < status.length; i++) {
        const gap = status[i]!.now - status[i - 1]!.now;
        assert.ok(gap > 0.5e6 && gap < 1.6e6, `MARs ${gap} µs apart`);
        // Each covers the time since the previous one.
        assert.equal(status[i]!.startTime, status[i - 1]!.now);
      }
      const counted = c.mars.reduce((n, m) => n + m.pktsRcvd, 0);
      assert.equal(counted, c.packets, "MAR packet counts vs flow packets");
      // The real ra -S was a client while the MARs were written.
      assert.ok(status.some((m) => m.clients === 2), "clients not counted");
    });
  },
});
