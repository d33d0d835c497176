/**
 * Linux cooked captures, SLL (DLT 113) and SLL2 (DLT 276). argus turns the
 * cooked header into a pseudo Ethernet header and counts only the bytes
 * after it. Its destination MAC comes from the packet type read in the
 * wrong byte order, so it is 00:00:00:00:00:01 for every real packet; we
 * copy that. argus refuses SLL2; we decode it the same way as SLL.
 * @module
 */

import { Encaps } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";

const SLL_HEADER_LEN = 16;
const SLL2_HEADER_LEN = 20;

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
  // argus tests the host-order packet-type word: only the byte patterns
  // below ever match (see the module note). SLL2's one-byte type is read
  // as SLL's two-byte one would be, so both give the same pseudo header.
  const b0 = v2 ? 0 : ctx.u8(start);
  const b1 = ctx.u8(start + (v2 ? 10 : 1));
  e.fill(0, 0, 6);
  if (b0 === 4 && b1 === 0) {
    // outgoing: destination unknown
  } else if (b0 === 1 && b1 === 0) {
    e.fill(0xff, 0, 6);
  } else if (b0 === 2 && b1 === 0) {
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
  return true;
}
