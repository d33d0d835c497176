/**
 * The flow limit (ARGUS_MAX_FLOWS, issue 7): a SYN scan never grows the
 * flow table past it, the longest-idle flow is evicted with its record
 * written, MARs count the evictions, and every flow and packet of the scan
 * is in the records the real ra reads. A million-flow scan stays within
 * 300 MB.
 * @module
 */

import assert from "node:assert/strict";
import { Sensor } from "../../src/flow/sensor_stream.ts";
import { PacketBatch } from "../../src/capture/mod.ts";
import { synScanPcap } from "../../bench/syn_scan.ts";
import { MAR_EVICTED_OFFSET, MAR_TYPE } from "../../src/output/mar_encoder.ts";
import { DEFAULT_MAX_FLOWS } from "../../src/flow/flow_engine.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "fl-limit-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Evictions the MARs of a record file report, summed. */
function marEvictions(file: Uint8Array): number {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let n = 0;
  for (let off = 0; off + 4 <= file.length;) {
    const len = v.getUint16(off + 2) * 4;
    if (len === 0) break;
    if (file[off] === MAR_TYPE) n += v.getUint32(off + MAR_EVICTED_OFFSET);
    off += len;
  }
  return n;
}

/** Runs our argus on `pcap` with an argus.conf of `conf` lines. */
async function ourArgus(
  dir: string,
  pcap: string,
  conf: string[],
): Promise<{ file: Uint8Array; rssKb: number }> {
  await Deno.writeTextFile(`${dir}/argus.conf`, conf.join("\n") + "\n");
  const out = `${dir}/out.argus`;
  const r = await new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "%M",
      Deno.execPath(),
      "run",
      "-A",
      "--v8-flags=--max-semi-space-size=2",
      MAIN,
      "argus",
      "-F",
      `${dir}/argus.conf`,
      "-r",
      pcap,
      "-w",
      out,
    ],
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr).trim().split("\n");
  assert.equal(r.code, 0, err.join("\n"));
  return { file: await Deno.readFile(out), rssKb: Number(err.at(-1)) };
}

Deno.test("flow limit: the table never passes it and every flow gets its record", () => {
  const pcap = synScanPcap(5000, 1);
  const v = new DataView(pcap.buffer);
  const batch = new PacketBatch(5000);
  batch.data = pcap;
  for (let i = 0, off = 24; i < 5000; i++) {
    batch.tsSec[i] = v.getUint32(off, true);
    batch.tsUsec[i] = v.getUint32(off + 4, true);
    batch.caplen[i] = batch.wirelen[i] = v.getUint32(off + 8, true);
    batch.start[i] = off + 16;
    batch.linkType[i] = 1;
    off += 16 + batch.caplen[i]!;
  }
  const sensor = new Sensor({ maxFlows: 1000 });
  let peak = 0;
  // In steps, to watch the table size between them.
  for (let from = 0; from < 5000; from += 250) {
    const part = {
      data: pcap,
      count: 250,
      start: batch.start.subarray(from),
      caplen: batch.caplen.subarray(from),
      wirelen: batch.wirelen.subarray(from),
      tsSec: batch.tsSec.subarray(from),
      tsUsec: batch.tsUsec.subarray(from),
      linkType: batch.linkType.subarray(from),
    };
    sensor.push(part);
    peak = Math.max(peak, sensor.engine.activeFlows);
  }
  sensor.finish();
  const c = sensor.engine.counters;
  assert.equal(peak, 1000);
  assert.equal(c.newFlows, 5000);
  assert.equal(c.evicted, 4000);
  assert.equal(c.records, 5000, "one record per flow, evicted or not");
});

Deno.test("flow limit: ARGUS_MAX_FLOWS in argus.conf, evictions in MARs, the real ra reads every flow", async () => {
  await withDir(async (dir) => {
    const pcap = `${dir}/scan.pcap`;
    await Deno.writeFile(pcap, synScanPcap(20_000, 2));
    const { file } = await ourArgus(dir, pcap, ["ARGUS_MAX_FLOWS=1000"]);
    assert.equal(marEvictions(file), 19_000);
    const out = await new Deno.Command("ra", {
      args: [
        "-X",
        "-n",
        "-c",
        ",",
        "-r",
        `${dir}/out.argus`,
        "-s",
        "daddr",
        "dport",
        "pkts",
      ],
      stdout: "piped",
    }).output();
    const rows = new TextDecoder().decode(out.stdout).trim().split("\n")
      .slice(1);
    const flows = new Set(rows.map((r) => r.split(",").slice(0, 2).join()));
    assert.equal(flows.size, 20_000, "every scanned port is in a record");
    assert.equal(
      rows.reduce((n, r) => n + Number(r.split(",")[2]), 0),
      20_000,
      "every packet is counted once",
    );
  });
});

Deno.test("flow limit: below the default nothing is evicted", async () => {
  await withDir(async (dir) => {
    const pcap = `${dir}/scan.pcap`;
    await Deno.writeFile(pcap, synScanPcap(20_000, 2));
    assert.ok(20_000 < DEFAULT_MAX_FLOWS);
    const { file } = await ourArgus(dir, pcap, []);
    assert.equal(marEvictions(file), 0);
  });
});

Deno.test("flow limit: a 1M-flow SYN scan (10 s of traffic) stays within 300 MB", async () => {
  await withDir(async (dir) => {
    const pcap = `${dir}/scan.pcap`;
    await Deno.writeFile(pcap, synScanPcap(1_000_000, 10));
    const { file, rssKb } = await ourArgus(dir, pcap, []);
    assert.ok(rssKb / 1024 <= 300, `peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
    assert.equal(marEvictions(file), 1_000_000 - DEFAULT_MAX_FLOWS);
    // One record per flow: count flow records (type 0x13) by their header.
    const v = new DataView(file.buffer);
    let records = 0;
    for (let off = 0; off + 4 <= file.length;) {
      const len = v.getUint16(off + 2) * 4;
      if (len === 0) break;
      if (file[off] === 0x13) records++;
      off += len;
    }
    assert.equal(records, 1_000_000);
  });
});

Deno.test("flow limit: a limit below 2 is refused with one error line", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/argus.conf`, "ARGUS_MAX_FLOWS=1\n");
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "argus", "-F", `${dir}/argus.conf`, "-r", "-"],
      stdin: "null",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(r.stderr).trim();
    assert.notEqual(r.code, 0);
    // The error line, then the usage line as for every bad setting.
    assert.match(err.split("\n")[0]!, /ARGUS_MAX_FLOWS "1": at least 2/);
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
  });
});
