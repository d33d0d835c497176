/**
 * Decodes one captured frame by its link type down to the network layer
 * and says which argus entry point models it: frames with a link header
 * (Ethernet, cooked) or bare IP (raw, BSD loopback). This is argus's
 * per-DLT callback table (ArgusSource.c).
 * @module
 */

import { Encaps, NetType } from "./encapsulation.ts";
import { walkHeaders } from "./header_walk.ts";
import { decodeCooked } from "./link/cooked.ts";
import { decodeEthernet, loadEtherHeader } from "./link/ethernet.ts";
import type { PacketContext } from "./packet_context.ts";

/** How the flow engine takes the decoded packet. */
export const Entry = {
  /** Not modelled (unsupported, or too short to decode). */
  NONE: 0,
  /** A frame with a link header: argus ArgusProcessPacket. */
  FRAME: 1,
  /** A bare IP packet: argus ArgusProcessIpPacket. */
  IP: 2,
} as const;
export type Entry = typeof Entry[keyof typeof Entry];

/** Link types this decoder knows (pcap LINKTYPE_ / DLT_ values). */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  RAW_BSD: 12,
  RAW_OPENBSD: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Whether frames of a link type can be decoded at all. */
export function isSupportedLinkType(linkType: number): boolean {
  return Object.values(LinkType).includes(linkType as never);
}

/**
 * Decodes the frame at `start` into `ctx`.
 * @returns the engine entry to use
 */
export function decodeFrame(
  ctx: PacketContext,
  linkType: number,
  data: Uint8Array,
  start: number,
  caplen: number,
  wirelen: number,
): Entry {
  ctx.begin(data, start, caplen, wirelen);
  switch (linkType) {
    case LinkType.EN10MB:
      if (wirelen < 14 || !loadEtherHeader(ctx, start)) return Entry.NONE;
      ctx.encaps = Encaps.ETHER;
      return link(ctx);
    case LinkType.LINUX_SLL:
    case LinkType.LINUX_SLL2:
      if (!decodeCooked(ctx, start, linkType === LinkType.LINUX_SLL2)) {
        return Entry.NONE;
      }
      return link(ctx);
    case LinkType.RAW:
    case LinkType.RAW_BSD:
    case LinkType.RAW_OPENBSD:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return bareIp(ctx, start);
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (!ctx.captured(start, 4)) return Entry.NONE;
      // DLT_NULL holds the family in the capturing host's byte order,
      // DLT_LOOP in network order (argus ignores DLT_LOOP altogether).
      let family = linkType === LinkType.LOOP
        ? ctx.u32(start)
        : ((ctx.u8(start + 3) << 24) | (ctx.u8(start + 2) << 16) |
          (ctx.u8(start + 1) << 8) | ctx.u8(start)) >>> 0;
      if (family & 0xffff0000) {
        family = ((family & 0xff) << 24 | (family & 0xff00) << 8 |
          (family >>> 8) & 0xff00 | family >>> 24) >>> 0;
      }
      if (family !== 2 && family !== 24 && family !== 28 && family !== 30) {
        return Entry.NONE;
      }
      ctx.length -= 4;
      ctx.bytes -= 4;
      return bareIp(ctx, start + 4);
    }
  }
  return Entry.NONE;
}

function link(ctx: PacketContext): Entry {
  ctx.netType = NetType.ETHER_HDR;
  walkHeaders(ctx, decodeEthernet(ctx));
  return Entry.FRAME;
}

function bareIp(ctx: PacketContext, start: number): Entry {
  ctx.encaps = 0;
  ctx.ip = start;
  ctx.up = start;
  walkHeaders(ctx, NetType.IP);
  return Entry.IP;
}
