/**
 * `-S cisco://127.0.0.1:PORT` (#9) against the real ra 3.0.8: softflowd's
 * NetFlow v5, v9 and v9/IPv6 exports (tests/testdata/netflow/), and
 * hand-made datagrams of corner cases (tests/_util/cisco_packets.ts), are
 * sent as datagrams to the real and to our ra, and, through our radium reading the
 * same cisco:// source, to the real and our ra -S radium; every printed
 * field must be equal to what the real ra printed reading the datagrams.
 *
 * Both ra run with -X, so no rc file's settings (RA_PORT_DIRECTION of
 * /etc/ra.conf: tests/differential/port_direction_test.ts) come in.
 * StartTime of one-packet records is compared too: ra moves such a
 * flow's start to its end (client/one_packet_start.ts).
 *
 * Known difference (and why):
 * - The real radium is not compared: it relays the records it rebuilds
 *   from its canonical form (no MAC DSR, TCP state INT, direction <-,
 *   seq 2), where ours relays the client's records as made, so an ra
 *   behind our radium prints what an ra on the source prints. Both send
 *   in start-time order, so those rows are compared as sets.
 * @module
 */

import assert from "node:assert/strict";
import {
  CiscoChild,
  sendDatagrams,
  udpPayloads,
  waitListening,
} from "../_util/cisco_datagrams.ts";
import { haveRealArgus } from "../_util/oracle.ts";
import { v5Corners, v9Corners } from "../_util/cisco_packets.ts";

const DATA = new URL("../testdata/netflow/", import.meta.url).pathname;
/** This file's ports: 47610 and up, 8 per capture. */
const PORT_BASE = 47610;
const FIELDS = [
  "spkts",
  "dpkts",
  "stime",
  "ltime",
  "dur",
  "saddr",
  "daddr",
  "proto",
  "sport",
  "dport",
  "sbytes",
  "dbytes",
  "flgs",
  "dir",
  "state",
  "srcid",
  "seq",
  "stos",
  "dtos",
  "sttl",
  "smac",
  "dmac",
];
const RA_ARGS = ["-X", "-n", "-s", ...FIELDS];

/** An output's rows. */
function rows(text: string): string[] {
  return text.trimEnd().split("\n");
}

/** Stops every child, even when a step failed. */
async function stopAll(children: CiscoChild[]) {
  return await Promise.all(children.map((c) => c.stop()));
}

const cases: {
  name: string;
  payloads: () => Promise<Uint8Array[]>;
  records: number;
}[] = [
  ...[
    { file: "netflow-v5.pcap", records: 33 },
    { file: "netflow-v9.pcap", records: 33 },
    { file: "netflow-v9-ipv6.pcap", records: 15 },
  ].map((c) => ({
    name: c.file,
    payloads: () => udpPayloads(`${DATA}${c.file}`),
    records: c.records,
  })),
  {
    name: "hand-made v5 and v9 corner cases",
    payloads: () => Promise.resolve([...v5Corners(), ...v9Corners()]),
    records: 6 + 6,
  },
];

for (const [i, c] of cases.entries()) {
  Deno.test({
    name: `cisco source: ${c.name}, real ra vs our ra and our radium`,
    ignore: !haveRealArgus(),
    async fn() {
      const base = PORT_BASE + 8 * i;
      const [realPort, ourPort, radiumIn, radiumOut] = [
        base,
        base + 1,
        base + 2,
        base + 3,
      ];
      const payloads = await c.payloads();
      const src = (p: number) => `cisco://127.0.0.1:${p}`;
      const children: CiscoChild[] = [];
      let outs: { stdout: string; stderr: string }[];
      try {
        children.push(
          new CiscoChild("ra", [...RA_ARGS, "-S", src(realPort)]),
          new CiscoChild("ours:ra", [...RA_ARGS, "-S", src(ourPort)]),
          new CiscoChild("ours:radium", [
            "-X",
            "-S",
            src(radiumIn),
            "-P",
            String(radiumOut),
          ]),
        );
        await waitListening(realPort, "udp");
        await waitListening(ourPort, "udp");
        await waitListening(radiumIn, "udp");
        await waitListening(radiumOut, "tcp");
        const relay = `127.0.0.1:${radiumOut}`;
        children.push(
          new CiscoChild("ra", [...RA_ARGS, "-S", relay]),
          new CiscoChild("ours:ra", [...RA_ARGS, "-S", relay]),
        );
        // Both ra -S must have connected (and had radium's MAR) first.
        await new Promise((r) => setTimeout(r, 2500));
        await sendDatagrams(payloads, realPort);
        await sendDatagrams(payloads, ourPort);
        await sendDatagrams(payloads, radiumIn);
        // radium holds records up to twice its 1 s ordering window.
        await new Promise((r) => setTimeout(r, 3500));
      } finally {
        outs = await stopAll(children);
      }
      const [real, ours, , realViaOurs, oursViaOurs] = outs;
      const want = real!.stdout.trimEnd().split("\n");
      // A header and every flow entry of the capture.
      assert.equal(want.length, c.records + 1, real!.stdout + real!.stderr);
      assert.deepEqual(rows(ours!.stdout), rows(real!.stdout), "our ra");
      // radium sends in start-time order: compare the rows as sets.
      assert.deepEqual(
        realViaOurs!.stdout.trimEnd().split("\n").sort(),
        [...want].sort(),
        "real ra behind our radium",
      );
      assert.deepEqual(
        rows(oursViaOurs!.stdout).sort(),
        rows(real!.stdout).sort(),
        "our ra behind our radium",
      );
    },
  });
}
