/**
 * The Dir column's text (ArgusPrintDirection): "<->" trimmed by the sides
 * that sent packets, "who"/"tel" for ARP keys, and for TCP a '?' in the
 * middle when argus saw no SYN, or " ->" when it did. The clients' port
 * direction rule (port_direction.ts) tests the same text for its '?'.
 * @module
 */

import { AddrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind } from "./client_record.ts";

/** Dir texts by left (0 "<", 1 " "), middle (0 "-", 1 " ", 2 "?"), right. */
const DIR_TEXTS: readonly string[] = (() => {
  const texts: string[] = [];
  for (const l of ["<", " "]) {
    for (const m of ["-", " ", "?"]) {
      for (const r of [">", " "]) texts.push(l + m + r);
    }
  }
  return texts;
})();

/** The three characters ra prints in Dir for a flow record. */
export function directionText(r: ClientRecord): string {
  if (!r.hasMetric) return "   ";
  if (r.flowKind === FlowKind.ARP) return "who";
  let left = r.dstPkts === 0 ? 1 : 0;
  let right = r.srcPkts === 0 ? 1 : 0;
  let middle = r.srcPkts === 0 && r.dstPkts === 0 ? 1 : 0;
  if (r.flowKind === FlowKind.CLASSIC5TUPLE) {
    switch (r.addrType) {
      case AddrType.IPV4:
      case AddrType.IPV6: {
        const net = r.view.dsr(0x30);
        if (r.proto === 6 && net >= 0) {
          const status = r.view.view.getUint32(net + 4);
          // A key turned round after ra's corrections (its REVERSE bit:
          // racluster's aggregate of RA_PORT_DIRECTION-turned records that
          // merged a SYN) points the other way.
          if (status & 0x3) {
            left = r.reverseFlag ? 0 : 1;
            right = r.reverseFlag ? 1 : 0;
          } else middle = 2;
        }
        break;
      }
      case AddrType.RARP:
        return "tel";
      case AddrType.ARP:
        return "who";
    }
  }
  return DIR_TEXTS[left * 6 + middle * 2 + right]!;
}
