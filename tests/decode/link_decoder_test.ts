/**
 * The link decoders, one frame shape per step: which entry the engine gets,
 * the network type, where the IP header is, the encapsulation bits and
 * tags — and that no byte string, however short or hostile, makes them throw.
 * @module
 */

import assert from "node:assert/strict";
import { decodeFrame, Entry, LinkType } from "../../src/decode/link_decoder.ts";
import { Encaps, NetType } from "../../src/decode/encapsulation.ts";
import { PacketContext } from "../../src/decode/packet_context.ts";
import { ether, ipv4Packet, ipv6Packet, mac, udp } from "../_util/packets.ts";

const A = "02:00:00:00:00:0a", B = "02:00:00:00:00:0b";
const ip4 = () =>
  ipv4Packet("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, [1, 2, 3, 4]));
const ip6 = () =>
  ipv6Packet("2001:db8::1", "2001:db8::2", 17, udp(1000, 2000, [1, 2]));
const label = (
  l: number,
  bos: boolean,
) => [l >> 12, (l >> 4) & 0xff, ((l & 0xf) << 4) | (bos ? 1 : 0), 64];

interface Case {
  name: string;
  link: number;
  frame: Uint8Array;
  entry: number;
  netType: number;
  /** Offset of the IP header, -1 for none. */
  ip: number;
  encaps: number;
  vlan?: number;
  mpls?: number;
  bytes?: number;
}

function bytes(a: number[]): Uint8Array {
  return new Uint8Array(a);
}

const cases: Case[] = [
  {
    name: "Ethernet II, IPv4",
    link: 1,
    frame: ether(B, A, 0x0800, ip4()),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 14,
    encaps: Encaps.ETHER,
    bytes: 60,
  },
  {
    name: "Ethernet II, IPv6",
    link: 1,
    frame: ether(B, A, 0x86dd, ip6()),
    entry: Entry.FRAME,
    netType: NetType.IPV6,
    ip: 14,
    encaps: Encaps.ETHER,
  },
  {
    name: "Ethernet II, ARP",
    link: 1,
    frame: ether(B, A, 0x0806, Array(28).fill(0)),
    entry: Entry.FRAME,
    netType: NetType.ARP,
    ip: -1,
    encaps: Encaps.ETHER,
  },
  {
    name: "802.1Q",
    link: 1,
    frame: ether(B, A, 0x8100, [0x20, 0x64, 0x08, 0x00, ...ip4()]),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 18,
    encaps: Encaps.ETHER | Encaps.VLAN_8021Q,
    vlan: 0x2064,
  },
  {
    name: "QinQ (0x88a8) is not decoded",
    link: 1,
    frame: ether(B, A, 0x88a8, [
      0,
      100,
      0x81,
      0x00,
      0,
      200,
      0x08,
      0x00,
      ...ip4(),
    ]),
    entry: Entry.FRAME,
    netType: NetType.ETHER_HDR,
    ip: -1,
    encaps: Encaps.ETHER,
  },
  {
    name: "MPLS, two labels",
    link: 1,
    frame: ether(B, A, 0x8847, [
      ...label(100, false),
      ...label(200, true),
      ...ip4(),
    ]),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 22,
    encaps: Encaps.ETHER | Encaps.MPLS,
    mpls: 100 << 12 | 64,
  },
  {
    name: "PPPoE session, IPv4",
    link: 1,
    frame: ether(B, A, 0x8864, [0x11, 0, 0, 1, 0, 30, 0x00, 0x21, ...ip4()]),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 22,
    encaps: Encaps.ETHER | Encaps.PPP,
  },
  {
    name: "PPPoE discovery stays an ether flow",
    link: 1,
    frame: ether("ff:ff:ff:ff:ff:ff", A, 0x8863, [
      0x11,
      0x09,
      0,
      0,
      0,
      4,
      1,
      1,
      0,
      0,
    ]),
    entry: Entry.FRAME,
    netType: NetType.PPPOE_DISC,
    ip: -1,
    encaps: Encaps.ETHER | Encaps.PPP,
  },
  {
    name: "802.3 + LLC (STP)",
    link: 1,
    frame: ether("01:80:c2:00:00:00", A, 38, [0x42, 0x42, 0x03, 0, 0, 0]),
    entry: Entry.FRAME,
    netType: NetType.ETHER_HDR,
    ip: -1,
    encaps: Encaps.ETHER | Encaps.LLC,
  },
  {
    name: "802.3 + SNAP carrying IPv4",
    link: 1,
    frame: ether(B, A, 100, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, ...ip4()]),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 22,
    encaps: Encaps.ETHER | Encaps.LLC,
  },
  {
    name: "GRE carrying IPv4: the inner header counts",
    link: 1,
    frame: ether(
      B,
      A,
      0x0800,
      ipv4Packet("192.0.2.1", "192.0.2.2", 47, [0, 0, 0x08, 0x00, ...ip4()]),
    ),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 14 + 20 + 4,
    encaps: Encaps.ETHER | Encaps.GRE,
  },
  {
    name: "GRE carrying Ethernet (0x6558)",
    link: 1,
    frame: ether(
      B,
      A,
      0x0800,
      ipv4Packet("192.0.2.1", "192.0.2.2", 47, [
        0,
        0,
        0x65,
        0x58,
        ...ether(A, B, 0x0800, ip4(), false),
      ]),
    ),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 14 + 20 + 4 + 14,
    encaps: Encaps.ETHER | Encaps.GRE,
  },
  {
    name: "Linux cooked v1",
    link: LinkType.LINUX_SLL,
    frame: bytes([0, 0, 0, 1, 0, 6, ...mac(A), 0, 0, 0x08, 0x00, ...ip4()]),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 16,
    encaps: Encaps.SLL | Encaps.ETHER,
    bytes: 16 + 32 - 16,
  },
  {
    name: "Linux cooked v2",
    link: LinkType.LINUX_SLL2,
    frame: bytes([
      0x08,
      0x00,
      0,
      0,
      0,
      0,
      0,
      2,
      0,
      1,
      0,
      6,
      ...mac(A),
      0,
      0,
      ...ip4(),
    ]),
    entry: Entry.FRAME,
    netType: NetType.IP,
    ip: 20,
    encaps: Encaps.SLL | Encaps.ETHER,
  },
  {
    name: "raw IPv4 (LINKTYPE_RAW)",
    link: LinkType.RAW,
    frame: bytes(ip4()),
    entry: Entry.IP,
    netType: NetType.IP,
    ip: 0,
    encaps: 0,
  },
  // For bare IPv6 argus's IPv4 walk leaves the type unset; the engine's
  // IP entry decides by the version nibble.
  {
    name: "raw IPv6 (DLT_RAW 12)",
    link: LinkType.RAW_BSD,
    frame: bytes(ip6()),
    entry: Entry.IP,
    netType: 0,
    ip: 0,
    encaps: 0,
  },
  {
    name: "BSD loopback, host-order family",
    link: LinkType.NULL,
    frame: bytes([2, 0, 0, 0, ...ip4()]),
    entry: Entry.IP,
    netType: NetType.IP,
    ip: 4,
    encaps: 0,
    bytes: 32,
  },
  {
    name: "BSD loopback, swapped family (AF_INET6 = 30)",
    link: LinkType.NULL,
    frame: bytes([0, 0, 0, 30, ...ip6()]),
    entry: Entry.IP,
    netType: 0,
    ip: 4,
    encaps: 0,
  },
  {
    name: "OpenBSD loopback (network-order family)",
    link: LinkType.LOOP,
    frame: bytes([0, 0, 0, 2, ...ip4()]),
    entry: Entry.IP,
    netType: NetType.IP,
    ip: 4,
    encaps: 0,
  },
  {
    name: "loopback with an unknown family",
    link: LinkType.NULL,
    frame: bytes([7, 0, 0, 0, ...ip4()]),
    entry: Entry.NONE,
    netType: 0,
    ip: -1,
    encaps: 0,
  },
  {
    name: "Ethernet frame shorter than its header",
    link: 1,
    frame: bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    entry: Entry.NONE,
    netType: 0,
    ip: -1,
    encaps: 0,
  },
  {
    name: "unknown link type",
    link: 147,
    frame: bytes(ip4()),
    entry: Entry.NONE,
    netType: 0,
    ip: -1,
    encaps: 0,
  },
];

