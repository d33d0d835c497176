/**
 * Management records (MARs) the sensor writes: the opening record of every
 * output (argus ArgusGenerateInitialMar) and the closing/status records
 * (ArgusGenerateStatusMarRecord), 128 bytes each, network byte order. The
 * wall-clock fields are what they are in argus too; unlike argus we fill
 * the packet and byte counters with real values, and count the records an
 * output could not write (disk full) in the first pad word.
 * @module
 */

import { RecordBytes } from "../flow/flow_record_encoder.ts";

/** MAR header type byte: MAR | version 3. */
export const MAR_TYPE = 0x83;
/** The argus cookie an opening MAR carries in place of the source id. */
export const ARGUS_COOKIE = 0xe5712dcb;
/** MAR length in 32-bit words (header included). */
export const MAR_WORDS = 32;
/**
 * Byte offset of `unwritten`: pad[0] of argus's ArgusMarStruct, after
 * suserlen/duserlen. argus 3.0.8 always writes zero there and ra ignores
 * it, so old readers are unaffected (argus itself drops records silently
 * on ENOSPC, ArgusUtil.c ArgusWriteOutSocket, and has no counter for it).
 */
export const MAR_UNWRITTEN_OFFSET = 108;
/** Byte offset of `evicted`: pad[1], zero in argus 3.0.8 as pad[0] is. */
export const MAR_EVICTED_OFFSET = 112;

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
  /**
   * Records (MARs included) this output could not write since its
   * previous MAR; each output fills in its own (see withUnwritten).
   */
  unwritten?: number;
  /**
   * Flows ended early since the previous MAR to stay within the flow
   * limit (ARGUS_MAX_FLOWS), in pad[1]; their records were written.
   */
  evicted?: number;
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
  out.u32(m.unwritten ?? 0); // pad[0]: ours, records not written
  out.u32(m.evicted ?? 0); // pad[1]: ours, flows evicted
  out.zeros(4);
  out.u32(opening ? m.srcid : 0); // thisid
  out.u32(0xffffffff); // record_len
}

/** One MAR as its own bytes (MARs are rare: a fresh buffer each). */
export function marBytes(m: MarFields): Uint8Array {
  const out = new RecordBytes();
  encodeMar(m, out);
  return out.bytes().slice();
}

/**
 * A copy of an encoded status or closing MAR carrying `n` as its
 * unwritten count (each output reports its own losses).
 */
export function withUnwritten(mar: Uint8Array, n: number): Uint8Array {
  const copy = mar.slice();
  new DataView(copy.buffer).setUint32(MAR_UNWRITTEN_OFFSET, n);
  return copy;
}
