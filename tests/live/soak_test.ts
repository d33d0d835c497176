/**
 * argus -i soak (issue 7): a mixed set of corpus captures replayed on loop
 * onto a veth while our sensor (-w, -M 1) and the real argus capture it.
 * Our sensor's RSS (VmRSS), open fds and threads are sampled every second:
 * RSS must stay flat after the warm-up, fds and threads constant, and
 * every packet that reached the veth must be in a flow record or a MAR's
 * drop count, with the same flows and packets as the real argus's. ~45 s by default; SOAK_SECONDS=300
 * makes it a long run.
 * @module
 */

import assert from "node:assert/strict";
import { NetnsPair, netnsUnavailable, reportSkip } from "../_util/netns.ts";
import { replay, type ReplayRate } from "../_util/netns_traffic.ts";
import { startSensors } from "../_util/live_sensors.ts";
import { CORPUS, haveRealArgus } from "../_util/oracle.ts";
import { recordCensus } from "../_util/live_records.ts";
import { realRa } from "../_util/real_ra.ts";

const SKIP = reportSkip(
  "tests/live/soak_test.ts",
  haveRealArgus()
    ? await netnsUnavailable(["tcpreplay"])
    : "the real argus is not installed",
);

/** Seconds of traffic. */
const SECONDS = Number(Deno.env.get("SOAK_SECONDS") ?? "36");
/** The first quarter of the run (at most 60 s) is warm-up, not judged. */
const WARMUP_S = Math.min(60, Math.ceil(SECONDS / 4));
/** RSS slack: the last third may exceed the first by 30 % plus this. */
const RSS_SLACK_KB = 8 * 1024;

/**
 * One pass of the loop: each capture once, at its rate. Not the fragment
 * captures: replayed again while their fragment state lives, lone trailing
 * fragments are counted in no record, by the real argus as by ours, and
 * how many depends on timing, so packets would not add up to those sent
 * (measured: ipv6.pcap's second fragment, 6 of 8 packets lost over 8
 * passes by both; ipv4-frag.pcap's udp 0 -> 0 fragments, over 62 passes
 * 84 of 124 lost by the real argus, 86 by ours).
 */
const PASS: [string, ReplayRate][] = [
  ["mixed-small.pcap", { pps: 5_000 }],
  ["tcp-basic.pcap", { topspeed: true }],
  ["udp-dns.pcap", { topspeed: true }],
  ["icmp.pcap", { topspeed: true }],
  ["vlan.pcap", { topspeed: true }],
  ["tcp-scans.pcap", { topspeed: true }],
  ["tcp-rst.pcap", { topspeed: true }],
  ["tcp-anomalies.pcap", { topspeed: true }],
];

/** One reading of the sensor's /proc entries. */
interface Sample {
  /** Seconds since the traffic started. */
  t: number;
  rssKb: number;
  fds: number;
  threads: number;
}

async function sample(pid: number, t: number): Promise<Sample> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  let fds = 0;
  for await (const _ of Deno.readDir(`/proc/${pid}/fd`)) fds++;
  return { t, rssKb: field("VmRSS"), fds, threads: field("Threads") };
}

