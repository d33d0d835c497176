/**
 * Hand-made NetFlow v5 and v9 export datagrams for `-S cisco://` tests:
 * the corner cases softflowd does not send (TCP RST, SYN-only flows,
 * ICMP types, other protocols with ports, TOS and ifIndex, microsecond
 * carries, v9 MAC/TTL/IP-id fields, 8-byte counters, records with no
 * times, the ICMP type fields, data before its template, a header count
 * shorter than the records).
 * @module
 */

/** Big-endian byte writer. */
class Bytes {
  readonly b: number[] = [];
  u8(v: number): this {
    this.b.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  ip(a: string): this {
    for (const p of a.split(".")) this.u8(Number(p));
    return this;
  }
  ip6(a: string): this {
    const [head, tail] = a.split("::");
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const parts = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    for (const p of parts) this.u16(parseInt(p, 16));
    return this;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.b);
  }
}

/** One v5 flow entry. */
interface V5Flow {
  src: string;
  dst: string;
  input?: number;
  output?: number;
  pkts: number;
  bytes: number;
  first: number;
  last: number;
  sport?: number;
  dport?: number;
  flags?: number;
  proto: number;
  tos?: number;
}

const UNIX = 1700000000;

/** A v5 datagram: uptime 100000 ms at UNIX + `nsecs` ns. */
export function v5Datagram(flows: V5Flow[], nsecs: number): Uint8Array {
  const w = new Bytes();
  w.u16(5).u16(flows.length).u32(100000).u32(UNIX).u32(nsecs).u32(77);
  w.u8(0).u8(0).u16(0);
  for (const f of flows) {
    w.ip(f.src).ip(f.dst).ip("0.0.0.0");
    w.u16(f.input ?? 0).u16(f.output ?? 0).u32(f.pkts).u32(f.bytes);
    w.u32(f.first).u32(f.last).u16(f.sport ?? 0).u16(f.dport ?? 0);
    w.u8(0).u8(f.flags ?? 0).u8(f.proto).u8(f.tos ?? 0);
    w.u16(0).u16(0).u8(24).u8(16).u16(0);
  }
  return w.bytes();
}

/** The v5 corner cases, in two datagrams (usec carries both ways). */
export function v5Corners(): Uint8Array[] {
  return [
    v5Datagram([
      // RST|ACK: the client sets ARGUS_RESET.
      {
        src: "10.1.0.1",
        dst: "10.1.0.2",
        pkts: 2,
        bytes: 120,
        first: 98000,
        last: 99500,
        sport: 1234,
        dport: 80,
        flags: 0x14,
        proto: 6,
      },
      // SYN only, several packets.
      {
        src: "10.1.0.3",
        dst: "10.1.0.4",
        pkts: 3,
        bytes: 180,
        first: 97000,
        last: 99900,
        sport: 2345,
        dport: 443,
        flags: 0x02,
        proto: 6,
      },
      // Echo request in the destination port, TOS and ifIndex set.
      {
        src: "10.1.0.5",
        dst: "10.1.0.6",
        input: 3,
        output: 0x0102,
        pkts: 4,
        bytes: 336,
        first: 96000,
        last: 99000,
        dport: 0x0800,
        proto: 1,
        tos: 0x28,
      },
      // GRE with ports: the client keeps none.
      {
        src: "10.1.0.7",
        dst: "10.1.0.8",
        pkts: 5,
        bytes: 700,
        first: 95000,
        last: 100400,
        sport: 11,
        dport: 22,
        proto: 47,
      },
    ], 999_900_000),
    v5Datagram([
      // Times after the header's uptime, a small microsecond part.
      {
        src: "10.1.0.9",
        dst: "10.1.0.10",
        pkts: 6,
        bytes: 600,
        first: 99100,
        last: 100700,
        sport: 53,
        dport: 3333,
        proto: 17,
      },
      // SYN|ACK|FIN from the responder.
      {
        src: "10.1.0.2",
        dst: "10.1.0.1",
        pkts: 7,
        bytes: 5000,
        first: 98000,
        last: 99500,
        sport: 80,
        dport: 1234,
        flags: 0x1b,
        proto: 6,
      },
    ], 1_000_000),
  ];
}

