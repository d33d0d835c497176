/**
 * Flow DSR (type 0x02): the flow key (docs/record-format.md §5). IPv4 and
 * IPv6 keys come in per-protocol layouts (ICMP, ESP, IGMP, non-first
 * fragments reuse the port bytes, some in argus's x86 host order); ether,
 * ARP and RARP keys have their own. Fields are as stored: a key with the
 * REVERSE subtype bit is not turned round here.
 * @module
 */

import { readMac, type RecordBuffer } from "../record_buffer.ts";
import { AddrType, FlowQual, FlowSubtype } from "../dsr_type.ts";

/** IPv4 TCP, UDP and any other protocol without its own layout. */
export interface Ipv4Key {
  kind: "ipv4";
  src: number;
  dst: number;
  proto: number;
  /** Second protocol byte (0, or what an ICMP error quotes). */
  tpProto: number;
  sport: number;
  dport: number;
  /** Mask bytes; argus keeps a UDP port-53 DNS id here, low byte in smask. */
  smask: number;
  dmask: number;
}

/** IPv4 ICMP (proto 1). */
export interface Ipv4IcmpKey {
  kind: "icmp";
  src: number;
  dst: number;
  proto: number;
  tpProto: number;
  type: number;
  code: number;
  /** Echo id, stored little-endian (ra prints it byte-swapped). */
  id: number;
  /** Echo sequence (argus's ip_id slot), stored little-endian. */
  ipId: number;
}

/** IPv4 ESP (proto 50). */
export interface Ipv4EspKey {
  kind: "esp";
  src: number;
  dst: number;
  proto: number;
  tpProto: number;
  pad: number;
  spi: number;
}

/** IPv4 IGMP (proto 2). */
export interface Ipv4IgmpKey {
  kind: "igmp";
  src: number;
  dst: number;
  proto: number;
  tpProto: number;
  type: number;
  code: number;
  pad: number;
  ipId: number;
}

/** IPv4 key made from a non-first fragment (qualifier FRAGMENT). */
export interface Ipv4FragKey {
  kind: "ipv4frag";
  src: number;
  dst: number;
  proto: number;
  tpProto: number;
  /** The 4 bytes where ports would be, as a big-endian number (0). */
  pad: number;
  /** IP id, stored little-endian. */
  ipId: number;
}

/** IPv6 TCP, UDP and other next headers. Addresses are 16-byte arrays. */
export interface Ipv6Key {
  kind: "ipv6";
  src: Uint8Array;
  dst: Uint8Array;
  proto: number;
  /** The 24 bits after the next-header byte (4 reserved, 20 flow label). */
  flow: number;
  sport: number;
  dport: number;
}

/** ICMPv6 (next header 58). */
export interface Ipv6IcmpKey {
  kind: "icmp6";
  src: Uint8Array;
  dst: Uint8Array;
  proto: number;
  flow: number;
  type: number;
  code: number;
  id: number;
}

/** IPv6 ESP (next header 50). */
export interface Ipv6EspKey {
  kind: "esp6";
  src: Uint8Array;
  dst: Uint8Array;
  proto: number;
  flow: number;
  spi: number;
}

/** IPv6 key made from a non-first fragment. */
export interface Ipv6FragKey {
  kind: "ipv6frag";
  src: Uint8Array;
  dst: Uint8Array;
  proto: number;
  flow: number;
  /** Fragment id, stored little-endian. */
  ipId: number;
}

/** A frame with neither IP nor ARP: MAC addresses as 48-bit numbers. */
export interface EtherKey {
  kind: "ether";
  /** First address in the key (the Ethernet header's destination slot). */
  dst: number;
  /** Second address (the source slot). */
  src: number;
  /** Ethertype, 0 for 802.3/LLC frames. */
  etherType: number;
  dsap: number;
  ssap: number;
}

