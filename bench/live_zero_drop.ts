/**
 * Zero-drop rate of live capture (argus -i), ours against the real argus:
 * a ladder of tcpreplay rates onto a veth between two network namespaces,
 * both sensors capturing at once (-X -S 60 -M 1). Per rate, drops are
 * packets sent minus packets in each sensor's flow records (spkts + dpkts),
 * beside the drops its MARs report; then the highest rate each took
 * without loss.
 *
 *   deno run -A bench/live_zero_drop.ts [--rates 10000,20000,...]
 *       [--seconds 3] [--repeat 1] [--pcap FILE] [--apart] [--keep DIR]
 *
 * Needs root, iproute2 and tcpreplay. Without --pcap it replays generated
 * UDP traffic (1000 flows, 128-byte frames) whose every packet lands in a
 * flow record. --apart runs the two sensors one after the other at each
 * rate instead of together (on a small machine they share the CPUs with
 * tcpreplay). --repeat N: a rate counts as lossless only if all N runs at
 * it are (single runs are noisy on a busy machine). Traffic stays inside
 * the namespaces.
 * @module
 */

import { NetnsPair, netnsUnavailable } from "../tests/_util/netns.ts";
import { replay, type Replayed } from "../tests/_util/netns_traffic.ts";
import { type SensorKind, startSensors } from "../tests/_util/live_sensors.ts";
import { recordCensus } from "../tests/_util/live_records.ts";
import { udpBurstPcap } from "../tests/_util/udp_burst.ts";

interface Options {
  rates: number[];
  seconds: number;
  pcap: string | null;
  apart: boolean;
  repeat: number;
  keep: string | null;
}

function parseOptions(args: string[]): Options {
  const o: Options = {
    rates: [10_000, 25_000, 50_000, 100_000, 200_000, 400_000, 800_000],
    seconds: 3,
    pcap: null,
    apart: false,
    repeat: 1,
    keep: null,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === "--apart") o.apart = true;
    else if (a === "--rates" && v) {
      o.rates = v.split(",").map(Number).sort((x, y) => x - y);
      i++;
    } else if (a === "--seconds" && v) {
      o.seconds = Number(v);
      i++;
    } else if (a === "--repeat" && v) {
      o.repeat = Number(v);
      i++;
    } else if (a === "--pcap" && v) {
      o.pcap = v;
      i++;
    } else if (a === "--keep" && v) {
      o.keep = v;
      i++;
    } else {
      console.error(`live_zero_drop: Unknown option "${a}"`);
      Deno.exit(2);
    }
  }
  if (
    o.rates.some((r) => !(r > 0)) || !(o.seconds > 0) ||
    !Number.isInteger(o.repeat) || o.repeat < 1
  ) {
    console.error(
      "live_zero_drop: Rates, seconds and repeat must be positive",
    );
    Deno.exit(2);
  }
  return o;
}

async function countPackets(pcap: string): Promise<number> {
  const b = await Deno.readFile(pcap);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = v.getUint32(0, true) === 0xa1b2c3d4 ||
    v.getUint32(0, true) === 0xa1b23c4d;
  let n = 0;
  for (let at = 24; at + 16 <= b.length; n++) {
    at += 16 + v.getUint32(at + 8, le);
  }
  return n;
}

/** One sensor's outcome at one rate. */
interface Seen {
  /** Packets tcpreplay got onto the veth during this sensor's run. */
  sent: number;
  counted: number;
  marDrops: number;
  exit: number;
}

/** RX and TX packet and drop counters of a link, from `ip -s -j link`. */
interface LinkStats {
  rx: number;
  rxDropped: number;
  txDropped: number;
}

async function linkStats(pair: NetnsPair, side: "a" | "b"): Promise<LinkStats> {
  const dev = side === "a" ? pair.vethA : pair.vethB;
  const r = await pair.exec(side, ["ip", "-s", "-j", "link", "show", dev]);
  const [link] = JSON.parse(r.stdout) as {
    stats64: {
      rx: { packets: number; dropped: number };
      tx: { dropped: number };
    };
  }[];
  return {
    rx: link!.stats64.rx.packets,
    rxDropped: link!.stats64.rx.dropped,
    txDropped: link!.stats64.tx.dropped,
  };
}

interface Rung {
  rate: number;
  sent: Replayed;
  /** Packets the captured veth end received during the replay. */
  arrived: number;
  seen: Partial<Record<SensorKind, Seen>>;
}

