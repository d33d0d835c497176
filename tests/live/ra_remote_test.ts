/**
 * ra -S, differential: the real argus and our sensor capture the same
 * veth and serve their -P ports; the real `ra -S` and our `ra -S` read
 * each port and print the same flow records, which are those the sensor
 * wrote to its -w file. Our ra -S -N 2 ends by itself after two records.
 * @module
 */

import assert from "node:assert/strict";
import {
  NetnsPair,
  netnsUnavailable,
  type NsRan,
  reportSkip,
} from "../_util/netns.ts";
import { ping, tcpExchange, udpExchange } from "../_util/netns_traffic.ts";
import { MAIN, startSensors } from "../_util/live_sensors.ts";
import { haveRealArgus, run } from "../_util/oracle.ts";

const SKIP = reportSkip(
  "tests/live/ra_remote_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["ping", "python3", "ss", "nc"])
    : "the real argus is not installed",
);

/** Ports inside the namespace: the real argus's and ours. */
const REAL_PORT = 561;
const OUR_PORT = 562;
const FIELDS = [
  "-s",
  "stime",
  "ltime",
  "srcid",
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
const PRINT = ["-X", "-n", "-u", "-L", "-1", "-c", ","];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ours(args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", MAIN, "ra", ...args];
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

Deno.test({
  name:
    "ra -S: the real ra and ours print the same live records from the real argus and from our sensor",
  ignore: SKIP,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "rrs-" });
    await using pair = await NetnsPair.create("rrs");
    try {
      const [real, mine] = await startSensors(pair, [
        {
          kind: "real",
          file: `${dir}/real.argus`,
          extra: ["-e", "10.9.9.1", "-P", String(REAL_PORT), "-S", "60"],
        },
        {
          kind: "ours",
          file: `${dir}/ours.argus`,
          extra: ["-e", "10.9.9.2", "-P", String(OUR_PORT), "-S", "60"],
        },
      ]);
      const clients = [REAL_PORT, OUR_PORT].flatMap((port) => {
        const args = [...PRINT, "-S", `127.0.0.1:${port}`, ...FIELDS];
        return [
          pair.spawn("b", ["ra", ...args, "-", "not", "man"], {
            label: `real ra -S :${port}`,
          }),
          pair.spawn("b", ours([...args, "-", "not", "man"]), {
            label: `our ra -S :${port}`,
          }),
        ];
      });
      const counted = pair.spawn(
        "b",
        ours(["-X", "-n", "-N", "2", "-S", `127.0.0.1:${OUR_PORT}`]),
        { label: "our ra -S -N 2" },
      );
      // Every client has sent START: well before the first flow.
      await sleep(2500);
      await ping(pair, 3, 0.2);
      await udpExchange(pair, 7401, 3);
      await tcpExchange(pair, 7402, 3, 50);
      await udpExchange(pair, 7403, 2);
      await sleep(1500);
      for (const s of [real!, mine!]) {
        const r = await s.stop("SIGTERM");
        assert.equal(r.timedOut, false, `${s.kind} sensor did not stop`);
      }
      // The clients keep reconnecting, as the real ra does: stop them.
      await sleep(500);
      const out: NsRan[] = [];
      for (const c of clients) out.push(await c.stop("SIGTERM", 10_000));
      const endedAlone = counted.exited;
      const n2 = await counted.stop("SIGTERM", 5000);

      for (const [i, port] of [REAL_PORT, OUR_PORT].entries()) {
        const file = port === REAL_PORT ? real!.file : mine!.file;
        await t.step(
          `-S :${port}: both clients print what -w got`,
          async () => {
            const theirs = out[2 * i]!;
            const ourRa = out[2 * i + 1]!;
            assert.equal(ourRa.code, 0, `our ra: ${ourRa.stderr}`);
            const fromFile = await run("ra", [
              ...PRINT,
              "-r",
              file,
              ...FIELDS,
              "-",
              "not",
              "man",
            ]);
            const want = lines(fromFile.stdout);
            assert.ok(want.length >= 5, `only ${want.length} records in -w`);
            assert.deepEqual(lines(theirs.stdout), want, "the real ra -S");
            assert.deepEqual(lines(ourRa.stdout), want, "our ra -S");
          },
        );
      }
      await t.step("-N 2 ends ra -S after two records", () => {
        assert.ok(endedAlone, "still running after the traffic");
        assert.equal(n2.code, 0, n2.stderr);
        assert.equal(lines(n2.stdout).length, 3, n2.stdout); // label + 2
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
