/**
 * The layer walk from a link header down to the network header (argus
 * ArgusProcessPacketHdrs): each step decodes one header at `ctx.up` and
 * names the next, until IP, ARP or an unknown type ends it.
 * @module
 */

import { NetType } from "./encapsulation.ts";
import { decodeEthernet, loadEtherHeader } from "./link/ethernet.ts";
import { decodeMpls } from "./link/mpls.ts";
import { decodePpp, decodePppoe } from "./link/ppp.ts";
import { decodeVlan } from "./link/vlan.ts";
import { decodeGre } from "./net/gre.ts";
import type { PacketContext } from "./packet_context.ts";

const IPPROTO_GRE = 47;

/**
 * Walks headers starting with `type` at `ctx.up` until the walk ends. Link
 * drivers decode the outermost link header and pass the type it names.
 */
export function walkHeaders(ctx: PacketContext, type: number): void {
  // A hostile packet cannot loop: every step consumes header bytes, and
  // the step count is capped anyway.
  for (let steps = 0; type > 0 && steps < 64; steps++) {
    type = walkOne(ctx, type);
  }
}

function walkOne(ctx: PacketContext, type: number): number {
  switch (type) {
    case NetType.TRANS_BRIDGE:
    case NetType.ETHER_HDR:
      // An inner Ethernet frame (GRE 0x6558, an MPLS pseudowire) replaces
      // the outer header; link drivers decode the outermost one themselves.
      ctx.netType = NetType.ETHER_HDR;
      if (!loadEtherHeader(ctx, ctx.up)) return 0;
      return decodeEthernet(ctx);
    case NetType.PPP:
      return decodePpp(ctx);
    case NetType.PPPOE_DISC:
    case NetType.PPPOE_SESS:
      return decodePppoe(ctx, type);
    case NetType.VLAN_8021Q:
      return decodeVlan(ctx);
    case NetType.MPLS:
    case NetType.MPLS_MULTI:
      return decodeMpls(ctx, type);
    case NetType.IP:
      return walkIp(ctx);
    case NetType.IPV6:
      ctx.ip = ctx.up;
      ctx.netType = NetType.IPV6;
      return 0;
    case NetType.ARP:
    case NetType.REVARP:
      ctx.netType = type;
      return 0;
    default:
      return -1;
  }
}

function walkIp(ctx: PacketContext): number {
  const p = ctx.up;
  if (!ctx.captured(p, 20) || ctx.u16(p + 2) < 20) return 0;
  const version = ctx.u8(p) >> 4;
  if (version === 4) ctx.netType = NetType.IP;
  else if (version === 6) ctx.netType = NetType.IPV6;
  ctx.ip = p;
  if (ctx.u8(p + 9) === IPPROTO_GRE) {
    return decodeGre(ctx, p, (ctx.u8(p) & 0x0f) << 2);
  }
  return 0;
}