/** ARP (flow subtype 0x06, address type 4). */
export interface ArpKey {
  kind: "arp";
  hrd: number;
  pro: number;
  hln: number;
  pln: number;
  op: number;
  spa: number;
  tpa: number;
  /**
   * Requester's hardware address. The writer keeps `4·ceil(hln/4) − 4`
   * bytes of it, as argus does (4 of an Ethernet MAC's 6).
   */
  haddr: Uint8Array;
}

/** RARP (flow subtype 0x06, address type 5). */
export interface RarpKey {
  kind: "rarp";
  hrd: number;
  pro: number;
  hln: number;
  pln: number;
  op: number;
  tpa: number;
  /** The two hardware addresses, `hln` bytes each, packed back to back. */
  shaddr: Uint8Array;
  dhaddr: Uint8Array;
}

/** Any flow key this codec models. */
export type FlowKey =
  | Ipv4Key
  | Ipv4IcmpKey
  | Ipv4EspKey
  | Ipv4IgmpKey
  | Ipv4FragKey
  | Ipv6Key
  | Ipv6IcmpKey
  | Ipv6EspKey
  | Ipv6FragKey
  | EtherKey
  | ArpKey
  | RarpKey;

/** The flow DSR. */
export interface FlowDsr {
  /**
   * Subtype; the writer keeps bits 0xc0 (REVERSE 0x40) and sets the low
   * bits from the key (0x01 classic 5-tuple, 0x06 ARP/RARP).
   */
  subtype: number;
  /**
   * Qualifier; the writer keeps bits 0x60 (DIRECTION 0x20) and sets the
   * address type and FRAGMENT bit from the key.
   */
  qual: number;
  key: FlowKey;
}

const PROTO_ICMP = 1, PROTO_IGMP = 2, PROTO_ESP = 50, PROTO_ICMPV6 = 58;

/** Decodes the DSR at `p`; null for a layout this codec does not model. */
export function decodeFlow(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): FlowDsr | null {
  const subtype = b[p + 1]!, qual = b[p + 2]!;
  const base = subtype & 0x3f, addr = qual & 0x1f;
  const frag = (qual & FlowQual.FRAGMENT) !== 0;
  const k = p + 4;
  let key: FlowKey | null = null;
  if (base === FlowSubtype.CLASSIC5TUPLE) {
    if (addr === AddrType.IPV4 && len === 5) key = ipv4Key(b, v, k, frag);
    else if (addr === AddrType.IPV6 && len === 11) key = ipv6Key(b, v, k, frag);
    else if (addr === AddrType.ETHER && len === 5 && !frag) {
      key = {
        kind: "ether",
        dst: readMac(v, k),
        src: readMac(v, k + 6),
        etherType: v.getUint16(k + 12),
        dsap: b[k + 14]!,
        ssap: b[k + 15]!,
      };
    }
  } else if (base === FlowSubtype.ARP && !frag) {
    if (addr === AddrType.ARP) key = arpKey(b, v, k, len - 1);
    else if (addr === AddrType.RARP) key = rarpKey(b, v, k, len - 1);
  }
  return key === null ? null : { subtype, qual, key };
}

function ipv4Key(
  b: Uint8Array,
  v: DataView,
  k: number,
  frag: boolean,
): FlowKey {
  const src = v.getUint32(k), dst = v.getUint32(k + 4);
  const proto = b[k + 8]!, tpProto = b[k + 9]!;
  if (frag) {
    const pad = v.getUint32(k + 10), ipId = v.getUint16(k + 14, true);
    return { kind: "ipv4frag", src, dst, proto, tpProto, pad, ipId };
  }
  switch (proto) {
    case PROTO_ICMP:
      return {
        kind: "icmp",
        src,
        dst,
        proto,
        tpProto,
        type: b[k + 10]!,
        code: b[k + 11]!,
        id: v.getUint16(k + 12, true),
        ipId: v.getUint16(k + 14, true),
      };
    case PROTO_ESP:
      return {
        kind: "esp",
        src,
        dst,
        proto,
        tpProto,
        pad: v.getUint16(k + 10),
        spi: v.getUint32(k + 12),
      };
    case PROTO_IGMP:
      return {
        kind: "igmp",
        src,
        dst,
        proto,
        tpProto,
        type: b[k + 10]!,
        code: b[k + 11]!,
        pad: v.getUint16(k + 12),
        ipId: v.getUint16(k + 14),
      };
  }
  return {
    kind: "ipv4",
    src,
    dst,
    proto,
    tpProto,
    sport: v.getUint16(k + 10),
    dport: v.getUint16(k + 12),
    smask: b[k + 14]!,
    dmask: b[k + 15]!,
  };
}

