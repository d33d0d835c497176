/**
 * Management records (MARs) the sensor writes: the opening record of every
 * output (argus ArgusGenerateInitialMar) and the closing/status records
 * (ArgusGenerateStatusMarRecord), 128 bytes each, network byte order. The
 * wall-clock fields are what they are in argus too; unlike argus we fill
 * the packet and byte counters with real values.
 * @module
 */

import { RecordBytes } from "../flow/flow_record_encoder.ts";

/** MAR header type byte: MAR | version 3. */
export const MAR_TYPE = 0x83;
/** The argus cookie an opening MAR carries in place of the source id. */
export const ARGUS_COOKIE = 0xe5712dcb;
/** MAR length in 32-bit words (header included). */
export const MAR_WORDS = 32;

/** What a management record reports. */
export interface MarFields {
  /** Record cause: START (0x10) opens a stream, STOP (0x30) closes it. */
  cause: number;
  /** Source id and its type bits for the status word. */
  srcid: number;
  srcidStatus: number;
  /** Start of the reporting period and now, µs since the epoch. */
  startTime: number;
  now: number;
  /** Flow status interval and MAR interval, seconds. */
  reportInterval: number;
  marInterval: number;
  /** Link type of the input. */
  interfaceType?: number;
  packets?: number;
  bytes?: number;
  records?: number;
  flows?: number;
  dropped?: number;
  clients?: number;
  /** Sequence number of the next flow record. */
  nextSeq?: number;
}

function putTime(out: RecordBytes, t: number): void {
  const sec = Math.floor(t / 1_000_000);
  out.u32(sec);
  out.u32(t - sec * 1_000_000);
}

/** Appends one MAR to `out`. */
export function encodeMar(m: MarFields, out: RecordBytes): void {
  out.reserve(MAR_WORDS * 4);
  const opening = m.cause === 0x10;
  out.u8(MAR_TYPE);
  out.u8(m.cause);
  out.u16(MAR_WORDS);
  out.u32(m.srcidStatus);
  out.u32(opening ? ARGUS_COOKIE : m.srcid);
  out.u32(0); // localnet
  out.u32(0); // netmask
  out.u32(m.nextSeq ?? 0);
  putTime(out, m.startTime);
  putTime(out, m.now);
  out.u8(3); // major version
  out.u8(0); // minor version
  out.u8(m.interfaceType ?? 0);
  out.u8(0); // interface status
  out.u16(m.reportInterval);
  out.u16(m.marInterval);
  out.u64(m.packets ?? 0);
  out.u64(m.bytes ?? 0);
  out.u64(0); // drift
  out.u32(m.records ?? 0);
  out.u32(m.flows ?? 0);
  out.u32(m.dropped ?? 0);
  out.u32(0); // queue
  out.u32(0); // output
  out.u32(m.clients ?? 0);
  out.u32(0); // bufs
  out.u32(0); // bytes buffered
  out.u32(0); // user data lengths
  out.zeros(12);
  out.u32(opening ? m.srcid : 0); // thisid
  out.u32(0xffffffff); // record_len
}

/** One MAR as its own bytes (MARs are rare: a fresh buffer each). */
export function marBytes(m: MarFields): Uint8Array {
  const out = new RecordBytes();
  encodeMar(m, out);
  return out.bytes().slice();
}
