/**
 * Linux cooked captures, SLL (DLT 113) and SLL2 (DLT 276). argus turns the
 * cooked header into a pseudo Ethernet header and counts only the bytes
 * after it. Its destination MAC comes from the packet type: zeros for an
 * outgoing packet, all ones for broadcast, 01:00:00:00:00:00 for
 * multicast, 00:00:00:00:00:01 otherwise (checked with argus -m on
 * sll.pcap). argus refuses SLL2; we decode it the same way as SLL.
 * @module
 */

import { Encaps } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";

const SLL_HEADER_LEN = 16;
const SLL2_HEADER_LEN = 20;
/** The pseudo Ethernet header argus's snap length loses a second time. */
const ETHER_LEN = 14;

/**
 * Builds the pseudo Ethernet header for the cooked header at `start`.
 * @returns false when the cooked header was not captured
 */
export function decodeCooked(
  ctx: PacketContext,
  start: number,
  v2: boolean,
): boolean {
  const hlen = v2 ? SLL2_HEADER_LEN : SLL_HEADER_LEN;
  if (!ctx.captured(start, hlen)) return false;
  const e = ctx.ether;
  ctx.etherAt = -1;
  // SLL2 has a one-byte packet type where SLL has a two-byte one.
  const type = v2 ? ctx.u8(start + 10) : ctx.u16(start);
  e.fill(0, 0, 6);
  if (type === 4) {
    // outgoing: destination unknown
  } else if (type === 1) {
    e.fill(0xff, 0, 6);
  } else if (type === 2) {
    e[0] = 0x01;
  } else {
    e[5] = 0x01;
  }
  const addr = start + (v2 ? 12 : 6);
  for (let i = 0; i < 6; i++) e[6 + i] = ctx.u8(addr + i);
  const protocol = start + (v2 ? 0 : 14);
  e[12] = ctx.u8(protocol);
  e[13] = ctx.u8(protocol + 1);
  ctx.hasEther = true;
  ctx.up = start + hlen;
  ctx.etherEnd = ctx.up;
  // argus charges the bytes after the cooked header and starts its length
  // bookkeeping there (the Ethernet step then takes 14 more off).
  ctx.length -= hlen;
  ctx.bytes -= hlen;
  ctx.encaps = Encaps.SLL;
  ctx.snapDeficit = ETHER_LEN;
  return true;
}
