/**
 * Packets in: our savefile reader against libpcap's (through ffi/) on the
 * corpus's mixed-small.pcap (20,000 packets, 7 MB), the header walk alone
 * from memory, /tmp/big.pcap (1,000,000 packets) when it exists, and the
 * capture filter per packet: our BPF interpreter against pcap_offline_filter.
 * Run: deno bench -A bench/capture_bench.ts (packets/s = packets / time).
 * @module
 */

import {
  BpfFilter,
  openCapture,
  openCaptureReader,
  PacketBatch,
} from "../src/capture/mod.ts";
import { compileFilter, LibpcapFilter, PcapHandle } from "../ffi/mod.ts";

const MIXED = "/work/shared/corpus/mixed-small.pcap";
const BIG = "/tmp/big.pcap";
const hasBig = (() => {
  try {
    return Deno.statSync(BIG).isFile;
  } catch {
    return false;
  }
})();

const batch = new PacketBatch();
const mixedBytes = Deno.readFileSync(MIXED);

async function readFile(path: string): Promise<number> {
  const { reader, close } = await openCapture(path);
  let n = 0;
  while (await reader.next(batch)) n += batch.count;
  close();
  return n;
}

function readLibpcap(path: string): number {
  using h = PcapHandle.openOffline(path);
  let n = 0;
  for (let k; (k = h.readBatch(batch)) > 0;) n += k;
  return n;
}

/** A ByteReader over bytes already in memory: no system calls. */
function memory(b: Uint8Array) {
  let pos = 0;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (pos >= b.length) return Promise.resolve(null);
      const n = Math.min(p.length, b.length - pos);
      p.set(b.subarray(pos, pos + n));
      pos += n;
      return Promise.resolve(n);
    },
  };
}

const mixedPackets = await readFile(MIXED);
console.log(`mixed-small.pcap: ${mixedPackets} packets`);

Deno.bench({
  name: "TS reader, mixed-small.pcap",
  group: "read mixed-small.pcap",
  baseline: true,
  async fn() {
    if ((await readFile(MIXED)) !== mixedPackets) throw new Error("count");
  },
});

Deno.bench({
  name: "libpcap reader (FFI), mixed-small.pcap",
  group: "read mixed-small.pcap",
  fn() {
    if (readLibpcap(MIXED) !== mixedPackets) throw new Error("count");
  },
});

Deno.bench({
  name: "TS reader from memory, mixed-small.pcap",
  group: "read mixed-small.pcap",
  async fn() {
    const reader = await openCaptureReader(memory(mixedBytes), "mixed");
    let n = 0;
    while (await reader.next(batch)) n += batch.count;
    if (n !== mixedPackets) throw new Error("count");
  },
});

Deno.bench({
  name: "TS reader, big.pcap (1,000,000 packets)",
  group: "read big.pcap",
  ignore: !hasBig,
  n: 5,
  warmup: 1,
  async fn() {
    if ((await readFile(BIG)) !== 1_000_000) throw new Error("count");
  },
});

// The capture filter over every packet of mixed-small.pcap, preloaded.
const packets: { data: Uint8Array; wirelen: number }[] = [];
{
  const { reader, close } = await openCapture(MIXED);
  while (await reader.next(batch)) {
    for (let i = 0; i < batch.count; i++) {
      packets.push({
        data: batch.packet(i).slice(),
        wirelen: batch.wirelen[i]!,
      });
    }
  }
  close();
}
const program = compileFilter(
  "tcp[tcpflags] & tcp-syn != 0 or (udp and port 53) or vlan",
  1,
  65535,
);
const vm = new BpfFilter(program.words);
const libpcapVm = new LibpcapFilter(program.words);

Deno.bench({
  name: "BpfFilter.run, every packet",
  group: "filter mixed-small.pcap",
  baseline: true,
  fn() {
    let kept = 0;
    for (const p of packets) {
      kept += vm.run(p.data, 0, p.data.length, p.wirelen) ? 1 : 0;
    }
    if (kept === 0) throw new Error("nothing kept");
  },
});

Deno.bench({
  name: "pcap_offline_filter (FFI), every packet",
  group: "filter mixed-small.pcap",
  fn() {
    let kept = 0;
    for (const p of packets) {
      kept += libpcapVm.run(p.data, 0, p.data.length, p.wirelen) ? 1 : 0;
    }
    if (kept === 0) throw new Error("nothing kept");
  },
});
