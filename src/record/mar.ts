/**
 * MarRecord: an Argus 3 management record (docs/record-format.md §2), 32
 * words: the opening one (cause START, argusid = the Argus 3 cookie,
 * thisid = the source id) that ra needs at the start of every stream,
 * periodic STATUS ones and the closing STOP one (argusid = the source id,
 * counters for the period). All fields are network order.
 * @module
 */

import { allZero, readU64, type RecordBuffer } from "./record_buffer.ts";
import { ARGUS_COOKIE, Cause, MAR_WORDS } from "./record_header.ts";

/** A management record. Times are µs since the epoch (wall clock). */
export interface MarRecord {
  kind: "mar";
  cause: number;
  options: number;
  /** Source id type bits: 0x00800000 IPv4, 0x00400000 int, 0x00200000 string. */
  status: number;
  /** Opening MAR: ARGUS_COOKIE; others: the source id. */
  argusId: number;
  localNet: number;
  netMask: number;
  nextMrSequenceNum: number;
  /** Opening MAR: when the output started; others: the last MAR's time. */
  startTime: number;
  now: number;
  majorVersion: number;
  minorVersion: number;
  interfaceType: number;
  interfaceStatus: number;
  /** Flow status interval, seconds (-S; 5 by default). */
  reportInterval: number;
  /** MAR interval, seconds (60 by default). */
  argusMrInterval: number;
  pktsRcvd: number;
  bytesRcvd: number;
  drift: number;
  records: number;
  flows: number;
  dropped: number;
  queue: number;
  output: number;
  clients: number;
  bufs: number;
  bytes: number;
  suserLen: number;
  duserLen: number;
  /** Opening MAR: the source id; others: 0. */
  thisId: number;
  /** 0xffffffff from argus. */
  recordLen: number;
}

/** A MAR with argus's constant fields; fill times, ids and counters. */
export function newMar(cause: number = Cause.START): MarRecord {
  return {
    kind: "mar",
    cause,
    options: 0,
    status: 0,
    argusId: cause === Cause.START ? ARGUS_COOKIE : 0,
    localNet: 0,
    netMask: 0,
    nextMrSequenceNum: 0,
    startTime: 0,
    now: 0,
    majorVersion: 3,
    minorVersion: 0,
    interfaceType: 0,
    interfaceStatus: 0,
    reportInterval: 5,
    argusMrInterval: 60,
    pktsRcvd: 0,
    bytesRcvd: 0,
    drift: 0,
    records: 0,
    flows: 0,
    dropped: 0,
    queue: 0,
    output: 0,
    clients: 0,
    bufs: 0,
    bytes: 0,
    suserLen: 0,
    duserLen: 0,
    thisId: 0,
    recordLen: 0xffffffff,
  };
}

function readTime(v: DataView, at: number): number {
  const usec = v.getUint32(at + 4);
  return usec >= 1_000_000 ? -1 : v.getUint32(at) * 1_000_000 + usec;
}

function readI64(v: DataView, at: number): number {
  const hi = v.getInt32(at);
  if (hi >= 0x20_0000 || hi < -0x20_0000) return NaN;
  return hi * 0x1_0000_0000 + v.getUint32(at + 4);
}

/**
 * Decodes the MAR at `p` (`len` words); null when it is not the 32-word
 * form or holds values that would not be written back the same.
 */
export function decodeMar(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): MarRecord | null {
  if (len !== MAR_WORDS || !allZero(b, p + 108, p + 120)) return null;
  const m: MarRecord = {
    kind: "mar",
    cause: b[p + 1]! & 0xf0,
    options: b[p + 1]! & 0x0f,
    status: v.getUint32(p + 4),
    argusId: v.getUint32(p + 8),
    localNet: v.getUint32(p + 12),
    netMask: v.getUint32(p + 16),
    nextMrSequenceNum: v.getUint32(p + 20),
    startTime: readTime(v, p + 24),
    now: readTime(v, p + 32),
    majorVersion: b[p + 40]!,
    minorVersion: b[p + 41]!,
    interfaceType: b[p + 42]!,
    interfaceStatus: b[p + 43]!,
    reportInterval: v.getUint16(p + 44),
    argusMrInterval: v.getUint16(p + 46),
    pktsRcvd: readU64(v, p + 48),
    bytesRcvd: readU64(v, p + 56),
    drift: readI64(v, p + 64),
    records: v.getUint32(p + 72),
    flows: v.getUint32(p + 76),
    dropped: v.getUint32(p + 80),
    queue: v.getUint32(p + 84),
    output: v.getUint32(p + 88),
    clients: v.getUint32(p + 92),
    bufs: v.getUint32(p + 96),
    bytes: v.getUint32(p + 100),
    suserLen: v.getUint16(p + 104, true),
    duserLen: v.getUint16(p + 106, true),
    thisId: v.getUint32(p + 120),
    recordLen: v.getUint32(p + 124),
  };
  if (
    m.startTime < 0 || m.now < 0 || m.pktsRcvd < 0 || m.bytesRcvd < 0 ||
    Number.isNaN(m.drift)
  ) return null;
  return m;
}

function putTime(out: RecordBuffer, t: number): void {
  const sec = Math.floor(t / 1_000_000);
  out.u32(sec);
  out.u32(t - sec * 1_000_000);
}

/** Appends the 128-byte MAR. */
export function encodeMar(out: RecordBuffer, m: MarRecord): void {
  out.reserve(MAR_WORDS * 4);
  out.u8(0x80 | 3);
  out.u8((m.cause & 0xf0) | (m.options & 0x0f));
  out.u16(MAR_WORDS);
  out.u32(m.status);
  out.u32(m.argusId);
  out.u32(m.localNet);
  out.u32(m.netMask);
  out.u32(m.nextMrSequenceNum);
  putTime(out, m.startTime);
  putTime(out, m.now);
  out.u8(m.majorVersion);
  out.u8(m.minorVersion);
  out.u8(m.interfaceType);
  out.u8(m.interfaceStatus);
  out.u16(m.reportInterval);
  out.u16(m.argusMrInterval);
  out.u64(m.pktsRcvd);
  out.u64(m.bytesRcvd);
  out.i64(m.drift);
  out.u32(m.records);
  out.u32(m.flows);
  out.u32(m.dropped);
  out.u32(m.queue);
  out.u32(m.output);
  out.u32(m.clients);
  out.u32(m.bufs);
  out.u32(m.bytes);
  out.u16le(m.suserLen);
  out.u16le(m.duserLen);
  out.zeros(12);
  out.u32(m.thisId);
  out.u32(m.recordLen);
}
