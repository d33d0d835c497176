/**
 * argus -r cisco:file against the real argus 3.0.8: NetFlow v5 and v9
 * export packets in UDP payloads become flow records (type FAR|NETFLOW),
 * next to the ordinary flow records of the export packets themselves.
 * Inputs: softflowd's exports of corpus captures (tests/testdata/netflow/)
 * and hand-made packets with the corner cases softflowd does not write (v5:
 * masks, AS numbers, TOS, a start before the header's uptime, TCP flag
 * combinations, counters past 16 bits, an exporter with the higher port;
 * v9: data before its template, masks, TTL, IP id, flows of no duration,
 * no times at all, padding, an unknown template, a template timed out).
 * @module
 */

import assert from "node:assert/strict";
import { firstRecordDifference, flowRecords } from "../_util/records.ts";
import { haveRealArgus, run, runOurArgus } from "../_util/oracle.ts";
import { realRa } from "../_util/real_ra.ts";
import { pcapFile } from "../_util/pcap_writer.ts";
import { ether, ipv4Packet, udp } from "../_util/packets.ts";
import { tcpStatus } from "../../src/netflow/mod.ts";

const DATA = new URL("../testdata/netflow/", import.meta.url).pathname;

/** Both sensors on `cisco:pcap`; returns their record files' bytes. */
async function bothSensors(
  dir: string,
  pcap: string,
  tag: string,
  extra: string[] = [],
) {
  const theirs = `${dir}/${tag}-theirs.argus`;
  const ours = `${dir}/${tag}-ours.argus`;
  const real = await run("argus", [
    "-X",
    "-r",
    `cisco:${pcap}`,
    "-w",
    theirs,
    ...extra,
  ]);
  assert.equal(real.code, 0, real.stderr);
  const mine = await runOurArgus([
    "-X",
    "-r",
    `cisco:${pcap}`,
    "-w",
    ours,
    ...extra,
  ]);
  assert.equal(mine.code, 0, mine.stderr);
  return {
    theirs: await Deno.readFile(theirs),
    ours: await Deno.readFile(ours),
    oursPath: ours,
    theirsPath: theirs,
  };
}

/** Records of type FAR|NETFLOW (header byte 0x33). */
function netflowRecords(file: Uint8Array): number {
  return flowRecords(file).filter((r) => r[0] === 0x33).length;
}

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (
  v: number,
) => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** One v5 flow entry. */
function v5Entry(e: {
  src: number[];
  dst: number[];
  pkts: number;
  bytes: number;
  first: number;
  last: number;
  sport: number;
  dport: number;
  flags: number;
  proto: number;
  tos?: number;
  srcAs?: number;
  dstAs?: number;
  smask?: number;
  dmask?: number;
}): number[] {
  return [
    ...e.src,
    ...e.dst,
    ...[10, 0, 0, 254], // next hop
    ...be16(3), // input ifIndex
    ...be16(4), // output ifIndex
    ...be32(e.pkts),
    ...be32(e.bytes),
    ...be32(e.first),
    ...be32(e.last),
    ...be16(e.sport),
    ...be16(e.dport),
    0,
    e.flags,
    e.proto,
    e.tos ?? 0,
    ...be16(e.srcAs ?? 0),
    ...be16(e.dstAs ?? 0),
    e.smask ?? 0,
    e.dmask ?? 0,
    0,
    0,
  ];
}

/** A v5 export packet: header (uptime 100000 ms) and entries. */
function v5Packet(entries: number[][], sequence: number): number[] {
  return [
    ...be16(5),
    ...be16(entries.length),
    ...be32(100_000), // sysUptime, ms
    ...be32(1_700_000_000), // unix_secs
    ...be32(250_000_000), // unix_nsecs
    ...be32(sequence),
    0,
    0,
    ...be16(0),
    ...entries.flat(),
  ];
}

