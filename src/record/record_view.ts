/**
 * A zero-copy view of one Argus 3 record: `load` indexes its DSRs, the
 * accessors decode fields on demand (docs/record-format.md). One view is
 * reused for every record, so reading allocates nothing per record.
 * Addresses and ports come back oriented as the record's originator saw
 * them (the stored key may be reversed; see `reversed`).
 * @module
 */

import { AddrType, DsrType } from "./dsr_type.ts";
import { PaddedCopy } from "./padded_copy.ts";

// Clients import these two from here.
export { AddrType, DsrType };

/** Scratch for the per-side time form. */
const SIDES = new Float64Array(4);

/** The earliest non-zero start of [src start, src end, dst start, dst end]. */
function minStart(t: Float64Array): number {
  const a = t[0]!, b = t[2]!;
  return a === 0 ? b : b === 0 ? a : Math.min(a, b);
}

/** A record, viewed in place. */
export class RecordView {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  start = 0;
  length = 0;
  /** Offset of each DSR by type byte (0x00-0x7f), -1 when absent. */
  readonly #at = new Int32Array(128).fill(-1);
  /** The types set in #at by the last load, to reset only those. */
  readonly #seen = new Uint8Array(128);
  #seenCount = 0;

  /** A zero-padded copy for records at the end of their buffer. */
  readonly #padded = new PaddedCopy();

