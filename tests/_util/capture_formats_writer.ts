/**
 * Writes the capture formats argus reads besides pcap, for the readers'
 * tests: snoop (RFC 1761), Endace ERF and NLANR/MOAT tsh, each from
 * packets read out of a pcap (pcap_transform.ts readPackets), so that our
 * argus on the converted file can be held against the real argus on the
 * pcap.
 * @module
 */

import type { LinkedPacket } from "./pcap_transform.ts";

const TWO_32 = 4294967296n;

function seconds(time: number): [number, number] {
  const sec = Math.floor(time / 1_000_000);
  return [sec, time - sec * 1_000_000];
}

/** A snoop file (version 2) of Ethernet packets; datalink 4 = Ethernet. */
export function snoopFile(packets: LinkedPacket[], datalink = 4): Uint8Array {
  let size = 16;
  for (const p of packets) size += 24 + ((p.data.length + 3) & ~3);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set([0x73, 0x6e, 0x6f, 0x6f, 0x70, 0, 0, 0]);
  v.setUint32(8, 2);
  v.setUint32(12, datalink);
  let o = 16;
  for (const p of packets) {
    const rec = 24 + ((p.data.length + 3) & ~3);
    const [sec, usec] = seconds(p.time);
    v.setUint32(o, p.wirelen ?? p.data.length);
    v.setUint32(o + 4, p.data.length);
    v.setUint32(o + 8, rec);
    v.setUint32(o + 12, 0);
    v.setUint32(o + 16, sec);
    v.setUint32(o + 20, usec);
    out.set(p.data, o + 24);
    o += rec;
  }
  return out;
}

/** ERF record types the writer uses. */
export const ErfType = { ETH: 2, IPV4: 22, IPV6: 23 } as const;

/** Options of erfFile. */
export interface ErfOptions {
  /** Pad records to 8 bytes as DAG cards do. @default false */
  pad8?: boolean;
  /** Extension headers (8 bytes each) put in every record. @default 0 */
  extensions?: number;
}

/**
 * An ERF file: Ethernet packets (link type 1) as TYPE_ETH records with
 * their 2 bytes of padding, raw IP packets (101, 228, 229) as TYPE_IPV4 or
 * TYPE_IPV6 by the version nibble. The binary fraction of the timestamp is
 * rounded up, so that rounding to µs gives the µs back.
 */
export function erfFile(
  packets: LinkedPacket[],
  options: ErfOptions = {},
): Uint8Array {
  const ext = options.extensions ?? 0;
  const records: Uint8Array[] = [];
  for (const p of packets) {
    const eth = p.linkType === 1;
    const type = eth
      ? ErfType.ETH
      : (p.data[0]! >> 4) === 6
      ? ErfType.IPV6
      : ErfType.IPV4;
    const head = 16 + ext * 8 + (eth ? 2 : 0);
    let rlen = head + p.data.length;
    if (options.pad8) rlen = (rlen + 7) & ~7;
    const r = new Uint8Array(rlen);
    const v = new DataView(r.buffer);
    const [sec, usec] = seconds(p.time);
    const frac = (BigInt(usec) * TWO_32 + 999_999n) / 1_000_000n;
    v.setBigUint64(0, (BigInt(sec) << 32n) | frac, true);
    r[8] = type | (ext > 0 ? 0x80 : 0);
    v.setUint16(10, rlen);
    v.setUint16(14, p.wirelen ?? p.data.length);
    for (let i = 0; i < ext; i++) {
      r[16 + i * 8] = 0x05 | (i < ext - 1 ? 0x80 : 0);
    }
    r.set(p.data, head);
    records.push(r);
  }
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of records) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

/** Where the IPv4 header starts in a packet, or -1 when it has none. */
function ipv4At(p: LinkedPacket): number {
  const d = p.data;
  let at = -1;
  if (p.linkType === 1 && d.length >= 34 && d[12] === 0x08 && d[13] === 0) {
    at = 14;
  } else if ([12, 14, 101, 228].includes(p.linkType)) at = 0;
  return at >= 0 && d.length >= at + 20 && (d[at]! >> 4) === 4 ? at : -1;
}

/** A tsh file and what it holds as raw-IP packets. */
export interface Tsh {
  file: Uint8Array;
  /**
   * The stored packets as a DLT_RAW pcap would hold them, the way argus's
   * ArgusMoatTshRead presents them: the 36 stored bytes and 4 zero bytes
   * (40 captured, cut to a shorter IP total length of at least 20), wire
   * length = the IP total length.
   */
  packets: LinkedPacket[];
}

/**
 * A tsh file of the IPv4 packets (Ethernet without VLAN tags, or raw IP):
 * per packet 44 bytes, the time (interface 0) then the first 36 bytes from
 * the IPv4 header on (zeros past a shorter capture). Other packets are left
 * out, as a tsh capture has no room for them.
 */
export function tshFile(packets: LinkedPacket[], iface = 0): Tsh {
  const kept: LinkedPacket[] = [];
  const file: number[] = [];
  for (const p of packets) {
    const at = ipv4At(p);
    if (at < 0) continue;
    const [sec, usec] = seconds(p.time);
    const rec = new Uint8Array(44);
    const v = new DataView(rec.buffer);
    v.setUint32(0, sec);
    v.setUint32(4, usec);
    rec[4] = iface;
    rec.set(p.data.subarray(at, at + 36), 8);
    file.push(...rec);
    const ipLen = rec[10]! << 8 | rec[11]!;
    const data = new Uint8Array(40);
    data.set(rec.subarray(8));
    const cap = ipLen >= 20 && ipLen < 40 ? ipLen : 40;
    kept.push({
      time: p.time,
      data: data.subarray(0, cap),
      wirelen: ipLen >= 20 ? ipLen : 40,
      linkType: 101,
    });
  }
  return { file: new Uint8Array(file), packets: kept };
}
