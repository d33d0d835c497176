/**
 * Our BPF interpreter against libpcap's (pcap_offline_filter): the same
 * return value for a table of filters on every packet of many corpus
 * captures, and for thousands of random valid programs on random packets.
 * Hostile programs and packets: never a throw, always an end.
 * @module
 */

import assert from "node:assert/strict";
import {
  BpfFilter,
  dltFromLinkType,
  openCapture,
  PacketBatch,
} from "../../src/capture/mod.ts";
import { compileFilter, LibpcapFilter } from "../../ffi/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

const FILTERS = [
  "tcp",
  "udp and port 53",
  "not icmp",
  "ip6",
  "vlan",
  "vlan and tcp",
  "arp",
  "net 10.0.0.0/8",
  "tcp[tcpflags] & tcp-syn != 0",
  "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
  "greater 1000",
  "less 100",
  "ether host 02:00:00:00:0d:01",
  "ether broadcast",
  "icmp[icmptype] == icmp-echo",
  "ip[6:2] & 0x1fff != 0",
  "tcp and (port 80 or port 443) and not host 10.0.1.3",
  "ip proto 47 or mpls",
  "len > 60 and ip",
  "ip broadcast",
  "ip6 and tcp portrange 1000-2000",
  "udp[8:4] = 0x12345678 or tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420",
  "ip[0] & 0xf * 4 = 20",
  "pppoes and ip",
];

const CAPTURES = [
  "tcp-basic.pcap",
  "vlan.pcap",
  "ipv4-frag.pcap",
  "ipv6.pcap",
  "non-ip.pcap",
  "mpls.pcap",
  "pppoe.pcap",
  "truncated-headers.pcap",
  "snaplen-96.pcap",
  "icmp.pcap",
  "malformed.pcap",
  "zero-caplen.pcap",
  "udp-dns.pcap",
  "sll.pcap",
  "raw-ip.pcap",
  "null-loopback.pcap",
  "pcapng-multi.pcapng",
];

Deno.test("BpfFilter gives libpcap's verdict on corpus packets", async (t) => {
  for (const name of CAPTURES) {
    await t.step(name, async () => {
      const { reader, close } = await openCapture(CORPUS + name);
      const batch = new PacketBatch();
      const packets: { data: Uint8Array; wirelen: number }[] = [];
      while (await reader.next(batch)) {
        for (let i = 0; i < batch.count; i++) {
          packets.push({
            data: batch.packet(i).slice(),
            wirelen: batch.wirelen[i]!,
          });
        }
      }
      close();
      let compiled = 0;
      for (const expr of FILTERS) {
        let words: Uint32Array;
        try {
          words = compileFilter(
            expr,
            dltFromLinkType(reader.linkType),
            reader.snaplen,
          ).words;
        } catch {
          continue; // e.g. "vlan" on a cooked capture
        }
        compiled++;
        const ours = new BpfFilter(words);
        const theirs = new LibpcapFilter(words);
        packets.forEach((p, i) => {
          assert.equal(
            ours.run(p.data, 0, p.data.length, p.wirelen),
            theirs.run(p.data, 0, p.data.length, p.wirelen),
            `packet ${i + 1}, filter "${expr}"`,
          );
        });
      }
      assert.ok(compiled >= FILTERS.length / 2, `${compiled} filters compiled`);
    });
  }
});

/** A small deterministic PRNG (xorshift32). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

// Opcodes libpcap's interpreter handles (anything else makes it abort).
const LOADS = [
  0x20,
  0x28,
  0x30,
  0x40,
  0x48,
  0x50,
  0x80,
  0x81,
  0xb1,
  0x00,
  0x01,
];
const MEMORY = [0x60, 0x61, 0x02, 0x03];
const ALU = [
  0x04,
  0x14,
  0x24,
  0x34,
  0x44,
  0x54,
  0x64,
  0x74,
  0x94,
  0xa4,
  0x0c,
  0x1c,
  0x2c,
  0x3c,
  0x4c,
  0x5c,
  0x6c,
  0x7c,
  0x9c,
  0xac,
  0x84,
  0x07,
  0x87,
];
const JUMPS = [0x05, 0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d];

/**
 * A random program libpcap can run safely: scratch slots below 16 and all
 * written first (libpcap leaves them uninitialized), jumps inside the
 * program, constant divisors and shifts in range, ending in ret.
 */
function randomProgram(rand: () => number): Uint32Array {
  const prefix = 32;
  const n = prefix + 2 + rand() % 30;
  const words = new Uint32Array(n * 4);
  for (let slot = 0; slot < 16; slot++) {
    words.set([0x00, 0, 0, rand() % 100, 0x02, 0, 0, slot], slot * 8);
  }
  for (let pc = prefix; pc < n - 1; pc++) {
    const group = rand() % 4;
    const list = [LOADS, MEMORY, ALU, JUMPS][group]!;
    const code = list[rand() % list.length]!;
    let k = rand();
    if (rand() % 2 === 0) k %= 80; // offsets near the packet
    let jt = 0, jf = 0;
    const room = n - pc - 2; // furthest forward jump that stays inside
    if (group === 1) k %= 16;
    if (code === 0x34 || code === 0x94) k = 1 + k % 1000; // DIV, MOD by K
    if (code === 0x64 || code === 0x74) k %= 32; // LSH, RSH by K
    if (group === 3) {
      if (code === 0x05) k = room === 0 ? 0 : rand() % (room + 1);
      else if (rand() % 2 === 0) k %= 256;
      jt = rand() % (room + 1);
      jf = rand() % (room + 1);
    }
    words.set([code, jt, jf, k], pc * 4);
  }
  words.set(
    [rand() % 2 ? 0x06 : 0x16, 0, 0, rand() % 3 ? 65535 : 0],
    (n - 1) * 4,
  );
  return words;
}

