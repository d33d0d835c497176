/**
 * Test packet builders: Ethernet/IPv4/IPv6/TCP/UDP/ICMP frames as bytes,
 * with correct lengths (checksums are not needed by argus and left 0).
 * Each builder returns a fresh Uint8Array; tests only.
 * @module
 */

/** Parses "10.0.0.1" into four bytes. */
export function ipv4(addr: string): number[] {
  const parts = addr.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) {
    throw new TypeError(`Cannot parse IPv4 address "${addr}"`);
  }
  return parts;
}

/** Parses an IPv6 address (with ::) into sixteen bytes. */
export function ipv6(addr: string): number[] {
  const [head, tail] = addr.includes("::")
    ? addr.split("::")
    : [addr, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === undefined
    ? []
    : Array(8 - h.length - t.length).fill("0");
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  if (groups.length !== 8) {
    throw new TypeError(`Cannot parse IPv6 address "${addr}"`);
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parses "02:00:00:00:00:01" into six bytes. */
export function mac(addr: string): number[] {
  return addr.split(":").map((b) => parseInt(b, 16));
}

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (
  v: number,
) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** An Ethernet II frame, padded to 60 bytes as on the wire. */
export function ether(
  dst: string,
  src: string,
  type: number,
  payload: ArrayLike<number>,
  pad = true,
): Uint8Array {
  const bytes = [
    ...mac(dst),
    ...mac(src),
    ...be16(type),
    ...Array.from(payload),
  ];
  while (pad && bytes.length < 60) bytes.push(0);
  return new Uint8Array(bytes);
}

/** Options of an IPv4 header. */
export interface Ipv4Options {
  id?: number;
  ttl?: number;
  tos?: number;
  flags?: number;
  fragOffset?: number;
  options?: number[];
}

/** An IPv4 packet around `payload`. */
export function ipv4Packet(
  src: string,
  dst: string,
  proto: number,
  payload: ArrayLike<number>,
  o: Ipv4Options = {},
): number[] {
  const opts = o.options ?? [];
  const hlen = 20 + opts.length;
  const total = hlen + payload.length;
  const off = ((o.flags ?? 0) << 13) | (o.fragOffset ?? 0);
  return [
    0x40 | (hlen >> 2),
    o.tos ?? 0,
    ...be16(total),
    ...be16(o.id ?? 1),
    ...be16(off),
    o.ttl ?? 64,
    proto,
    0,
    0,
    ...ipv4(src),
    ...ipv4(dst),
    ...opts,
    ...Array.from(payload),
  ];
}

/** An IPv6 packet around `payload` (no extension headers unless given). */
export function ipv6Packet(
  src: string,
  dst: string,
  next: number,
  payload: ArrayLike<number>,
  hopLimit = 64,
): number[] {
  return [
    0x60,
    0,
    0,
    0,
    ...be16(payload.length),
    next,
    hopLimit,
    ...ipv6(src),
    ...ipv6(dst),
    ...Array.from(payload),
  ];
}

/** TCP flag bits. */
export const F = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ECE: 64,
  CWR: 128,
};

/** A TCP segment. */
export function tcp(
  sport: number,
  dport: number,
  flags: number,
  seq: number,
  ack: number,
  data: ArrayLike<number> = [],
  win = 65535,
  options: number[] = [],
): number[] {
  const hlen = 20 + options.length;
  return [
    ...be16(sport),
    ...be16(dport),
    ...be32(seq),
    ...be32(ack),
    (hlen / 4) << 4,
    flags,
    ...be16(win),
    0,
    0,
    0,
    0,
    ...options,
    ...Array.from(data),
  ];
}

/** A UDP datagram. */
export function udp(
  sport: number,
  dport: number,
  data: ArrayLike<number> = [],
): number[] {
  return [
    ...be16(sport),
    ...be16(dport),
    ...be16(8 + data.length),
    0,
    0,
    ...Array.from(data),
  ];
}

/** An ICMP message (echo layout: id and sequence after type/code/checksum). */
export function icmp(
  type: number,
  code: number,
  id: number,
  seq: number,
  data: ArrayLike<number> = [],
): number[] {
  return [type, code, 0, 0, ...be16(id), ...be16(seq), ...Array.from(data)];
}

/** `n` bytes of filler. */
export function filler(n: number, byte = 0x61): number[] {
  return Array(n).fill(byte);
}