/** Flow keys (proto, addresses, ports) with their packets, by the real ra. */
async function flowPackets(file: string): Promise<Map<string, number>> {
  const r = await realRa(file, [
    "proto",
    "saddr",
    "sport",
    "daddr",
    "dport",
    "pkts",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const flows = new Map<string, number>();
  for (const row of r.rows) {
    const key = row.slice(0, 5).map((f) => f.trim()).join(" ");
    if (key.startsWith("man ")) continue;
    flows.set(key, (flows.get(key) ?? 0) + Number(row[5]));
  }
  return flows;
}

const maxOf = (xs: number[]) => Math.max(...xs);

/** Packets received by b's end of the veth so far (ip -s link). */
async function linkStats(pair: NetnsPair): Promise<number> {
  const r = await pair.exec("b", [
    "ip",
    "-s",
    "-j",
    "link",
    "show",
    pair.vethB,
  ]);
  return JSON.parse(r.stdout)[0].stats64.rx.packets;
}

Deno.test({
  name:
    "argus -i soak: RSS flat after warm-up, fds and threads constant, every packet and flow accounted for",
  ignore: SKIP,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "sk-" });
    // MTU 9000: mixed-small.pcap holds jumbo frames.
    await using pair = await NetnsPair.create("sk", { mtu: 9000 });
    try {
      const ours = `${dir}/ours.argus`;
      const real = `${dir}/real.argus`;
      const sensors = await startSensors(pair, [
        { kind: "ours", file: ours, extra: ["-M", "1"] },
        { kind: "real", file: real, extra: ["-M", "1"] },
      ]);
      const pid = sensors[0]!.proc.pid;
      const before = await linkStats(pair);
      const samples: Sample[] = [];
      const start = Date.now();
      const elapsed = () => (Date.now() - start) / 1000;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          samples.push(await sample(pid, Math.round(elapsed())));
          await new Promise((r) => setTimeout(r, 1000));
        }
      })();
      let sent = 0;
      let passes = 0;
      try {
        while (elapsed() < SECONDS) {
          for (const [file, rate] of PASS) {
            const r = await replay(pair, `${CORPUS}${file}`, rate);
            assert.equal(r.failed, 0, `${file}: ${r.output}`);
            sent += r.sent;
          }
          passes++;
        }
      } finally {
        sampling = false;
        await sampler;
      }
      // Both read the last packets before the signal.
      await new Promise((r) => setTimeout(r, 1000));
      const [o, r] = await Promise.all(sensors.map((s) => s.stop()));
      // What reached b's end of the veth (the sensors' interface).
      const arrived = (await linkStats(pair)) - before;

      const judged = samples.filter((s) => s.t >= WARMUP_S);
      const third = Math.max(1, Math.floor(judged.length / 3));
      const early = judged.slice(0, third);
      const late = judged.slice(-third);
      // About 40 RSS figures whatever the length.
      const step = Math.max(1, Math.round(samples.length / 40));
      const changes = (key: "fds" | "threads") =>
        samples.filter((x, i) => i === 0 || x[key] !== samples[i - 1]![key])
          .map((x) => `${x[key]}@${x.t}s`).join(" ");
      console.log(
        `soak: ${SECONDS} s, ${passes} passes, ${sent} packets sent, ${arrived} arrived; RSS MB by second: ${
          samples.filter((_, i) => i % step === 0 || i === samples.length - 1)
            .map((s) => `${s.t}:${(s.rssKb / 1024).toFixed(1)}`).join(" ")
        }; fds ${changes("fds")}; threads ${changes("threads")}`,
      );

      await t.step("both sensors exit 0", () => {
        assert.equal(o!.code, 0, o!.stderr);
        // The real argus 3.0.8.2 now and then dies of SIGSEGV as it shuts
        // down, after writing its records (see live_vs_real_test.ts).
        assert.ok(r!.code === 0 || r!.code === 139, r!.stderr);
        assert.ok(!o!.timedOut, "our argus needed SIGKILL");
      });

      await t.step("RSS flat after the warm-up", () => {
        assert.ok(judged.length >= 6, `only ${judged.length} samples`);
        const first = maxOf(early.map((s) => s.rssKb));
        const last = maxOf(late.map((s) => s.rssKb));
        assert.ok(
          last <= first * 1.3 + RSS_SLACK_KB,
          `RSS grew: ${first} kB in the first third after warm-up, ${last} kB in the last`,
        );
      });

      await t.step("open fds and threads constant", () => {
        // pcap_stats opens and closes /sys/class/net/DEV/statistics files
        // at each MAR (strace), so a sample may see one or two more fds:
        // a leak raises the floor, a transient does not.
        const minOf = (xs: number[]) => Math.min(...xs);
        const fds = judged.map((s) => s.fds);
        assert.equal(
          minOf(late.map((s) => s.fds)),
          minOf(early.map((s) => s.fds)),
          `fd counts: ${fds.join(", ")}`,
        );
        assert.ok(maxOf(fds) <= minOf(fds) + 2, `fd counts: ${fds.join(", ")}`);
        // Deno's runtime starts a worker thread on first need (seen 7 → 8
        // at 23 s in one run, at 88 s in another, never more): allow one,
        // a leak keeps adding them.
        const threads = judged.map((s) => s.threads);
        assert.ok(
          maxOf(late.map((s) => s.threads)) <=
            maxOf(early.map((s) => s.threads)) + 1,
          `threads: ${threads.join(", ")}`,
        );
      });

      await t.step(
        "every packet that arrived is in a record or a drop count",
        async () => {
          const c = await recordCensus(ours);
          assert.equal(c.damage, null);
          assert.ok(c.closed, "no closing MAR");
          const drops = c.mars.slice(1).reduce((a, m) => a + m.dropped, 0);
          assert.equal(c.packets + drops, arrived, `${drops} dropped`);
          assert.equal(drops, 0, "our argus dropped packets");
          assert.ok(
            arrived <= sent && arrived >= sent * 0.999,
            `${sent} sent, ${arrived} arrived`,
          );
        },
      );

      await t.step("the same flows as the real argus", async () => {
        const [mine, theirs] = await Promise.all([
          flowPackets(ours),
          flowPackets(real),
        ]);
        const missing = [...theirs.keys()].filter((k) => !mine.has(k));
        const extra = [...mine.keys()].filter((k) => !theirs.has(k));
        assert.deepEqual(
          { missing: missing.slice(0, 10), extra: extra.slice(0, 10) },
          { missing: [], extra: [] },
        );
        const differ = [...theirs].filter(([k, n]) => mine.get(k) !== n);
        assert.deepEqual(differ.slice(0, 10), [], "packets per flow differ");
      });
    } finally {
      await pair.cleanup();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
