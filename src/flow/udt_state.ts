/**
 * UDT on UDP port 9000 (argus ArgusUdt.c ArgusParseUDTHeader and
 * ArgusUpdateUDTState): the first payload decides, later packets record
 * acks, naks and the data sequence; argus fills only the `src` metrics.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { Timeout } from "./flow_status.ts";

/** Network DSR subtype (ARGUS_UDT_FLOW) and its length in words. */
export const NET_SUBTYPE_UDT = 0x0d;
export const UDT_DSR_WORDS = 44;

/** The port argus watches for UDT (ARGUS_UDT_PORT). */
export const UDT_PORT = 9000;

/** UdtObject.status bits. */
export const UdtStatus = {
  PKTS_RETRANS: 0x300,
  PKTS_DROP: 0x30,
  WINDOW_SHUT: 0xc00,
  ECN_CONGESTED: 0xc000,
  FIRSTDROPZERO: 0x01000000,
} as const;

const UDT_HEADER = 16;
const HANDSHAKE = 28;
const NETWORK_BIT = dsrBit(DsrIndex.NETWORK);

/** One direction of ArgusUDTObjectMetrics. */
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

  clear(): void {
    this.lastSec =
      this.lastUsec =
      this.seq =
      this.tstamp =
      this.ack =
        0;
    this.rtt =
      this.variance =
      this.bsize =
      this.rate =
      this.lcap =
        0;
    this.solo =
      this.first =
      this.middle =
      this.last =
        0;
    this.drops = this.retrans = this.nacked = 0;
  }
}

/** ArgusUDTObject; the handshake is the packet's bytes, network order. */
export class UdtObject {
  status = 0;
  readonly hshake: Uint8Array = new Uint8Array(HANDSHAKE);
  readonly src: UdtMetrics = new UdtMetrics();

  clear(): void {
    this.status = 0;
    this.hshake.fill(0);
    this.src.clear();
  }
}

/**
 * ArgusParseUDTHeader on a new flow's first payload, and the UDT DSR when
 * it parses: data packets and most control types do; a handshake only with
 * version 4 (it is then copied); unknown control types do not. Returns
 * whether the flow became UDT.
 */
export function startUdt(m: FlowEngine, flow: Flow): boolean {
  const ctx = m.ctx;
  const up = ctx.up;
  if (!ctx.captured(up, UDT_HEADER)) return false;
  let status = 0;
  let hshake = false;
  const type = ctx.u16(up);
  if (type & 0x8000) {
    // The control type bits argus looks at here are not the ones
    // ArgusUpdateUDTState uses later (type & 0x7fff).
    switch ((type & 0x78) >> 3) {
      case 0: // handshake
        // Another version is flagged BADVERSION, but the flag is lost
        // with the flow's UDT classification.
        if (ctx.u32(up + UDT_HEADER) !== 4) return false;
        hshake = true;
        break;
      case 7: // drop request
        if (ctx.u32(up + UDT_HEADER) === 0) status |= UdtStatus.FIRSTDROPZERO;
        break;
      case 1: // keepalive
      case 2: // ack
      case 3: // nak
      case 5: // shutdown
      case 6: // ack of ack
        break;
      default:
        return false;
    }
  }
  const o = flow.udt ?? (flow.udt = new UdtObject());
  o.clear();
  flow.dsrs |= NETWORK_BIT;
  flow.netSubtype = NET_SUBTYPE_UDT;
  flow.netQual = 0;
  if (hshake) {
    for (let i = 0; i < HANDSHAKE; i++) o.hshake[i] = ctx.u8(up + 16 + i);
  }
  o.status |= status;
  return true;
}

/**
 * ArgusUpdateUDTState: past the UDT header (`ctx.up`/`ctx.length` move to
 * the payload, as argus does), control packets update acks, naks and
 * flags, data packets the sequence and message counters.
 */
export function updateUdtState(m: FlowEngine, flow: Flow): void {
  const ctx = m.ctx;
  const udt = ctx.up;
  const o = flow.udt;
  if (o === null || !ctx.captured(udt, UDT_HEADER)) return;
  ctx.length -= UDT_HEADER;
  ctx.up = udt + UDT_HEADER;
  const length = ctx.length;
  const body = ctx.up;
  const s = o.src;
  if (flow.srcPkts + flow.dstPkts > 2) flow.timeout = Timeout.IP;
  const type = ctx.u16(udt);
  if (type & 0x8000) {
    switch (type & 0x7fff) {
      case 2: { // ack: as many fields as the length holds
        // C's `if (len--)`: any non-zero count, negative included, reads on.
        let n = Math.trunc(length / 4);
        if (n-- === 0) break;
        s.ack = ctx.u32(body);
        if (n-- === 0) break;
        s.rtt = ctx.u32(body + 4);
        if (n-- === 0) break;
        s.variance = ctx.u32(body + 8);
        if (n-- === 0) break;
        s.bsize = ctx.u32(body + 12);
        if (s.bsize === 0) o.status |= UdtStatus.WINDOW_SHUT;
        if (n-- === 0) break;
        s.rate = ctx.u32(body + 16);
        if (n-- === 0) break;
        s.lcap = ctx.u32(body + 20);
        break;
      }
      case 3: { // nak: single losses and ranges, while captured
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
      case 4: // congestion warning
        o.status |= UdtStatus.ECN_CONGESTED;
        break;
      case 7: // drop request
        if (ctx.u32(body) === 0) o.status |= UdtStatus.FIRSTDROPZERO;
        break;
    }
    return;
  }
  const seq = ctx.u32(udt);
  const msg = ctx.u32(udt + 4);
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
    // Unsigned 32-bit sums, as in argus.
    if (seq > ((s.seq + 2) >>> 0)) {
      s.drops = (s.drops + (seq - ((s.seq + 1) >>> 0))) | 0;
      o.status |= UdtStatus.PKTS_DROP;
      s.seq = seq;
      return;
    }
    if (seq !== ((s.seq + 1) >>> 0)) {
      s.retrans++;
      o.status |= UdtStatus.PKTS_RETRANS;
      return;
    }
  }
  const now = m.now;
  s.lastSec = Math.floor(now / 1_000_000);
  s.lastUsec = now - s.lastSec * 1_000_000;
  s.tstamp = ctx.u32(udt + 8);
  s.seq = seq;
}
