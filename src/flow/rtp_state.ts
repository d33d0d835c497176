/**
 * RTP and RTCP over UDP (argus ArgusApp.c ArgusParseRTCPBuffer and
 * ArgusUpdateRTPState): which first payloads make an RTCP or RTP flow, and
 * an RTP flow's sequence drops, reordering and silence, in host order.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import type { PacketContext } from "../decode/packet_context.ts";

/** Network DSR subtypes (ARGUS_RTCP_FLOW, ARGUS_RTP_FLOW). */
export const NET_SUBTYPE_RTCP = 0x09;
export const NET_SUBTYPE_RTP = 0x0a;

/** Network DSR lengths in words, header included. */
export const RTP_DSR_WORDS = 10;
export const RTCP_DSR_WORDS = 6;

/** Network DSR qualifier bits: a direction carried silence. */
export const RTP_SRC_SILENCE = 0x01;
export const RTP_DST_SILENCE = 0x02;
/** RtpObject.state bits: a late packet made up for a counted drop. */
export const RTP_SRC_OUTOFORDER = 0x10000;
export const RTP_DST_OUTOFORDER = 0x20000;

/** Ports below this are "well known" and never taken for RTP. */
const WELLKNOWN_PORT = 1024;
/** AFS uses RTP-looking payloads on these ports. */
const AFS_PORT_MIN = 7000;
const AFS_PORT_MAX = 7010;

/** Bytes of a fixed RTP header, and of an RTCP header (struct rtcphdr). */
export const RTP_HEADER = 12;
const RTCP_HEADER = 8;
const RTCP_PT_SR = 200;
const RTCP_PT_RR = 201;

const NETWORK_BIT = dsrBit(DsrIndex.NETWORK);

/** One direction's last RTP header, fields in host order (struct rtphdr). */
export class RtpHeader {
  /** Version, padding, extension, CSRC count byte, as on the wire. */
  b0 = 0;
  /** Marker and payload type byte, as on the wire. */
  b1 = 0;
  seq = 0;
  time = 0;
  ssrc = 0;

  clear(): void {
    this.b0 =
      this.b1 =
      this.seq =
      this.time =
      this.ssrc =
        0;
  }
}

/** ArgusRTPObject. */
export class RtpObject {
  state = 0;
  readonly src: RtpHeader = new RtpHeader();
  readonly dst: RtpHeader = new RtpHeader();
  /** Packets missing from each direction's sequence (16-bit, wrapping). */
  sdrop = 0;
  ddrop = 0;

  clear(): void {
    this.state = this.sdrop = this.ddrop = 0;
    this.src.clear();
    this.dst.clear();
  }
}

/** ArgusRTCPObject: the first RTCP header of each direction, raw bytes. */
export class RtcpObject {
  readonly src: Uint8Array = new Uint8Array(RTCP_HEADER);
  readonly dst: Uint8Array = new Uint8Array(RTCP_HEADER);
}

/**
 * Whether the payload at `ctx.up` can start an RTP or RTCP flow: version 2,
 * neither port well known nor in AFS's range. The caller has checked that
 * a whole RTP header was captured.
 */
export function rtpCandidate(
  ctx: PacketContext,
  sport: number,
  dport: number,
): boolean {
  return ctx.u8(ctx.up) >> 6 === 2 &&
    sport >= WELLKNOWN_PORT && dport >= WELLKNOWN_PORT &&
    !(sport >= AFS_PORT_MIN && sport <= AFS_PORT_MAX) &&
    !(dport >= AFS_PORT_MIN && dport <= AFS_PORT_MAX);
}

/** Makes a new flow's network DSR RTCP or RTP from its first payload. */
export function startRtp(m: FlowEngine, flow: Flow): void {
  const ctx = m.ctx;
  flow.dsrs |= NETWORK_BIT;
  flow.netQual = 0;
  if (rtcpReports(ctx) > 0) {
    const o = flow.rtcp ?? (flow.rtcp = new RtcpObject());
    o.src.fill(0);
    o.dst.fill(0);
    flow.netSubtype = NET_SUBTYPE_RTCP;
    const side = m.thisDir ? o.src : o.dst;
    for (let i = 0; i < RTCP_HEADER; i++) side[i] = ctx.u8(ctx.up + i);
    return;
  }
  // argus also asks for a payload type below 128, which 7 bits always are.
  const o = flow.rtp ?? (flow.rtp = new RtpObject());
  o.clear();
  flow.netSubtype = NET_SUBTYPE_RTP;
  readRtpHeader(ctx, m.thisDir ? o.src : o.dst);
}

