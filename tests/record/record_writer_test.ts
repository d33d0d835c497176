/**
 * Records built from scratch with the model and written by RecordWriter
 * are read by the real ra without a warning, and ra prints the values we
 * put in: TCP, UDP, ICMP, IPv6, ARP and ether flows, opening and closing
 * MARs, and counters at every boundary of argus's metric forms.
 * @module
 */

import assert from "node:assert/strict";
import {
  ARGUS_COOKIE,
  Cause,
  decodeRecordBytes,
  encodeRecords,
  type FlowKey,
  type FlowRecord,
  FlowSubtype,
  type MetricDsr,
  MetricQual,
  metricQual,
  type NetworkDsr,
  newFlowRecord,
  newMar,
  RecordWriter,
  type TcpSide,
  TimeSubtype,
} from "../../src/record/mod.ts";
import { realRa } from "../_util/real_ra.ts";

const T0 = 1_700_000_000_123_456;

function ip(s: string): number {
  return s.split(".").reduce((a, x) => a * 256 + Number(x), 0);
}

function ip6(s: string): Uint8Array {
  const [head, tail = ""] = s.split("::");
  const h = head ? head.split(":") : [], t = tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[2 * i] = parseInt(g, 16) >> 8;
    b[2 * i + 1] = parseInt(g, 16) & 255;
  });
  return b;
}

function metric(sp: number, sb: number, dp: number, db: number): MetricDsr {
  return {
    srcPkts: sp,
    srcBytes: sb,
    srcAppBytes: 0,
    dstPkts: dp,
    dstBytes: db,
    dstAppBytes: 0,
  };
}

function side(lastTime: number, seqBase: number, win: number): TcpSide {
  return {
    lastTime,
    status: 0,
    seqBase,
    seq: seqBase + 100,
    ack: 0,
    winNum: 0,
    bytes: 100,
    retrans: 0,
    ackBytes: 0,
    winBytes: 0,
    win,
    flags: 0x1b,
    winShift: 0,
  };
}

/** A flow record with the DSRs argus writes by default. */
function flow(
  seq: number,
  key: FlowKey,
  m: MetricDsr,
  network: NetworkDsr,
  start: number,
  end: number,
): FlowRecord {
  const r = newFlowRecord(Cause.START);
  r.transport = { subtype: 3, qual: 0, srcid: 0, seq };
  r.flow = { subtype: 0, qual: 0, key };
  r.time = {
    subtype: end === start ? TimeSubtype.TIMESTAMP : TimeSubtype.RANGE,
    qual: 0x18,
    start,
    end,
    srcStart: 0,
    srcEnd: 0,
    dstStart: 0,
    dstEnd: 0,
  };
  r.metric = m;
  r.network = network;
  const ipFlow = key.kind !== "ether" && key.kind !== "arp" &&
    key.kind !== "rarp";
  if (ipFlow) {
    r.ipAttr = {
      subtype: 0,
      qual: (m.srcPkts ? 1 : 0) | (m.dstPkts ? 2 : 0),
      srcTtl: 64,
      srcTos: 0,
      srcIpId: 0x1234,
      srcOptions: 0,
      dstTtl: 57,
      dstTos: 8,
      dstIpId: 0x4321,
      dstOptions: 0,
    };
  }
  r.encaps = { subtype: 0, qual: 0, src: 2, dst: m.dstPkts ? 2 : 0 };
  return r;
}

const NONE: NetworkDsr = { kind: "none", subtype: 0, qual: 0 };

function udp(seq: number, sport: number, m: MetricDsr): FlowRecord {
  const key: FlowKey = {
    kind: "ipv4",
    src: ip("192.0.2.1"),
    dst: ip("198.51.100.7"),
    proto: 17,
    tpProto: 0,
    sport,
    dport: 514,
    smask: 0,
    dmask: 0,
  };
  return flow(
    seq,
    key,
    m,
    NONE,
    T0 + seq * 1_000_000,
    T0 + seq * 1_000_000 + 500,
  );
}

/** Counters at the edges of argus's forms, with the form argus picks. */
const METRIC_CASES: [MetricDsr, number][] = [
  [metric(1, 255, 1, 255), MetricQual.SRCDST_BYTE],
  [metric(1, 256, 1, 60), MetricQual.SRCDST_SHORT],
  [metric(256, 65535, 1, 60), MetricQual.SRCDST_SHORT],
  [metric(2, 65536, 1, 60), MetricQual.SRCDST_INT],
  [metric(3, 0xffffffff, 4, 65536), MetricQual.SRCDST_INT],
  [metric(70000, 2 ** 32 + 5, 4, 100), MetricQual.SRCDST_LONGLONG],
  [metric(1, 255, 0, 0), MetricQual.SRC_SHORT],
  [metric(7, 65536, 0, 0), MetricQual.SRC_INT],
  [metric(9, 2 ** 40, 0, 0), MetricQual.SRC_LONGLONG],
  [metric(0, 0, 2, 120), MetricQual.DST_SHORT],
  [metric(0, 0, 3, 70000), MetricQual.DST_INT],
  [metric(0, 0, 4, 2 ** 33), MetricQual.DST_LONGLONG],
];