async function runRung(
  pair: NetnsPair,
  dir: string,
  pcap: string,
  loop: number,
  rate: number,
  kinds: SensorKind[],
): Promise<Rung> {
  const specs = kinds.map((kind) => ({
    kind,
    file: `${dir}/${kind}-${rate}.argus`,
    extra: ["-S", "60", "-M", "1"],
  }));
  for (const s of specs) await Deno.remove(s.file).catch(() => {});
  const sensors = await startSensors(pair, specs);
  let sent: Replayed;
  let arrived = 0;
  try {
    const before = await linkStats(pair, "b");
    sent = await replay(pair, pcap, { pps: rate }, loop);
    arrived = (await linkStats(pair, "b")).rx - before.rx;
    // Let each sensor drain its capture buffer before the signal.
    await new Promise((r) => setTimeout(r, 2000));
  } finally {
    await Promise.all(sensors.map((s) => s.stop("SIGTERM", 60_000)));
  }
  const seen: Rung["seen"] = {};
  for (const s of sensors) {
    const c = await recordCensus(s.file);
    const st = await s.proc.wait();
    seen[s.kind] = {
      sent: sent.sent,
      counted: c.packets,
      // Each status and closing MAR counts the drops of its own period.
      marDrops: c.mars.slice(1).reduce((sum, m) => sum + m.dropped, 0),
      exit: st.code,
    };
  }
  return { rate, sent, arrived, seen };
}

function zeroDrop(r: Rung, k: SensorKind): boolean {
  const s = r.seen[k];
  return !!s && s.exit === 0 && s.counted === s.sent && s.marDrops === 0;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function cell(r: Rung, k: SensorKind): string {
  const s = r.seen[k];
  if (!s) return pad("-", 26);
  const lost = s.sent - s.counted;
  const flag = zeroDrop(r, k) ? " " : "*";
  return `${pad(s.counted, 9)} ${pad(lost, 8)} ${pad(s.marDrops, 7)}${flag}`;
}

async function main(): Promise<void> {
  const o = parseOptions(Deno.args);
  const why = await netnsUnavailable(["tcpreplay"]);
  if (why) {
    console.error(`live_zero_drop: Cannot run: ${why}`);
    Deno.exit(1);
  }
  const dir = o.keep ?? await Deno.makeTempDir({ prefix: "lzd-" });
  await Deno.mkdir(dir, { recursive: true });
  let pcap = o.pcap;
  if (!pcap) {
    pcap = `${dir}/traffic.pcap`;
    await Deno.writeFile(pcap, udpBurstPcap());
  }
  const perFile = await countPackets(pcap);
  await using pair = await NetnsPair.create("lzd", { mtu: 9000 });
  const kindsets: SensorKind[][] = o.apart
    ? [["real"], ["ours"]]
    : [["real", "ours"]];
  console.log(
    `live zero-drop ladder: ${pcap} (${perFile} packets), ~${o.seconds} s per rate, sensors ${
      o.apart ? "one at a time" : "together"
    }`,
  );
  console.log(
    `${pad("pps asked", 10)} ${pad("pps sent", 10)} ${pad("sent", 9)} ${
      pad("arrived", 9)
    } | ${pad("real: counted     lost  MARdrop", 32)} | ${
      pad("ours: counted     lost  MARdrop", 32)
    }`,
  );
  const best: Record<SensorKind, number> = { real: 0, ours: 0 };
  const failing: Record<SensorKind, boolean> = { real: false, ours: false };
  try {
    for (const rate of o.rates) {
      const loop = Math.max(1, Math.round(rate * o.seconds / perFile));
      const rung: Rung = { rate, sent: null!, arrived: 0, seen: {} };
      for (const kinds of kindsets) {
        const live = kinds.filter((k) => !failing[k]);
        if (live.length === 0) continue;
        // --apart: each sensor is judged against its own run's count.
        // --repeat: a rate passes only if every run of it is lossless; the
        // table shows each sensor's worst run.
        const worst: Partial<Record<SensorKind, number>> = {};
        for (let n = 0; n < o.repeat; n++) {
          const r = await runRung(pair, dir, pcap, loop, rate, live);
          for (const k of live) {
            const s = r.seen[k]!;
            const lost = s.sent - s.counted + s.marDrops;
            if (!zeroDrop(r, k)) failing[k] = true;
            if (worst[k] === undefined || lost > worst[k]!) {
              worst[k] = lost;
              rung.seen[k] = s;
            }
          }
          rung.sent = r.sent;
          rung.arrived = r.arrived;
        }
        for (const k of live) if (!failing[k]) best[k] = rate;
      }
      if (!rung.sent) break;
      const achieved = Math.round(rung.sent.sent / rung.sent.seconds);
      // tcpreplay shares the CPUs with the sensors; past its own limit the
      // rung measures the sender, not the sensors.
      const limited = achieved < rate * 0.9 ? "<" : " ";
      console.log(
        `${pad(rate, 10)} ${pad(achieved, 9)}${limited} ${
          pad(rung.sent.sent, 9)
        } ${pad(rung.arrived, 9)} |      ${cell(rung, "real")} |      ${
          cell(rung, "ours")
        }`,
      );
      if (failing.real && failing.ours) break;
    }
  } finally {
    await pair.cleanup();
    if (!o.keep) await Deno.remove(dir, { recursive: true });
  }
  console.log(
    "(* = lost packets or MAR drops; a sensor stops at its first loss;" +
      " < = tcpreplay fell short of the rate asked)",
  );
  console.log(
    `highest zero-drop rate: real argus ${best.real} pps, ours ${best.ours} pps`,
  );
  console.log(
    `ratio ours/real: ${
      best.real ? (best.ours / best.real).toFixed(2) : "n/a"
    }`,
  );
}

if (import.meta.main) await main();
