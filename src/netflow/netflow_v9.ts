/**
 * NetFlow v9 export packets as Argus flow records, as argus -r cisco:file
 * writes them (argus 3.0.8 ArgusParseCiscoRecordV9Template/Data): templates
 * kept per exporter (source id and address) for 1800 s of packet time, one
 * FAR|NETFLOW record per data record (IPv4 and IPv6). Byte layout checked
 * against the real argus on softflowd's exports (tests/testdata/netflow/).
 * @module
 */

import type { RecordBuffer } from "../record/mod.ts";
import { encodeMetric } from "../record/dsr/metric_dsr.ts";
import { V9_HEADER, V9Templates } from "./v9_templates.ts";

/** Field types argus reads (Cisco's NetFlow v9 numbering). */
const F = {
  IN_BYTES: 1,
  IN_PKTS: 2,
  PROTOCOL: 4,
  SRC_TOS: 5,
  TCP_FLAGS: 6,
  L4_SRC_PORT: 7,
  IPV4_SRC_ADDR: 8,
  SRC_MASK: 9,
  L4_DST_PORT: 11,
  IPV4_DST_ADDR: 12,
  DST_MASK: 13,
  LAST_SWITCHED: 21,
  FIRST_SWITCHED: 22,
  IPV6_SRC_ADDR: 27,
  IPV6_DST_ADDR: 28,
  // 139 (ICMPv6 type) leaves the key's type byte 0 in argus (checked).
  ICMP_TYPE: 32,
  MIN_TTL: 52,
  MAX_TTL: 53,
  IPV4_IDENT: 54,
} as const;

const TH_FIN = 0x01, TH_SYN = 0x02, TH_PUSH = 0x08, TH_ACK = 0x10;
const TH_URG = 0x20;

/** Templates of every exporter seen, and the v9 record encoder. */
export class NetflowV9 {
  /** Templates by exporter, timed out by packet time. */
  readonly #templateStore = new V9Templates();

  /**
   * Appends the records of the v9 packet `v[at..end)` from `exporter`
   * (IPv4 address) captured at `now` (seconds) to `out`.
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
    const uptime = v.getUint32(at + 4);
    const unixSecs = v.getUint32(at + 8);
    const sourceId = v.getUint32(at + 16);
    const key = V9Templates.key(sourceId, exporter);
    let n = 0;
    for (let p = at + V9_HEADER; p + 4 <= end;) {
      const id = v.getUint16(p), len = v.getUint16(p + 2);
      if (len === 0) break;
      if (id === 0) this.#templates(key, v, p + 4, len - 4, now);
      else if (id >= 256) {
        n += this.#data(out, key, v, p, Math.min(p + len, end), id, now, {
          uptime,
          unixSecs,
        });
      }
      // id 1, option templates: argus reads nothing from them.
      p += len;
    }
    return n;
  }

  #templates(key: string, v: DataView, p: number, len: number, now: number) {
    while (len >= 4 && p + 4 <= v.byteLength) {
      const id = v.getUint16(p), count = v.getUint16(p + 2);
      const size = 4 + 4 * count;
      if (p + size > v.byteLength) return;
      const fields: [number, number][] = [];
      for (let i = 0; i < count; i++) {
        fields.push([v.getUint16(p + 4 + 4 * i), v.getUint16(p + 6 + 4 * i)]);
      }
      this.#templateStore.set(key, id, fields, now);
      if (len - size <= 0) return;
      p += size;
      len -= size;
    }
  }

  #data(
    out: RecordBuffer,
    key: string,
    v: DataView,
    p: number,
    end: number,
    id: number,
    now: number,
    hdr: { uptime: number; unixSecs: number },
  ): number {
    const t = this.#templateStore.find(key, id, now);
    if (t === undefined) return 0;
    let n = 0;
    // A template of no bytes would never advance (argus would loop).
    if (t.fields.every(([, length]) => length === 0)) return 0;
    // argus reads records while more than 3 bytes (padding) are left.
    for (let s = p + 4; s < end - 3;) {
      const r = new V9Record();
      for (const [type, length] of t.fields) {
        if (s + length > v.byteLength) return n;
        r.field(type, length, v, s, hdr);
        s += length;
      }
      r.encode(out, hdr);
      n++;
    }
    return n;
  }
}

/** One data record's values as argus collects them. */
class V9Record {
  src = 0;
  dst = 0;
  proto = 0;
  sport = 0;
  dport = 0;
  /** Bytes 10 and 11 of the key when an ICMP type field overlays sport. */
  icmp = -1;
  smask = 0;
  dmask = 0;
  hasFlow = false;
  /** IPv6 addresses, as on the wire (argus copies them raw). */
  src6: Uint8Array | null = null;
  dst6: Uint8Array | null = null;
  pkts = 0;
  bytes = 0;
  hasMetric = false;
  start: [number, number] | null = null;
  end: [number, number] = [0, 0];
  hasEnd = false;
  status = 0;
  hasNet = false;
  tos = 0;
  ttl = 0;
  ipId = 0;
  hasAttr = false;

