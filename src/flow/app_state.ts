/**
 * Application-level state (argus ArgusApp.c ArgusUpdateAppState): a new UDP
 * flow's first payload may make it RTP, RTCP or UDT; later packets update
 * that state, then add their application bytes (-A) and user data (-U).
 * @module
 */

import { NetType } from "../decode/encapsulation.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { Cause, FlowQual } from "./flow_status.ts";
import { dsrBit, DsrIndex } from "./dsr_index.ts";
import {
  NET_SUBTYPE_RTP,
  RTP_HEADER,
  rtpCandidate,
  startRtp,
  updateRtpState,
} from "./rtp_state.ts";
import {
  NET_SUBTYPE_UDT,
  startUdt,
  UDT_PORT,
  updateUdtState,
} from "./udt_state.ts";
import { captureUserData } from "./user_data.ts";

const IPPROTO_UDP = 17;
/** Flow DSR subtype of ARP and RARP keys. */
const ARP_SUBTYPE = 0x06;
const NETWORK_BIT = dsrBit(DsrIndex.NETWORK);

/**
 * ArgusUpdateAppState for the packet in `m.ctx` on `flow`, whose state
 * update returned `state`. Packets without payload are ignored. RTP and
 * UDT state move `ctx.up`/`ctx.length` past their headers first, so the
 * application bytes and user data are what follows (argus's order).
 * @param userData bytes of user data to keep per direction (-U), 0 for none
 */
export function updateAppState(
  m: FlowEngine,
  flow: Flow,
  state: number,
  userData: number,
): void {
  const ctx = m.ctx;
  if (ctx.length <= 0) return;
  const net = ctx.netType & 0xffff;
  if (
    !(m.key.qual & FlowQual.FRAGMENT) && flow.proto === IPPROTO_UDP &&
    (net === NetType.IP || net === NetType.IPV6)
  ) {
    if (state === Cause.START) startApp(m, flow, net === NetType.IP);
    else if (flow.dsrs & NETWORK_BIT) {
      // RTCP flows keep their first headers only.
      if (flow.netSubtype === NET_SUBTYPE_RTP) updateRtpState(m, flow);
      else if (flow.netSubtype === NET_SUBTYPE_UDT) updateUdtState(m, flow);
    }
  }
  // The packet's direction is the one its counters were tallied to.
  if (m.thisDir) flow.srcAppBytes += ctx.length;
  else flow.dstAppBytes += ctx.length;
  // argus keeps the -U length in 16 bits.
  const size = m.controlPlane && isControlPlane(m, flow)
    ? MAX_SNAPLEN
    : userData & 0xffff;
  if (size !== 0) captureUserData(m, flow, state, size);
}

/** argus's ARGUS_MAXSNAPLEN: the user data length of -C flows. */
const MAX_SNAPLEN = 65535;
/** OpenFlow's port, the one control protocol argus 3.0.8 knows over IP. */
const OPENFLOW_PORT = 6633;
const IPPROTO_TCP = 6;

/**
 * Whether -C gives this flow all its payload (argus ArgusNewFlow with
 * ArgusControlPlaneProtocol): ARP and RARP flows, and TCP to or from the
 * OpenFlow port.
 */
function isControlPlane(m: FlowEngine, flow: Flow): boolean {
  if ((flow.keySubtype & 0x3f) === ARP_SUBTYPE) return true;
  if (flow.proto !== IPPROTO_TCP) return false;
  const type = flow.keyQual & 0x1f;
  if (type !== FlowQual.IPV4 && type !== FlowQual.IPV6) return false;
  const at = flow.keyOffset * 4 + (type === FlowQual.IPV4 ? 10 : 36);
  const key = m.keys.bytes;
  const sport = key[at]! << 8 | key[at + 1]!;
  const dport = key[at + 2]! << 8 | key[at + 3]!;
  return sport === OPENFLOW_PORT || dport === OPENFLOW_PORT;
}

/** Classifies a new UDP flow from its first payload. */
function startApp(m: FlowEngine, flow: Flow, ipv4: boolean): void {
  const ctx = m.ctx;
  if (!ctx.captured(ctx.up, RTP_HEADER)) return;
  // The ports come from the flow's own key (ArgusIPFlow/ArgusIPv6Flow).
  const at = flow.keyOffset * 4 + (ipv4 ? 10 : 36);
  const key = m.keys.bytes;
  const sport = key[at]! << 8 | key[at + 1]!;
  const dport = key[at + 2]! << 8 | key[at + 3]!;
  if (rtpCandidate(ctx, sport, dport)) startRtp(m, flow);
  else if (sport === UDT_PORT || dport === UDT_PORT) startUdt(m, flow);
}
