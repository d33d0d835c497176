/**
 * Helpers for the application-state tests: RTP, RTCP and UDT payload
 * builders, and a run of the flow engine over packets that hands each
 * record's flow to a callback (to read its state before it changes).
 * @module
 */

import { PacketContext } from "../../src/decode/packet_context.ts";
import { decodeFrame, Entry } from "../../src/decode/link_decoder.ts";
import type { Flow } from "../../src/flow/flow.ts";
import {
  FlowEngine,
  type FlowEngineOptions,
} from "../../src/flow/flow_engine.ts";
import { filler } from "../_util/packets.ts";
import type { PcapPacket } from "../_util/pcap_writer.ts";

export const be16 = (v: number): number[] => [v >> 8 & 255, v & 255];
export const be32 = (v: number): number[] => [
  ...be16(v >>> 16),
  ...be16(v & 0xffff),
];

/** Options of an RTP packet. */
export interface RtpOptions {
  /** First header byte (version, padding, extension, CSRC count). */
  b0?: number;
  /** Marker bit. */
  mark?: boolean;
  /** Bytes between the fixed header and the payload (CSRCs, extension). */
  extra?: number[];
  /** Timestamp; default seq * 160. */
  time?: number;
}

/** An RTP packet: a 12-byte header, `extra`, then `payload` filler bytes. */
export function rtp(
  pt: number,
  seq: number,
  ssrc: number,
  payload: number,
  o: RtpOptions = {},
): number[] {
  return [
    o.b0 ?? 0x80,
    (o.mark ? 0x80 : 0) | pt,
    ...be16(seq),
    ...be32(o.time ?? seq * 160),
    ...be32(ssrc),
    ...(o.extra ?? []),
    ...filler(payload),
  ];
}

/**
 * An RTCP packet of type `pt`: its length field says `len` words follow the
 * first one, so after the 8-byte header come `len * 4 - 4` bytes.
 */
export function rtcp(pt: number, ssrc: number, len: number, rc = 0): number[] {
  return [
    0x80 | rc,
    pt,
    ...be16(len),
    ...be32(ssrc),
    ...filler(Math.max(0, len * 4 - 4), 0),
  ];
}

/**
 * A UDT control packet: `word0` is its first 16-bit word (the control bit
 * 0x8000 and the type), then the reserved word, info, timestamp, socket id
 * and `body` words.
 */
export function udtControl(word0: number, body: number[]): number[] {
  return [
    ...be16(word0),
    0,
    0,
    ...be32(0),
    ...be32(1234),
    ...be32(77),
    ...body.flatMap(be32),
  ];
}

/** A UDT data packet with `payload` filler bytes. */
export function udtData(seq: number, msg: number, payload = 100): number[] {
  return [
    ...be32(seq),
    ...be32(msg),
    ...be32(seq * 10),
    ...be32(77),
    ...filler(payload),
  ];
}

/**
 * Runs Ethernet frames through a flow engine; `onRecord` sees each flow as
 * its record is emitted (with the engine, whose key store it may need). Returns the engine after its final flush.
 */
export function runEngine(
  packets: PcapPacket[],
  options: FlowEngineOptions,
  onRecord: (flow: Flow, cause: number, engine: FlowEngine) => void,
): FlowEngine {
  const ctx = new PacketContext();
  const engine: FlowEngine = new FlowEngine({
    flowRecord: (flow, cause) => onRecord(flow, cause, engine),
  }, options);
  for (const p of packets) {
    const cap = p.caplen ?? p.data.length;
    const e = decodeFrame(ctx, 1, p.data, 0, cap, p.wirelen ?? p.data.length);
    if (e === Entry.FRAME) engine.processFrame(ctx, p.time);
    else engine.processNothing(ctx, p.time);
  }
  engine.finish();
  return engine;
}