  field(
    type: number,
    length: number,
    v: DataView,
    s: number,
    hdr: { uptime: number; unixSecs: number },
  ): void {
    const value = length === 1
      ? v.getUint8(s)
      : length === 2
      ? v.getUint16(s)
      : length === 4
      ? v.getUint32(s)
      : 0;
    // argus reads a byte-sized field as the low byte of the value it
    // extracted in host order (so a 2-byte ICMP type gives the code).
    const low = value & 0xff;
    switch (type) {
      case F.IN_BYTES:
        this.bytes = value;
        this.hasMetric = true;
        break;
      case F.IN_PKTS:
        this.pkts = value;
        this.hasMetric = true;
        break;
      case F.PROTOCOL:
        this.proto = low;
        this.hasFlow = true;
        break;
      case F.SRC_TOS:
        this.tos = low;
        this.hasAttr = true;
        break;
      case F.TCP_FLAGS:
        this.status = v9TcpStatus(low);
        this.hasNet = true;
        break;
      case F.L4_SRC_PORT:
        this.sport = value & 0xffff;
        this.hasFlow = true;
        break;
      case F.L4_DST_PORT:
        this.dport = value & 0xffff;
        this.hasFlow = true;
        break;
      case F.IPV4_SRC_ADDR:
        this.src = value;
        this.hasFlow = true;
        break;
      case F.IPV4_DST_ADDR:
        this.dst = value;
        this.hasFlow = true;
        break;
      case F.SRC_MASK:
        this.smask = maskByte(low);
        this.hasFlow = true;
        break;
      case F.DST_MASK:
        this.dmask = maskByte(low);
        this.hasFlow = true;
        break;
      case F.FIRST_SWITCHED:
        this.start = uptimeTime(hdr.unixSecs, value, hdr.uptime);
        break;
      case F.LAST_SWITCHED:
        this.end = uptimeTime(hdr.unixSecs, value, hdr.uptime);
        this.hasEnd = true;
        break;
      case F.IPV6_SRC_ADDR:
      case F.IPV6_DST_ADDR: {
        const bytes = new Uint8Array(16);
        if (length === 16) {
          bytes.set(new Uint8Array(v.buffer, v.byteOffset + s, 16));
        }
        if (type === F.IPV6_SRC_ADDR) this.src6 = bytes;
        else this.dst6 = bytes;
        this.hasFlow = true;
        break;
      }
      case F.ICMP_TYPE:
        this.icmp = low;
        this.hasFlow = true;
        break;
      case F.MIN_TTL:
      case F.MAX_TTL:
        this.ttl = low;
        this.hasAttr = true;
        break;
      case F.IPV4_IDENT:
        this.ipId = value & 0xffff;
        this.hasAttr = true;
        break;
    }
  }