Deno.test("BpfFilter equals libpcap on random valid programs", () => {
  const rand = prng(20240607);
  for (let p = 0; p < 3000; p++) {
    const words = randomProgram(rand);
    const ours = new BpfFilter(words);
    const theirs = new LibpcapFilter(words);
    for (let q = 0; q < 8; q++) {
      const caplen = rand() % 90;
      const data = new Uint8Array(caplen + 8);
      for (let i = 0; i < data.length; i++) data[i] = rand() & 0xff;
      const wirelen = caplen + rand() % 3000;
      // Packets at an offset in a bigger buffer, as in a batch.
      assert.equal(
        ours.run(data, 8, caplen, wirelen),
        theirs.run(data, 8, caplen, wirelen),
        `program ${p} [${words.join(",")}], packet of ${caplen}`,
      );
    }
  }
});

Deno.test("BpfFilter survives hostile programs and packets", async (t) => {
  await t.step("random words: no throw, a number, 0 when off the end", () => {
    const rand = prng(7);
    const data = new Uint8Array(64).map(() => rand() & 0xff);
    for (let p = 0; p < 20000; p++) {
      const words = new Uint32Array(4 * (1 + rand() % 20)).map(() =>
        rand() % 3 === 0 ? rand() & 0xff : rand()
      );
      const v = new BpfFilter(words).run(data, 0, rand() % 70, 100);
      assert.ok(Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
    }
  });
  const packet = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const cases: [string, number[], number][] = [
    ["empty program", [], 0],
    ["no ret at the end", [0x00, 0, 0, 5], 0],
    ["word load past caplen", [0x20, 0, 0, 5, 0x06, 0, 0, 1], 0],
    [
      "word load at the last 4 bytes",
      [0x20, 0, 0, 4, 0x16, 0, 0, 0],
      0x05060708,
    ],
    ["x + k overflows 32 bits", [
      0x01,
      0,
      0,
      0xffffffff,
      0x50,
      0,
      0,
      2,
      0x06,
      0,
      0,
      1,
    ], 0],
    ["msh past caplen", [0xb1, 0, 0, 8, 0x06, 0, 0, 1], 0],
    ["division by x = 0", [0x00, 0, 0, 9, 0x3c, 0, 0, 0, 0x16, 0, 0, 0], 0],
    ["division by k = 0", [0x00, 0, 0, 9, 0x34, 0, 0, 0, 0x16, 0, 0, 0], 0],
    ["modulo by x = 0", [0x9c, 0, 0, 0, 0x06, 0, 0, 1], 0],
    ["scratch slot 16", [0x02, 0, 0, 16, 0x06, 0, 0, 1], 0],
    ["load of scratch slot 99", [0x60, 0, 0, 99, 0x06, 0, 0, 1], 0],
    ["a backward jump", [0x05, 0, 0, 0xffffffff, 0x06, 0, 0, 1], 0],
    ["a jump beyond the end", [0x05, 0, 0, 1000, 0x06, 0, 0, 1], 0],
    [
      "a conditional jump beyond the end",
      [0x15, 200, 200, 0, 0x06, 0, 0, 1],
      0,
    ],
    ["an unknown opcode", [0xffff, 0, 0, 0, 0x06, 0, 0, 1], 0],
    ["shift by 32 or more", [0x00, 0, 0, 1, 0x64, 0, 0, 40, 0x16, 0, 0, 0], 0],
    ["scratch memory starts zeroed", [0x60, 0, 0, 3, 0x16, 0, 0, 0], 0],
    ["ret a after arithmetic", [
      0x00,
      0,
      0,
      7,
      0x24,
      0,
      0,
      3,
      0x84,
      0,
      0,
      0,
      0x16,
      0,
      0,
      0,
    ], 0xffffffeb],
    ["len is the wire length", [0x80, 0, 0, 0, 0x16, 0, 0, 0], 1500],
  ];
  for (const [name, words, want] of cases) {
    await t.step(name, () => {
      const vm = new BpfFilter(words);
      assert.equal(vm.run(packet, 0, packet.length, 1500), want);
      assert.equal(vm.matches(packet, 0, packet.length, 1500), want !== 0);
    });
  }
  await t.step("a caplen longer than the buffer is clamped", () => {
    const vm = new BpfFilter([0x30, 0, 0, 10, 0x16, 0, 0, 0]);
    assert.equal(vm.run(packet, 4, 100, 100), 0);
    assert.equal(vm.run(new Uint8Array(20).fill(9), 4, 100, 100), 9);
  });
});
