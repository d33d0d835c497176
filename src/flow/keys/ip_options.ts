/**
 * IPv4 options summarised as argus's option-indicator bits
 * (ArgusParseIPOptions), stored in the IP attribute DSR.
 * @module
 */

import type { PacketContext } from "../../decode/packet_context.ts";

const OPT_EOL = 0;
const OPT_NOP = 1;

/** Option bits by option type. */
const OPTION_BITS: Record<number, number> = {
  7: 0x01, // record route
  68: 0x02, // timestamp
  130: 0x04, // security
  131: 0x08, // loose source route
  136: 0x10, // stream id (SATNET)
  137: 0x20, // strict source route
  148: 0x40, // router alert
};

/** Parses `len` bytes of options at `at`; returns argus's summary bits. */
export function parseIpOptions(
  ctx: PacketContext,
  at: number,
  len: number,
): number {
  let bits = 0;
  let p = at;
  while (len > 0) {
    if (!ctx.captured(p, 1)) break;
    const opt = ctx.u8(p);
    bits |= OPTION_BITS[opt] ?? 0;
    let step = 1;
    if (opt !== OPT_EOL && opt !== OPT_NOP) {
      step = ctx.u8(p + 1);
      if (!(step && step <= len)) break;
    }
    p += step;
    len -= step;
  }
  return bits;
}
