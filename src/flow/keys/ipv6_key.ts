/**
 * Flow keys for IPv6 packets (argus 3.0.8 ArgusCreateIPv6Flow and its
 * ICMPv6/IGMP/fragment variants): extension headers are walked, the higher
 * address becomes the key's source (argus compares the other way round
 * from IPv4), ICMPv6 replies fold onto requests. IPv6 ESP makes no flow
 * (argus's ESPv6 key is disabled), and port 53 is not keyed by DNS id.
 * @module
 */

import type { PacketContext } from "../../decode/packet_context.ts";
import { FlowQual, FlowSubtype } from "../flow_status.ts";
import type { FlowKey } from "../flow_key.ts";

const HOPOPTS = 0;
const TCP = 6;
const UDP = 17;
const ROUTING = 43;
const FRAGMENT = 44;
const ESP = 50;
const AH = 51;
const ICMPV6 = 58;
const DSTOPTS = 60;
const IGMP = 2;

/**
 * Builds the key for the IPv6 header at `ip`; sets the context's upper
 * header offset, payload length and fragment header as argus does.
 * @returns false when no flow is made for the packet
 */
export function buildIpv6Key(
  ctx: PacketContext,
  key: FlowKey,
  ip: number,
): boolean {
  if (!ctx.captured(ip, 40)) return false;
  key.reset();
  ctx.ip = ip;
  let nxt = ctx.u8(ip + 6);

  // Address order: the first differing word decides; a smaller source
  // makes the packet "reversed". Equal addresses are never reversed.
  let reverse = false;
  for (let i = 0; i < 16; i += 4) {
    const s = ctx.u32(ip + 8 + i);
    const d = ctx.u32(ip + 24 + i);
    if (s !== d) {
      reverse = s < d;
      break;
    }
  }
  const a = reverse ? ip + 24 : ip + 8;
  const b = reverse ? ip + 8 : ip + 24;
  const kb = key.bytes, d = ctx.data;
  for (let i = 0; i < 16; i++) {
    kb[i] = d[a + i]!;
    kb[16 + i] = d[b + i]!;
  }
  key.reversed = reverse;

  ctx.ipv6Frag = -1;
  ctx.length -= 40;
  let p = ip + 40;
  ctx.up = p;
  for (let hops = 0; hops < 16; hops++) {
    if (nxt === FRAGMENT) {
      if (!ctx.captured(p, 8)) break;
      ctx.ipv6Frag = p;
      const offset = (ctx.u8(p + 1) + 1) << 3;
      nxt = ctx.u8(p);
      p += offset;
      ctx.length -= offset;
      ctx.up = p;
      if ((ctx.u16(ctx.ipv6Frag + 2) & 0xfff8) !== 0) break;
    } else if (nxt === HOPOPTS || nxt === DSTOPTS || nxt === ROUTING) {
      if (!ctx.captured(p, 2)) break;
      const offset = (ctx.u8(p + 1) + 1) << 3;
      nxt = ctx.u8(p);
      p += offset;
      ctx.length -= offset;
      ctx.up = p;
    } else {
      break;
    }
  }

  key.subtype = FlowSubtype.CLASSIC5TUPLE;
  key.qual = FlowQual.IPV6;
  key.size = 10;
  key.put8(32, nxt);

  const frag = ctx.ipv6Frag;
  if (frag >= 0 && (ctx.u16(frag + 2) & 0xfff8) !== 0) {
    // A non-first fragment: argus writes the identification byte-swapped.
    key.qual |= FlowQual.FRAGMENT;
    key.put8(36, ctx.u8(frag + 7));
    key.put8(37, ctx.u8(frag + 6));
    key.put8(38, ctx.u8(frag + 5));
    key.put8(39, ctx.u8(frag + 4));
    return true;
  }
  if (nxt === AH) {
    ctx.encaps |= 0x80;
    if (ctx.captured(ctx.up, 16)) {
      nxt = ctx.u8(ctx.up);
      ctx.up += 16;
      key.put8(32, nxt);
    }
  }
  const up = ctx.up;
  switch (nxt) {
    case TCP:
    case UDP: {
      const sport = ctx.u16(up);
      const dport = ctx.u16(up + 2);
      key.put16(36, reverse ? dport : sport);
      key.put16(38, reverse ? sport : dport);
      break;
    }
    case ESP:
      return false;
    case ICMPV6:
      return buildIcmpv6Key(ctx, key, up);
    case IGMP:
      if (!ctx.captured(up, 8)) return false;
      key.put8(36, ctx.u8(up));
      key.put8(37, ctx.u8(up + 1));
      return true;
  }
  return true;
}

/** ICMPv6 replies and advertisements key onto their requests. */
const ICMPV6_REQUEST_OF: Record<number, number> = {
  129: 128, // echo reply
  131: 130, // MLD report
  132: 130, // MLD done
  134: 133, // router advertisement
  136: 135, // neighbour advertisement
  145: 144, // home agent discovery reply
};

function buildIcmpv6Key(
  ctx: PacketContext,
  key: FlowKey,
  up: number,
): boolean {
  if (!ctx.captured(up, 8)) return false;
  const type = ctx.u8(up);
  key.put8(36, ICMPV6_REQUEST_OF[type] ?? type);
  key.put8(37, ctx.u8(up + 1));
  return true;
}