function records(): {
  list: (FlowRecord | ReturnType<typeof newMar>)[];
  flows: FlowRecord[];
} {
  const start = newMar(Cause.START);
  start.startTime = T0 - 2_000_000;
  start.now = T0 - 1_000_000;
  const tcpKey: FlowKey = {
    kind: "ipv4",
    src: ip("10.9.0.2"),
    dst: ip("10.9.0.1"),
    proto: 6,
    tpProto: 0,
    sport: 80,
    dport: 40001,
    smask: 0,
    dmask: 0,
  };
  // Stored turned round (REVERSE), as argus stores the higher address second.
  const tcp = flow(
    1,
    tcpKey,
    metric(7, 514, 6, 4416),
    {
      kind: "tcp",
      qual: 0,
      status: 0x1f,
      state: 9,
      options: 0,
      synAckUsecs: 10_000,
      ackDatUsecs: 3_000,
      src: side(T0 + 90_000, 1000, 502),
      dst: side(T0 + 92_000, 5000, 509),
    },
    T0,
    T0 + 92_300,
  );
  tcp.flow!.subtype = FlowSubtype.REVERSE;
  const rst = flow(
    2,
    { ...tcpKey, dport: 40002 },
    metric(2, 120, 1, 60),
    {
      kind: "tcp",
      qual: 0,
      status: 0x3007,
      state: 9,
      options: 0,
      synAckUsecs: 0,
      ackDatUsecs: 0,
      src: side(T0 + 2_000_100, 77, 1024),
      dst: side(T0 + 2_000_200, 88, 0),
    },
    T0 + 2_000_000,
    T0 + 2_000_200,
  );
  rst.cause = Cause.STOP;
  rst.flow!.subtype = FlowSubtype.REVERSE;
  const icmp = flow(
    3,
    {
      kind: "icmp",
      src: ip("10.9.0.1"),
      dst: ip("10.9.0.3"),
      proto: 1,
      tpProto: 0,
      type: 8,
      code: 0,
      id: 0x1234,
      ipId: 1,
    },
    metric(1, 98, 1, 98),
    {
      kind: "icmp",
      qual: 0,
      type: 8,
      code: 0,
      iseq: 1,
      osrcaddr: ip("10.9.0.1"),
      odstaddr: ip("10.9.0.3"),
      isrcaddr: 0,
      idstaddr: 0,
      igwaddr: 0,
    },
    T0 + 3_000_000,
    T0 + 3_000_300,
  );
  const v6 = flow(
    4,
    {
      kind: "ipv6",
      src: ip6("2001:db8::1"),
      dst: ip6("2001:db8:0:0:1::53"),
      proto: 17,
      flow: 0,
      sport: 5353,
      dport: 53,
    },
    metric(1, 90, 1, 200),
    NONE,
    T0 + 4_000_000,
    T0 + 4_001_000,
  );
  const arp = flow(
    5,
    {
      kind: "arp",
      hrd: 1,
      pro: 0x0800,
      hln: 6,
      pln: 4,
      op: 1,
      spa: ip("10.9.0.1"),
      tpa: ip("10.9.0.2"),
      haddr: new Uint8Array([2, 0, 0, 0, 9, 1]),
    },
    metric(1, 60, 1, 60),
    { kind: "arp", qual: 0, respAddr: 0x020000000902 },
    T0 + 5_000_000,
    T0 + 5_000_100,
  );
  const ether = flow(
    6,
    {
      kind: "ether",
      dst: 0x0180c200000e,
      src: 0x020000000d01,
      etherType: 0x88cc,
      dsap: 0,
      ssap: 0,
    },
    metric(1, 60, 0, 0),
    NONE,
    T0 + 6_000_000,
    T0 + 6_000_000,
  );
  const counters = METRIC_CASES.map(([m], i) => udp(10 + i, 1000 + i, m));
  const flows = [tcp, rst, icmp, v6, arp, ether, ...counters];
  const stop = newMar(Cause.STOP);
  stop.startTime = T0 - 2_000_000;
  stop.now = T0 + 20_000_000;
  stop.records = flows.length + 1;
  return { list: [start, ...flows, stop], flows };
}

