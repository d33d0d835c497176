/**
 * Rewrites captures for differential tests whose oracle needs a form the
 * real argus accepts: cooked v2 to cooked v1, DLT_LOOP to DLT_NULL, and
 * packets clipped below argus's 2050-byte cooked-capture limit. Reads with
 * our own readers, writes with the test pcap writer.
 * @module
 */

import { openCapture, PacketBatch } from "../../src/capture/mod.ts";
import { pcapFile, type PcapPacket } from "./pcap_writer.ts";

/** A packet with its link type. */
export interface LinkedPacket extends PcapPacket {
  linkType: number;
}

/** All packets of a capture file. */
export async function readPackets(path: string): Promise<LinkedPacket[]> {
  const { reader, close } = await openCapture(path);
  const out: LinkedPacket[] = [];
  const batch = new PacketBatch();
  try {
    while (await reader.next(batch)) {
      for (let i = 0; i < batch.count; i++) {
        const s = batch.start[i]!;
        out.push({
          time: batch.tsSec[i]! * 1_000_000 + batch.tsUsec[i]!,
          data: batch.data.slice(s, s + batch.caplen[i]!),
          wirelen: batch.wirelen[i]!,
          linkType: batch.linkType[i]!,
        });
      }
    }
  } finally {
    close();
  }
  return out;
}

/** Cooked v2 (276) frames rewritten as cooked v1 (113). */
export function sll2ToSll(packets: LinkedPacket[]): LinkedPacket[] {
  return packets.map((p) => {
    const d = p.data;
    if (d.length < 20) return { ...p, linkType: 113, data: new Uint8Array(0) };
    const v1 = new Uint8Array(d.length - 4);
    v1[1] = d[10]!; // packet type
    v1[2] = d[8]!; // ARPHRD type
    v1[3] = d[9]!;
    v1[5] = d[11]!; // address length
    v1.set(d.subarray(12, 20), 6); // address
    v1[14] = d[0]!; // protocol
    v1[15] = d[1]!;
    v1.set(d.subarray(20), 16);
    return {
      ...p,
      linkType: 113,
      data: v1,
      wirelen: (p.wirelen ?? d.length) - 4,
    };
  });
}

/** DLT_LOOP (network-order family) frames rewritten as DLT_NULL. */
export function loopToNull(packets: LinkedPacket[]): LinkedPacket[] {
  return packets.map((p) => {
    const d = p.data.slice();
    if (d.length >= 4) {
      const family = (d[0]! << 24 | d[1]! << 16 | d[2]! << 8 | d[3]!) >>> 0;
      d[0] = family & 0xff;
      d[1] = (family >> 8) & 0xff;
      d[2] = (family >> 16) & 0xff;
      d[3] = family >>> 24;
    }
    return { ...p, linkType: 0, data: d };
  });
}

/** Every packet's captured part cut to at most `limit` bytes. */
export function clip(packets: LinkedPacket[], limit: number): LinkedPacket[] {
  return packets.map((p) =>
    p.data.length > limit ? { ...p, data: p.data.slice(0, limit) } : p
  );
}

/** Writes packets (one link type) as a classic pcap file. */
export async function writePackets(
  path: string,
  packets: LinkedPacket[],
): Promise<void> {
  const linkType = packets[0]?.linkType ?? 1;
  await Deno.writeFile(path, pcapFile(packets, linkType));
}
