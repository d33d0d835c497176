/**
 * Record codec throughput: ~100k flow records (mixed-small's, repeated)
 * decoded into models, framed in place, and encoded back. Each iteration
 * handles all of them, so records/s = RECORDS / time per iteration.
 * @module
 */

import {
  type ArgusRecord,
  decodeRecordBytes,
  readRecordBatches,
  readRecords,
  RecordWriter,
} from "../src/record/mod.ts";

const SOURCE = new URL(
  "../../shared/corpus/expected/mixed-small.pcap.argus",
  import.meta.url,
).pathname;

const base = decodeRecordBytes(Deno.readFileSync(SOURCE)).records;
const flows = base.filter((r) => r.kind === "flow");
const copies = Math.ceil(100_000 / flows.length);
const records: ArgusRecord[] = [base[0]!];
for (let i = 0; i < copies; i++) records.push(...flows);
const writer = new RecordWriter(1 << 20);
for (const r of records) writer.write(r);
const bytes = writer.bytes().slice();
/** Records per iteration. */
export const RECORDS = records.length;

console.log(`${RECORDS} records, ${bytes.length} bytes per iteration`);

Deno.bench({
  name: `decode ${RECORDS} records into models (one buffer)`,
  group: "decode",
  baseline: true,
  fn() {
    const { records, error } = decodeRecordBytes(bytes);
    if (error || records.length !== RECORDS) throw new Error("decode failed");
  },
});

Deno.bench({
  name: `decode ${RECORDS} records into models (64 KiB chunks, streaming)`,
  group: "decode",
  async fn() {
    let n = 0;
    const chunks = async function* () {
      for (let i = 0; i < bytes.length; i += 65536) {
        yield bytes.subarray(i, i + 65536);
      }
    };
    for await (const batch of readRecordBatches(chunks())) n += batch.length;
    if (n !== RECORDS) throw new Error("decode failed");
  },
});

Deno.bench({
  name: `frame ${RECORDS} records in place (visitor, no models)`,
  group: "decode",
  async fn() {
    let n = 0;
    await readRecords(bytes, "-", () => {
      n++;
    });
    if (n !== RECORDS) throw new Error("framing failed");
  },
});

const out = new RecordWriter(bytes.length);

Deno.bench({
  name: `encode ${RECORDS} records (RecordWriter, reused buffer)`,
  group: "encode",
  baseline: true,
  fn() {
    out.clear();
    for (let i = 0; i < records.length; i++) out.write(records[i]!);
    if (out.length !== bytes.length) throw new Error("encode failed");
  },
});
