/**
 * Ethernet II and IEEE 802.3 framing (argus ArgusProcessEtherHdr): records
 * the Ethernet encapsulation, then hands an 802.3 length field to the LLC
 * decoder. Returns the next layer type for the header walk.
 * @module
 */

import { Encaps, ETHERMTU } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";
import { decodeLlc, LLC_END } from "./llc.ts";

/** Ethernet header length. */
export const ETHER_HEADER_LEN = 14;

/**
 * Takes the 14-byte Ethernet header at `offset` as the packet's (read in
 * place; ctx.etherBytes() copies it when needed) and moves `ctx.up` past
 * it. Returns false when the header was not captured.
 */
export function loadEtherHeader(ctx: PacketContext, offset: number): boolean {
  if (!ctx.captured(offset, ETHER_HEADER_LEN)) return false;
  ctx.etherAt = offset;
  ctx.hasEther = true;
  ctx.up = offset + ETHER_HEADER_LEN;
  ctx.etherEnd = ctx.up;
  return true;
}

/**
 * Decodes the packet's Ethernet header (payload at `ctx.up`).
 * @returns the ethertype (or 802.3 length) as argus walks it
 */
export function decodeEthernet(ctx: PacketContext): number {
  ctx.length -= ETHER_HEADER_LEN;
  ctx.ip = -1;
  ctx.encaps |= Encaps.ETHER;
  let type = (ctx.etherByte(12) << 8) | ctx.etherByte(13);
  if (type <= ETHERMTU) {
    const e = ctx.etherBytes();
    // Cisco ISL frames start with this multicast prefix; argus recognises
    // them and would re-enter here, but ISL is obsolete and not decoded.
    if (
      e[0] === 0x01 && e[1] === 0x00 && e[2] === 0x0c && e[3] === 0x00 &&
      e[4] === 0x00
    ) {
      return 0;
    }
    // Without SNAP argus carries on with the 802.3 length as the "type",
    // which ends the walk.
    const next = decodeLlc(ctx, ctx.up, true);
    if (next !== LLC_END) type = next;
  }
  return type;
}
