/**
 * The sensor's per-packet stages on packets already in memory (no I/O):
 * the link decoder plus flow-key builder, the flow table's lookups, the
 * whole modeler with record encoding, and the record encoder alone, on
 * the corpus's mixed-small.pcap (20,000 packets) and, when it exists,
 * /tmp/big.pcap (1,000,000; `python3 ../shared/corpus/gen-big.py
 * /tmp/big.pcap`). packets/s = packets / time per iteration.
 *
 *   deno bench -A bench/engine_bench.ts
 * @module
 */

import { PacketBatch } from "../src/capture/packet_batch.ts";
import { decodeFrame, Entry } from "../src/decode/link_decoder.ts";
import { PacketContext } from "../src/decode/packet_context.ts";
import { createFlowKey } from "../src/flow/keys/create_flow_key.ts";
import { FlowKey } from "../src/flow/flow_key.ts";
import { KeyStore } from "../src/flow/key_store.ts";
import { FlowTable } from "../src/flow/flow_table.ts";
import { Flow } from "../src/flow/flow.ts";
import { Sensor } from "../src/flow/sensor_stream.ts";
import type { FlowEngine } from "../src/flow/flow_engine.ts";
import {
  encodeFlowRecord,
  RecordBytes,
} from "../src/flow/flow_record_encoder.ts";

const MIXED = new URL("../../shared/corpus/mixed-small.pcap", import.meta.url)
  .pathname;
const BIG = "/tmp/big.pcap";

/** A classic pcap file's packets as batches over the file's bytes. */
function batchesOf(path: string): { batches: PacketBatch[]; packets: number } {
  const buf = Deno.readFileSync(path);
  const v = new DataView(buf.buffer);
  const link = v.getUint32(20, true);
  const batches: PacketBatch[] = [];
  let b = new PacketBatch();
  b.data = buf;
  let packets = 0;
  for (let p = 24; p + 16 <= buf.length;) {
    const cap = v.getUint32(p + 8, true);
    if (b.count === b.capacity) {
      batches.push(b);
      b = new PacketBatch();
      b.data = buf;
    }
    const i = b.count++;
    b.tsSec[i] = v.getUint32(p, true);
    b.tsUsec[i] = v.getUint32(p + 4, true);
    b.caplen[i] = cap;
    b.wirelen[i] = v.getUint32(p + 12, true);
    b.start[i] = p + 16;
    b.linkType[i] = link;
    p += 16 + cap;
    packets++;
  }
  batches.push(b);
  return { batches, packets };
}

/** Decodes every frame of `batches` and calls `fn` with each flow key. */
function forEachKey(batches: PacketBatch[], fn: (key: FlowKey) => void): void {
  const ctx = new PacketContext();
  const key = new FlowKey();
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const e = decodeFrame(
        ctx,
        b.linkType[i]!,
        b.data,
        b.start[i]!,
        b.caplen[i]!,
        b.wirelen[i]!,
      );
      if (e === Entry.FRAME && createFlowKey(ctx, key)) fn(key);
    }
  }
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

const inputs: [string, string][] = [["mixed-small.pcap", MIXED]];
if (exists(BIG)) inputs.push(["big.pcap", BIG]);

for (const [name, path] of inputs) {
  const { batches, packets } = batchesOf(path);
  const group = `${name} (${packets} packets)`;

  Deno.bench({
    name: `decode + flow key, ${name}`,
    group,
    fn() {
      let keyed = 0;
      forEachKey(batches, () => keyed++);
      if (keyed === 0) throw new Error("no keys");
    },
  });

  // The table on its own: every packet's key looked up, new keys inserted.
  Deno.bench({
    name: `flow table find/insert, ${name}`,
    group,
    fn() {
      const keys = new KeyStore();
      const table = new FlowTable(keys);
      forEachKey(batches, (key) => {
        const hash = key.hash();
        if (table.find(key, hash) === undefined) {
          const at = keys.store(key.words, key.size);
          table.insert(
            new Flow(key.subtype, key.qual, at, key.size, hash, false, 0),
          );
        }
      });
    },
  });

  Deno.bench({
    name: `whole modeler + records, ${name}`,
    group,
    baseline: true,
    fn() {
      const sensor = new Sensor();
      for (const b of batches) {
        sensor.push(b);
        sensor.out.clear();
      }
      sensor.finish();
    },
  });

  // The encoder alone: every flow of the run encoded once more.
  const sensor = new Sensor();
  const flows: Flow[] = [];
  const engine: FlowEngine = sensor.engine;
  for (const b of batches) sensor.push(b);
  const queue = engine.statusQueue;
  let node = queue.start;
  for (let i = 0; i < queue.count && node !== null; i++) {
    flows.push(node as Flow);
    node = node.qnext;
  }
  const out = new RecordBytes(1 << 20);
  Deno.bench({
    name: `record encoder, ${flows.length} open flows of ${name}`,
    group: `${group}: encoder`,
    fn() {
      for (const f of flows) {
        encodeFlowRecord(f, engine, 0x20, out, 0, 0);
        if (out.pos > (1 << 20) - 2048) out.clear();
      }
      out.clear();
    },
  });
}