function ipv6Key(
  b: Uint8Array,
  v: DataView,
  k: number,
  frag: boolean,
): FlowKey {
  const src = b.slice(k, k + 16), dst = b.slice(k + 16, k + 32);
  const proto = b[k + 32]!, flow = v.getUint32(k + 32) & 0xffffff;
  if (frag) {
    const ipId = v.getUint32(k + 36, true);
    return { kind: "ipv6frag", src, dst, proto, flow, ipId };
  }
  switch (proto) {
    case PROTO_ICMPV6:
      return {
        kind: "icmp6",
        src,
        dst,
        proto,
        flow,
        type: b[k + 36]!,
        code: b[k + 37]!,
        id: v.getUint16(k + 38),
      };
    case PROTO_ESP:
      return { kind: "esp6", src, dst, proto, flow, spi: v.getUint32(k + 36) };
  }
  return {
    kind: "ipv6",
    src,
    dst,
    proto,
    flow,
    sport: v.getUint16(k + 36),
    dport: v.getUint16(k + 38),
  };
}

/** Body words of an ARP key: argus counts 3 + ceil(hln/4) (one short). */
function arpWords(hln: number): number {
  return 3 + ((hln + 3) >> 2);
}

/** Body words of a RARP key: 3 + ceil(2·hln/4). */
function rarpWords(hln: number): number {
  return 3 + ((hln * 2 + 3) >> 2);
}

function arpKey(
  b: Uint8Array,
  v: DataView,
  k: number,
  body: number,
): ArpKey | null {
  const hln = b[k + 4]!;
  if (body !== arpWords(hln) || body < 4) return null;
  return {
    kind: "arp",
    hrd: v.getUint16(k),
    pro: v.getUint16(k + 2),
    hln,
    pln: b[k + 5]!,
    op: v.getUint16(k + 6),
    spa: v.getUint32(k + 8),
    tpa: v.getUint32(k + 12),
    haddr: b.slice(k + 16, k + body * 4),
  };
}

function rarpKey(
  b: Uint8Array,
  v: DataView,
  k: number,
  body: number,
): RarpKey | null {
  const hln = b[k + 4]!;
  if (body !== rarpWords(hln)) return null;
  const end = k + 12 + 2 * hln;
  for (let i = end; i < k + body * 4; i++) if (b[i] !== 0) return null;
  return {
    kind: "rarp",
    hrd: v.getUint16(k),
    pro: v.getUint16(k + 2),
    hln,
    pln: b[k + 5]!,
    op: v.getUint16(k + 6),
    tpa: v.getUint32(k + 8),
    shaddr: b.slice(k + 12, k + 12 + hln),
    dhaddr: b.slice(k + 12 + hln, end),
  };
}

/**
 * The flow subtype (bits 0-7) and qualifier bits (address type and
 * FRAGMENT, bits 8-15) a key kind implies; one number, no allocation.
 */
function keyBits(key: FlowKey): number {
  const classic = FlowSubtype.CLASSIC5TUPLE, frag = FlowQual.FRAGMENT;
  switch (key.kind) {
    case "ipv4":
    case "icmp":
    case "esp":
    case "igmp":
      return classic | (AddrType.IPV4 << 8);
    case "ipv4frag":
      return classic | ((AddrType.IPV4 | frag) << 8);
    case "ipv6":
    case "icmp6":
    case "esp6":
      return classic | (AddrType.IPV6 << 8);
    case "ipv6frag":
      return classic | ((AddrType.IPV6 | frag) << 8);
    case "ether":
      return classic | (AddrType.ETHER << 8);
    case "arp":
      return FlowSubtype.ARP | (AddrType.ARP << 8);
    case "rarp":
      return FlowSubtype.ARP | (AddrType.RARP << 8);
  }
}