/**
 * Counts the sender and receiver reports in an RTCP compound packet
 * (ArgusParseRTCPBuffer): headers are walked by their length field while
 * a whole header is captured; a length of zero ends the walk.
 */
export function rtcpReports(ctx: PacketContext): number {
  let p = ctx.up;
  let reports = 0;
  while (ctx.captured(p, RTCP_HEADER)) {
    const len = (ctx.u16(p + 2) << 2) + 4;
    if (ctx.u8(p) >> 6 === 2) {
      const pt = ctx.u8(p + 1);
      if (pt === RTCP_PT_SR || pt === RTCP_PT_RR) reports++;
    }
    if (len <= 4) break;
    p += len;
  }
  return reports;
}

function readRtpHeader(ctx: PacketContext, h: RtpHeader): void {
  const up = ctx.up;
  h.b0 = ctx.u8(up);
  h.b1 = ctx.u8(up + 1);
  h.seq = ctx.u16(up + 2);
  h.time = ctx.u32(up + 4);
  h.ssrc = ctx.u32(up + 8);
}

/**
 * ArgusUpdateRTPState for an RTP flow: sequence gaps count as drops, a late
 * packet takes one back, a new SSRC (or an implausible extension) ends the
 * flow's RTP DSR for good. Past the header it moves `ctx.up`/`ctx.length`
 * to the media payload, as argus does, so application bytes and user data
 * count the payload only. Reads past the capture give 0 where argus reads
 * stale buffer bytes (it checks no capture length here).
 */
export function updateRtpState(m: FlowEngine, flow: Flow): void {
  const ctx = m.ctx, up = ctx.up;
  const o = flow.rtp;
  if (o === null) return;
  const last = m.thisDir ? o.src : o.dst;
  const b0 = ctx.u8(up);
  if (b0 >> 6 !== 2) return;
  if (last.seq === 0) {
    readRtpHeader(ctx, last);
    return;
  }
  const b1 = ctx.u8(up + 1);
  const seq = ctx.u16(up + 2);
  const ssrc = ctx.u32(up + 8);
  const extension = (b0 & 0x10) !== 0;
  let stillRtp = ssrc !== 0 && last.ssrc === ssrc;
  if (stillRtp && extension) {
    // argus reads the extension length in host order, unswapped, at the
    // fixed header's end (before any CSRCs).
    const xlen = ctx.u8(up + RTP_HEADER + 2) | ctx.u8(up + RTP_HEADER + 3) << 8;
    if (xlen > ctx.length || xlen < ctx.length - 4) stillRtp = false;
  }
  if (!stillRtp) {
    // argus drops the DSR; the next packet starts an empty one.
    flow.dsrs &= ~NETWORK_BIT;
    flow.netSubtype = 0;
    return;
  }
  if (last.seq !== seq - 1) {
    if (seq < last.seq) {
      if (m.thisDir) {
        if (o.sdrop > 0) {
          o.sdrop--;
          o.state |= RTP_SRC_OUTOFORDER;
        }
      } else if (o.ddrop > 0) {
        o.ddrop--;
        o.state |= RTP_DST_OUTOFORDER;
      }
    } else if (seq > last.seq) {
      const lost = seq - (last.seq + 1);
      if (m.thisDir) o.sdrop = (o.sdrop + lost) & 0xffff;
      else o.ddrop = (o.ddrop + lost) & 0xffff;
    }
  }
  readRtpHeader(ctx, last);

  const csrc = (b0 & 0x0f) << 2;
  if (csrc >= ctx.length) return;
  ctx.up = up + RTP_HEADER + csrc;
  ctx.length -= RTP_HEADER + csrc;
  if (extension && ctx.captured(ctx.up, 4)) {
    // argus takes the extension's length in words for bytes.
    const skip = 4 + ctx.u16(ctx.up + 2);
    ctx.length -= skip;
    ctx.up += skip;
  }
  const length = ctx.length;
  let silent = false;
  switch (b1 & 0x7f) {
    case 0: // PCMU
    case 8: // PCMA
    case 9: // G722
    case 15: // G728
    case 18: // G729
      silent = length === 0 || length % 10 !== 0;
      break;
    case 4: // G723
      silent = length === 0 || length === 4;
      break;
    default:
      return;
  }
  // A silent or marked voice packet is idle time for -J.
  if (silent || b1 & 0x80) m.inProtocol = false;
  if (silent) flow.netQual |= m.thisDir ? RTP_SRC_SILENCE : RTP_DST_SILENCE;
}
