/**
 * radium fan-in, live: three of our sensors and one real argus, each on
 * its own namespace host capturing its own veth (-e 101..104), serve -P
 * over separate management links to a hub namespace where our radium
 * merges them (-P, -w) for the real `ra -S` and our `ra -S`. Every record
 * each sensor wrote to its -w files arrives exactly once through radium,
 * srcid intact; one sensor is stopped and restarted mid-test, radium
 * reconnects, and nothing written after the restart is lost. A client
 * that never reads holds up no one. The real radium, on the same sources,
 * passes on the same records (once it too has reconnected: it waits ~5 s).
 * @module
 */

import assert from "node:assert/strict";
import {
  NetnsPair,
  netnsUnavailable,
  type NsProcess,
  type NsRan,
  reportSkip,
} from "../_util/netns.ts";
import { ping, udpExchange } from "../_util/netns_traffic.ts";
import { LiveSensor, MAIN, type SensorKind } from "../_util/live_sensors.ts";
import { haveRealArgus, run } from "../_util/oracle.ts";

const SKIP = reportSkip(
  "tests/live/radium_fanin_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["ping", "python3", "ss"])
    : "the real argus is not installed",
);

const SENSOR_PORT = 561;
const RADIUM_PORT = 562;
const REAL_RADIUM_PORT = 563;
const REAL_RADIUM = "/usr/sbin/radium";
const KINDS: SensorKind[] = ["ours", "ours", "ours", "real"];
/** Printed per record: the srcid first, then what tells records apart. */
const FIELDS = [
  "-s",
  "srcid",
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
const PRINT = ["-X", "-nn", "-u", "-L", "-1", "-c", ","];

/** Connects, takes the opening MAR, sends START: and never reads again. */
const STALLED = `
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.recv(128)
s.send(b"START: ")
time.sleep(3600)
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ip(args: string[]): Promise<void> {
  const r = await new Deno.Command("ip", {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (r.code !== 0) {
    throw new Error(
      `ip ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`,
    );
  }
}

/** The hub namespace and the management links to each sensor host. */
class Hub implements AsyncDisposable {
  readonly ns = `rdh${Deno.pid % 100000}`;
  readonly #procs: NsProcess[] = [];
  #pair: NetnsPair | null = null;

  async setUp(pairs: NetnsPair[]): Promise<void> {
    await new Deno.Command("ip", { args: ["netns", "del", this.ns] }).output();
    await ip(["netns", "add", this.ns]);
    await ip(["-n", this.ns, "link", "set", "lo", "up"]);
    for (const [i, pair] of pairs.entries()) {
      const h = `rdm${i}h${Deno.pid % 100000}`;
      const s = `rdm${i}s${Deno.pid % 100000}`;
      await ip([
        "link",
        "add",
        h,
        "netns",
        this.ns,
        "type",
        "veth",
        "peer",
        "name",
        s,
        "netns",
        pair.b,
      ]);
      await ip(["-n", this.ns, "addr", "add", `192.168.${i}.1/24`, "dev", h]);
      await ip(["-n", pair.b, "addr", "add", `192.168.${i}.2/24`, "dev", s]);
      await ip(["-n", this.ns, "link", "set", h, "up"]);
      await ip(["-n", pair.b, "link", "set", s, "up"]);
    }
    this.#pair = pairs[0]!;
  }

  /** Starts a command in the hub (killed at cleanup). */
  spawn(args: string[], label: string): NsProcess {
    const p = this.#pair!.spawn(this.ns, args, { label });
    this.#procs.push(p);
    return p;
  }

  /** Whether something in the hub listens on TCP `port`. */
  async listening(port: number): Promise<boolean> {
    const r = await this.#pair!.exec(this.ns, [
      "ss",
      "-Hltn",
      `sport = :${port}`,
    ]);
    return r.stdout.trim() !== "";
  }

  /** Established connections from the hub to a sensor's -P port. */
  async connectionsTo(address: string): Promise<number> {
    const r = await this.#pair!.exec(this.ns, [
      "ss",
      "-Htn",
      "state",
      "established",
      `( dst ${address}:${SENSOR_PORT} )`,
    ]);
    return r.stdout.split("\n").filter((l) => l.trim() !== "").length;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const p of this.#procs) p.kill("SIGKILL");
    await Promise.all(this.#procs.map((p) => p.wait()));
    await new Deno.Command("ip", { args: ["netns", "del", this.ns] }).output();
  }
}

function sensorArgs(i: number): string[] {
  return ["-e", String(101 + i), "-P", String(SENSOR_PORT), "-S", "2"];
}

function ourRa(args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", MAIN, "ra", ...args];
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "").sort();
}

async function waitFor(
  what: string,
  test: () => Promise<boolean>,
  ms = 15_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Some traffic across every pair (ports differ per round and pair). */
async function traffic(pairs: NetnsPair[], round: number): Promise<void> {
  await Promise.all(pairs.map(async (pair, i) => {
    await ping(pair, 2, 0.1);
    await udpExchange(pair, 7500 + 10 * round + i, 2);
  }));
}

Deno.test({
  name:
    "radium: 3 of our sensors + the real argus → our radium → the real and our ra -S, every record once, across a sensor restart",
  ignore: SKIP,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "rd-" });
    const pairs: NetnsPair[] = [];
    try {
      for (let i = 0; i < KINDS.length; i++) {
        pairs.push(await NetnsPair.create(`rd${i}`));
      }
      await using hub = new Hub();
      await hub.setUp(pairs);
      const files: string[][] = KINDS.map(() => []);
      const sensors = KINDS.map((kind, i) => {
        const file = `${dir}/s${i}.argus`;
        files[i]!.push(file);
        return LiveSensor.start(pairs[i]!, kind, file, sensorArgs(i));
      });
      await Promise.all(sensors.map((s) => s.ready()));

      const merged = `${dir}/radium.argus`;
      const radium = hub.spawn([
        Deno.execPath(),
        "run",
        "-A",
        MAIN,
        "radium",
        "-X",
        ...KINDS.flatMap((_, i) => ["-S", `192.168.${i}.2:${SENSOR_PORT}`]),
        "-P",
        String(RADIUM_PORT),
        "-e",
        "200",
        "-w",
        merged,
      ], "radium");
      // The real radium on the same sources, as the oracle of the stream.
      const realRadium = hub.spawn([
        REAL_RADIUM,
        "-X",
        ...KINDS.flatMap((_, i) => ["-S", `192.168.${i}.2:${SENSOR_PORT}`]),
        "-P",
        String(REAL_RADIUM_PORT),
      ], "real radium");
      await waitFor(
        "the real radium listening",
        () => hub.listening(REAL_RADIUM_PORT),
      );
      // Both radiums are connected to every sensor.
      for (let i = 0; i < KINDS.length; i++) {
        await waitFor(
          `radiums → sensor ${i}`,
          async () => await hub.connectionsTo(`192.168.${i}.2`) === 2,
        );
      }
      // A client that starts and then never reads stalls nobody.
      hub.spawn(["python3", "-c", STALLED, String(RADIUM_PORT)], "stalled");
      const remote = ["-S", `127.0.0.1:${RADIUM_PORT}`, ...FIELDS];
      const clients = [
        hub.spawn(["ra", ...PRINT, ...remote, "-", "not", "man"], "real ra"),
        hub.spawn(ourRa([...PRINT, ...remote, "-", "not", "man"]), "our ra"),
        hub.spawn([
          "ra",
          ...PRINT,
          "-S",
          `127.0.0.1:${REAL_RADIUM_PORT}`,
          ...FIELDS,
          "-",
          "not",
          "man",
        ], "real ra of the real radium"),
      ];
      await sleep(2000);

      await traffic(pairs, 0);
      await sleep(1000);
      // Sensor 0 stops (its last records go out first) and comes back.
      const first = await sensors[0]!.stop("SIGTERM");
      assert.equal(first.code, 0, `sensor 0: ${first.stderr}`);
      await sleep(500);
      const again = `${dir}/s0-again.argus`;
      files[0]!.push(again);
      sensors[0] = LiveSensor.start(pairs[0]!, "ours", again, sensorArgs(0));
      await sensors[0].ready();
      // Both radiums reconnect (the real one within ~5 s).
      await waitFor(
        "the radiums reconnecting",
        async () => await hub.connectionsTo("192.168.0.2") === 2,
      );
      await traffic(pairs, 1);
      await sleep(1000);

      for (const s of sensors) {
        const r = await s.stop("SIGTERM");
        assert.equal(r.timedOut, false, `a ${s.kind} sensor did not stop`);
      }
      // The reordering window, then the clients and radium stop.
      await sleep(2500);
      const out: NsRan[] = [];
      for (const c of clients) out.push(await c.stop("SIGTERM", 10_000));
      const rad = await radium.stop("SIGTERM", 10_000);
      await realRadium.stop("SIGTERM", 5000);

      const want: string[] = [];
      const perSensor: number[] = [];
      for (const [i, list] of files.entries()) {
        const r = await run("ra", [
          ...PRINT,
          "-r",
          ...list,
          ...FIELDS,
          "-",
          "not",
          "man",
        ]);
        assert.equal(r.code, 0, r.stderr);
        const got = lines(r.stdout);
        assert.ok(
          got.every((l) => l.startsWith(`${101 + i},`)),
          `sensor ${i} srcid`,
        );
        perSensor.push(got.length);
        want.push(...got);
      }
      want.sort();
      const restarted = await run("ra", [
        ...PRINT,
        "-r",
        again,
        "-",
        "not",
        "man",
      ]);
      const afterRestart = lines(restarted.stdout).length;
      console.log(
        `radium fan-in: ${want.length} records (per sensor ${
          perSensor.join(", ")
        }; ${afterRestart} of sensor 0's after its restart)`,
      );

      await t.step("radium stopped cleanly", () => {
        assert.equal(rad.code, 0, rad.stderr);
        assert.equal(rad.timedOut, false);
      });
      await t.step("the real ra -S got every record once", () => {
        assert.ok(perSensor.every((n) => n >= 2), `${perSensor}`);
        assert.ok(afterRestart >= 2, `${afterRestart} after the restart`);
        assert.deepEqual(lines(out[0]!.stdout), want);
      });
      await t.step("our ra -S got every record once", () => {
        assert.equal(out[1]!.code, 0, out[1]!.stderr);
        assert.deepEqual(lines(out[1]!.stdout), want);
      });
      await t.step("the real radium passed on the same records", () => {
        assert.deepEqual(lines(out[2]!.stdout), want);
      });
      await t.step(
        "radium's -w file holds them too, and its own MARs",
        async () => {
          const r = await run("ra", [
            ...PRINT,
            "-r",
            merged,
            ...FIELDS,
            "-",
            "not",
            "man",
          ]);
          assert.deepEqual(lines(r.stdout), want);
          const mars = await run("ra", [
            ...PRINT,
            "-M",
            "man",
            "-r",
            merged,
            "-s",
            "srcid",
            "-",
            "man",
          ]);
          assert.ok(lines(mars.stdout).includes("200"), "radium's own MARs");
        },
      );
    } finally {
      for (const p of pairs) await p.cleanup();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
