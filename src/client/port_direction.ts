/**
 * RA_PORT_DIRECTION (rarc(5)): the clients turn round a TCP record whose
 * direction argus could not tell (a '?' in Dir: no SYN seen) so that the
 * server's port is the destination (ArgusProcessDirection, run on every
 * record after ra's corrections and before the filter). "wellknown": a port
 * below 1024 is the server's; "services": a TCP port of /etc/services is;
 * "registered": one of 1024-49151. Checked against the real ra 3.0.8.
 * RA_LOCAL_DIRECTION is not read: it decides by RA_LOCAL's address labels,
 * which we do not load, and without them ra turns nothing either (checked).
 * @module
 */

import { AddrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind, RecordKind } from "./client_record.ts";
import { directionText } from "./direction_text.ts";
import { tcpPortName } from "./service_names.ts";

/** The rules RA_PORT_DIRECTION names (argus's ArgusDirectionFunction bits). */
export const PortRule = {
  SERVICES: 0x100,
  WELLKNOWN: 0x200,
  REGISTERED: 0x400,
} as const;

/** The rules an RA_PORT_DIRECTION value names (ra looks for each word in it). */
export function portRules(value: string): number {
  let rules = 0;
  if (value.includes("services")) rules |= PortRule.SERVICES;
  if (value.includes("wellknown")) rules |= PortRule.WELLKNOWN;
  if (value.includes("registered")) rules |= PortRule.REGISTERED;
  return rules;
}

/** One client run's port direction rule. */
export class PortDirection {
  /**
   * TCP ports ra printed by name or number so far (-n unset): ra's lookup
   * adds each unknown one to its services table, and from then on the
   * "services" rule takes it for a service (checked: printing 40000 makes
   * a later 40000 -> 45000 turn round).
   */
  readonly printedTcpPorts = new Set<number>();

  constructor(readonly rules: number) {}

  /** Turns `r` round when the rules say its source is the server. */
  apply(r: ClientRecord): void {
    if (this.rules === 0) return;
    if (r.kind !== RecordKind.FAR && r.kind !== RecordKind.NETFLOW) return;
    if (!directionText(r).includes("?")) return;
    if (r.flowKind !== FlowKind.CLASSIC5TUPLE) return;
    let sport = r.sport, dport = r.dport;
    if (r.addrType === AddrType.IPV6) {
      // ra reads the ports through its IPv4 key layout: bytes 10-13 of the
      // IPv6 source address, in host (little-endian) order (checked).
      const b = r.view.buf, at = r.srcAddrAt;
      sport = b[at + 10]! | (b[at + 11]! << 8);
      dport = b[at + 12]! | (b[at + 13]! << 8);
    }
    if (this.#reverses(sport, dport)) r.turnRound();
  }

  #reverses(sport: number, dport: number): boolean {
    const rules = this.rules;
    let reverse = false;
    if (rules & PortRule.WELLKNOWN && (sport < 1024 || dport < 1024)) {
      return sport < dport;
    }
    if (rules & PortRule.SERVICES) {
      const ssrv = this.#service(sport), dsrv = this.#service(dport);
      if (ssrv && dsrv) return sport < dport;
      // A lone source service turns it, yet "registered" is still asked.
      reverse = ssrv;
    }
    if (
      rules & PortRule.REGISTERED &&
      ((sport > 1023 && sport < 49152) || (dport > 1023 && dport < 49152))
    ) return reverse || sport < dport;
    return reverse;
  }

  #service(port: number): boolean {
    return port !== 0 &&
      (tcpPortName(port) !== undefined || this.printedTcpPorts.has(port));
  }
}
