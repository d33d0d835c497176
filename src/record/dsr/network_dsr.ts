/**
 * Network DSR (type 0x30): protocol state, one form per subtype
 * (docs/record-format.md §8): empty (1 word: UDP, ether, ...), TCP (see
 * tcp_network.ts), ICMP, ESP, ARP responder, fragments, RTP, RTCP, UDT.
 * Several are argus's in-memory structs in x86 host order (little-endian
 * here); any other subtype or length is kept as raw bytes.
 * @module
 */

import { allZero, readMac, type RecordBuffer } from "../record_buffer.ts";
import {
  decodeTcpNetwork,
  encodeTcpNetwork,
  type TcpInitNetwork,
  type TcpPerfNetwork,
  type TcpStatusNetwork,
} from "./tcp_network.ts";

/** Network DSR subtypes besides TCP's (tcp_network.ts). */
export const NetworkSubtype = {
  ARP: 0x10,
  RTCP: 0x09,
  RTP: 0x0a,
  UDT: 0x0d,
  ICMP: 0x34,
  ESP: 0x38,
  FRAG: 0x45,
} as const;

/** The 1-word form: no protocol state. */
export interface EmptyNetwork {
  kind: "none";
  subtype: number;
  qual: number;
}

/** ICMP (and ICMPv6: type, code, checksum, zeros), little-endian. */
export interface IcmpNetwork {
  kind: "icmp";
  qual: number;
  type: number;
  code: number;
  /** ICMP bytes 6-7 (echo seq) as argus held it; ICMPv6: the checksum. */
  iseq: number;
  osrcaddr: number;
  odstaddr: number;
  isrcaddr: number;
  idstaddr: number;
  igwaddr: number;
}

/** ESP: network order. */
export interface EspNetwork {
  kind: "esp";
  qual: number;
  status: number;
  spi: number;
  lastSeq: number;
  lostSeq: number;
}

/** ARP: the responder's hardware address, in a 44-word DSR. */
export interface ArpNetwork {
  kind: "arp";
  qual: number;
  /** 48-bit address as a number. */
  respAddr: number;
}

/** Fragment bookkeeping, little-endian (pointers written as zero). */
export interface FragNetwork {
  kind: "frag";
  qual: number;
  fragNum: number;
  fragId: number;
  startBytes: number;
  bytes: number;
  totBytes: number;
  totLen: number;
  currLen: number;
  maxFragLen: number;
  pad: number;
  offsetStart: number;
  offsetEnd: number;
}

/** An RTP header as argus keeps it. */
export interface RtpHeader {
  b0: number;
  b1: number;
  seq: number;
  time: number;
  ssrc: number;
}

/** RTP: network order. */
export interface RtpNetwork {
  kind: "rtp";
  qual: number;
  state: number;
  src: RtpHeader;
  dst: RtpHeader;
  sdrop: number;
  ddrop: number;
  ssdev: number;
  dsdev: number;
}

/** An RTCP header's fields as stored (argus byte-reverses len and ssrc). */
export interface RtcpHeader {
  b0: number;
  b1: number;
  len: number;
  ssrc: number;
}

/** RTCP. */
export interface RtcpNetwork {
  kind: "rtcp";
  qual: number;
  src: RtcpHeader;
  dst: RtcpHeader;
  sdrop: number;
  ddrop: number;
}

/** One direction of UDT metrics (17 little-endian u32). */
export interface UdtMetrics {
  lastSec: number;
  lastUsec: number;
  seq: number;
  tstamp: number;
  ack: number;
  rtt: number;
  variance: number;
  bsize: number;
  rate: number;
  lcap: number;
  solo: number;
  first: number;
  middle: number;
  last: number;
  drops: number;
  retrans: number;
  nacked: number;
}

/** UDT, little-endian. */
export interface UdtNetwork {
  kind: "udt";
  qual: number;
  state: number;
  status: number;
  /** The 28-byte handshake as captured. */
  handshake: Uint8Array;
  src: UdtMetrics;
  dst: UdtMetrics;
}

/** A subtype or length this codec does not model. */
export interface RawNetwork {
  kind: "raw";
  subtype: number;
  qual: number;
  /** The DSR body (after the 4-byte header). */
  body: Uint8Array;
}

