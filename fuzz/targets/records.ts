/**
 * Fuzz target "records": mutated Argus record streams through the record
 * reader as ra reads them (the framer fed in odd-sized chunks, gzip
 * sniffing and inflation) and through the full record decoder into
 * models. A RecordFormatError is a refusal.
 * @module
 */

import {
  decodeRecordBytes,
  readRecordBatches,
  RecordFormatError,
} from "../../src/record/mod.ts";
import {
  argusLengthFields,
  cutRecords,
  recordLevelMutant,
} from "../formats.ts";
import { CORPUS, corpusFiles, type FuzzTarget } from "../target.ts";

const MAX_SEED = 12 * 1024;

/** The input in pieces whose size depends on the input, as reads give. */
async function* pieces(input: Uint8Array): AsyncGenerator<Uint8Array> {
  const step = 1 + (Math.imul(input.length, 2246822519) >>> 0) % 700;
  for (let p = 0; p < input.length; p += step) {
    // A copy: the reader may hold on to a piece, as it does a file's.
    yield input.slice(p, p + step);
  }
}

/** Decodes one record stream in memory and again as a chunked stream. */
export async function runRecords(input: Uint8Array): Promise<void> {
  // Whole-buffer decoding (racluster/rasort's models) never throws.
  const whole = decodeRecordBytes(input, "fuzz.argus");
  let count = 0;
  let refused: RecordFormatError | null = null;
  try {
    for await (const batch of readRecordBatches(pieces(input))) {
      count += batch.length;
    }
  } catch (e) {
    if (!(e instanceof RecordFormatError)) throw e;
    refused = e;
  }
  // Both paths frame the same records whatever the chunking (gzip input
  // is inflated by the stream only).
  const gz = input[0] === 0x1f && input[1] === 0x8b;
  if (!gz && count !== whole.records.length) {
    throw new Error(
      `Chunked reading gave ${count} records, whole reading ${whole.records.length}`,
    );
  }
  if (refused !== null) throw refused;
}

/** gzip of `bytes` (a seed that drives the inflating path). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/** Record-file seeds: the real argus's corpus records, cut small. */
export async function recordSeeds(max: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const f of await corpusFiles(`${CORPUS}expected/`, [".argus"])) {
    const b = await Deno.readFile(f);
    if (b.length <= 4) continue;
    out.push(cutRecords(b, max));
    if (b.length > 4 * max) out.push(cutRecords(b, max, 300));
  }
  return out;
}

export const recordsTarget: FuzzTarget = {
  name: "records",
  description: "record framer (chunked, gzip) -> record decoder models",
  maxSize: 48 * 1024,
  lengthFields: argusLengthFields,
  generate: recordLevelMutant,
  async seeds() {
    const out = await recordSeeds(MAX_SEED);
    // A few gzipped seeds: mutations then hit the inflater.
    for (let i = 0; i < out.length; i += 6) out.push(await gzip(out[i]!));
    return out;
  },
  run: runRecords,
  expected: (e) => e instanceof RecordFormatError,
};
