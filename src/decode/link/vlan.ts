/**
 * IEEE 802.1Q tags (argus's ETHERTYPE_8021Q case): the tag is remembered
 * for the VLAN DSR (it is not part of the flow key) and the encapsulated
 * type, or an 802.3 length with LLC, comes next. QinQ (0x88a8) is not
 * decoded, as in argus.
 * @module
 */

import { Encaps, ETHERMTU, NetType } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";
import { decodeLlc, LLC_END } from "./llc.ts";

/** Decodes the 4-byte tag at `ctx.up`; returns the next layer type. */
export function decodeVlan(ctx: PacketContext): number {
  const p = ctx.up;
  ctx.netType = NetType.VLAN_8021Q;
  if (!ctx.captured(p, 4)) return 0;
  ctx.vlanTag = ctx.u16(p);
  ctx.encaps |= Encaps.VLAN_8021Q;
  const type = ctx.u16(p + 2);
  ctx.up = p + 4;
  ctx.length -= 4;
  if (type <= ETHERMTU) {
    const next = decodeLlc(ctx, ctx.up, false);
    return next === LLC_END ? 0 : next;
  }
  return type;
}