/** The network DSR, by form. */
export type NetworkDsr =
  | EmptyNetwork
  | TcpInitNetwork
  | TcpStatusNetwork
  | TcpPerfNetwork
  | IcmpNetwork
  | EspNetwork
  | ArpNetwork
  | FragNetwork
  | RtpNetwork
  | RtcpNetwork
  | UdtNetwork
  | RawNetwork;

const UDT_FIELDS = [
  "lastSec",
  "lastUsec",
  "seq",
  "tstamp",
  "ack",
  "rtt",
  "variance",
  "bsize",
  "rate",
  "lcap",
  "solo",
  "first",
  "middle",
  "last",
  "drops",
  "retrans",
  "nacked",
] as const;

function decodeUdtMetrics(v: DataView, at: number): UdtMetrics {
  const m = {} as UdtMetrics;
  for (let i = 0; i < UDT_FIELDS.length; i++) {
    m[UDT_FIELDS[i]!] = v.getUint32(at + i * 4, true);
  }
  return m;
}

function decodeRtp(v: DataView, at: number): RtpHeader {
  return {
    b0: v.getUint8(at),
    b1: v.getUint8(at + 1),
    seq: v.getUint16(at + 2),
    time: v.getUint32(at + 4),
    ssrc: v.getUint32(at + 8),
  };
}

function decodeRtcp(v: DataView, at: number): RtcpHeader {
  return {
    b0: v.getUint8(at),
    b1: v.getUint8(at + 1),
    len: v.getUint16(at + 2),
    ssrc: v.getUint32(at + 4),
  };
}

/** Decodes the DSR at `p` into its form (raw when unknown). */
export function decodeNetwork(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): NetworkDsr {
  const subtype = b[p + 1]!, qual = b[p + 2]!;
  if (len === 1) return { kind: "none", subtype, qual };
  const d = decodeForm(b, v, p, len, subtype, qual);
  return d ?? {
    kind: "raw",
    subtype,
    qual,
    body: b.slice(p + 4, p + len * 4),
  };
}

function decodeForm(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
  subtype: number,
  qual: number,
): NetworkDsr | null {
  const k = p + 4;
  switch (subtype) {
    case 0x03:
    case 0x04:
    case 0x05:
      return decodeTcpNetwork(b, v, p, len);
    case NetworkSubtype.ICMP:
      if (len !== 7) return null;
      return {
        kind: "icmp",
        qual,
        type: b[k]!,
        code: b[k + 1]!,
        iseq: v.getUint16(k + 2, true),
        osrcaddr: v.getUint32(k + 4, true),
        odstaddr: v.getUint32(k + 8, true),
        isrcaddr: v.getUint32(k + 12, true),
        idstaddr: v.getUint32(k + 16, true),
        igwaddr: v.getUint32(k + 20, true),
      };
    case NetworkSubtype.ESP:
      if (len !== 5) return null;
      return {
        kind: "esp",
        qual,
        status: v.getUint32(k),
        spi: v.getUint32(k + 4),
        lastSeq: v.getUint32(k + 8),
        lostSeq: v.getUint32(k + 12),
      };
    case NetworkSubtype.ARP:
      if (len !== 44 || !allZero(b, k + 6, p + len * 4)) return null;
      return { kind: "arp", qual, respAddr: readMac(v, k) };
    case NetworkSubtype.FRAG:
      if (len !== 14 || !allZero(b, k + 28, k + 44)) return null;
      return {
        kind: "frag",
        qual,
        fragNum: v.getUint32(k, true),
        fragId: v.getUint32(k + 4, true),
        startBytes: v.getUint32(k + 8, true),
        bytes: v.getUint32(k + 12, true),
        totBytes: v.getUint32(k + 16, true),
        totLen: v.getUint16(k + 20, true),
        currLen: v.getUint16(k + 22, true),
        maxFragLen: v.getUint16(k + 24, true),
        pad: v.getUint16(k + 26, true),
        offsetStart: v.getUint32(k + 44, true),
        offsetEnd: v.getUint32(k + 48, true),
      };
    case NetworkSubtype.RTP:
      if (len !== 10) return null;
      return {
        kind: "rtp",
        qual,
        state: v.getUint32(k),
        src: decodeRtp(v, k + 4),
        dst: decodeRtp(v, k + 16),
        sdrop: v.getUint16(k + 28),
        ddrop: v.getUint16(k + 30),
        ssdev: v.getUint16(k + 32),
        dsdev: v.getUint16(k + 34),
      };
    case NetworkSubtype.RTCP:
      if (len !== 6) return null;
      return {
        kind: "rtcp",
        qual,
        src: decodeRtcp(v, k),
        dst: decodeRtcp(v, k + 8),
        sdrop: v.getUint16(k + 16),
        ddrop: v.getUint16(k + 18),
      };
    case NetworkSubtype.UDT:
      if (len !== 44) return null;
      return {
        kind: "udt",
        qual,
        state: v.getUint32(k, true),
        status: v.getUint32(k + 4, true),
        handshake: b.slice(k + 8, k + 36),
        src: decodeUdtMetrics(v, k + 36),
        dst: decodeUdtMetrics(v, k + 104),
      };
  }
  return null;
}

