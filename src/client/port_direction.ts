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

import { AddrType, DsrType, RecordView } from "../record/record_view.ts";
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

  /** Scratch view for mayTurn. */
  readonly #view = new RecordView();

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

  /**
   * False when `apply` cannot turn the record at buf[start..start+length)
   * round, told from its bytes alone: only a TCP key (IPv4 or IPv6) with
   * a metric DSR and a network DSR whose status saw no SYN has the '?'
   * the rule needs. A reader that wants only the turn skips decoding the
   * others. True when it may (or when a damaged record leaves it open).
   */
  mayTurn(buf: Uint8Array, start: number, length: number): boolean {
    if (this.rules === 0) return false;
    const kind = buf[start]! & 0xf0;
    if (kind !== RecordKind.FAR && kind !== RecordKind.NETFLOW) return false;
    // The first DSR of each type, indexed as the decoded record reads them
    // (a record at its buffer's end is viewed in a zero-padded copy).
    const v = this.#view.load(buf, start, length);
    buf = v.buf;
    const end = v.start + length;
    const flow = v.dsr(DsrType.FLOW), meter = v.dsr(DsrType.METER);
    const net = v.dsr(DsrType.NETWORK);
    if (flow < 0 || meter < 0 || net < 0) return false;
    if ((buf[flow + 1]! & 0x3f) !== FlowKind.CLASSIC5TUPLE) return false;
    const addr = buf[flow + 2]! & 0x1f;
    const protoAt = addr === AddrType.IPV4
      ? flow + 12
      : addr === AddrType.IPV6
      ? flow + 36
      : -1;
    if (protoAt < 0) return false;
    // Fields past their DSR's end (a damaged length): decode to be sure.
    if (protoAt >= flow + buf[flow + 3]! * 4 || net + 8 > end) return true;
    if (buf[protoAt] !== 6) return false;
    return (buf[net + 7]! & 0x03) === 0;
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
