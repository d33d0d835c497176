/**
 * rasort's saddr/daddr fields (ArgusSortSrcAddr/DstAddr): records of
 * different flow kinds, then address types, order by those numbers; within
 * one type by the address as argus holds it in memory (IPv4 numerically
 * with the /cidr mask, IPv6 as little-endian words, MACs bytewise).
 * @module
 */

import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind } from "./client_record.ts";
import { fit, type SortKey, turn } from "./sort_column.ts";

/** A byte of a flow DSR; past its end 0, as argus's zeroed canonical flow. */
function byteIn(b: Uint8Array, at: number, end: number): number {
  return at < end ? b[at]! : 0;
}

/** Four bytes as a little-endian host reads them. */
function le32(b: Uint8Array, at: number, end: number): number {
  return (byteIn(b, at, end) | (byteIn(b, at + 1, end) << 8) |
    (byteIn(b, at + 2, end) << 16) | (byteIn(b, at + 3, end) << 24)) >>> 0;
}

/**
 * ArgusSortSrcAddr/DstAddr: records of different flow kinds, then of
 * different address types, order by those numbers (not turned by -v);
 * within one type by the address as argus holds it in memory.
 */
export class AddrKey implements SortKey {
  /** Flow subtype (-1: no flow key) and address type. */
  #kind = new Int8Array(1024);
  #qual = new Uint8Array(1024);
  /**
   * Up to four 32-bit words (IPv6 as a little-endian host reads them, a
   * MAC as its top 16 bits and low 32 bits); words 1-3 are made only when
   * a record needs them.
   */
  #w: Uint32Array<ArrayBuffer>[] = [new Uint32Array(1024)];
  readonly #shift: number;

  constructor(readonly src: boolean, readonly reverse: boolean, cidr: number) {
    this.#shift = 32 - (cidr > 0 ? cidr : 32);
  }

  add(r: ClientRecord, i: number): void {
    this.#kind = fit(this.#kind, i);
    this.#qual = fit(this.#qual, i);
    const w = this.#w;
    for (let n = 0; n < w.length; n++) w[n] = fit(w[n]!, i);
    const v = r.view, b = v.buf, dv = v.view;
    const p = v.dsr(DsrType.FLOW);
    this.#kind[i] = p < 0 ? -1 : b[p + 1]! & 0x3f;
    this.#qual[i] = p < 0 ? 0 : b[p + 2]! & 0x1f;
    for (let n = 0; n < w.length; n++) w[n]![i] = 0;
    if (p < 0) return;
    const end = p + b[p + 3]! * 4;
    const k = p + 4;
    const kind = b[p + 1]! & 0x3f, qual = b[p + 2]! & 0x1f;
    const at = this.src ? r.srcAddrAt : r.dstAddrAt;
    if (kind === FlowKind.CLASSIC5TUPLE) {
      switch (qual) {
        case AddrType.IPV4: {
          // A key cut short by its DSR's length (ClientRecord: no address).
          if (at < 0 || at + 4 > end) break;
          const a = dv.getUint32(at);
          w[0]![i] = this.#shift
            ? ((a >>> this.#shift) << this.#shift) >>> 0
            : a;
          break;
        }
        case AddrType.IPV6:
          this.#words(4);
          if (at < 0) break;
          for (let n = 0; n < 4; n++) w[n]![i] = le32(b, at + n * 4, end);
          break;
        case AddrType.RARP:
          // rarp_flow's hardware addresses over the legacy RARP layout.
          this.#mac(i, b, k + (this.src ? 12 : 28), end);
          break;
        case AddrType.ARP:
          // arp_flow's arp_spa/arp_tpa over the legacy ARP layout.
          w[0]![i] = le32(b, k + (this.src ? 8 : 12), end);
          break;
        case AddrType.ETHER:
          // argus compares the source MAC for daddr too.
          this.#mac(i, b, k + 6, end);
          break;
      }
    } else if (kind === FlowKind.ARP) {
      if (qual === AddrType.ARP) {
        w[0]![i] = dv.getUint32(k + (this.src ? 8 : 12));
      } else if (qual !== AddrType.RARP) {
        w[0]![i] = dv.getUint32(k + (this.src ? 4 : 8));
      }
    }
  }

  /** Makes sure `n` words are kept per record. */
  #words(n: number): void {
    const w = this.#w;
    while (w.length < n) w.push(new Uint32Array(w[0]!.length));
  }

  /** A MAC address (6 bytes at `at`) as two words. */
  #mac(i: number, b: Uint8Array, at: number, end: number): void {
    this.#words(2);
    const w = this.#w;
    w[0]![i] = (byteIn(b, at, end) << 8) | byteIn(b, at + 1, end);
    w[1]![i] = ((byteIn(b, at + 2, end) << 24) |
      (byteIn(b, at + 3, end) << 16) | (byteIn(b, at + 4, end) << 8) |
      byteIn(b, at + 5, end)) >>> 0;
  }

  compare(a: number, b: number): number {
    const ka = this.#kind[a]!, kb = this.#kind[b]!;
    if (ka < 0 || kb < 0) return 0;
    if (ka !== kb) return ka - kb;
    const qa = this.#qual[a]!, qb = this.#qual[b]!;
    if (qa !== qb) return qa - qb;
    let retn = 0;
    const w = this.#w;
    for (let n = 0; n < w.length; n++) {
      const x = w[n]![a]!, y = w[n]![b]!;
      if (x !== y) {
        retn = x > y ? 1 : -1;
        break;
      }
    }
    return turn(retn, this.reverse);
  }
}
