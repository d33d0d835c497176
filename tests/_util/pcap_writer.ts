/**
 * Writes classic pcap files for tests and generated samples: microsecond
 * timestamps, little-endian, a given link type.
 * @module
 */

/** One packet to write: time in µs since the epoch, bytes, optional wire length. */
export interface PcapPacket {
  time: number;
  data: Uint8Array;
  wirelen?: number;
  caplen?: number;
}

/** Builds a pcap file image. */
export function pcapFile(
  packets: PcapPacket[],
  linkType = 1,
  snaplen = 65535,
): Uint8Array {
  let size = 24;
  for (const p of packets) size += 16 + (p.caplen ?? p.data.length);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linkType, true);
  let off = 24;
  for (const p of packets) {
    const cap = p.caplen ?? p.data.length;
    const sec = Math.floor(p.time / 1_000_000);
    v.setUint32(off, sec, true);
    v.setUint32(off + 4, p.time - sec * 1_000_000, true);
    v.setUint32(off + 8, cap, true);
    v.setUint32(off + 12, p.wirelen ?? p.data.length, true);
    out.set(p.data.subarray(0, cap), off + 16);
    off += 16 + cap;
  }
  return out;
}
