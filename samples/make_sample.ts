/**
 * Generates samples/sample.pcap, the small capture README's first command
 * runs the sensor on: a web page fetch, a DNS lookup, a ping, ARP, NTP and
 * a refused connection on one LAN. Deterministic; run with
 * `deno run --allow-write samples/make_sample.ts`.
 * @module
 */

import {
  ether,
  F,
  filler,
  icmp,
  ipv4Packet,
  tcp,
  udp,
} from "../tests/_util/packets.ts";
import { pcapFile, type PcapPacket } from "../tests/_util/pcap_writer.ts";

const CLIENT_MAC = "02:00:00:00:aa:01";
const ROUTER_MAC = "02:00:00:00:aa:fe";
const CLIENT = "192.168.1.23";
const DNS = "192.168.1.1";
const WEB = "203.0.113.80";
const t0 = 1_763_892_000_000_000; // 2025-11-23 10:00:00 UTC, µs

const packets: PcapPacket[] = [];
let t = t0;
let id = 100;
function out(dst: string, proto: number, payload: number[], dt = 1000) {
  t += dt;
  packets.push({
    time: t,
    data: ether(
      ROUTER_MAC,
      CLIENT_MAC,
      0x0800,
      ipv4Packet(CLIENT, dst, proto, payload, { id: id++ }),
    ),
  });
}
function back(src: string, proto: number, payload: number[], dt = 1000) {
  t += dt;
  packets.push({
    time: t,
    data: ether(
      CLIENT_MAC,
      ROUTER_MAC,
      0x0800,
      ipv4Packet(src, CLIENT, proto, payload, { id: id++, ttl: 55 }),
    ),
  });
}

// ARP for the router.
t += 1000;
packets.push({
  time: t,
  data: ether("ff:ff:ff:ff:ff:ff", CLIENT_MAC, 0x0806, [
    0,
    1,
    8,
    0,
    6,
    4,
    0,
    1,
    2,
    0,
    0,
    0,
    0xaa,
    1,
    192,
    168,
    1,
    23,
    0,
    0,
    0,
    0,
    0,
    0,
    192,
    168,
    1,
    1,
  ]),
});
t += 300;
packets.push({
  time: t,
  data: ether(CLIENT_MAC, ROUTER_MAC, 0x0806, [
    0,
    1,
    8,
    0,
    6,
    4,
    0,
    2,
    2,
    0,
    0,
    0,
    0xaa,
    0xfe,
    192,
    168,
    1,
    1,
    2,
    0,
    0,
    0,
    0xaa,
    1,
    192,
    168,
    1,
    23,
  ]),
});

// DNS lookup of www.example.com.
const query = [
  0x4a,
  0x21,
  1,
  0,
  0,
  1,
  0,
  0,
  0,
  0,
  0,
  0,
  3,
  119,
  119,
  119,
  7,
  101,
  120,
  97,
  109,
  112,
  108,
  101,
  3,
  99,
  111,
  109,
  0,
  0,
  1,
  0,
  1,
];
out(DNS, 17, udp(51515, 53, query), 20_000);
back(
  DNS,
  17,
  udp(53, 51515, [
    ...query.slice(0, 2),
    0x81,
    0x80,
    ...query.slice(4, 6),
    0,
    1,
    ...query.slice(8),
    0xc0,
    12,
    0,
    1,
    0,
    1,
    0,
    0,
    0x0e,
    0x10,
    0,
    4,
    203,
    0,
    113,
    80,
  ]),
  4000,
);

// A web page fetch with a clean close.
const cs = 1000, ss = 5000;
out(WEB, 6, tcp(43210, 80, F.SYN, cs, 0), 2000);
back(WEB, 6, tcp(80, 43210, F.SYN | F.ACK, ss, cs + 1), 25_000);
out(WEB, 6, tcp(43210, 80, F.ACK, cs + 1, ss + 1), 200);
const request = [..."GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"].map((
  c,
) => c.charCodeAt(0));
out(WEB, 6, tcp(43210, 80, F.PSH | F.ACK, cs + 1, ss + 1, request), 100);
let sseq = ss + 1;
for (let i = 0; i < 4; i++) {
  back(
    WEB,
    6,
    tcp(80, 43210, F.ACK, sseq, cs + 1 + request.length, filler(1200)),
    i === 0 ? 26_000 : 300,
  );
  sseq += 1200;
  if (i % 2 === 1) {
    out(WEB, 6, tcp(43210, 80, F.ACK, cs + 1 + request.length, sseq), 100);
  }
}
back(WEB, 6, tcp(80, 43210, F.FIN | F.ACK, sseq, cs + 1 + request.length), 200);
out(
  WEB,
  6,
  tcp(43210, 80, F.FIN | F.ACK, cs + 1 + request.length, sseq + 1),
  300,
);
back(WEB, 6, tcp(80, 43210, F.ACK, sseq + 1, cs + 2 + request.length), 25_000);

// Three pings of the web server.
for (let s = 1; s <= 3; s++) {
  out(
    WEB,
    1,
    icmp(8, 0, 0x1234, s, filler(56, 0)),
    s === 1 ? 100_000 : 1_000_000,
  );
  back(WEB, 1, icmp(0, 0, 0x1234, s, filler(56, 0)), 24_000);
}

// NTP, and a refused connection to port 8080.
out("192.0.2.123", 17, udp(123, 123, filler(48, 0x23)), 300_000);
back("192.0.2.123", 17, udp(123, 123, filler(48, 0x24)), 30_000);
out(WEB, 6, tcp(43222, 8080, F.SYN, 777, 0), 200_000);
back(WEB, 6, tcp(8080, 43222, F.RST | F.ACK, 0, 778), 25_000);

const here = new URL(".", import.meta.url);
Deno.writeFileSync(new URL("sample.pcap", here), pcapFile(packets));
console.log(`samples/sample.pcap: ${packets.length} packets`);
