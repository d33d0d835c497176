/**
 * The sensor pipeline for reading capture files (argus -r), spelled once:
 * savefile batches → sensor stage (filter, decode, flows, records) → one
 * fan-out writing every -w output, each opened and closed with a MAR.
 * Errors in the input end the input, never the output: every record for
 * the packets before the damage is written, then a closing MAR.
 * @module
 */

import {
  type PacketBatchView,
  type PacketFilter,
  SensorStream,
} from "../../flow/sensor_stream.ts";
import type { FanoutTarget } from "../../output/record_fanout.ts";
import { RecordFanout } from "../../output/record_fanout.ts";

/** What a file run needs, already resolved from options. */
export interface SensorRunConfig {
  /** Batches of packets from the -r inputs, in order. */
  source: ReadableStream<PacketBatchView>;
  /** Opened -w outputs with their record filters. */
  targets: FanoutTarget[];
  /** Compiled capture filter. */
  filter?: PacketFilter;
  skipPackets?: number;
  lastPacket?: number;
  /** Flow status interval (-S) and MAR interval (-M), seconds. */
  statusInterval: number;
  marInterval: number;
  /** Source id (-e): transport-DSR qualifier type and value. */
  srcidType: number;
  srcid: number;
  /** MAR status bits naming the id type. */
  srcidStatus: number;
  /** Link type reported in MARs. */
  interfaceType: number;
  /** Bytes of user data to keep per direction (-U), 0 for none. */
  userData?: number;
  /** Called when -N has read its last packet (to stop reading). */
  onDone?: () => void;
}

/** Counts a finished run reports. */
export interface SensorRunResult {
  packets: number;
  records: number;
  flows: number;
}

/** Runs the pipeline to the end of the input. */
export async function runSensor(
  cfg: SensorRunConfig,
): Promise<SensorRunResult> {
  const stage = new SensorStream({
    statusInterval: cfg.statusInterval,
    srcidType: cfg.srcidType,
    srcid: cfg.srcid,
    ...(cfg.userData ? { userData: cfg.userData } : {}),
    ...(cfg.filter ? { filter: cfg.filter } : {}),
    ...(cfg.skipPackets ? { skipPackets: cfg.skipPackets } : {}),
    ...(cfg.lastPacket !== undefined ? { lastPacket: cfg.lastPacket } : {}),
  });
  const sensor = stage.sensor;
  const fanout = new RecordFanout(cfg.targets);
  const startTime = Date.now() * 1000;
  const mar = {
    srcid: cfg.srcid,
    srcidStatus: cfg.srcidStatus,
    startTime,
    reportInterval: cfg.statusInterval,
    marInterval: cfg.marInterval,
    interfaceType: cfg.interfaceType,
  };
  await fanout.mar({ ...mar, cause: 0x10, now: startTime });
  let reported = false;
  try {
    await cfg.source.pipeThrough(stage).pipeTo(
      new WritableStream<Uint8Array>({
        write: async (block) => {
          await fanout.write(block);
          if (!reported && sensor.done) {
            reported = true;
            cfg.onDone?.();
          }
        },
      }),
    );
  } finally {
    const counters = sensor.engine.counters;
    await fanout.mar({
      ...mar,
      cause: 0x30,
      now: Date.now() * 1000,
      packets: counters.packets,
      bytes: counters.bytes,
      // Like argus: the records count includes the opening MAR, and each
      // output is a client.
      records: counters.records + 1,
      flows: sensor.engine.activeFlows,
      clients: cfg.targets.length,
    });
    await fanout.close();
  }
  const c = sensor.engine.counters;
  return { packets: c.packets, records: c.records, flows: c.newFlows };
}
