/**
 * A SYN scan as a capture: one scanner sends a SYN to every port of a
 * range of hosts, never answered, each packet a new flow — the flood that
 * makes a flow table grow without bound (issue 7). Deterministic; also a
 * script that writes the capture and runs our sensor (and, with --real,
 * the real argus) on it, printing wall time, peak RSS, records, flows and
 * evictions:
 *
 *   deno run -A bench/syn_scan.ts [--flows 1000000] [--seconds 10] [--real]
 * @module
 */

import { V8_FLAGS_ARG } from "../scripts/baked_v8_flags.ts";

const ETHER_IP_TCP = 54;

/**
 * The pcap image of `flows` SYNs spread evenly over `seconds`, starting at
 * 2026-01-01 00:00:00 UTC: 10.9.0.1 → 10.(x).(y).(z):port, every packet a
 * distinct flow.
 */
export function synScanPcap(flows: number, seconds: number): Uint8Array {
  const out = new Uint8Array(24 + flows * (16 + ETHER_IP_TCP));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, 1, true);
  const start = Date.UTC(2026, 0, 1) * 1000;
  const step = (seconds * 1_000_000) / flows;
  let off = 24;
  for (let i = 0; i < flows; i++) {
    const t = Math.floor(start + i * step);
    const sec = Math.floor(t / 1_000_000);
    v.setUint32(off, sec, true);
    v.setUint32(off + 4, t - sec * 1_000_000, true);
    v.setUint32(off + 8, ETHER_IP_TCP, true);
    v.setUint32(off + 12, ETHER_IP_TCP, true);
    const p = off + 16;
    // Ethernet: scanner → router, IPv4.
    out.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], p);
    const ip = p + 14;
    out[ip] = 0x45;
    v.setUint16(ip + 2, 40);
    v.setUint16(ip + 4, i & 0xffff);
    out[ip + 8] = 64;
    out[ip + 9] = 6;
    v.setUint32(ip + 12, 0x0a090001); // 10.9.0.1
    // 1,000 ports on each host, hosts counted up from 10.10.0.0.
    const host = Math.floor(i / 1000);
    v.setUint32(ip + 16, (0x0a0a0000 + host) >>> 0);
    const th = ip + 20;
    v.setUint16(th, 40000 + (i % 20000));
    v.setUint16(th + 2, 1 + (i % 1000));
    v.setUint32(th + 4, (i * 2654435761) >>> 0);
    out[th + 12] = 0x50;
    out[th + 13] = 0x02; // SYN
    v.setUint16(th + 14, 1024);
    off += 16 + ETHER_IP_TCP;
  }
  return out;
}

async function main(): Promise<void> {
  const arg = (name: string, dflt: number) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Number(Deno.args[i + 1]) : dflt;
  };
  const flows = arg("--flows", 1_000_000);
  const seconds = arg("--seconds", 10);
  const dir = await Deno.makeTempDir({ prefix: "argus-ts-synscan-" });
  try {
    const pcap = `${dir}/scan.pcap`;
    await Deno.writeFile(pcap, synScanPcap(flows, seconds));
    const root = new URL("../", import.meta.url).pathname;
    const runs: [string, string[]][] = [[
      "ours",
      [
        Deno.execPath(),
        "run",
        "-A",
        V8_FLAGS_ARG,
        `${root}main.ts`,
        "argus",
      ],
    ]];
    if (Deno.args.includes("--real")) runs.push(["real argus", ["argus"]]);
    console.log(`SYN scan: ${flows} flows in ${seconds} s of traffic`);
    for (const [name, cmd] of runs) {
      const out = `${dir}/${name.replace(" ", "-")}.argus`;
      const t0 = performance.now();
      const r = await new Deno.Command("/usr/bin/time", {
        args: ["-f", "%M", ...cmd, "-X", "-r", pcap, "-w", out],
        stderr: "piped",
      }).output();
      const wall = (performance.now() - t0) / 1000;
      const rss = Number(
        new TextDecoder().decode(r.stderr).trim().split("\n")
          .at(-1),
      ) / 1024;
      const counts = await countWithRa(out);
      console.log(
        `${name.padEnd(10)} wall ${wall.toFixed(2)} s  peak RSS ${
          rss.toFixed(0)
        } MB  records ${counts.records}  flows ${counts.flows}  packets ${counts.packets}  evicted (MARs) ${counts.evicted}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Records, distinct flows and packets the real ra reads, and MAR evictions. */
async function countWithRa(
  file: string,
): Promise<
  { records: number; flows: number; packets: number; evicted: number }
> {
  const r = await new Deno.Command("ra", {
    args: [
      "-X",
      "-n",
      "-r",
      file,
      "-c",
      ",",
      "-s",
      "saddr",
      "daddr",
      "sport",
      "dport",
      "pkts",
    ],
    stdout: "piped",
  }).output();
  const lines = new TextDecoder().decode(r.stdout).trim().split("\n").slice(1);
  const keys = new Set<string>();
  let packets = 0;
  for (const l of lines) {
    const f = l.split(",");
    keys.add(f.slice(0, 4).join(","));
    packets += Number(f[4]);
  }
  const bytes = await Deno.readFile(file);
  const v = new DataView(bytes.buffer);
  let evicted = 0;
  for (let off = 0; off + 4 <= bytes.length;) {
    const len = v.getUint16(off + 2) * 4;
    if (len === 0) break;
    if (bytes[off] === 0x83 && len === 128) evicted += v.getUint32(off + 112);
    off += len;
  }
  return { records: lines.length, flows: keys.size, packets, evicted };
}

if (import.meta.main) await main();
