/**
 * Fuzz target "bpf": the sensor's capture filter path that needs no
 * libpcap at run time, our classic-BPF interpreter, on mutated packets
 * with programs libpcap compiled once, and with those programs mutated
 * (hostile programs must end and never throw). Each verdict must not
 * depend on the bytes around the packet (no read past caplen). Nothing is
 * an expected error.
 * @module
 */

import { BpfFilter } from "../../src/capture/mod.ts";
import { compileFilter } from "../../ffi/mod.ts";
import { CORPUS, type FuzzTarget } from "../target.ts";

/** Capture filters compiled for Ethernet (DLT_EN10MB). */
const EXPRESSIONS = [
  "tcp",
  "udp port 53",
  "ip6 and tcp[13] & 2 != 0",
  "vlan and ip",
  "mpls and ip",
  "icmp[0] == 8",
  "ip[6:2] & 0x1fff != 0",
  "tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
  "pppoes and ip",
  "greater 100",
  "net 10.0.0.0/8 or ip6 net 2001:db8::/32",
  "ip and ip[0] & 0xf > 5",
  "arp or rarp",
  "ether[len - 4:4] != 0 and len % 3 = 1",
  "ip6 and ip6[6] = 58",
];

/** A few hand-written programs, used when libpcap cannot be loaded. */
const FALLBACK: number[][] = [
  [0x28, 0, 0, 12, 0x15, 0, 1, 0x800, 0x06, 0, 0, 65535, 0x06, 0, 0, 0],
];

let programs: number[][] = [];

/** Packets of an Ethernet capture (classic pcap, either byte order). */
function packetsOf(b: Uint8Array, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (b.length < 24) return out;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = v.getUint32(0);
  const le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
  if (!le && m !== 0xa1b2c3d4 && m !== 0xa1b23c4d) return out;
  if (v.getUint32(20, le) !== 1) return out;
  for (let p = 24; p + 16 <= b.length && out.length < max;) {
    const cap = v.getUint32(p + 8, le);
    if (p + 16 + cap > b.length) break;
    out.push(b.slice(p + 16, p + 16 + cap));
    p += 16 + cap;
  }
  return out;
}

/**
 * Runs one input: byte 0 picks the program, byte 1 says whether to mutate
 * it (with the packet's bytes) and how much longer the wire length is.
 */
export function runBpf(input: Uint8Array): void {
  if (input.length < 2 || programs.length === 0) return;
  const words = programs[input[0]! % programs.length]!.slice();
  const packet = input.subarray(2);
  if (input[1]! & 1) {
    // Overwrite a few instruction fields with packet bytes.
    for (let i = 0; i + 2 < packet.length && i < 24; i += 3) {
      const at = (packet[i]! * 7 + i) % words.length;
      words[at] = at % 4 === 0
        ? packet[i + 1]! | (packet[i + 2]! & 0x1) << 8
        : packet[i + 1]! << 8 | packet[i + 2]!;
    }
  }
  const vm = new BpfFilter(words);
  const wire = packet.length + (input[1]! >> 1);
  const alone = vm.run(packet, 0, packet.length, wire);
  // The same packet amid other bytes must get the same verdict.
  const framed = new Uint8Array(packet.length + 64).fill(0xa5);
  framed.set(packet, 32);
  const amid = vm.run(framed, 32, packet.length, wire);
  if (alone !== amid) {
    throw new Error(
      `BPF verdict depends on bytes outside the packet: ${alone} vs ${amid}`,
    );
  }
  if (!Number.isInteger(alone) || alone < 0 || alone > 0xffffffff) {
    throw new Error(`BPF verdict out of range: ${alone}`);
  }
}

export const bpfTarget: FuzzTarget = {
  name: "bpf",
  description: "capture filter BPF interpreter on packets and hostile programs",
  maxSize: 4096,
  async seeds() {
    programs = [];
    for (const e of EXPRESSIONS) {
      try {
        programs.push(Array.from(compileFilter(e, 1, 65535, true).words));
      } catch {
        // No libpcap here: the hand-written programs stand in.
      }
    }
    if (programs.length === 0) programs = FALLBACK;
    const out: Uint8Array[] = [];
    for (const f of ["tcp-basic", "udp-dns", "vlan", "mpls", "ipv6", "pppoe"]) {
      let b: Uint8Array;
      try {
        b = await Deno.readFile(`${CORPUS}${f}.pcap`);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) continue;
        throw e;
      }
      packetsOf(b, 8).forEach((p, i) => {
        const s = new Uint8Array(p.length + 2);
        s[0] = i * 5 + f.length;
        s[1] = i * 2;
        s.set(p, 2);
        out.push(s);
      });
    }
    if (out.length === 0) out.push(new Uint8Array(64));
    return out;
  },
  run: runBpf,
  expected: () => false,
};