  /**
   * Indexes the record at `buf[start..start+length)`. A record near the
   * end of its buffer is viewed in a copy followed by zeros (then `buf`
   * and `start` are the copy's), so that reads past its end, which a
   * damaged DSR length can cause, read zeros instead of throwing.
   */
  load(buf: Uint8Array, start: number, length: number): this {
    const copy = this.#padded.around(buf, start, length);
    if (copy !== null) {
      buf = copy;
      start = 0;
    }
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.start = start;
    this.length = length;
    // Reset what the last record set: a record has a handful of DSRs.
    const at = this.#at, seen = this.#seen;
    for (let i = 0; i < this.#seenCount; i++) at[seen[i]!] = -1;
    this.#seenCount = 0;
    if (this.isMar) return this;
    const end = start + length;
    for (let p = start + 4; p + 4 <= end;) {
      const type = buf[p]! & 0x7f;
      let words = buf[p + 3]!;
      if (type === DsrType.DATA) words = (buf[p + 2]! << 8) | buf[p + 3]!;
      if (words === 0 || p + words * 4 > end) break;
      if (at[type] === -1) {
        at[type] = p;
        seen[this.#seenCount++] = type;
      }
      p += words * 4;
    }
    return this;
  }

  /** Offset of a DSR, or -1. */
  dsr(type: number): number {
    return this.#at[type] ?? -1;
  }

  // --- header -----------------------------------------------------------

  /** A management (MAR) record. */
  get isMar(): boolean {
    return (this.buf[this.start]! & 0x80) !== 0;
  }
  /** Record cause: 0x10 start, 0x20 status, 0x30 stop, 0x40 timeout... */
  get cause(): number {
    return this.buf[this.start + 1]! & 0xf0;
  }

  // --- transport ----------------------------------------------------------

  get srcidType(): number {
    const p = this.dsr(DsrType.TRANSPORT);
    return p < 0 ? 0 : this.buf[p + 2]!;
  }
  get srcid(): number {
    const p = this.dsr(DsrType.TRANSPORT);
    return p < 0 ? 0 : this.view.getUint32(p + 4);
  }
  get seq(): number {
    const p = this.dsr(DsrType.TRANSPORT);
    return p < 0 || this.buf[p + 3]! < 3 ? 0 : this.view.getUint32(p + 8);
  }

  // --- flow key -------------------------------------------------------------

  /** Flow DSR subtype with the REVERSE bit (0x40) masked off. */
  get flowSubtype(): number {
    const p = this.dsr(DsrType.FLOW);
    return p < 0 ? 0 : this.buf[p + 1]! & 0x3f;
  }
  /** The stored key is the originator's reverse. */
  get reversed(): boolean {
    const p = this.dsr(DsrType.FLOW);
    return p >= 0 && (this.buf[p + 1]! & 0x40) !== 0;
  }
  /** Address type of the key (AddrType), 0 without a flow DSR. */
  get addrType(): number {
    const p = this.dsr(DsrType.FLOW);
    return p < 0 ? 0 : this.buf[p + 2]! & 0x1f;
  }
  /** The key is a non-first IP fragment. */
  get fragment(): boolean {
    const p = this.dsr(DsrType.FLOW);
    return p >= 0 && (this.buf[p + 2]! & 0x80) !== 0;
  }
  /** IP protocol, or the ethertype of an ether flow. */
  get proto(): number {
    const p = this.dsr(DsrType.FLOW);
    if (p < 0) return 0;
    switch (this.addrType) {
      case AddrType.IPV4:
        return this.buf[p + 12]!;
      case AddrType.IPV6:
        return this.buf[p + 36]!;
      case AddrType.ETHER:
        return this.view.getUint16(p + 16);
      default:
        return 0;
    }
  }
  /** Offset of the key body (after the DSR header). */
  get keyOffset(): number {
    const p = this.dsr(DsrType.FLOW);
    return p < 0 ? -1 : p + 4;
  }
  /** Whether the originator's view swaps the stored source and destination. */
  get swapped(): boolean {
    const t = this.addrType;
    return this.reversed && (t === AddrType.IPV4 || t === AddrType.IPV6);
  }
  /** IPv4 source as the originator saw it. */
  get srcIpv4(): number {
    const k = this.keyOffset;
    return k < 0 ? 0 : this.view.getUint32(this.swapped ? k + 4 : k);
  }
  /** IPv4 destination as the originator saw it. */
  get dstIpv4(): number {
    const k = this.keyOffset;
    return k < 0 ? 0 : this.view.getUint32(this.swapped ? k : k + 4);
  }
  /** Offset of the originator's IPv6 source / destination (16 bytes). */
  get srcIpv6At(): number {
    const k = this.keyOffset;
    return this.swapped ? k + 16 : k;
  }
  get dstIpv6At(): number {
    const k = this.keyOffset;
    return this.swapped ? k : k + 16;
  }
  /** Ports of TCP/UDP keys, originator's view (raw fields otherwise). */
  get sport(): number {
    return this.#port(true);
  }
  get dport(): number {
    return this.#port(false);
  }
  #port(src: boolean): number {
    const k = this.keyOffset;
    if (k < 0) return 0;
    const t = this.addrType;
    const base = t === AddrType.IPV4
      ? k + 10
      : t === AddrType.IPV6
      ? k + 36
      : -1;
    if (base < 0) return 0;
    const proto = this.proto;
    const swap = (proto === 6 || proto === 17) && this.swapped;
    return this.view.getUint16(base + ((src !== swap) ? 0 : 2));
  }

  // --- time and counters -------------------------------------------------

  /** Start and end time, µs since the epoch (0 when absent). */
  get startTime(): number {
    const p = this.dsr(DsrType.TIME);
    if (p < 0) return 0;
    if (this.buf[p + 1]! & 0x78) {
      this.sideTimes(SIDES);
      return minStart(SIDES);
    }
    return this.view.getUint32(p + 4) * 1_000_000 + this.view.getUint32(p + 8);
  }
  get lastTime(): number {
    const p = this.dsr(DsrType.TIME);
    if (p < 0) return 0;
    let bits = this.buf[p + 1]! & 0x78;
    if (bits) {
      // ArgusFetchLastuSecTime: the end of the one side whose end is
      // stored, else the later end (an absent end is its start).
      if (!(bits & 0x08)) bits &= ~0x10;
      if (!(bits & 0x20)) bits &= ~0x40;
      this.sideTimes(SIDES);
      const ends = bits & 0x50;
      if (ends === 0x10) return SIDES[1]!;
      if (ends === 0x40) return SIDES[3]!;
      return Math.max(SIDES[1]!, SIDES[3]!);
    }
    if (this.buf[p + 3]! < 5) return this.startTime;
    return this.view.getUint32(p + 12) * 1_000_000 +
      this.view.getUint32(p + 16);
  }

  /**
   * The time DSR as the clients read it into source and destination
   * ranges: `out` = [src start, src end, dst start, dst end] in µs, 0 when
   * absent. The one-range form is the source's. The per-side form
   * (subtype bits 0x08 src start, 0x10 src end, 0x20 dst start, 0x40 dst
   * end; racluster writes it) holds the first time absolute and the
   * others as µs offsets from it when it is one word short per time.
   */
  sideTimes(out: Float64Array): void {
    out.fill(0);
    const p = this.dsr(DsrType.TIME);
    if (p < 0) return;
    const d = this.view;
    const sub = this.buf[p + 1]!, words = this.buf[p + 3]!;
    if (!(sub & 0x78)) {
      out[0] = this.startTime;
      out[1] = this.lastTime;
      return;
    }
    let bits = sub & 0x78;
    // An end without its start is dropped.
    if (!(bits & 0x08)) bits &= ~0x10;
    if (!(bits & 0x20)) bits &= ~0x40;
    let count = 0;
    for (let b = 0x08; b <= 0x40; b <<= 1) if (bits & b) count++;
    const pairs = (words - 1) >> 1;
    const relative = count > pairs && count > 1 && words === count + 2;
    const first = bits & 0x08 ? 0 : 2;
    let at = p + 4, base = 0;
    for (let i = 0; i < 4; i++) {
      if (!(bits & (0x08 << i))) continue;
      const size = !relative || i === first ? 8 : 4;
      if (at + size > p + words * 4) break;
      // Slots in bit order: src start, src end, dst start, dst end.
      if (!relative || i === first) {
        out[i] = d.getUint32(at) * 1_000_000 + d.getUint32(at + 4);
        if (i === first) base = out[i]!;
        at += 8;
      } else {
        out[i] = base + d.getInt32(at);
        at += 4;
      }
    }
    for (const s of [0, 2]) {
      if (out[s + 1] === 0) out[s + 1] = out[s]!;
      else if (out[s]! > out[s + 1]!) {
        [out[s], out[s + 1]] = [out[s + 1]!, out[s]!];
      }
    }
  }

  /** Packet and byte counters per direction. */
  get srcPkts(): number {
    return this.#metric(0);
  }
  get srcBytes(): number {
    return this.#metric(1);
  }
  get dstPkts(): number {
    return this.#metric(2);
  }
  get dstBytes(): number {
    return this.#metric(3);
  }
  /** Counter `i` (0 spkts, 1 sbytes, 2 dpkts, 3 dbytes) of the metric DSR. */
  #metric(i: number): number {
    const p = this.dsr(DsrType.METER);
    if (p < 0) return 0;
    const q = this.buf[p + 2]!;
    const app = this.buf[p + 1] === 0x04;
    const b = p + 4;
    const v = this.view;
    // Which fields the compact form holds: both sides, or one.
    const both = q <= 0x04;
    const srcOnly = q >= 0x05 && q <= 0x08;
    if (!both && ((i < 2) !== srcOnly)) return 0;
    // With app bytes each side is (pkts, bytes, appbytes): slots 0 1 3 4.
    const slot = both ? (app ? i + (i >> 1) : i) : i & 1;
    // Field width by form; a DSR too short for the field (a damaged
    // length) reads as 0, as other DSR fields read as absent.
    const size = [1, 2, 4, 8][(q - 1) & 3]!;
    if (b + (slot + 1) * size > p + this.buf[p + 3]! * 4) return 0;
    switch (q) {
      case 0x01: // SRCDST_BYTE
        return this.buf[b + slot]!;
      case 0x02:
      case 0x06:
      case 0x0a:
        return v.getUint16(b + slot * 2);
      case 0x03:
      case 0x07:
      case 0x0b:
        return v.getUint32(b + slot * 4);
      case 0x04:
      case 0x08:
      case 0x0c:
        return Number(v.getBigUint64(b + slot * 8));
      case 0x05:
      case 0x09:
        return this.buf[b + slot]!;
    }
    return 0;
  }

