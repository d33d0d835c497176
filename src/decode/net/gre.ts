/**
 * GRE (RFC 2784/2890, and PPTP's version 1) as argus walks it
 * (ArgusProcessGreHdr): the outer IP/GRE headers are skipped and the inner
 * protocol type is returned, so argus reports the inner flows only.
 * @module
 */

import { Encaps } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";

const GRE_CP = 0x8000;
const GRE_RP = 0x4000;
const GRE_KP = 0x2000;
const GRE_SP = 0x1000;
const GRE_AP = 0x0080;

/**
 * Skips the GRE header after the IPv4 header at `ip` (header length `hlen`).
 * @returns the encapsulated protocol type, or 0
 */
export function decodeGre(
  ctx: PacketContext,
  ip: number,
  hlen: number,
): number {
  ctx.length -= hlen;
  let bp = ip + hlen;
  if (!ctx.captured(bp, 4)) return 0;
  const flags = ctx.u16(bp);
  const proto = ctx.u16(bp + 2);
  bp += 4;
  let grelen = 4;
  ctx.encaps |= Encaps.GRE;
  // argus's length bookkeeping: the key field is added to the pointer but
  // subtracted from the length, and we keep its sums as they are.
  switch (flags & 0x7) {
    case 0:
      if (flags & (GRE_CP | GRE_RP)) {
        grelen += 4;
        bp += 4;
      }
      if (flags & GRE_KP) {
        bp += 4;
        grelen -= 4;
      }
      if (flags & GRE_SP) {
        bp += 4;
        grelen += 4;
      }
      if (flags & GRE_RP) {
        for (;;) {
          if (!ctx.captured(bp, 4)) break;
          const af = ctx.u16(bp);
          const srelen = ctx.u8(bp + 3);
          bp += 4;
          grelen -= 4;
          if (af === 0 && srelen === 0) break;
          bp += srelen;
          grelen += srelen;
        }
      }
      break;
    case 1:
      if (flags & GRE_KP) {
        bp += 4;
        grelen -= 4;
      }
      if (flags & GRE_SP) {
        bp += 4;
        grelen += 4;
      }
      if (flags & GRE_AP) {
        bp += 4;
        grelen += 4;
      }
      break;
  }
  ctx.up = bp;
  ctx.length -= grelen;
  return proto;
}