Deno.test("decodeFrame: one step per link layout", async (t) => {
  const ctx = new PacketContext();
  for (const c of cases) {
    await t.step(c.name, () => {
      const entry = decodeFrame(
        ctx,
        c.link,
        c.frame,
        0,
        c.frame.length,
        c.frame.length,
      );
      assert.equal(entry, c.entry, "entry");
      if (entry === Entry.NONE) return;
      assert.equal(ctx.netType & 0xffff, c.netType, "network type");
      assert.equal(ctx.ip, c.ip, "IP header offset");
      assert.equal(ctx.encaps, c.encaps, "encapsulation bits");
      if (c.vlan !== undefined) assert.equal(ctx.vlanTag, c.vlan, "VLAN tag");
      if (c.mpls !== undefined) {
        assert.equal(ctx.mplsLabel, c.mpls, "first MPLS label entry");
      }
      if (c.bytes !== undefined) {
        assert.equal(ctx.bytes, c.bytes, "bytes charged");
      }
    });
  }
});

Deno.test("decodeFrame: bytes past the captured length never change the result", () => {
  const ctx = new PacketContext();
  const summary = () =>
    JSON.stringify([
      ctx.netType,
      ctx.ip,
      ctx.up,
      ctx.encaps,
      ctx.vlanTag,
      ctx.mplsLabel,
      ctx.length,
      [...ctx.ether],
    ]);
  for (const c of cases) {
    for (let cut = 0; cut <= c.frame.length; cut++) {
      const views: string[] = [];
      for (const fill of [0x00, 0xee]) {
        const buf = new Uint8Array(c.frame.length + 64).fill(fill);
        buf.set(c.frame.subarray(0, cut));
        const entry = decodeFrame(ctx, c.link, buf, 0, cut, c.frame.length);
        views.push(`${entry} ${summary()}`);
      }
      assert.equal(views[1], views[0], `${c.name} cut at ${cut}`);
    }
  }
});

Deno.test("decodeFrame: random bytes on every link type never throw", () => {
  const ctx = new PacketContext();
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 20000; n++) {
    const len = rnd() % 120;
    const frame = new Uint8Array(len);
    for (let i = 0; i < len; i++) frame[i] = rnd();
    for (const link of [0, 1, 12, 101, 108, 113, 276]) {
      decodeFrame(ctx, link, frame, 0, len, len + (rnd() & 3) * 100);
    }
  }
});
