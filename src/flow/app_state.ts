/**
 * Application-level recognition of UDP flows (argus ArgusApp.c and
 * ArgusUdt.c): the first payload of a flow decides whether it is RTP, RTCP
 * or UDT, and later packets keep the matching network DSR up to date (RTP
 * sequence drops and silence, UDT acks, drops and retransmissions).
 *
 * argus keeps these objects in host order and copies them into the record
 * word for word, so the encoder writes them little-endian, and the raw
 * header bytes it copies from the packet stay in network order.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { Cause, FlowQual, Timeout } from "./flow_status.ts";

/** Network DSR subtypes of recognised UDP applications. */
export const NET_SUBTYPE_RTCP = 0x09;
export const NET_SUBTYPE_RTP = 0x0a;
export const NET_SUBTYPE_UDT = 0x0d;

/** Ports below this are "well known" and never taken for RTP. */
const WELLKNOWN_PORT = 1024;
const AFS_PORT_MIN = 7000;
const AFS_PORT_MAX = 7010;
const UDT_PORT = 9000;

const RTP_HEADER = 12;
const RTCP_HEADER = 8;
const UDT_HEADER = 16;
const RTCP_PT_SR = 200;
const RTCP_PT_RR = 201;

const RTP_SRC_SILENCE = 0x01;
const RTP_DST_SILENCE = 0x02;
const SRC_OUTOFORDER = 0x10000;
const DST_OUTOFORDER = 0x20000;

const PKTS_RETRANS = 0x300;
const PKTS_DROP = 0x30;
const WINDOW_SHUT = 0xc00;
const ECN_CONGESTED = 0xc000;
const UDT_BADVERSION = 0x00100000;
const UDT_FIRSTDROPZERO = 0x01000000;

/** One direction's last RTP header, fields in host order (struct rtphdr). */
export class RtpHeader {
  /** Version, padding, extension, CSRC count byte. */
  b0 = 0;
  /** Marker and payload type byte. */
  b1 = 0;
  seq = 0;
  time = 0;
  ssrc = 0;
}

/** ArgusRTPObject. */
export class RtpObject {
  state = 0;
  readonly src: RtpHeader = new RtpHeader();
  readonly dst: RtpHeader = new RtpHeader();
  sdrop = 0;
  ddrop = 0;
}

/** ArgusRTCPObject: the first RTCP header of each direction, raw bytes. */
export class RtcpObject {
  readonly src: Uint8Array = new Uint8Array(RTCP_HEADER);
  readonly dst: Uint8Array = new Uint8Array(RTCP_HEADER);
}

/** One direction of ArgusUDTObjectMetrics (argus only ever fills `src`). */
export class UdtMetrics {
  lastSec = 0;
  lastUsec = 0;
  seq = 0;
  tstamp = 0;
  ack = 0;
  rtt = 0;
  variance = 0;
  bsize = 0;
  rate = 0;
  lcap = 0;
  solo = 0;
  first = 0;
  middle = 0;
  last = 0;
  drops = 0;
  retrans = 0;
  nacked = 0;
}

/** ArgusUDTObject; the handshake is the packet's bytes, network order. */
export class UdtObject {
  status = 0;
  readonly hshake: Uint8Array = new Uint8Array(28);
  readonly src: UdtMetrics = new UdtMetrics();
}

/** Network DSR lengths in words, header included. */
export const RTP_DSR_WORDS = 10;
export const RTCP_DSR_WORDS = 6;
export const UDT_DSR_WORDS = 44;

/** ArgusUpdateAppState for the protocols argus recognises by default. */
export function updateAppState(m: FlowEngine, flow: Flow, state: number): void {
  const ctx = m.ctx;
  if (ctx.length <= 0) return;
  if (flow.keyQual & FlowQual.FRAGMENT) return;
  if (flow.proto !== 17) return;
  const type = flow.keyQual & 0x1f;
  if (type !== FlowQual.IPV4 && type !== FlowQual.IPV6) return;
  if (state === Cause.START) {
    const at = type === FlowQual.IPV4 ? 10 : 36;
    const key = m.key.bytes;
    const sport = (key[at]! << 8) | key[at + 1]!;
    const dport = (key[at + 2]! << 8) | key[at + 3]!;
    startApp(m, flow, sport, dport);
    return;
  }
  if (!(flow.dsrs & NETWORK_BIT)) return;
  switch (flow.netSubtype) {
    case NET_SUBTYPE_RTP:
      updateRtp(m, flow);
      break;
    case NET_SUBTYPE_UDT:
      updateUdt(m, flow);
      break;
  }
}

