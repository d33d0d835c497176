/**
 * ARP state (argus ArgusUpdateArpState): a reply records the responder's
 * hardware address in the network DSR. argus reads the ARP header right
 * after the Ethernet header, whatever lies between.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";

/** Network DSR subtype of an answered ARP flow. */
export const NET_SUBTYPE_ARP = 0x10;

const ETHER_ARP_LEN = 28;

/** Updates an ARP/RARP flow with the packet in the engine's context. */
export function updateArpState(m: FlowEngine, flow: Flow): void {
  const ctx = m.ctx;
  if (!ctx.hasEther) return;
  const arp = ctx.etherEnd;
  if (!ctx.captured(arp, ETHER_ARP_LEN)) return;
  ctx.length -= ETHER_ARP_LEN;
  // argus's snap length still counts from the real ARP header (after any
  // VLAN tag): it bounds the -U/-C bytes taken from its misplaced pointer.
  ctx.snapDeficit += ctx.up - arp;
  ctx.up = arp + ETHER_ARP_LEN;
  if (ctx.u16(arp + 6) === 2) {
    flow.netSubtype = NET_SUBTYPE_ARP;
    flow.netQual = 0;
    flow.dsrs |= dsrBit(DsrIndex.NETWORK);
    const resp = flow.arpResponder ?? (flow.arpResponder = new Uint8Array(6));
    for (let i = 0; i < 6; i++) resp[i] = ctx.u8(arp + 8 + i);
  }
}
