/**
 * The sensor pipeline, spelled once for files (argus -r) and interfaces
 * (argus -i): packet batches → sensor stage (filter, decode, flows,
 * records) → one fan-out writing every output, each opened and closed with
 * a MAR. Live runs also get status MARs every -M seconds and a housekeeping
 * call after every batch (rotation checks), both between writes, so
 * records and MARs never interleave. Errors in the input end the input,
 * never the output: every record for the packets before the damage is
 * written, then a closing MAR.
 * @module
 */

import {
  type PacketBatchView,
  type PacketFilter,
  type SensorOptions,
  SensorStream,
} from "../../flow/sensor_stream.ts";
import type { FanoutTarget } from "../../output/record_fanout.ts";
import { RecordFanout } from "../../output/record_fanout.ts";
import type { MarFields } from "../../output/mar_encoder.ts";
import type { ExtraMetrics } from "../../flow/flow_engine.ts";
import { trimMallocArenas } from "../../../ffi/mod.ts";

/**
 * How often, at most, the run hands freed C memory back (ms of wall time):
 * each trim costs well under a millisecond.
 */
const TRIM_EVERY_MS = 250;

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
  /** Most flows tracked at once (ARGUS_MAX_FLOWS), engine default if absent. */
  maxFlows?: number;
  /** Extra metrics per record: -m, -A, -Z, -J. */
  metrics?: ExtraMetrics;
  /** Called when -N has read its last packet (to stop reading). */
  onDone?: () => void;
  /**
   * Live capture: capture drops so far (pcap_stats), reported in MARs.
   * Its presence turns on wall-clock status MARs every `marInterval`.
   */
  dropped?: () => number;
  /**
   * Called after each batch's records are written (live: also on idle
   * ticks), with the fan-out and the fields of an opening MAR for now.
   */
  housekeeping?: (
    fanout: RecordFanout,
    openingMar: () => MarFields,
  ) => Promise<void>;
  /** Clients for MARs (argus: -w outputs and remote clients). */
  clients?: () => number;
  /** True once a signal has stopped the capture (records end SHUTDOWN). */
  stoppedBySignal?: () => boolean;
  /** Called once the opening MARs are written (capture is running). */
  onStarted?: () => void;
  /** Records made from a packet outside the flow engine (see Sensor). */
  afterPacket?: SensorOptions["afterPacket"];
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
    ...(cfg.maxFlows ? { maxFlows: cfg.maxFlows } : {}),
    ...cfg.metrics,
    ...(cfg.filter ? { filter: cfg.filter } : {}),
    ...(cfg.skipPackets ? { skipPackets: cfg.skipPackets } : {}),
    ...(cfg.lastPacket !== undefined ? { lastPacket: cfg.lastPacket } : {}),
    ...(cfg.stoppedBySignal ? { stoppedBySignal: cfg.stoppedBySignal } : {}),
    ...(cfg.afterPacket ? { afterPacket: cfg.afterPacket } : {}),
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
  cfg.onStarted?.();
  // Status MARs report what happened since the previous MAR (argus's
  // ArgusGenerateStatusMarRecord); the first period includes the opening MAR.
  const last = {
    time: startTime,
    packets: 0,
    bytes: 0,
    records: -1,
    dropped: 0,
    evicted: 0,
  };
  const periodMar = (cause: number): MarFields => {
    const c = sensor.engine.counters;
    const now = Date.now() * 1000;
    const dropped = cfg.dropped?.() ?? 0;
    const fields: MarFields = {
      ...mar,
      cause,
      startTime: last.time,
      now,
      packets: c.packets - last.packets,
      bytes: c.bytes - last.bytes,
      records: c.records - last.records,
      flows: sensor.engine.activeFlows,
      dropped: dropped - last.dropped,
      evicted: c.evicted - last.evicted,
      // Each output is a client, as in argus.
      clients: cfg.clients?.() ?? cfg.targets.length,
    };
    Object.assign(last, {
      time: now,
      packets: c.packets,
      bytes: c.bytes,
      records: c.records,
      dropped,
      evicted: c.evicted,
    });
    return fields;
  };
  const marEvery = cfg.marInterval * 1_000_000;
  let nextMar = cfg.dropped !== undefined && marEvery > 0
    ? startTime + marEvery
    : Infinity;
  const openingMar = (): MarFields => ({
    ...mar,
    cause: 0x10,
    now: Date.now() * 1000,
  });
  let reported = false;
  let nextTrim = performance.now() + TRIM_EVERY_MS;
  try {
    await cfg.source.pipeThrough(stage).pipeTo(
      new WritableStream<Uint8Array>({
        write: async (block) => {
          if (block.length > 0) await fanout.write(block);
          if (!reported && sensor.done) {
            reported = true;
            cfg.onDone?.();
          }
          if (Date.now() * 1000 >= nextMar) {
            nextMar += marEvery * Math.max(
              1,
              Math.ceil((Date.now() * 1000 - nextMar) / marEvery),
            );
            await fanout.mar(periodMar(0x20));
          }
          if (cfg.housekeeping) await cfg.housekeeping(fanout, openingMar);
          if (performance.now() >= nextTrim) {
            // The JIT's helper threads free their memory into arenas the
            // main thread never reuses: it would stay in the peak RSS.
            if (!trimMallocArenas()) nextTrim = Infinity;
            else nextTrim = performance.now() + TRIM_EVERY_MS;
          }
        },
      }),
    );
  } finally {
    await fanout.mar(periodMar(0x30));
    await fanout.close();
  }
  const c = sensor.engine.counters;
  return { packets: c.packets, records: c.records, flows: c.newFlows };
}