const NETWORK_BIT = dsrBit(DsrIndex.NETWORK);

/** Classifies a new UDP flow from its first payload. */
function startApp(m: FlowEngine, flow: Flow, sport: number, dport: number) {
  const ctx = m.ctx;
  const up = ctx.up;
  if (!ctx.captured(up, RTP_HEADER)) return;
  const b0 = ctx.u8(up);
  if (
    b0 >> 6 === 2 && sport >= WELLKNOWN_PORT && dport >= WELLKNOWN_PORT &&
    !(sport >= AFS_PORT_MIN && sport <= AFS_PORT_MAX) &&
    !(dport >= AFS_PORT_MIN && dport <= AFS_PORT_MAX)
  ) {
    flow.dsrs |= NETWORK_BIT;
    flow.netQual = 0;
    if (rtcpReports(m)) {
      const o = flow.rtcp ?? (flow.rtcp = new RtcpObject());
      flow.netSubtype = NET_SUBTYPE_RTCP;
      flow.netLen = RTCP_DSR_WORDS;
      const side = m.thisDir ? o.src : o.dst;
      side.set(ctx.data.subarray(up, up + RTCP_HEADER));
    } else {
      // A 7-bit payload type is always below 128: the rest is RTP.
      const o = flow.rtp ?? (flow.rtp = new RtpObject());
      flow.netSubtype = NET_SUBTYPE_RTP;
      flow.netLen = RTP_DSR_WORDS;
      readRtp(m, m.thisDir ? o.src : o.dst);
    }
    return;
  }
  if (sport !== UDT_PORT && dport !== UDT_PORT) return;
  if (!ctx.captured(up, UDT_HEADER)) return;
  let status = 0;
  let hshake = -1;
  let recognised = false;
  if (ctx.u16(up) & 0x8000) {
    switch ((ctx.u16(up) & 0x78) >> 3) {
      case 0: // handshake
        if (ctx.u32(up + UDT_HEADER) === 4) {
          hshake = up + UDT_HEADER;
          recognised = true;
        } else status |= UDT_BADVERSION;
        break;
      case 7: // drop request
        if (ctx.u32(up + UDT_HEADER) === 0) status |= UDT_FIRSTDROPZERO;
        recognised = true;
        break;
      case 1:
      case 2:
      case 3:
      case 5:
      case 6:
        recognised = true;
        break;
    }
  } else recognised = true;
  if (!recognised) return;
  const o = flow.udt ?? (flow.udt = new UdtObject());
  flow.dsrs |= NETWORK_BIT;
  flow.netSubtype = NET_SUBTYPE_UDT;
  flow.netQual = 0;
  flow.netLen = UDT_DSR_WORDS;
  if (hshake >= 0) {
    for (let i = 0; i < 28; i++) o.hshake[i] = ctx.u8(hshake + i);
  }
  o.status |= status;
}

/** Whether the payload is an RTCP compound with a sender or receiver report. */
function rtcpReports(m: FlowEngine): boolean {
  const ctx = m.ctx;
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
  return reports > 0;
}

function readRtp(m: FlowEngine, h: RtpHeader): void {
  const ctx = m.ctx, up = ctx.up;
  h.b0 = ctx.u8(up);
  h.b1 = ctx.u8(up + 1);
  h.seq = ctx.u16(up + 2);
  h.time = ctx.u32(up + 4);
  h.ssrc = ctx.u32(up + 8);
}