  // --- network DSR ------------------------------------------------------------

  /** Network DSR subtype (TCP 3/4/5, ICMP 0x34, ESP 0x38, ...), -1 if none. */
  get netSubtype(): number {
    const p = this.dsr(DsrType.NETWORK);
    return p < 0 ? -1 : this.buf[p + 1]!;
  }
  /** TCP connection status bits (0 when not TCP). */
  get tcpStatus(): number {
    const p = this.dsr(DsrType.NETWORK);
    const s = this.netSubtype;
    return p >= 0 && s >= 3 && s <= 5 ? this.view.getUint32(p + 4) : 0;
  }
  /** TCP flags seen from the source and from the destination. */
  get tcpSrcFlags(): number {
    const p = this.dsr(DsrType.NETWORK);
    switch (this.netSubtype) {
      case 3:
        return this.buf[p + 18]!;
      case 4:
        return this.buf[p + 8]!;
      case 5:
        return this.buf[p + 24 + 46]!;
    }
    return 0;
  }
  get tcpDstFlags(): number {
    const p = this.dsr(DsrType.NETWORK);
    switch (this.netSubtype) {
      case 4:
        return this.buf[p + 9]!;
      case 5:
        return this.buf[p + 24 + 48 + 46]!;
    }
    return 0;
  }

  /** IP attributes: TTL and TOS per direction (-1 when absent). */
  get srcTtl(): number {
    return this.#attr(true, 0);
  }
  get dstTtl(): number {
    return this.#attr(false, 0);
  }
  get srcTos(): number {
    return this.#attr(true, 1);
  }
  get dstTos(): number {
    return this.#attr(false, 1);
  }
  #attr(src: boolean, field: number): number {
    const p = this.dsr(DsrType.IPATTR);
    if (p < 0) return -1;
    const q = this.buf[p + 2]!;
    if (src) return q & 1 ? this.buf[p + 4 + field]! : -1;
    if (!(q & 2)) return -1;
    const at = p + 4 + (q & 1 ? 4 : 0) + (q & 4 ? 4 : 0);
    return this.buf[at + field]!;
  }

  /** Encapsulation bits seen from the source and the destination. */
  get srcEncaps(): number {
    const p = this.dsr(DsrType.ENCAPS);
    return p < 0 ? 0 : this.view.getUint32(p + 4);
  }
  get dstEncaps(): number {
    const p = this.dsr(DsrType.ENCAPS);
    return p < 0 ? 0 : this.view.getUint32(p + 8);
  }
}