  encode(out: RecordBuffer, hdr: { uptime: number; unixSecs: number }): void {
    const recordStart = out.pos;
    out.reserve(96);
    out.u8(0x33); // ARGUS_FAR | ARGUS_NETFLOW | version 3
    out.u8(0x20); // ARGUS_STATUS
    out.u16(0);
    if (this.hasFlow && (this.src6 !== null || this.dst6 !== null)) {
      // IPv6: addresses, then the protocol over a 0 flow label.
      out.dsr(0x02, 0x01, 0x02, 11);
      out.put(this.src6 ?? new Uint8Array(16));
      out.put(this.dst6 ?? new Uint8Array(16));
      out.u8(this.proto);
      out.u8(0);
      out.u16(0);
      if (this.icmp >= 0) {
        out.u8(this.icmp);
        out.u8(0);
      } else out.u16(this.sport);
      out.u16(this.dport);
    } else if (this.hasFlow) {
      out.dsr(0x02, 0x01, 0x01, 5);
      out.u32(this.src);
      out.u32(this.dst);
      out.u8(this.proto);
      out.u8(0);
      if (this.icmp >= 0) {
        out.u8(this.icmp);
        out.u8(0);
      } else out.u16(this.sport);
      out.u16(this.dport);
      out.u8(this.smask);
      out.u8(this.dmask);
    }
    let start: [number, number], end: [number, number];
    if (this.start === null && !this.hasEnd) {
      // No times: the header's, with the uptime's milliseconds as argus.
      start = end = [hdr.unixSecs, (hdr.uptime % 1000) * 1000];
    } else {
      start = this.start ?? [0, 0];
      end = this.end;
    }
    if (start[0] === end[0] && start[1] === end[1] && this.pkts > 1) {
      // A flow with no duration: argus stretches it 1 µs per packet.
      const d = this.pkts / 1e6;
      const whole = Math.trunc(d);
      end = [start[0] + whole, start[1] + Math.trunc((d - whole) * 1e6)];
      if (end[1] >= 1e6) end = [end[0] + 1, end[1] - 1e6];
    }
    const range = start[0] !== end[0] || start[1] !== end[1];
    out.dsr(0x03, 0x02, 0x18, range ? 5 : 3);
    out.u32(start[0]);
    out.u32(start[1]);
    if (range) {
      out.u32(end[0]);
      out.u32(end[1]);
    }
    if (this.hasMetric) {
      encodeMetric(out, {
        srcPkts: this.pkts,
        srcBytes: this.bytes,
        srcAppBytes: 0,
        dstPkts: 0,
        dstBytes: 0,
        dstAppBytes: 0,
      });
    }
    if (this.hasNet) {
      out.dsr(0x30, 0x04, 0x00, 3);
      out.u32(this.status);
      out.u32(0);
    }
    if (this.hasAttr) {
      out.dsr(0x48, 0x00, 0x01, 2);
      out.u8(this.ttl);
      out.u8(this.tos);
      out.u16(this.ipId);
    }
    out.view.setUint16(recordStart + 2, (out.pos - recordStart) / 4);
  }
}

/** argus's v9 TCP status: as v5, but SYN|ACK adds nothing. */
function v9TcpStatus(flags: number): number {
  let s = 0;
  if (flags & TH_FIN) s |= 0x08;
  if (flags & (TH_ACK | TH_PUSH | TH_URG)) s |= 0x04;
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) s |= 0x01;
  return s;
}

/** The key's mask byte: the low byte of a prefix-length mask, as argus. */
function maskByte(bits: number): number {
  // x86 shifts by the count mod 32, so a 0-bit mask is all ones.
  return (0xffffffff << ((32 - bits) & 31)) & 0xff;
}

/** [sec, usec] of an uptime in ms (the header's microseconds are 0). */
function uptimeTime(
  unixSecs: number,
  at: number,
  uptime: number,
): [number, number] {
  const diff = at - uptime;
  let sec = unixSecs + Math.trunc(diff / 1000);
  let usec = (diff % 1000) * 1000;
  if (usec < 0) {
    sec--;
    usec += 1000000;
  }
  return [sec >>> 0, usec];
}