Deno.test("RecordWriter writes records the real ra reads without a warning", async (t) => {
  const { list, flows } = records();
  const w = new RecordWriter(64);
  for (const r of list) w.write(r);
  const bytes = w.bytes().slice();
  const path = await Deno.makeTempFile({ suffix: ".argus" });
  try {
    await Deno.writeFile(path, bytes);

    await t.step("our reader gets the same records back", () => {
      const back = decodeRecordBytes(bytes);
      assert.equal(back.error, null);
      assert.equal(back.records.length, list.length);
      assert.deepEqual(encodeRecords(back.records), bytes);
      const tcp = back.records[1]!;
      assert.ok(tcp.kind === "flow");
      assert.deepEqual(tcp.metric, flows[0]!.metric);
      assert.deepEqual(tcp.network, flows[0]!.network);
      assert.deepEqual(tcp.flow?.key, flows[0]!.flow?.key);
      assert.equal(
        tcp.flow?.subtype,
        FlowSubtype.REVERSE | FlowSubtype.CLASSIC5TUPLE,
      );
    });

    await t.step("the opening MAR starts the file as ra needs it", () => {
      assert.equal(bytes[0], 0x83);
      assert.equal(new DataView(bytes.buffer).getUint32(8), ARGUS_COOKIE);
    });

    await t.step("ra prints each flow's values", async () => {
      const fields = [
        "saddr",
        "daddr",
        "sport",
        "dport",
        "proto",
        "spkts",
        "dpkts",
        "sbytes",
        "dbytes",
        "stime",
        "ltime",
        "seq",
        "state",
        "cause",
      ];
      const ra = await realRa(path, fields);
      assert.equal(ra.stderr, "");
      assert.equal(ra.code, 0);
      assert.equal(ra.rows.length, flows.length);
      const row = (i: number) => ra.rows[i]!.map((s) => s.trim());
      const time = (us: number) =>
        `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`;
      // TCP, stored reversed: ra turns the key round.
      assert.deepEqual(row(0), [
        "10.9.0.1",
        "10.9.0.2",
        "40001",
        "80",
        "6",
        "7",
        "6",
        "514",
        "4416",
        time(T0),
        time(T0 + 92_300),
        "1",
        "FIN",
        "Start",
      ]);
      assert.deepEqual(row(1).slice(0, 4), [
        "10.9.0.1",
        "10.9.0.2",
        "40002",
        "80",
      ]);
      assert.deepEqual(row(1).slice(12), ["RST", "Stop"]);
      // ICMP: ra shows the type in sport and the stored id bytes swapped.
      assert.deepEqual(row(2).slice(0, 9), [
        "10.9.0.1",
        "10.9.0.3",
        "0x0008",
        "0x3412",
        "1",
        "1",
        "1",
        "98",
        "98",
      ]);
      assert.equal(row(2)[12], "ECO");
      assert.deepEqual(row(3).slice(0, 9), [
        "2001:db8::1",
        "2001:db8::1:0:0:53",
        "5353",
        "53",
        "17",
        "1",
        "1",
        "90",
        "200",
      ]);
      assert.deepEqual(row(4).slice(0, 2), ["10.9.0.1", "10.9.0.2"]);
      assert.deepEqual(row(4).slice(5, 9), ["1", "1", "60", "60"]);
      assert.deepEqual(row(5).slice(0, 2), [
        "02:00:00:00:0d:01",
        "01:80:c2:00:00:0e",
      ]);
      assert.equal(row(5)[4], "35020");
      for (let i = 6; i < flows.length; i++) {
        const m = flows[i]!.metric!;
        assert.deepEqual(
          row(i).slice(5, 9),
          [m.srcPkts, m.dstPkts, m.srcBytes, m.dstBytes].map(String),
          `counters of case ${i - 6}`,
        );
        assert.equal(row(i)[11], String(flows[i]!.transport!.seq));
      }
    });

    await t.step("counters take argus's form", () => {
      for (const [m, qual] of METRIC_CASES) {
        assert.equal(metricQual(m), qual, JSON.stringify(m));
      }
      const back = decodeRecordBytes(bytes).records;
      // The metric DSR of each counter case carries the expected qualifier.
      const v = new DataView(bytes.buffer);
      let off = 0, i = -1;
      for (const r of back) {
        const len = v.getUint16(off + 2) * 4;
        if (r.kind === "flow" && (r.transport?.seq ?? 0) >= 10) {
          i = r.transport!.seq - 10;
          let p = off + 4;
          while (bytes[p] !== 0x10) p += bytes[p + 3]! * 4;
          assert.equal(bytes[p + 2], METRIC_CASES[i]![1], `case ${i}`);
        }
        off += len;
      }
      assert.equal(i, METRIC_CASES.length - 1);
    });

    await t.step("ra reads the MARs", async () => {
      const ra = await realRa(path, ["stime", "state", "cause"], ["-M", "man"]);
      assert.equal(ra.stderr, "");
      const mars = ra.rows.filter((r) =>
        r[1]!.trim() === "STA" || r[1]!.trim() === "STP"
      );
      assert.deepEqual(mars.map((r) => r.map((s) => s.trim())), [
        [`${(T0 - 1_000_000) / 1e6}`.padEnd(17, "0"), "STA", "Start"],
        [`${(T0 + 20_000_000) / 1e6}`.padEnd(17, "0"), "STP", "Stop"],
      ]);
    });
  } finally {
    await Deno.remove(path);
  }
});
