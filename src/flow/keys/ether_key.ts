/**
 * Flow keys for frames argus does not decode above the link layer (the
 * layer-2 branch of ArgusCreateFlow): MAC addresses with the lower one as
 * source, the ethertype, and the LLC SAPs for 802.3 frames.
 * @module
 */

import { Encaps, NetType } from "../../decode/encapsulation.ts";
import type { PacketContext } from "../../decode/packet_context.ts";
import { FlowQual, FlowSubtype } from "../flow_status.ts";
import type { FlowKey } from "../flow_key.ts";

/** Builds an ether flow key from the Ethernet header; false without one. */
export function buildEtherKey(ctx: PacketContext, key: FlowKey): boolean {
  if (!ctx.hasEther) return false;
  key.reset();
  key.subtype = FlowSubtype.CLASSIC5TUPLE;
  key.qual = FlowQual.ETHER;
  key.size = 4;
  const e = ctx.etherBytes();
  // dst (bytes 0..5) >= src (6..11) keeps the frame's order.
  let reverse = false;
  for (let i = 0; i < 6; i++) {
    const s = e[6 + i]!, d = e[i]!;
    if (s !== d) {
      reverse = s > d;
      break;
    }
  }
  const b = key.bytes;
  const first = reverse ? 6 : 0, second = reverse ? 0 : 6;
  for (let i = 0; i < 6; i++) {
    b[i] = e[first + i]!;
    b[6 + i] = e[second + i]!;
  }
  key.reversed = reverse;
  if (ctx.encaps & Encaps.LLC) {
    // 802.3 frames are keyed by SAPs; the network type is dropped unless
    // it names an ISO protocol.
    const t = ctx.netType & 0xffff;
    if (t !== NetType.CLNS && t !== NetType.ESIS && t !== NetType.NULLNS) {
      ctx.netType = ctx.netType & ~0xffff;
    }
    b[14] = reverse ? ctx.llcSsap : ctx.llcDsap;
    b[15] = reverse ? ctx.llcDsap : ctx.llcSsap;
  } else {
    b[12] = e[12]!;
    b[13] = e[13]!;
  }
  return true;
}
