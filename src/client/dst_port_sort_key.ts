/**
 * rasort's dport field (ArgusSortDstPort) with its slip: an IPv6 record's
 * port is read by the other record's IPv6 protocol byte.
 * @module
 */

import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind } from "./client_record.ts";
import { fit, type SortKey, turn } from "./sort_column.ts";
import { port } from "./sort_values.ts";

/**
 * ArgusSortDstPort, with its slip: for an IPv6 record it picks what to
 * read by the *other* record's IPv6 protocol byte (0 unless that one is
 * IPv6 too), so an IPv6 UDP record next to an ICMPv6 one is read as the
 * ICMPv6 code byte (the high byte of its source port, in memory).
 */
export class DstPortKey implements SortKey {
  /** The port as ArgusSortDstPort reads a record by its own protocol. */
  #own = new Float32Array(1024);
  /** IPv6 only: the protocol (-1 otherwise), the port's 16 bits, the code. */
  #proto6 = new Int16Array(1024);
  #word = new Uint16Array(1024);
  #code = new Uint8Array(1024);

  constructor(readonly reverse: boolean) {}

  add(r: ClientRecord, i: number): void {
    this.#own = fit(this.#own, i);
    this.#proto6 = fit(this.#proto6, i);
    this.#word = fit(this.#word, i);
    this.#code = fit(this.#code, i);
    this.#own[i] = port(r, false);
    this.#proto6[i] = -1;
    if (
      r.flowKind !== FlowKind.CLASSIC5TUPLE || r.addrType !== AddrType.IPV6
    ) return;
    const p = r.view.dsr(DsrType.FLOW);
    const b = r.view.buf, k = p + 4;
    this.#proto6[i] = r.proto;
    if (r.proto === 6 || r.proto === 17) {
      this.#word[i] = r.reverseFlag ? r.sport : r.dport;
      this.#code[i] = r.sport >>> 8;
    } else if (r.proto === 58) {
      this.#word[i] = (b[k + 38]! << 8) | b[k + 39]!;
      this.#code[i] = b[k + 37]!;
    } else {
      // Not byte-swapped by argus: read little-endian.
      this.#word[i] = b[k + 38]! | (b[k + 39]! << 8);
      this.#code[i] = b[k + 37]!;
    }
  }

  compare(a: number, b: number): number {
    const p1 = this.#own[b]!;
    let p2 = this.#own[a]!;
    if (Number.isNaN(p1) || Number.isNaN(p2)) return 0;
    if (this.#proto6[a]! >= 0) {
      const other = Math.max(this.#proto6[b]!, 0);
      p2 = other === 6 || other === 17
        ? this.#word[a]!
        : other === 58
        ? this.#code[a]!
        : 0;
    }
    return turn(p2 - p1, this.reverse);
  }
}