function handMadeCapture(): Uint8Array {
  const a = [192, 0, 2, 1], b = [198, 51, 100, 7];
  const entries = [
    // SYN only; started 1.5 s before the header's uptime, ended 0.2 s before.
    v5Entry({
      src: a,
      dst: b,
      pkts: 1,
      bytes: 60,
      first: 98_500,
      last: 99_800,
      sport: 40000,
      dport: 443,
      flags: 0x02,
      proto: 6,
      tos: 0x10,
      smask: 24,
      dmask: 16,
      srcAs: 64500,
      dstAs: 64511,
    }),
    // SYN|ACK on one packet keeps "established"; RST sets RESET.
    v5Entry({
      src: b,
      dst: a,
      pkts: 1,
      bytes: 60,
      first: 99_000,
      last: 99_000,
      sport: 443,
      dport: 40000,
      flags: 0x12,
      proto: 6,
    }),
    v5Entry({
      src: a,
      dst: b,
      pkts: 3,
      bytes: 180,
      first: 99_100,
      last: 99_999,
      sport: 40001,
      dport: 80,
      flags: 0x14,
      proto: 6,
    }),
    // Counters past 16 and 32... bits of bytes: the metric's wider forms.
    v5Entry({
      src: a,
      dst: b,
      pkts: 70000,
      bytes: 90_000_000,
      first: 1_000,
      last: 100_000,
      sport: 5000,
      dport: 53,
      flags: 0,
      proto: 17,
    }),
    // ICMP port unreachable: type 3 code 3 in the destination port.
    v5Entry({
      src: b,
      dst: a,
      pkts: 2,
      bytes: 112,
      first: 99_990,
      last: 100_001,
      sport: 0,
      dport: 0x0303,
      flags: 0,
      proto: 1,
    }),
    // Another protocol (GRE): no ports.
    v5Entry({
      src: a,
      dst: b,
      pkts: 5,
      bytes: 500,
      first: 99_000,
      last: 99_500,
      sport: 0,
      dport: 0,
      flags: 0,
      proto: 47,
    }),
  ];
  const exporterLow = ipv4Packet(
    "10.9.0.1",
    "10.9.0.2",
    17,
    udp(2055, 9996, v5Packet(entries, 1000)),
  );
  // From the higher address: the export flow is keyed reversed.
  const exporterHigh = ipv4Packet(
    "10.9.0.3",
    "10.9.0.2",
    17,
    udp(60000, 2055, v5Packet(entries.slice(0, 2), 7)),
  );
  const m1 = "02:00:00:00:00:01", m2 = "02:00:00:00:00:02";
  return pcapFile([
    { time: 1_700_000_000_300_000, data: ether(m2, m1, 0x0800, exporterLow) },
    { time: 1_700_000_001_300_000, data: ether(m2, m1, 0x0800, exporterHigh) },
  ]);
}

/** A v9 packet: header (uptime 5000 ms) and flowsets. */
function v9Packet(secs: number, flowsets: number[][]): number[] {
  return [
    ...be16(9),
    ...be16(flowsets.length),
    ...be32(5_000),
    ...be32(secs),
    ...be32(77), // package sequence
    ...be32(3), // source id
    ...flowsets.flat(),
  ];
}

/** A flowset: id, length, body padded to `pad` extra bytes. */
function flowset(id: number, body: number[], pad = 0): number[] {
  return [
    ...be16(id),
    ...be16(4 + body.length + pad),
    ...body,
    ...new Array(pad).fill(0),
  ];
}

/** A template record: id and [type, length] fields. */
function template(id: number, fields: [number, number][]): number[] {
  return [
    ...be16(id),
    ...be16(fields.length),
    ...fields.flatMap(([t, l]) => [...be16(t), ...be16(l)]),
  ];
}

function handMadeV9Capture(): Uint8Array {
  const T1: [number, number][] = [
    [8, 4],
    [12, 4],
    [22, 4],
    [21, 4],
    [1, 4],
    [2, 4],
    [7, 2],
    [11, 2],
    [4, 1],
    [6, 1],
    [5, 1],
    [9, 1],
    [13, 1],
    [52, 1],
    [54, 2],
  ];
  const T2: [number, number][] = [[8, 4], [12, 4], [2, 4], [1, 4], [32, 2], [
    4,
    1,
  ]];
  const a = [192, 0, 2, 9], b = [198, 51, 100, 20];
  const r1 = (
    first: number,
    last: number,
    pkts: number,
    flags: number,
    smask: number,
    dmask: number,
  ) => [
    ...a,
    ...b,
    ...be32(first),
    ...be32(last),
    ...be32(pkts * 100),
    ...be32(pkts),
    ...be16(51000),
    ...be16(443),
    6,
    flags,
    0x28,
    smask,
    dmask,
    61,
    ...be16(0x1234),
  ];
  const templates = flowset(0, [...template(300, T1), ...template(301, T2)]);
  const data1 = flowset(300, [
    ...r1(4_000, 4_900, 4, 0x1b, 24, 0), // started 1 s before the uptime
    ...r1(4_500, 4_500, 3, 0x12, 32, 28), // no duration: stretched per packet
    ...r1(5_200, 6_000, 1, 0x02, 8, 30), // after the header's uptime
  ], 3);
  const data2 = flowset(301, [
    ...b,
    ...a,
    ...be32(2),
    ...be32(168),
    ...be16(0x0800),
    1,
  ], 1);
  const unknown = flowset(302, [1, 2, 3, 4]);
  const m1 = "02:00:00:00:00:01", m2 = "02:00:00:00:00:02";
  const pkt = (secs: number, sets: number[][]) =>
    ether(
      m2,
      m1,
      0x0800,
      ipv4Packet(
        "10.9.1.1",
        "10.9.1.2",
        17,
        udp(40000, 2055, v9Packet(secs, sets)),
      ),
    );
  return pcapFile([
    // Data before any template: nothing.
    { time: 1_700_000_000_000_000, data: pkt(1_700_000_000, [data1]) },
    {
      time: 1_700_000_001_000_000,
      data: pkt(1_700_000_001, [templates, data1, data2, unknown]),
    },
    { time: 1_700_000_100_000_000, data: pkt(1_700_000_100, [data2]) },
    // Past 1800 s without a template: argus drops it.
    { time: 1_700_002_000_000_000, data: pkt(1_700_002_000, [data1]) },
  ]);
}

