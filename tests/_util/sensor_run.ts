/**
 * Runs our sensor in-process on a list of packets (no capture file reader
 * involved) and returns a complete record file: opening MAR, flow records,
 * closing MAR. For scenario tests that compare with the real argus.
 * @module
 */

import { Sensor, type SensorOptions } from "../../src/flow/sensor_stream.ts";
import { RecordBytes } from "../../src/flow/flow_record_encoder.ts";
import { encodeMar } from "../../src/output/mar_encoder.ts";
import type { PcapPacket } from "./pcap_writer.ts";

/** Record file bytes for `packets` of link type `linkType`. */
export function sensorRecords(
  packets: PcapPacket[],
  linkType = 1,
  options: SensorOptions = {},
): Uint8Array {
  const n = packets.length;
  let size = 0;
  for (const p of packets) size += p.caplen ?? p.data.length;
  const data = new Uint8Array(size);
  const batch = {
    data,
    count: n,
    start: new Uint32Array(n),
    caplen: new Uint32Array(n),
    wirelen: new Uint32Array(n),
    tsSec: new Float64Array(n),
    tsUsec: new Uint32Array(n),
    linkType: new Uint16Array(n).fill(linkType),
  };
  let off = 0;
  packets.forEach((p, i) => {
    const cap = p.caplen ?? p.data.length;
    data.set(p.data.subarray(0, cap), off);
    batch.start[i] = off;
    batch.caplen[i] = cap;
    batch.wirelen[i] = p.wirelen ?? p.data.length;
    batch.tsSec[i] = Math.floor(p.time / 1_000_000);
    batch.tsUsec[i] = p.time % 1_000_000;
    off += cap;
  });
  const sensor = new Sensor(options);
  sensor.push(batch);
  sensor.finish();
  const flows = sensor.take();
  const out = new RecordBytes();
  const now = Date.now() * 1000;
  const mar = {
    srcid: 0,
    srcidStatus: 0,
    startTime: now,
    now,
    reportInterval: 5,
    marInterval: 60,
  };
  encodeMar({ ...mar, cause: 0x10 }, out);
  out.reserve(flows.length);
  out.buf.set(flows, out.pos);
  out.pos += flows.length;
  encodeMar(
    { ...mar, cause: 0x30, records: sensor.engine.counters.records },
    out,
  );
  return out.bytes().slice();
}
