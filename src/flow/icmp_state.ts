/**
 * ICMP and ICMPv6 state (argus ArgusIcmp.c): the network DSR with type,
 * code and addresses, a new record per echo request, and the mapping of an
 * ICMP error onto the flow it reports about (argus adds an ICMP DSR to that
 * flow and stretches its time without counting a packet).
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import { IcmpObject } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { FlowKey } from "./flow_key.ts";
import { Cause, FlowQual } from "./flow_status.ts";
import { createFlowKey } from "./keys/create_flow_key.ts";
import { icmpInfoType } from "./keys/ipv4_key.ts";

/** Network DSR subtype of ICMP flows (ARGUS_ICMP_DSR). */
export const NET_SUBTYPE_ICMP = 0x34;

const ECHO = 8;
const IREQ = 15;
const TSTAMP = 13;
const MASKREQ = 17;
const MASKREPLY = 18;
const UNREACH = 3;
const REDIRECT = 5;
const TIMXCEED = 11;

/** Mapped-ICMP DSR qualifiers by ICMP error type. */
const MAPPED_QUAL: Record<number, number> = {
  [UNREACH]: 0x01,
  [REDIRECT]: 0x02,
  [TIMXCEED]: 0x04,
};

const innerKey = new FlowKey();
const TIME_ABSOLUTE_TIMESTAMP = 0x01;
const TIME_ABSOLUTE_RANGE = 0x02;

/** Updates an IPv4 ICMP flow; returns the (possibly restarted) state. */
export function updateIcmpState(
  m: FlowEngine,
  flow: Flow,
  state: number,
): number {
  const ctx = m.ctx;
  const icmp = ctx.up;
  // argus requires a whole `struct icmp` (28 bytes) here.
  if (!ctx.captured(icmp, 28)) return state;
  const type = ctx.u8(icmp);
  const obj = flow.icmp ?? (flow.icmp = new IcmpObject());
  if (state === Cause.START) {
    flow.netSubtype = NET_SUBTYPE_ICMP;
    flow.netQual = 0;
    flow.dsrs |= dsrBit(DsrIndex.NETWORK);
    Object.assign(obj, new IcmpObject());
    obj.type = type;
    obj.code = ctx.u8(icmp + 1);
    obj.iseq = ctx.u16(icmp + 6);
    obj.osrcaddr = ctx.u32(ctx.ip + 12);
    obj.odstaddr = ctx.u32(ctx.ip + 16);
    if (icmpInfoType(type)) {
      if (type === MASKREPLY) obj.isrcaddr = ctx.u32(icmp + 8);
    } else if (ctx.captured(icmp + 8, 20)) {
      obj.isrcaddr = ctx.u32(icmp + 8 + 12);
      obj.idstaddr = ctx.u32(icmp + 8 + 16);
      obj.igwaddr = ctx.u32(icmp + 4);
    }
  } else if (icmpInfoType(type)) {
    if (flow.srcPkts === 0 && flow.dstPkts === 0) obj.type = type;
    switch (type) {
      case ECHO:
      case IREQ:
      case TSTAMP:
      case MASKREQ:
        state = Cause.START;
        obj.type = type;
        break;
      case 0:
      case 16:
      case 14:
      case MASKREPLY:
        m.inProtocol = true;
        break;
    }
  }

  if (!icmpInfoType(type)) mapOntoFlow(m, type, obj, icmp + 8);
  return state;
}

/** Gives the flow an ICMP error is about an ICMP DSR and this time. */
function mapOntoFlow(
  m: FlowEngine,
  type: number,
  obj: IcmpObject,
  oip: number,
): void {
  const ctx = m.ctx;
  if (!ctx.captured(oip, 20)) return;
  // argus rebuilds its packet key from the quoted header: the current
  // packet's header pointers move to it, and a quoted fragment makes the
  // current packet count as one (no counters are tallied).
  ctx.ip = oip;
  ctx.up = oip;
  // argus never takes the ICMP header off its remaining snap length, so
  // -U data of the error may run 8 bytes further (seen in cooked captures).
  ctx.snapDeficit -= 8;
  if (!createFlowKey(ctx, innerKey)) return;
  if (innerKey.qual & FlowQual.FRAGMENT) m.key.qual |= FlowQual.FRAGMENT;
  const target = m.findFlow(innerKey);
  if (target === undefined) return;
  const opt = m.optionalDsrs(target);
  const mapped = opt.mappedIcmp ?? (opt.mappedIcmp = new IcmpObject());
  mapped.copyFrom(obj);
  opt.mappedIcmpQual = MAPPED_QUAL[type] ?? 0;
  target.dsrs |= dsrBit(DsrIndex.ICMP);
  // argus edits the flow's time DSR header directly here.
  if (target.srcStart === 0) {
    target.timeSubtype = TIME_ABSOLUTE_TIMESTAMP;
    target.timeLen = 3;
    target.srcStart = m.now;
  } else {
    if (target.timeLen !== 5) {
      target.timeSubtype = TIME_ABSOLUTE_RANGE;
      target.timeLen = 5;
    }
    target.srcEnd = m.now;
  }
}

/** Updates an ICMPv6 flow (argus ArgusUpdateICMPv6State). */
export function updateIcmpv6State(
  m: FlowEngine,
  flow: Flow,
  state: number,
): number {
  const ctx = m.ctx;
  const icmp = ctx.up;
  if (!ctx.captured(icmp, 8)) return state;
  const type = ctx.u8(icmp);
  const obj = flow.icmp ?? (flow.icmp = new IcmpObject());
  if (state === Cause.START) {
    flow.netSubtype = NET_SUBTYPE_ICMP;
    flow.netQual = 0;
    flow.dsrs |= dsrBit(DsrIndex.NETWORK);
    Object.assign(obj, new IcmpObject());
    obj.type = type;
    obj.code = ctx.u8(icmp + 1);
    obj.cksum = ctx.u16(icmp + 2);
  } else if (type & 0x80) {
    if (flow.srcPkts === 0 && flow.dstPkts === 0) obj.type = type;
  }
  return state;
}
