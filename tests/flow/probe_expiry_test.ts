/**
 * Early expiry of unanswered probes (issue 7): when a SYN scan fills the
 * flow table to its limit, the evicted flows are the probes nobody
 * answered, not the older connections that had an answer; those keep one
 * whole record each, as without a limit. Read back with the real ra.
 * @module
 */

import assert from "node:assert/strict";
import { ether, ipv4Packet, tcp } from "../_util/packets.ts";
import type { PcapPacket } from "../_util/pcap_writer.ts";
import { sensorRecords } from "../_util/sensor_run.ts";

const SYN = 0x02, ACK = 0x10, PSH = 0x08;
const T0 = 1_780_000_000_000_000;
const CONNECTIONS = 40;
const PROBES = 4000;
const SECONDS = 3;

function packet(
  time: number,
  src: string,
  dst: string,
  segment: number[],
): PcapPacket {
  return {
    time,
    data: ether(
      "02:00:00:00:00:02",
      "02:00:00:00:00:01",
      0x0800,
      ipv4Packet(src, dst, 6, segment),
    ),
  };
}

/** 40 answered connections that start first, then a SYN scan. */
function traffic(): PcapPacket[] {
  const out: PcapPacket[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const t = T0 + i * 1000, port = 40000 + i;
    out.push(packet(t, "10.1.0.1", "10.2.0.1", tcp(port, 80, SYN, 1000, 0)));
    out.push(
      packet(
        t + 100,
        "10.2.0.1",
        "10.1.0.1",
        tcp(80, port, SYN | ACK, 5000, 1001),
      ),
    );
    out.push(
      packet(t + 200, "10.1.0.1", "10.2.0.1", tcp(port, 80, ACK, 1001, 5001)),
    );
    for (let k = 1; k <= SECONDS * 10; k++) {
      const at = t + k * 100_000;
      out.push(
        packet(
          at,
          "10.1.0.1",
          "10.2.0.1",
          tcp(
            port,
            80,
            PSH | ACK,
            1001 + (k - 1) * 10,
            5001,
            new Array(10).fill(0x61),
          ),
        ),
      );
      out.push(
        packet(
          at + 50,
          "10.2.0.1",
          "10.1.0.1",
          tcp(80, port, ACK, 5001, 1001 + k * 10),
        ),
      );
    }
  }
  for (let p = 0; p < PROBES; p++) {
    const at = T0 + 500_000 + Math.floor(p * (SECONDS - 0.6) * 1e6 / PROBES);
    const dst = `10.3.${(p >> 8) & 0xff}.${p & 0xff}`;
    out.push(packet(at, "10.9.0.1", dst, tcp(5555, 1 + (p % 1000), SYN, p, 0)));
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The real ra's rows for a record file: addresses, ports, packets. */
async function raRows(records: Uint8Array): Promise<string[]> {
  const file = await Deno.makeTempFile({ prefix: "probe-expiry-" });
  try {
    await Deno.writeFile(file, records);
    const r = await new Deno.Command("ra", {
      args: [
        "-n",
        "-c",
        ",",
        "-r",
        file,
        "-s",
        "saddr",
        "sport",
        "daddr",
        "dport",
        "spkts",
        "dpkts",
        "state",
        "-",
        "not man",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    return new TextDecoder().decode(r.stdout).trim().split("\n").slice(1);
  } finally {
    await Deno.remove(file);
  }
}

Deno.test("flow limit: a SYN scan evicts the unanswered probes, not the answered connections", async () => {
  const packets = traffic();
  const limited = await raRows(sensorRecords(packets, 1, { maxFlows: 200 }));
  const free = await raRows(sensorRecords(packets, 1));
  const answered = (rows: string[]) =>
    rows.filter((r) => r.startsWith("10.1.0.1,")).sort();
  // Each connection: one record, the same as without a limit.
  assert.equal(answered(free).length, CONNECTIONS);
  assert.deepEqual(answered(limited), answered(free));
  // Every probe is in one record of its one packet.
  const probes = limited.filter((r) => r.startsWith("10.9.0.1,"));
  assert.equal(probes.length, PROBES);
  assert.ok(probes.every((r) => r.split(",")[4] === "1"));
});