function encodeRtp(out: RecordBuffer, h: RtpHeader): void {
  out.u8(h.b0);
  out.u8(h.b1);
  out.u16(h.seq);
  out.u32(h.time);
  out.u32(h.ssrc);
}

function encodeRtcp(out: RecordBuffer, h: RtcpHeader): void {
  out.u8(h.b0);
  out.u8(h.b1);
  out.u16(h.len);
  out.u32(h.ssrc);
}

function encodeUdtMetrics(out: RecordBuffer, m: UdtMetrics): void {
  for (const f of UDT_FIELDS) out.u32le(m[f]);
}

export function encodeNetwork(out: RecordBuffer, d: NetworkDsr): void {
  switch (d.kind) {
    case "none":
      out.dsr(0x30, d.subtype, d.qual, 1);
      return;
    case "tcpInit":
    case "tcpStatus":
    case "tcp":
      encodeTcpNetwork(out, d);
      return;
    case "icmp":
      out.dsr(0x30, NetworkSubtype.ICMP, d.qual, 7);
      out.u8(d.type);
      out.u8(d.code);
      out.u16le(d.iseq);
      out.u32le(d.osrcaddr);
      out.u32le(d.odstaddr);
      out.u32le(d.isrcaddr);
      out.u32le(d.idstaddr);
      out.u32le(d.igwaddr);
      return;
    case "esp":
      out.dsr(0x30, NetworkSubtype.ESP, d.qual, 5);
      out.u32(d.status);
      out.u32(d.spi);
      out.u32(d.lastSeq);
      out.u32(d.lostSeq);
      return;
    case "arp":
      out.dsr(0x30, NetworkSubtype.ARP, d.qual, 44);
      out.mac(d.respAddr);
      out.zeros(43 * 4 - 6);
      return;
    case "frag":
      out.dsr(0x30, NetworkSubtype.FRAG, d.qual, 14);
      out.u32le(d.fragNum);
      out.u32le(d.fragId);
      out.u32le(d.startBytes);
      out.u32le(d.bytes);
      out.u32le(d.totBytes);
      out.u16le(d.totLen);
      out.u16le(d.currLen);
      out.u16le(d.maxFragLen);
      out.u16le(d.pad);
      out.zeros(16);
      out.u32le(d.offsetStart);
      out.u32le(d.offsetEnd);
      return;
    case "rtp":
      out.dsr(0x30, NetworkSubtype.RTP, d.qual, 10);
      out.u32(d.state);
      encodeRtp(out, d.src);
      encodeRtp(out, d.dst);
      out.u16(d.sdrop);
      out.u16(d.ddrop);
      out.u16(d.ssdev);
      out.u16(d.dsdev);
      return;
    case "rtcp":
      out.dsr(0x30, NetworkSubtype.RTCP, d.qual, 6);
      encodeRtcp(out, d.src);
      encodeRtcp(out, d.dst);
      out.u16(d.sdrop);
      out.u16(d.ddrop);
      return;
    case "udt":
      out.dsr(0x30, NetworkSubtype.UDT, d.qual, 44);
      out.u32le(d.state);
      out.u32le(d.status);
      out.putFixed(d.handshake, 28);
      encodeUdtMetrics(out, d.src);
      encodeUdtMetrics(out, d.dst);
      return;
    case "raw": {
      const words = 1 + ((d.body.length + 3) >> 2);
      out.dsr(0x30, d.subtype, d.qual, words);
      out.putFixed(d.body, (words - 1) * 4);
      return;
    }
  }
}