Deno.test("tcpStatus() maps a flow's TCP flags as argus does", () => {
  assert.equal(tcpStatus(0x1b, 7), 0x0a); // SYN|ACK|PSH|FIN, several packets
  assert.equal(tcpStatus(0x12, 1), 0x06); // SYN|ACK on one packet
  assert.equal(tcpStatus(0x02, 1), 0x01);
  assert.equal(tcpStatus(0x14, 3), 0x04); // RST|ACK: no reset bit
  assert.equal(tcpStatus(0, 1), 0);
});

Deno.test({
  name:
    "argus -r cisco:file writes the NetFlow v5 and v9 records of the real argus",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "argus-cisco-" });
    try {
      await t.step(
        "softflowd's v5 exports of three corpus captures",
        async () => {
          const r = await bothSensors(dir, `${DATA}netflow-v5.pcap`, "soft");
          assert.equal(netflowRecords(r.theirs), 8 + 11 + 14);
          assert.equal(firstRecordDifference(r.theirs, r.ours), null);
          const fields = [
            "stime",
            "ltime",
            "flgs",
            "proto",
            "saddr",
            "sport",
            "daddr",
            "dport",
            "spkts",
            "dpkts",
            "sbytes",
            "dbytes",
            "state",
            "srcid",
            "seq",
            "stos",
          ];
          const a = await realRa(r.theirsPath, fields);
          const b = await realRa(r.oursPath, fields);
          assert.deepEqual(b.rows, a.rows);
        },
      );
      await t.step("a hand-made v5 packet with the corner cases", async () => {
        const pcap = `${dir}/hand.pcap`;
        await Deno.writeFile(pcap, handMadeCapture());
        const r = await bothSensors(dir, pcap, "hand");
        assert.equal(netflowRecords(r.theirs), 8);
        assert.equal(firstRecordDifference(r.theirs, r.ours), null);
      });
      await t.step(
        "softflowd's v9 exports of three corpus captures",
        async () => {
          const r = await bothSensors(dir, `${DATA}netflow-v9.pcap`, "soft9");
          assert.equal(netflowRecords(r.theirs), 8 + 11 + 14);
          assert.equal(firstRecordDifference(r.theirs, r.ours), null);
        },
      );
      await t.step("packets the capture filter or -N leaves out", async () => {
        for (
          const extra of [["-N", "1"], ["-N", "1-2"], ["-", "not port 9995"]]
        ) {
          const r = await bothSensors(
            dir,
            `${DATA}netflow-v5.pcap`,
            "n",
            extra,
          );
          assert.equal(
            firstRecordDifference(r.theirs, r.ours),
            null,
            extra.join(" "),
          );
        }
      });
      await t.step("softflowd's v9 exports of IPv6 flows", async () => {
        const r = await bothSensors(dir, `${DATA}netflow-v9-ipv6.pcap`, "v6");
        assert.equal(netflowRecords(r.theirs), 15);
        assert.equal(firstRecordDifference(r.theirs, r.ours), null);
      });
      await t.step("a hand-made v9 capture with the corner cases", async () => {
        const pcap = `${dir}/hand9.pcap`;
        await Deno.writeFile(pcap, handMadeV9Capture());
        const r = await bothSensors(dir, pcap, "hand9");
        assert.equal(netflowRecords(r.theirs), 3 + 1 + 1);
        assert.equal(firstRecordDifference(r.theirs, r.ours), null);
      });
      await t.step(
        "without cisco: the same file gives no NetFlow records",
        async () => {
          const out = `${dir}/plain.argus`;
          const mine = await runOurArgus([
            "-X",
            "-r",
            `${DATA}netflow-v5.pcap`,
            "-w",
            out,
          ]);
          assert.equal(mine.code, 0, mine.stderr);
          const file = await Deno.readFile(out);
          assert.equal(netflowRecords(file), 0);
          assert.equal(flowRecords(file).length, 3);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
