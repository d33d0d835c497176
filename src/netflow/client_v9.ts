/**
 * NetFlow v9 export packets as the Argus records a client makes of them
 * (ra -S cisco://, radium: argus-clients 3.0.8 ArgusParseCiscoRecordV9*).
 * Unlike the sensor's (netflow_v9.ts): no ICMP type in the key, a MAC DSR
 * when a MAC field is sent, templates timed out by the clock, records
 * limited by the header's count, and times without the uptime's ms.
 * @module
 */

import type { RecordBuffer } from "../record/mod.ts";
import { type Template, V9_HEADER, V9Templates } from "./v9_templates.ts";
const TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58;
const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PUSH = 0x08;
const TH_ACK = 0x10, TH_URG = 0x20;

/** Templates per exporter (source id and address), and the decoder. */
export class ClientNetflowV9 {
  /** Templates by exporter, timed out by the clock. */
  readonly #templateStore = new V9Templates();

  /**
   * Appends the records of the v9 datagram `v[at..end)` from `exporter`
   * (IPv4 address, 0 when not IPv4) received at `now` (seconds) to `out`.
   * @returns the number of records
   */
  append(
    out: RecordBuffer,
    v: DataView,
    at: number,
    end: number,
    exporter: number,
    now: number,
  ): number {
    if (end - at < V9_HEADER) return 0;
    const hdr: Header = {
      count: v.getUint16(at + 2),
      uptime: v.getUint32(at + 4),
      unixSecs: v.getUint32(at + 8),
    };
    const key = V9Templates.key(v.getUint32(at + 16), exporter);
    let n = 0;
    for (let p = at + V9_HEADER; p + 4 <= end;) {
      const id = v.getUint16(p), len = v.getUint16(p + 2);
      // The client would read a 0-length flowset for ever: stop instead.
      if (len === 0) break;
      if (id === 0) this.#templates(key, v, p + 4, len - 4, end, now);
      else if (id >= 256) {
        const t = this.#templateStore.find(key, id, now);
        if (t !== undefined) {
          n += decodeData(out, v, p, Math.min(p + len, end), t, hdr);
        }
      }
      // Option templates (1) and ids 2..255: nothing is read.
      p += len;
    }
    return n;
  }

  #templates(
    key: string,
    v: DataView,
    p: number,
    len: number,
    end: number,
    now: number,
  ): void {
    for (;;) {
      if (p + 4 > end) return;
      const count = v.getInt16(p + 2);
      const size = 4 + 4 * count;
      if (size > len || size <= 0 || p + size > end) return;
      const fields: [number, number][] = [];
      for (let i = 0; i < count; i++) {
        fields.push([v.getUint16(p + 4 + 4 * i), v.getUint16(p + 6 + 4 * i)]);
      }
      this.#templateStore.set(key, v.getUint16(p), fields, now);
      // The client reads on only while more than a header and a field
      // are left.
      if (len - size <= 8) return;
      p += size;
      len -= size;
    }
  }
}

/** The header fields a data record needs; `count` is used up by them. */
interface Header {
  count: number;
  uptime: number;
  unixSecs: number;
}

/**
 * Decodes the data flowset at `v[p..end)` with template `t`: records
 * while more than 3 bytes (padding) are left and the header's count of
 * records is not used up.
 */
function decodeData(
  out: RecordBuffer,
  v: DataView,
  p: number,
  end: number,
  t: Template,
  hdr: Header,
): number {
  let n = 0;
  for (let s = p + 4; hdr.count > 0 && s < end - 3;) {
    const r = new ClientV9Record();
    for (const [type, length] of t.fields) {
      if (s + length > end) return n;
      r.field(type, length, v, s, hdr);
      s += length;
    }
    r.encode(out);
    n++;
    hdr.count--;
  }
  return n;
}

/**
 * One data record as the client collects it: the key in the memory
 * layout of its IPv6 flow structure (little-endian host), as fields of
 * either family are written over it.
 */
class ClientV9Record {
  readonly key = new Uint8Array(40);
  readonly #kv = new DataView(this.key.buffer);
  hasFlow = false;
  ipv6 = false;
  pkts = 0;
  bytes = 0;
  hasMetric = false;
  start: [number, number] = [0, 0];
  end: [number, number] = [0, 0];
  hasTime = false;
  status = 0;
  flags = 0;
  hasNet = false;
  ttl = 0;
  tos = 0;
  ipId = 0;
  hasAttr = false;
  hasMac = false;
  srcAs = 0;
  dstAs = 0;
  hasAsn = false;
  #unixSecs = 0;

