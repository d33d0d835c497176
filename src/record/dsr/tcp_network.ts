/**
 * The TCP forms of the network DSR (type 0x30): TCP_INIT (subtype 0x03,
 * a flow's first packet only), TCP_STATUS (0x04) and TCP_PERF (0x05, 30
 * words in argus 3.0.8.2: no maxseg field; 18 words when it carries the
 * source side only). docs/record-format.md §8.
 * @module
 */

import type { RecordBuffer } from "../record_buffer.ts";

/** TCP network DSR subtypes. */
export const TcpSubtype = { INIT: 0x03, STATUS: 0x04, PERF: 0x05 } as const;

/** TCP_INIT: the connection as its first packet showed it. */
export interface TcpInitNetwork {
  kind: "tcpInit";
  qual: number;
  status: number;
  seqBase: number;
  options: number;
  /** argus 3.0.8.2 never fills this: whatever its buffer held there. */
  win: number;
  flags: number;
  winShift: number;
}

/** TCP_STATUS: status bits and the flags each side sent. */
export interface TcpStatusNetwork {
  kind: "tcpStatus";
  qual: number;
  status: number;
  srcFlags: number;
  dstFlags: number;
}

/** One direction of a TCP_PERF DSR. */
export interface TcpSide {
  /** Time of the side's last packet, µs since the epoch (0 = none). */
  lastTime: number;
  status: number;
  seqBase: number;
  seq: number;
  ack: number;
  winNum: number;
  bytes: number;
  retrans: number;
  ackBytes: number;
  winBytes: number;
  win: number;
  flags: number;
  winShift: number;
}

/** TCP_PERF: connection state, setup times and both directions. */
export interface TcpPerfNetwork {
  kind: "tcp";
  qual: number;
  /** Status bits, per-direction conditions folded in (reset, retransmits...). */
  status: number;
  state: number;
  options: number;
  synAckUsecs: number;
  ackDatUsecs: number;
  src: TcpSide;
  /** Absent in the 18-word form. */
  dst: TcpSide | null;
}

const SIDE_BYTES = 48;

function decodeSide(v: DataView, at: number): TcpSide | null {
  const usec = v.getUint32(at + 4);
  if (usec >= 1_000_000) return null;
  return {
    lastTime: v.getUint32(at) * 1_000_000 + usec,
    status: v.getUint32(at + 8),
    seqBase: v.getUint32(at + 12),
    seq: v.getUint32(at + 16),
    ack: v.getUint32(at + 20),
    winNum: v.getUint32(at + 24),
    bytes: v.getUint32(at + 28),
    retrans: v.getUint32(at + 32),
    ackBytes: v.getUint32(at + 36),
    winBytes: v.getUint32(at + 40),
    win: v.getUint16(at + 44),
    flags: v.getUint8(at + 46),
    winShift: v.getUint8(at + 47),
  };
}

function encodeSide(out: RecordBuffer, s: TcpSide): void {
  const sec = Math.floor(s.lastTime / 1_000_000);
  out.u32(sec);
  out.u32(s.lastTime - sec * 1_000_000);
  out.u32(s.status);
  out.u32(s.seqBase);
  out.u32(s.seq);
  out.u32(s.ack);
  out.u32(s.winNum);
  out.u32(s.bytes);
  out.u32(s.retrans);
  out.u32(s.ackBytes);
  out.u32(s.winBytes);
  out.u16(s.win);
  out.u8(s.flags);
  out.u8(s.winShift);
}

/** Decodes a TCP network DSR at `p`; null for an unexpected length. */
export function decodeTcpNetwork(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): TcpInitNetwork | TcpStatusNetwork | TcpPerfNetwork | null {
  const qual = b[p + 2]!;
  switch (b[p + 1]) {
    case TcpSubtype.INIT:
      if (len !== 5) return null;
      return {
        kind: "tcpInit",
        qual,
        status: v.getUint32(p + 4),
        seqBase: v.getUint32(p + 8),
        options: v.getUint32(p + 12),
        win: v.getUint16(p + 16),
        flags: b[p + 18]!,
        winShift: b[p + 19]!,
      };
    case TcpSubtype.STATUS:
      if (len !== 3 || b[p + 10] !== 0 || b[p + 11] !== 0) return null;
      return {
        kind: "tcpStatus",
        qual,
        status: v.getUint32(p + 4),
        srcFlags: b[p + 8]!,
        dstFlags: b[p + 9]!,
      };
    case TcpSubtype.PERF: {
      if (len !== 30 && len !== 18) return null;
      const src = decodeSide(v, p + 24);
      const dst = len === 30 ? decodeSide(v, p + 24 + SIDE_BYTES) : null;
      if (src === null || (len === 30 && dst === null)) return null;
      return {
        kind: "tcp",
        qual,
        status: v.getUint32(p + 4),
        state: v.getUint32(p + 8),
        options: v.getUint32(p + 12),
        synAckUsecs: v.getUint32(p + 16),
        ackDatUsecs: v.getUint32(p + 20),
        src,
        dst,
      };
    }
  }
  return null;
}

export function encodeTcpNetwork(
  out: RecordBuffer,
  d: TcpInitNetwork | TcpStatusNetwork | TcpPerfNetwork,
): void {
  switch (d.kind) {
    case "tcpInit":
      out.dsr(0x30, TcpSubtype.INIT, d.qual, 5);
      out.u32(d.status);
      out.u32(d.seqBase);
      out.u32(d.options);
      out.u16(d.win);
      out.u8(d.flags);
      out.u8(d.winShift);
      return;
    case "tcpStatus":
      out.dsr(0x30, TcpSubtype.STATUS, d.qual, 3);
      out.u32(d.status);
      out.u8(d.srcFlags);
      out.u8(d.dstFlags);
      out.u16(0);
      return;
    case "tcp":
      out.dsr(0x30, TcpSubtype.PERF, d.qual, d.dst === null ? 18 : 30);
      out.u32(d.status);
      out.u32(d.state);
      out.u32(d.options);
      out.u32(d.synAckUsecs);
      out.u32(d.ackDatUsecs);
      encodeSide(out, d.src);
      if (d.dst !== null) encodeSide(out, d.dst);
      return;
  }
}
