/**
 * A capture file of plain UDP traffic for live-capture load tests: every
 * frame lands in exactly one flow record, so packets sent and packets in
 * records can be compared one for one. Frames go to a unicast MAC and
 * addresses no namespace owns, so the receiving kernel drops them quietly
 * after the capture has seen them.
 * @module
 */

import { pcapFile, type PcapPacket } from "./pcap_writer.ts";
import { ether, filler, ipv4Packet, udp } from "./packets.ts";

/**
 * `flows` UDP flows (10.250.x.y:20000+i -> 10.251.0.1:9999), one
 * `frameSize`-byte frame each per round, `rounds` rounds.
 */
export function udpBurstPcap(
  flows = 1000,
  rounds = 10,
  frameSize = 128,
): Uint8Array {
  const packets: PcapPacket[] = [];
  let t = 1_700_000_000_000_000;
  for (let round = 0; round < rounds; round++) {
    for (let f = 0; f < flows; f++) {
      const src = `10.250.${f >> 8}.${f & 0xff}`;
      const ip = ipv4Packet(
        src,
        "10.251.0.1",
        17,
        udp(20000 + f, 9999, filler(frameSize - 42)),
      );
      packets.push({
        time: t++,
        data: ether("02:fe:00:00:00:02", "02:fe:00:00:00:01", 0x0800, ip),
      });
    }
  }
  return pcapFile(packets);
}