/** A v9 datagram of flowsets (id, body) from source id 42. */
function v9Datagram(count: number, sets: [number, Uint8Array][]) {
  const w = new Bytes();
  w.u16(9).u16(count).u32(100000).u32(UNIX).u32(5).u32(42);
  for (const [id, body] of sets) {
    const pad = (4 - (body.length % 4)) % 4;
    w.u16(id).u16(4 + body.length + pad);
    for (const x of body) w.u8(x);
    for (let i = 0; i < pad; i++) w.u8(0);
  }
  return w.bytes();
}

/** Templates: [id, [type, length][]][]. */
function templates(list: [number, [number, number][]][]): Uint8Array {
  const w = new Bytes();
  for (const [id, fields] of list) {
    w.u16(id).u16(fields.length);
    for (const [t, l] of fields) w.u16(t).u16(l);
  }
  return w.bytes();
}

/** The v9 corner cases, in three datagrams. */
export function v9Corners(): Uint8Array[] {
  // 300: IPv4 with TTL, TOS, IP id, flags, a MAC, 8-byte bytes.
  const t300: [number, number][] = [
    [8, 4],
    [12, 4],
    [7, 2],
    [11, 2],
    [4, 1],
    [6, 1],
    [5, 1],
    [52, 1],
    [54, 2],
    [56, 6],
    [1, 8],
    [2, 4],
    [22, 4],
    [21, 4],
  ];
  // 301: no times; 302: ICMP type field; 303: IPv6 with ICMPv6 type/code.
  const t301: [number, number][] = [[8, 4], [12, 4], [4, 1], [2, 4], [1, 4]];
  const t302: [number, number][] = [
    [8, 4],
    [12, 4],
    [4, 1],
    [32, 2],
    [11, 2],
    [2, 4],
    [1, 4],
    [22, 4],
    [21, 4],
  ];
  const t303: [number, number][] = [
    [27, 16],
    [28, 16],
    [4, 1],
    [178, 1],
    [179, 1],
    [11, 2],
    [2, 4],
    [1, 4],
    [22, 4],
    [21, 4],
  ];
  const d300 = new Bytes()
    .ip("10.2.0.1").ip("10.2.0.2").u16(4000).u16(25).u8(6).u8(0x1b)
    .u8(0x10).u8(63).u16(0x1234).u8(1).u8(2).u8(3).u8(4).u8(5).u8(6)
    .u32(0).u32(9000).u32(9).u32(98000).u32(99999)
    .ip("10.2.0.3").ip("10.2.0.4").u16(5000).u16(5001).u8(6).u8(0x14)
    .u8(0).u8(64).u16(7).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)
    .u32(0).u32(80).u32(2).u32(99000).u32(99000)
    .bytes();
  const d301 = new Bytes()
    .ip("10.2.0.5").ip("10.2.0.6").u8(17).u32(3).u32(300)
    .ip("10.2.0.7").ip("10.2.0.8").u8(50).u32(1).u32(100)
    .bytes();
  const d302 = new Bytes()
    .ip("10.2.0.9").ip("10.2.0.10").u8(1).u16(0x0800).u16(0x0303)
    .u32(2).u32(168).u32(97000).u32(98000)
    .bytes();
  const d303 = new Bytes()
    .ip6("2001:db8::10").ip6("2001:db8::11").u8(58).u8(128).u8(0).u16(0)
    .u32(2).u32(208).u32(96500).u32(99500)
    .ip6("2001:db8::12").ip6("2001:db8::13").u8(17).u8(0).u8(0).u16(53)
    .u32(4).u32(400).u32(100100).u32(100900)
    .bytes();
  return [
    // Data before its template: dropped.
    v9Datagram(10, [[301, d301], [0, templates([[300, t300], [301, t301]])]]),
    v9Datagram(10, [
      [300, d300],
      [301, d301],
      [0, templates([[302, t302], [303, t303]])],
      [302, d302],
      // No template for 310: nothing.
      [310, d302],
    ]),
    // A header count of 1: only the first record of 303's two.
    v9Datagram(1, [[303, d303]]),
  ];
}
