/**
 * The sensor's one hot stage: batches of captured packets in, blocks of
 * encoded Argus records out. Per packet it runs the capture filter, the
 * link decoder and the flow engine; records due are encoded into one
 * reusable buffer, copied out once per batch. Packet time drives every
 * timer (argus(8) reading files).
 * @module
 */

import { PacketContext } from "../decode/packet_context.ts";
import { decodeFrame, Entry } from "../decode/link_decoder.ts";
import type { Flow } from "./flow.ts";
import { FlowEngine, type FlowEngineOptions } from "./flow_engine.ts";
import { encodeFlowRecord, RecordBytes } from "./flow_record_encoder.ts";

/** The fields of a capture batch this stage reads (src/capture PacketBatch). */
export interface PacketBatchView {
  readonly data: Uint8Array;
  readonly count: number;
  readonly start: Uint32Array;
  readonly caplen: Uint32Array;
  readonly wirelen: Uint32Array;
  readonly tsSec: Float64Array;
  readonly tsUsec: Uint32Array;
  readonly linkType: ArrayLike<number>;
  /** Live capture: the wall clock when read, µs (0 or absent for files). */
  readonly clock?: number;
}

/** A compiled capture filter: true keeps the packet. */
export type PacketFilter = (
  data: Uint8Array,
  start: number,
  caplen: number,
  wirelen: number,
  linkType: number,
) => boolean;

/** Options of the sensor stage. */
export interface SensorOptions extends FlowEngineOptions {
  /** The capture filter expression, compiled (argus's trailing filter). */
  filter?: PacketFilter;
  /** -N: skip packets numbered up to this (1-based, inclusive). */
  skipPackets?: number;
  /** -N: stop after this many packets have been read. */
  lastPacket?: number;
  /**
   * Asked at the end of input: true when a signal stopped a live capture,
   * so open flows end with cause SHUTDOWN instead of the end-of-file pass.
   */
  stoppedBySignal?: () => boolean;
  /**
   * Records made from a modelled packet outside the flow engine (argus -r
   * cisco: NetFlow records), appended after the engine's for that packet.
   */
  afterPacket?: (
    batch: PacketBatchView,
    i: number,
    engine: FlowEngine,
  ) => Uint8Array | null;
}

/** Decodes, models and encodes; usable without streams (tests, benches). */
export class Sensor {
  readonly engine: FlowEngine;
  readonly out: RecordBytes = new RecordBytes();
  readonly #ctx: PacketContext = new PacketContext();
  readonly #filter: PacketFilter | undefined;
  readonly #skip: number;
  readonly #last: number;
  readonly #after: SensorOptions["afterPacket"];
  /** Packets that passed the filter so far (what -N counts). */
  packetsRead = 0;
  /** Packets the link decoder could not model. */
  undecodable = 0;
  /** Time of the last packet seen, µs (0 before any). */
  lastTime = 0;

  constructor(options: SensorOptions = {}) {
    const srcidType = options.srcidType ?? 0;
    const srcid = options.srcid ?? 0;
    const appBytes = options.appBytes ?? false;
    const out = this.out;
    const engine: FlowEngine = new FlowEngine({
      flowRecord(flow: Flow, cause: number) {
        encodeFlowRecord(
          flow,
          engine,
          cause,
          out,
          srcidType,
          srcid,
          appBytes,
        );
      },
    }, options);
    this.engine = engine;
    this.#filter = options.filter;
    this.#skip = options.skipPackets ?? 0;
    this.#last = options.lastPacket ?? Infinity;
    this.#after = options.afterPacket;
  }

  /** Whether -N has read its last packet. */
  get done(): boolean {
    return this.packetsRead >= this.#last;
  }

  /** Feeds one batch; encoded records accumulate in `out`. */
  push(batch: PacketBatchView): void {
    if (batch.count === 0) {
      // An idle tick of a live source: age flows by the wall clock.
      if (batch.clock) this.engine.idle(batch.clock);
      return;
    }
    const ctx = this.#ctx;
    const engine = this.engine;
    const filter = this.#filter;
    const { data, start, caplen, wirelen, tsSec, tsUsec, linkType } = batch;
    for (let i = 0; i < batch.count; i++) {
      const s = start[i]!, cap = caplen[i]!, len = wirelen[i]!;
      const lt = linkType[i]!;
      // The filter runs first (libpcap's), so -N counts packets it passed.
      if (filter !== undefined && !filter(data, s, cap, len, lt)) continue;
      if (this.packetsRead >= this.#last) return;
      if (++this.packetsRead <= this.#skip) continue;
      const time = tsSec[i]! * 1_000_000 + tsUsec[i]!;
      this.lastTime = time;
      switch (decodeFrame(ctx, lt, data, s, cap, len)) {
        case Entry.FRAME:
          engine.processFrame(ctx, time);
          break;
        case Entry.IP:
          engine.processIp(ctx, time);
          break;
        default:
          this.undecodable++;
      }
      if (this.#after !== undefined) {
        const extra = this.#after(batch, i, engine);
        if (extra !== null) this.out.append(extra);
      }
    }
  }

  /** End of input: every flow still open gets its record. */
  finish(): void {
    this.engine.finish();
  }

  /** Takes the encoded records accumulated so far (a copy). */
  take(): Uint8Array {
    const bytes = this.out.bytes().slice();
    this.out.clear();
    return bytes;
  }
}

const NO_RECORDS = new Uint8Array(0);

/** The sensor as a stream stage: batches in, record blocks out. */
export class SensorStream extends TransformStream<PacketBatchView, Uint8Array> {
  readonly sensor: Sensor;

  constructor(options: SensorOptions = {}) {
    const sensor = new Sensor(options);
    super({
      transform(batch, controller) {
        sensor.push(batch);
        if (sensor.out.pos > 0) controller.enqueue(sensor.take());
        // Live batches always reach the writer: it keeps time for MARs.
        else if (batch.clock) controller.enqueue(NO_RECORDS);
      },
      flush(controller) {
        if (options.stoppedBySignal?.()) sensor.engine.shutdown();
        else sensor.finish();
        if (sensor.out.pos > 0) controller.enqueue(sensor.take());
      },
    });
    this.sensor = sensor;
  }
}
