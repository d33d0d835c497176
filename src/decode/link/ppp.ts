/**
 * PPP and PPPoE session headers (argus ArgusProcessPPPHdr /
 * ArgusProcessPPPoEHdr): address/control and protocol-field compression,
 * IPv4 and IPv6 payloads walked further, everything else (LCP, discovery)
 * left as an ether flow of the PPP/PPPoE type.
 * @module
 */

import { Encaps, NetType } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";

const PPP_IP = 0x21;
const PPP_IPV6 = 0x57;
const PPPOE_HEADER_LEN = 6;

/** Whether a 16-bit word is PPP address/control (or a direction prefix). */
function isAddressControl(word: number): boolean {
  // 0x0003 / 0x0103: DLT_PPP_WITHDIRECTION; 0xff03: address and control.
  return word === 0x0003 || word === 0x0103 || word === 0xff03;
}

/** Length of a PPP protocol field: 1 when compressed (odd first byte). */
function protocolLen(ctx: PacketContext, p: number): number {
  return ctx.u8(p) % 2 ? 1 : 2;
}

function protocolAt(ctx: PacketContext, p: number): number {
  return ctx.u8(p) % 2 ? ctx.u8(p) : ctx.u16(p);
}

function payloadType(ctx: PacketContext, proto: number): number {
  if (proto === PPP_IP) {
    ctx.netType = NetType.PPP_IP;
    return NetType.IP;
  }
  if (proto === PPP_IPV6) {
    ctx.netType = NetType.PPP_IPV6;
    return NetType.IPV6;
  }
  return 0;
}

/** Decodes a PPP header at `ctx.up` (ethertype 0x880b, PPTP's GRE). */
export function decodePpp(ctx: PacketContext): number {
  ctx.netType = NetType.PPP;
  const p = ctx.up;
  if (ctx.length < 4 || !ctx.captured(p, 4)) return 0;
  ctx.encaps |= Encaps.PPP;
  const ac = isAddressControl(ctx.u16(p)) ? 2 : 0;
  const hlen = ac + protocolLen(ctx, p + ac);
  const proto = protocolAt(ctx, p + ac);
  ctx.up = p + hlen;
  ctx.length -= hlen;
  return payloadType(ctx, proto);
}

/** Decodes a PPPoE header at `ctx.up` (discovery or session). */
export function decodePppoe(ctx: PacketContext, type: number): number {
  ctx.netType = type;
  ctx.encaps |= Encaps.ETHER | Encaps.PPP;
  const p = ctx.up;
  // Only session frames (code 0) carry PPP.
  if (!ctx.captured(p, PPPOE_HEADER_LEN + 2) || ctx.u8(p + 1) !== 0) return 0;
  // argus tests the PPPoE version/code word, not the payload, for
  // address/control: in practice it never matches. Kept as argus has it.
  const ac = isAddressControl(ctx.u16(p)) ? 2 : 0;
  const at = p + PPPOE_HEADER_LEN + ac;
  const hlen = PPPOE_HEADER_LEN + ac + protocolLen(ctx, at);
  const proto = protocolAt(ctx, at);
  ctx.up = p + hlen;
  ctx.length -= hlen;
  return payloadType(ctx, proto);
}
