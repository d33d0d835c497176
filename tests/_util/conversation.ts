/**
 * Scripted conversations for tests: a clock and Ethernet/IP endpoints that
 * emit TCP, UDP and ICMP packets in order, tracking TCP sequence numbers,
 * so scenarios read like the traffic they describe.
 * @module
 */

import { ether, F, icmp, ipv4Packet, ipv6Packet, tcp, udp } from "./packets.ts";
import type { PcapPacket } from "./pcap_writer.ts";

/** A packet list with a clock, µs. */
export class Trace {
  readonly packets: PcapPacket[] = [];
  now: number;
  constructor(start = 1_763_900_000_000_000) {
    this.now = start;
  }
  /** Appends raw frame bytes after `dt` µs. */
  add(data: Uint8Array, dt = 1000, caplen?: number): void {
    this.now += dt;
    const p: PcapPacket = { time: this.now, data };
    if (caplen !== undefined) p.caplen = caplen;
    this.packets.push(p);
  }
}

/** One host: MAC and address (IPv4 or IPv6). */
export interface Host {
  mac: string;
  ip: string;
}

let nextId = 1;

/** An IP packet from `a` to `b` framed in Ethernet. */
export function frame(
  a: Host,
  b: Host,
  proto: number,
  payload: number[],
  ttl = 64,
): Uint8Array {
  const v6 = a.ip.includes(":");
  const ip = v6
    ? ipv6Packet(a.ip, b.ip, proto, payload, ttl)
    : ipv4Packet(a.ip, b.ip, proto, payload, { id: nextId++ & 0xffff, ttl });
  return ether(b.mac, a.mac, v6 ? 0x86dd : 0x0800, ip);
}

/** A TCP connection between a client and a server. */
export class TcpConv {
  cseq: number;
  sseq: number;
  constructor(
    readonly trace: Trace,
    readonly client: Host,
    readonly server: Host,
    readonly cport: number,
    readonly sport: number,
    cseq = 1000,
    sseq = 500000,
  ) {
    this.cseq = cseq;
    this.sseq = sseq;
  }
  /** One segment; `fromClient` picks the direction. */
  seg(
    fromClient: boolean,
    flags: number,
    len = 0,
    dt = 1000,
    options: number[] = [],
  ): void {
    const [a, b, ap, bp] = fromClient
      ? [this.client, this.server, this.cport, this.sport]
      : [this.server, this.client, this.sport, this.cport];
    const seq = fromClient ? this.cseq : this.sseq;
    const ack = (flags & F.ACK) ? (fromClient ? this.sseq : this.cseq) : 0;
    const data = new Array(len).fill(0x41);
    this.trace.add(
      frame(a, b, 6, tcp(ap, bp, flags, seq, ack, data, 65535, options)),
      dt,
    );
    const advance = len + ((flags & (F.SYN | F.FIN)) ? 1 : 0);
    if (fromClient) this.cseq = (this.cseq + advance) >>> 0;
    else this.sseq = (this.sseq + advance) >>> 0;
  }
  handshake(dt = 1000): void {
    this.seg(true, F.SYN, 0, dt);
    this.seg(false, F.SYN | F.ACK);
    this.seg(true, F.ACK);
  }
  close(clientFirst = true): void {
    this.seg(clientFirst, F.FIN | F.ACK);
    this.seg(!clientFirst, F.FIN | F.ACK);
    this.seg(clientFirst, F.ACK);
  }
}

/** A UDP datagram from `a` to `b`. */
export function udpFrame(
  a: Host,
  b: Host,
  sport: number,
  dport: number,
  data: number[],
): Uint8Array {
  return frame(a, b, 17, udp(sport, dport, data));
}

/** An ICMP(v4) message from `a` to `b`. */
export function icmpFrame(
  a: Host,
  b: Host,
  type: number,
  code: number,
  id: number,
  seq: number,
  data: number[] = [],
): Uint8Array {
  return frame(a, b, 1, icmp(type, code, id, seq, data));
}
