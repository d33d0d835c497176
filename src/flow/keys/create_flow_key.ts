/**
 * Chooses and builds the flow key for a decoded packet (argus
 * ArgusCreateFlow with its default classic 5-tuple key): IPv4, IPv6, ARP,
 * and a layer-2 key for everything else that has an Ethernet header.
 * @module
 */

import { NetType } from "../../decode/encapsulation.ts";
import type { PacketContext } from "../../decode/packet_context.ts";
import type { FlowKey } from "../flow_key.ts";
import { buildArpKey } from "./arp_key.ts";
import { buildEtherKey } from "./ether_key.ts";
import { buildIpv4Key } from "./ipv4_key.ts";
import { buildIpv6Key } from "./ipv6_key.ts";

/** Fills `key` for the packet in `ctx`; false when no flow is made. */
export function createFlowKey(ctx: PacketContext, key: FlowKey): boolean {
  key.reset();
  switch (ctx.netType & 0xffff) {
    case NetType.IP:
      return ctx.ip >= 0 && buildIpv4Key(ctx, key, ctx.ip);
    case NetType.IPV6:
      return ctx.ip >= 0 && buildIpv6Key(ctx, key, ctx.ip);
    case NetType.ARP:
    case NetType.REVARP:
      // argus counts the whole frame as the application bytes of ARP and
      // layer-2 flows.
      ctx.length = ctx.bytes;
      return buildArpKey(ctx, key);
  }
  if (ctx.ip >= 0) {
    // An IP header under an unexpected type (e.g. version 5 under 0x0800)
    // is still keyed as IPv4, as argus does.
    ctx.netType = (ctx.netType & ~0xffff) | NetType.IP;
    return buildIpv4Key(ctx, key, ctx.ip);
  }
  ctx.length = ctx.bytes;
  return buildEtherKey(ctx, key);
}