  field(
    type: number,
    length: number,
    v: DataView,
    s: number,
    hdr: Header,
  ): void {
    this.#unixSecs = hdr.unixSecs;
    // The value as the client holds it: the big-endian number in host
    // (little-endian) order, or 16 bytes as they are; narrower reads
    // take its low bytes.
    const value = new Uint8Array(16);
    if (length === 1 || length === 2 || length === 4 || length === 8) {
      for (let i = 0; i < length; i++) {
        value[i] = v.getUint8(s + length - 1 - i);
      }
    } else if (length === 16) {
      value.set(new Uint8Array(v.buffer, v.byteOffset + s, 16));
    }
    const vv = new DataView(value.buffer);
    const val8 = value[0]!;
    const val16 = vv.getUint16(0, true);
    const val32 = vv.getUint32(0, true);
    const kv = this.#kv;
    switch (type) {
      case 1: // IN_BYTES
      case 85: // IN_PERMANENT_BYTES
        this.bytes = val32;
        this.hasMetric = true;
        break;
      case 2: // IN_PKTS
        this.pkts = val32;
        this.hasMetric = true;
        break;
      case 4: // PROTOCOL
        this.key[35] = val8;
        this.hasFlow = true;
        break;
      case 5: // SRC_TOS
        this.tos = val8;
        this.hasAttr = true;
        break;
      case 6: // TCP_FLAGS
        this.flags = val8;
        this.status |= tcpStatus(val8);
        this.hasNet = true;
        break;
      case 7: // L4_SRC_PORT
        kv.setUint16(36, val16, true);
        this.hasFlow = true;
        break;
      case 8: // IPV4_SRC_ADDR
        kv.setUint32(0, val32, true);
        this.hasFlow = true;
        break;
      case 9: // SRC_MASK
        kv.setUint32(12, maskOf(val8), true);
        this.hasFlow = true;
        break;
      case 11: // L4_DST_PORT
        kv.setUint16(38, val16, true);
        this.hasFlow = true;
        break;
      case 12: // IPV4_DST_ADDR
        kv.setUint32(16, val32, true);
        this.hasFlow = true;
        break;
      case 13: // DST_MASK
        kv.setUint32(28, maskOf(val8), true);
        this.hasFlow = true;
        break;
      case 16: // SRC_AS
        this.srcAs = length === 2 ? val16 : val32;
        this.hasAsn = true;
        break;
      case 17: // DST_AS
        this.dstAs = length === 2 ? val16 : val32;
        this.hasAsn = true;
        break;
      case 21: // LAST_SWITCHED
        this.end = uptimeTime(hdr, length === 2 ? val16 : val32);
        this.hasTime = true;
        break;
      case 22: // FIRST_SWITCHED
        this.start = uptimeTime(hdr, length === 2 ? val16 : val32);
        this.hasTime = true;
        break;
      case 27: // IPV6_SRC_ADDR
        this.key.set(value, 0);
        this.hasFlow = this.ipv6 = true;
        break;
      case 28: // IPV6_DST_ADDR
        this.key.set(value, 16);
        this.hasFlow = this.ipv6 = true;
        break;
      case 52: // MIN_TTL
      case 53: // MAX_TTL
        this.ttl = val8;
        this.hasAttr = true;
        break;
      case 54: // IPV4_IDENT
        this.ipId = val16;
        this.hasAttr = true;
        break;
      case 55: // DST_TOS: kept for the destination, which is not written
        this.hasAttr = true;
        break;
      case 56: // SRC_MAC
      case 57: // DST_MAC
      case 80: // IN_DST_MAC
      case 81: // OUT_SRC_MAC
        // The client marks a MAC DSR but copies no address into it.
        this.hasMac = true;
        break;
      case 178: // ICMP_TYPE_IPV6
        this.key[36] = val8;
        this.hasFlow = true;
        break;
      case 179: // ICMP_CODE_IPV6
        this.key[37] = val8;
        this.hasFlow = true;
        break;
        // 32 (ICMP_TYPE), VLANs and packet sizes fill DSRs the client
        // never writes out.
    }
  }

