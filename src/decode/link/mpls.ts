/**
 * MPLS label stacks (argus's ETHERTYPE_MPLS case): the first label is kept
 * for the MPLS DSR; after the bottom of stack the payload type is guessed
 * from its first bytes, as argus does (ArgusDiscoverNetworkProtocol).
 * @module
 */

import { Encaps, NetType } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";

/** Decodes the label stack at `ctx.up`; returns the guessed payload type. */
export function decodeMpls(ctx: PacketContext, type: number): number {
  ctx.netType = type;
  let next = 0;
  for (;;) {
    const p = ctx.up;
    if (!ctx.captured(p, 4)) return 0;
    const entry = ctx.u32(p);
    if (ctx.mplsLabelCount === 0) {
      ctx.mplsLabel = entry;
      ctx.mplsLabelCount = 1;
    }
    ctx.up = p + 4;
    ctx.length -= 4;
    ctx.encaps |= Encaps.MPLS;
    next = guessPayload(ctx, ctx.up);
    if ((entry >>> 8) & 1) return next;
  }
}

function guessPayload(ctx: PacketContext, p: number): number {
  const b0 = ctx.u8(p);
  if ((b0 >> 4) === 4 && (b0 & 0x0f) >= 5 && ctx.u16(p + 2) >= 20) {
    return NetType.IP;
  }
  if ((b0 & 0xf0) === 0x60 && ctx.u16(p + 4) <= 2048) return NetType.IPV6;
  const t = ctx.u16(p + 2);
  if (t === NetType.IP || t === NetType.IPV6) return NetType.VLAN_8021Q;
  return NetType.ETHER_HDR;
}
