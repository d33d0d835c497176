/**
 * IEEE 802.2 LLC (and SNAP) under 802.3 framing, as argus reads it
 * (ArgusProcessEtherHdr / ArgusProcessLLCHdr): SAPs are kept for ether
 * flows, SNAP reveals an ethertype, ISO NLPIDs name CLNS/ES-IS/IS-IS.
 * @module
 */

import { Encaps, NetType } from "../encapsulation.ts";
import type { PacketContext } from "../packet_context.ts";

const SAP_GLOBAL = 0xff;
const SAP_ISONS = 0xfe;
const SAP_SNAP = 0xaa;
const LLC_UI = 0x03;
const LLC_U_FMT = 0x03;
const LLC_U_POLL = 0x10;
const LLC_XID = 0xaf;
const LLC_XID_FI = 0x81;
const LLC_SNAP_LEN = 8;

/** decodeLlc() found nothing further to walk. */
export const LLC_END = -1;

/**
 * Decodes an LLC header at `offset`. The Ethernet variant (`fromEther`)
 * records a SNAP ethertype as the network type; the 802.1Q variant only
 * returns it, as argus does.
 * @returns a SNAP ethertype to walk next, or LLC_END
 */
export function decodeLlc(
  ctx: PacketContext,
  offset: number,
  fromEther: boolean,
): number {
  if (!ctx.captured(offset, 3)) return LLC_END;
  ctx.encaps |= Encaps.LLC;
  const dsap = ctx.u8(offset);
  const ssap = ctx.u8(offset + 1);
  const control = ctx.u8(offset + 2);
  ctx.llcDsap = dsap;
  ctx.llcSsap = ssap;
  ctx.llcControl = control;

  if (ssap === SAP_GLOBAL && dsap === SAP_GLOBAL) {
    ctx.netType = NetType.IPX_TAG;
    return LLC_END;
  }
  // NetBEUI: argus recognises it (by the MAC in the Ethernet variant, by
  // the SAPs in the 802.1Q one) and decodes nothing further.
  const netbeui = fromEther
    ? ctx.etherByte(0) === 0xf0 && ctx.etherByte(1) === 0xf0
    : dsap === 0xf0 && ssap === 0xf0;
  if (netbeui) return LLC_END;
  if (ssap === SAP_ISONS && dsap === SAP_ISONS && control === LLC_UI) {
    switch (ctx.u8(offset + 3)) {
      case NetType.ESIS:
        ctx.netType = NetType.ESIS;
        break;
      case NetType.ISIS:
        ctx.netType = NetType.ISIS;
        break;
      case 0:
        ctx.netType = NetType.NULLNS;
        break;
      default:
        ctx.netType = NetType.CLNS;
    }
    ctx.length -= 3;
    ctx.up = offset + 3;
    return LLC_END;
  }
  if (ssap === SAP_SNAP && dsap === SAP_SNAP) {
    if (control !== LLC_UI) return LLC_END;
    const ethertype = ctx.u16(offset + 6);
    if (fromEther) ctx.netType = ethertype;
    ctx.length -= LLC_SNAP_LEN;
    ctx.up = offset + LLC_SNAP_LEN;
    return ethertype;
  }
  if ((control & LLC_U_FMT) === LLC_U_FMT) {
    ctx.up = offset + 3;
    ctx.length -= 3;
    if (
      (control & ~LLC_U_POLL & 0xff) === LLC_XID &&
      ctx.u8(ctx.up) === LLC_XID_FI
    ) {
      ctx.up += 3;
      ctx.length -= 3;
    }
  } else {
    ctx.up = offset + 4;
    ctx.length -= 4;
  }
  return LLC_END;
}
