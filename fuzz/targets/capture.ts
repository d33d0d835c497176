/**
 * Fuzz target "capture": mutated pcap/pcapng/snoop/ERF/tsh bytes through
 * the sensor's whole in-process pipeline, as `argus -r` (and `-t`) runs
 * it: format sniffing and the pure-TS readers (read in odd-sized pieces,
 * so records straddle buffers), the link decoders, the flow engine and
 * the record encoder. The records written must decode again. A
 * CaptureFileError is a refusal.
 * @module
 */

import {
  CaptureFileError,
  openCaptureReader,
  PacketBatch,
} from "../../src/capture/mod.ts";
import { Sensor, type SensorOptions } from "../../src/flow/sensor_stream.ts";
import { decodeRecordBytes } from "../../src/record/mod.ts";
import { captureLengthFields, cutCapture } from "../formats.ts";
import { CORPUS, corpusFiles, type FuzzTarget } from "../target.ts";
import {
  erfFile,
  snoopFile,
  tshFile,
} from "../../tests/_util/capture_formats_writer.ts";
import { readPackets } from "../../tests/_util/pcap_transform.ts";

/** Largest seed and input: small inputs keep the rate up. */
const MAX_SEED = 16 * 1024;

/** A byte reader over memory that hands out `step` bytes per read. */
export class MemoryReader {
  #pos = 0;
  readonly #bytes: Uint8Array;
  readonly #step: number;

  constructor(bytes: Uint8Array, step: number) {
    this.#bytes = bytes;
    this.#step = step;
  }

  read(p: Uint8Array): Promise<number | null> {
    const n = Math.min(p.length, this.#step, this.#bytes.length - this.#pos);
    if (n <= 0) return Promise.resolve(null);
    p.set(this.#bytes.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return Promise.resolve(n);
  }
}

/** Sensor settings, picked by input length so a run repeats exactly. */
const VARIANTS: SensorOptions[] = [
  {},
  { userData: 64 },
  { macs: true },
  { statusInterval: 1 },
];

/** Runs one capture through readers, decoders, flows and the encoder. */
export async function runCapture(input: Uint8Array): Promise<void> {
  const n = input.length;
  // Piece and chunk sizes vary with the input, so boundaries fall
  // everywhere over a run (and the same input always reads the same way).
  const step = 1 + (Math.imul(n, 2654435761) >>> 0) % 3000;
  const chunk = 4096 << (n % 4);
  // ERF is chosen by name and tsh by -t (neither has a magic number):
  // one input in five is read as each; pcap, pcapng and snoop by magic.
  const mode = (n >>> 3) % 5;
  const reader = await openCaptureReader(
    new MemoryReader(input, step),
    mode === 3 ? "fuzz.erf" : "fuzz.pcap",
    chunk,
    { moatTsh: mode === 4 },
  );
  const sensor = new Sensor(VARIANTS[n % VARIANTS.length]!);
  const batch = new PacketBatch(1 + (n % 97));
  while (await reader.next(batch)) sensor.push(batch);
  sensor.finish();
  const records = sensor.take();
  const back = decodeRecordBytes(records, "sensor output");
  if (back.error !== null) {
    throw new Error(
      `Sensor wrote records it cannot read: ${back.error.message}`,
    );
  }
}

export const captureTarget: FuzzTarget = {
  name: "capture",
  description:
    "pcap/pcapng readers -> link decoders -> flow engine -> record encoder",
  maxSize: 64 * 1024,
  lengthFields: captureLengthFields,
  async seeds() {
    const out: Uint8Array[] = [];
    for (const f of await corpusFiles(CORPUS, [".pcap", ".pcapng"])) {
      const b = await Deno.readFile(f);
      out.push(cutCapture(b, MAX_SEED));
      // Big captures give a second window further in.
      if (b.length > 4 * MAX_SEED) out.push(cutCapture(b, MAX_SEED, 500));
    }
    // The other formats, converted from a few Ethernet captures.
    for (
      const name of ["tcp-basic.pcap", "udp-dns.pcap", "ipv4-frag.pcap"]
    ) {
      const packets = (await readPackets(`${CORPUS}${name}`)).slice(0, 64);
      out.push(snoopFile(packets), erfFile(packets), tshFile(packets).file);
    }
    return out;
  },
  run: runCapture,
  expected: (e) => e instanceof CaptureFileError,
};