/** ArgusUpdateRTPState: drops, reordering and silence of a known RTP flow. */
function updateRtp(m: FlowEngine, flow: Flow): void {
  const ctx = m.ctx, up = ctx.up;
  const o = flow.rtp!;
  const last = m.thisDir ? o.src : o.dst;
  const b0 = ctx.u8(up), b1 = ctx.u8(up + 1);
  const seq = ctx.u16(up + 2);
  const ssrc = ctx.u32(up + 8);
  const version = b0 >> 6;
  if (last.seq === 0) {
    if (version === 2) readRtp(m, last);
    return;
  }
  if (version !== 2) return;
  const extension = (b0 & 0x10) !== 0;
  let stillRtp = ssrc !== 0 && last.ssrc === ssrc;
  if (stillRtp && extension) {
    // argus reads the extension length without byte-swapping it.
    const p = up + RTP_HEADER;
    const xlen = ctx.u8(p + 2) | (ctx.u8(p + 3) << 8);
    if (xlen > ctx.length || xlen < ctx.length - 4) stillRtp = false;
  }
  if (!stillRtp) {
    // The flow stops being RTP; argus drops the DSR for good.
    flow.dsrs &= ~NETWORK_BIT;
    flow.netSubtype = 0;
    return;
  }
  if (last.seq !== seq - 1) {
    if (seq < last.seq) {
      if (m.thisDir) {
        if (o.sdrop > 0) {
          o.sdrop--;
          o.state |= SRC_OUTOFORDER;
        }
      } else if (o.ddrop > 0) {
        o.ddrop--;
        o.state |= DST_OUTOFORDER;
      }
    } else if (seq > last.seq) {
      const lost = seq - (last.seq + 1);
      if (m.thisDir) o.sdrop = (o.sdrop + lost) & 0xffff;
      else o.ddrop = (o.ddrop + lost) & 0xffff;
    }
  }
  readRtp(m, last);
  const csrc = Math.min(b0 & 0x0f, 15) << 2;
  if (csrc >= ctx.length) return;
  let length = ctx.length - (RTP_HEADER + csrc);
  if (extension) {
    const ext = up + RTP_HEADER + csrc;
    if (ctx.captured(ext, 4)) length -= 4 + ctx.u16(ext + 2);
  }
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
  }
  if (silent) flow.netQual |= m.thisDir ? RTP_SRC_SILENCE : RTP_DST_SILENCE;
}

/** ArgusUpdateUDTState: acks, naks and data sequence of a UDT flow. */
function updateUdt(m: FlowEngine, flow: Flow): void {
  const ctx = m.ctx;
  const udt = ctx.up;
  if (!ctx.captured(udt, UDT_HEADER)) return;
  const o = flow.udt!;
  const s = o.src;
  const length = ctx.length - UDT_HEADER;
  const body = udt + UDT_HEADER;
  if (flow.srcPkts + flow.dstPkts > 2) flow.timeout = Timeout.IP;
  const type = ctx.u16(udt);
  if (type & 0x8000) {
    switch (type & 0x7fff) {
      case 2: { // ack: as many fields as the packet holds
        let n = Math.trunc(length / 4);
        if (n-- === 0) break;
        s.ack = ctx.u32(body);
        if (n-- === 0) break;
        s.rtt = ctx.u32(body + 4);
        if (n-- === 0) break;
        s.variance = ctx.u32(body + 8);
        if (n-- === 0) break;
        s.bsize = ctx.u32(body + 12);
        if (s.bsize === 0) o.status |= WINDOW_SHUT;
        if (n-- === 0) break;
        s.rate = ctx.u32(body + 16);
        if (n-- === 0) break;
        s.lcap = ctx.u32(body + 20);
        break;
      }
      case 3: { // nak: single losses and ranges
        const n = Math.trunc(length / 4);
        let lost = 0, start = 0, range = false;
        for (let i = 0; i < n; i++) {
          const p = body + i * 4;
          if (!ctx.captured(p, 4)) break;
          const v = ctx.u32(p);
          if (v & 0x80000000) {
            start = v & 0x7fffffff;
            range = true;
          } else if (range) {
            lost += v - start + 1;
            range = false;
          } else lost++;
        }
        if (lost) s.nacked = (s.nacked + lost) | 0;
        break;
      }
      case 4:
        o.status |= ECN_CONGESTED;
        break;
      case 7:
        if (ctx.u32(body) === 0) o.status |= UDT_FIRSTDROPZERO;
        break;
    }
    return;
  }
  const seq = ctx.u32(udt);
  const msg = ctx.u32(udt + 4);
  const tstamp = ctx.u32(udt + 8);
  switch (msg >>> 30) {
    case 3:
      s.solo++;
      break;
    case 2:
      s.first++;
      break;
    case 0:
      s.middle++;
      break;
    case 1:
      s.last++;
      break;
  }
  if (s.seq > 0) {
    // Unsigned 32-bit arithmetic, as in argus.
    if (seq > ((s.seq + 2) >>> 0)) {
      s.drops = (s.drops + (seq - ((s.seq + 1) >>> 0))) | 0;
      o.status |= PKTS_DROP;
      s.seq = seq;
      return;
    }
    if (seq !== ((s.seq + 1) >>> 0)) {
      s.retrans++;
      o.status |= PKTS_RETRANS;
      return;
    }
  }
  s.lastSec = Math.floor(m.now / 1e6);
  s.lastUsec = m.now % 1e6;
  s.tstamp = tstamp;
  s.seq = seq;
}