  encode(out: RecordBuffer): void {
    const recordStart = out.pos;
    out.reserve(160); // a record is at most 136 bytes
    out.u8(0x33); // ARGUS_FAR | ARGUS_NETFLOW | version 3
    out.u8(0x20); // ARGUS_STATUS
    out.u16(0);
    if (this.hasFlow) this.#encodeFlow(out);
    let start = this.start, end = this.end;
    if (!this.hasTime) {
      // No times: the header's second (the client's uptime is 0).
      start = end = [this.#unixSecs, 0];
    }
    if (start[0] === end[0] && start[1] === end[1] && this.pkts > 1) {
      // A flow of no duration: stretched 1 µs per packet.
      const d = this.pkts / 1e6;
      const whole = Math.trunc(d);
      end = [start[0] + whole, start[1] + Math.trunc((d - whole) * 1e6)];
      if (end[1] >= 1e6) end = [end[0] + 1, end[1] - 1e6];
    }
    out.dsr(0x03, 0x02, 0x18, 5);
    out.u32(start[0] >>> 0);
    out.u32(start[1] >>> 0);
    out.u32(end[0] >>> 0);
    out.u32(end[1] >>> 0);
    if (this.hasMetric) {
      out.dsr(0x10, 0x01, 0x07, 3);
      out.u32(this.pkts);
      out.u32(this.bytes);
    }
    if (this.hasNet) {
      out.dsr(0x30, 0x04, 0x00, 3);
      out.u32(this.status);
      out.u8(this.flags);
      out.u8(0);
      out.u16(0);
    }
    if (this.hasAttr) {
      out.dsr(0x48, 0x00, 0x01, 2);
      out.u8(this.ttl);
      out.u8(this.tos);
      out.u16(this.ipId);
    }
    if (this.hasMac) {
      out.dsr(0x42, 0x00, 0x00, 5);
      out.zeros(16);
    }
    if (this.hasAsn) {
      out.dsr(0x32, 0x00, 0x00, 3);
      out.u32(this.srcAs);
      out.u32(this.dstAs);
    }
    out.view.setUint16(recordStart + 2, (out.pos - recordStart) / 4);
  }

  /** The key as the client's byte-order conversion leaves it. */
  #encodeFlow(out: RecordBuffer): void {
    const k = this.key, kv = this.#kv;
    const proto = k[35]!;
    const sport = kv.getUint16(36, true), dport = kv.getUint16(38, true);
    if (this.ipv6) {
      out.dsr(0x02, 0x01, 0x02, 11);
      out.put(k.subarray(0, 32));
      out.u8(proto);
      out.u8(0);
      out.u16(0);
      if (proto === TCP || proto === UDP) {
        out.u16(sport);
        out.u16(dport);
      } else if (proto === ICMPV6) {
        // Type and code bytes as stored; the id converted.
        out.u8(k[36]!);
        out.u8(k[37]!);
        out.u16(dport);
      } else {
        out.u16le(sport);
        out.u16le(dport);
      }
      return;
    }
    out.dsr(0x02, 0x01, 0x01, 5);
    out.u32(kv.getUint32(0, true));
    out.u32(kv.getUint32(16, true));
    out.u8(proto);
    out.u8(0);
    const smask = k[12]!, dmask = k[28]!;
    if (proto === TCP || proto === UDP) {
      out.u16(sport);
      out.u16(dport);
      out.u8(smask);
      out.u8(dmask);
    } else if (proto === ICMP) {
      // Type/code as stored; id and ip_id (over the masks) converted.
      out.u16le(sport);
      out.u16(dport);
      out.u16(smask | (dmask << 8));
    } else {
      out.u16le(sport);
      out.u16le(dport);
      out.u8(smask);
      out.u8(dmask);
    }
  }
}

/** The client's v9 TCP status: SYN|ACK adds nothing, RST sets RESET. */
function tcpStatus(flags: number): number {
  let s = 0;
  if (flags & TH_RST) s |= 0x3000;
  if (flags & TH_FIN) s |= 0x08;
  if (flags & (TH_ACK | TH_PUSH | TH_URG)) s |= 0x04;
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) s |= 0x01;
  return s;
}

/** A prefix length as the client's mask (x86 shifts count mod 32). */
function maskOf(bits: number): number {
  return (0xffffffff << ((32 - bits) & 31)) >>> 0;
}

/** [sec, usec] of an uptime in ms (the header has no microseconds). */
function uptimeTime(hdr: Header, at: number): [number, number] {
  const diff = at - hdr.uptime;
  let sec = hdr.unixSecs + Math.trunc(diff / 1000);
  let usec = (diff % 1000) * 1000;
  if (usec < 0) {
    sec--;
    usec += 1000000;
  }
  return [sec >>> 0, usec];
}
