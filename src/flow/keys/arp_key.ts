/**
 * Flow keys for ARP and RARP (argus ArgusCreateArpFlow): a request and its
 * reply share one key (the reply's addresses are turned round), laid out
 * as argus's in-memory ArgusArpFlow/ArgusRarpFlow with multi-byte fields
 * in network order.
 * @module
 */

import type { PacketContext } from "../../decode/packet_context.ts";
import { FlowQual, FlowSubtype } from "../flow_status.ts";
import type { FlowKey } from "../flow_key.ts";

const ARP_REQUEST = 1;
const ARP_REPLY = 2;
const RARP_REQUEST = 3;
const RARP_REPLY = 4;
/** Key words of argus's in-memory ARP flow (48 bytes) and RARP flow (76). */
export const ARP_KEY_WORDS = 12;
export const RARP_KEY_WORDS = 19;

/** Builds the key for the ARP header at `ctx.up`; false for other ops. */
export function buildArpKey(ctx: PacketContext, key: FlowKey): boolean {
  const a = ctx.up;
  if (!ctx.captured(a, 8)) return false;
  key.reset();
  key.subtype = FlowSubtype.ARP;
  const hrd = ctx.u16(a);
  const pro = ctx.u16(a + 2);
  const hln = ctx.u8(a + 4);
  const pln = ctx.u8(a + 5);
  const op = ctx.u16(a + 6);
  const sha = a + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const hlen = Math.min(hln, 32);
  const copy = (from: number, to: number) => {
    for (let i = 0; i < hlen; i++) key.bytes[to + i] = ctx.u8(from + i);
  };
  switch (op) {
    case ARP_REQUEST:
    case ARP_REPLY:
      key.qual = FlowQual.ARP;
      key.size = ARP_KEY_WORDS;
      if (pln === 4) {
        const reply = op === ARP_REPLY;
        key.reversed = reply;
        key.put16(0, hrd);
        key.put16(2, pro);
        key.put8(4, hln);
        key.put8(5, pln);
        key.put16(6, ARP_REQUEST);
        key.put32(8, ctx.u32(reply ? tpa : spa));
        key.put32(12, ctx.u32(reply ? spa : tpa));
        copy(reply ? tha : sha, 16);
      }
      return true;
    case RARP_REQUEST:
    case RARP_REPLY:
      key.qual = FlowQual.RARP;
      key.size = RARP_KEY_WORDS;
      key.put16(0, hrd);
      key.put16(2, pro);
      key.put8(4, hln);
      key.put8(5, pln);
      key.put16(6, RARP_REQUEST);
      if (op === RARP_REQUEST) {
        // argus leaves the target address of a request unset.
        copy(tha, 12);
        copy(sha, 44);
      } else {
        key.put32(8, pln === 4 ? ctx.u32(tpa) : 0);
        copy(sha, 12);
        copy(tha, 44);
      }
      return true;
  }
  return false;
}