export function encodeFlow(out: RecordBuffer, d: FlowDsr): void {
  const key = d.key;
  const bits = keyBits(key);
  const subtype = (d.subtype & 0xc0) | (bits & 0xff);
  const qual = (d.qual & 0x60) | (bits >> 8);
  switch (key.kind) {
    case "ipv4":
    case "icmp":
    case "esp":
    case "igmp":
    case "ipv4frag":
      out.dsr(0x02, subtype, qual, 5);
      out.u32(key.src);
      out.u32(key.dst);
      out.u8(key.proto);
      out.u8(key.tpProto);
      ipv4Tail(out, key);
      return;
    case "ipv6":
    case "icmp6":
    case "esp6":
    case "ipv6frag":
      out.dsr(0x02, subtype, qual, 11);
      out.putFixed(key.src, 16);
      out.putFixed(key.dst, 16);
      out.u32(key.proto * 0x1000000 + (key.flow & 0xffffff));
      ipv6Tail(out, key);
      return;
    case "ether":
      out.dsr(0x02, subtype, qual, 5);
      out.mac(key.dst);
      out.mac(key.src);
      out.u16(key.etherType);
      out.u8(key.dsap);
      out.u8(key.ssap);
      return;
    case "arp": {
      const words = arpWords(key.hln);
      out.dsr(0x02, subtype, qual, words + 1);
      const start = out.pos;
      out.u16(key.hrd);
      out.u16(key.pro);
      out.u8(key.hln);
      out.u8(key.pln);
      out.u16(key.op);
      out.u32(key.spa);
      out.u32(key.tpa);
      // A short hardware address cuts even the target address (hln < 4).
      if (words < 4) out.pos = start + words * 4;
      else out.putFixed(key.haddr, words * 4 - 16);
      return;
    }
    case "rarp": {
      const words = rarpWords(key.hln);
      out.dsr(0x02, subtype, qual, words + 1);
      const start = out.pos;
      out.u16(key.hrd);
      out.u16(key.pro);
      out.u8(key.hln);
      out.u8(key.pln);
      out.u16(key.op);
      out.u32(key.tpa);
      out.putFixed(key.shaddr, key.hln);
      out.putFixed(key.dhaddr, key.hln);
      out.zeros(start + words * 4 - out.pos);
      return;
    }
  }
}

function ipv4Tail(
  out: RecordBuffer,
  key: Ipv4Key | Ipv4IcmpKey | Ipv4EspKey | Ipv4IgmpKey | Ipv4FragKey,
): void {
  switch (key.kind) {
    case "ipv4":
      out.u16(key.sport);
      out.u16(key.dport);
      out.u8(key.smask);
      out.u8(key.dmask);
      return;
    case "icmp":
      out.u8(key.type);
      out.u8(key.code);
      out.u16le(key.id);
      out.u16le(key.ipId);
      return;
    case "esp":
      out.u16(key.pad);
      out.u32(key.spi);
      return;
    case "igmp":
      out.u8(key.type);
      out.u8(key.code);
      out.u16(key.pad);
      out.u16(key.ipId);
      return;
    case "ipv4frag":
      out.u32(key.pad);
      out.u16le(key.ipId);
      return;
  }
}

function ipv6Tail(
  out: RecordBuffer,
  key: Ipv6Key | Ipv6IcmpKey | Ipv6EspKey | Ipv6FragKey,
): void {
  switch (key.kind) {
    case "ipv6":
      out.u16(key.sport);
      out.u16(key.dport);
      return;
    case "icmp6":
      out.u8(key.type);
      out.u8(key.code);
      out.u16(key.id);
      return;
    case "esp6":
      out.u32(key.spi);
      return;
    case "ipv6frag":
      out.u32le(key.ipId);
      return;
  }
}
