/**
 * Classic libpcap savefiles: both byte orders, microsecond and nanosecond
 * magics, records read in place from big chunks. Damage (a cut header, a
 * cut packet, an impossible capture length) ends the file after every good
 * packet, with libpcap's own wording; caplen > len is accepted as libpcap
 * accepts it.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import { type CaptureReader, MAX_CAPLEN } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import type { PacketBatch } from "./packet_batch.ts";

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;

/** Whether the first four bytes start a classic pcap file. */
export function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const le = (b[0]! | b[1]! << 8 | b[2]! << 16 | b[3]! << 24) >>> 0;
  const be = (b[3]! | b[2]! << 8 | b[1]! << 16 | b[0]! << 24) >>> 0;
  return le === MAGIC_USEC || le === MAGIC_NSEC || be === MAGIC_USEC ||
    be === MAGIC_NSEC;
}

/** Reads a classic pcap file. */
export class PcapReader implements CaptureReader {
  readonly linkType: number;
  readonly snaplen: number;
  error: CaptureFileError | null = null;
  readonly #in: ChunkedInput;
  readonly #name: string;
  readonly #le: boolean;
  readonly #nanos: boolean;

  private constructor(
    input: ChunkedInput,
    name: string,
    le: boolean,
    nanos: boolean,
    linkType: number,
    snaplen: number,
  ) {
    this.#in = input;
    this.#name = name;
    this.#le = le;
    this.#nanos = nanos;
    this.linkType = linkType;
    this.snaplen = snaplen;
  }

  /** Reads the file header; throws CaptureFileError when it is unusable. */
  static async open(input: ChunkedInput, name: string): Promise<PcapReader> {
    if (!(await input.ensure(24))) {
      throw new CaptureFileError(
        name,
        -1,
        `truncated dump file; tried to read 24 file header bytes, only got ${input.available}`,
      );
    }
    const b = input.buf, p = input.pos;
    const view = new DataView(b.buffer, b.byteOffset + p, 24);
    const magicLe = view.getUint32(0, true);
    const le = magicLe === MAGIC_USEC || magicLe === MAGIC_NSEC;
    const magic = le ? magicLe : view.getUint32(0, false);
    const major = view.getUint16(4, le), minor = view.getUint16(6, le);
    if (major !== 2 || minor > 4) {
      throw new CaptureFileError(
        name,
        -1,
        `unsupported pcap savefile version ${major}.${minor}`,
      );
    }
    const snaplen = view.getUint32(16, le);
    const linkType = view.getUint32(20, le) & 0x03ffffff;
    input.pos += 24;
    return new PcapReader(
      input,
      name,
      le,
      magic === MAGIC_NSEC,
      linkType,
      snaplen,
    );
  }

  async next(batch: PacketBatch): Promise<boolean> {
    if (this.error !== null) return false;
    const input = this.#in;
    const le = this.#le;
    const maxCaplen = Math.max(MAX_CAPLEN, this.snaplen);
    batch.count = 0;
    const cap = batch.capacity;
    while (batch.count < cap) {
      if (input.available < 16) {
        if (batch.count > 0) return true;
        if (!(await input.ensure(16))) {
          const got = input.available;
          if (got === 0) return false;
          return this.#fail(
            `truncated dump file; tried to read 16 header bytes, only got ${got}`,
          );
        }
      }
      let b = input.buf, p = input.pos;
      let caplen = le ? rd32le(b, p + 8) : rd32be(b, p + 8);
      if (caplen > maxCaplen) {
        if (batch.count > 0) return true;
        return this.#fail(
          `invalid packet capture length ${caplen}, bigger than snaplen of ${this.snaplen}`,
        );
      }
      if (input.available < 16 + caplen) {
        if (batch.count > 0) return true;
        if (!(await input.ensure(16 + caplen))) {
          const got = input.available - 16;
          return this.#fail(
            `truncated dump file; tried to read ${caplen} captured bytes, only got ${got}`,
          );
        }
        b = input.buf;
        p = input.pos;
        caplen = le ? rd32le(b, p + 8) : rd32be(b, p + 8);
      }
      const i = batch.count++;
      if (i === 0) batch.data = b;
      const sec = le ? rd32le(b, p) : rd32be(b, p);
      const frac = le ? rd32le(b, p + 4) : rd32be(b, p + 4);
      batch.tsSec[i] = sec;
      batch.tsUsec[i] = this.#nanos ? Math.floor(frac / 1000) : frac;
      batch.caplen[i] = caplen;
      batch.wirelen[i] = le ? rd32le(b, p + 12) : rd32be(b, p + 12);
      batch.start[i] = p + 16;
      batch.linkType[i] = this.linkType;
      input.pos = p + 16 + caplen;
    }
    return true;
  }

  #fail(reason: string): false {
    this.error = new CaptureFileError(this.#name, this.#in.offset, reason);
    return false;
  }
}

function rd32le(b: Uint8Array, p: number): number {
  return (b[p]! | b[p + 1]! << 8 | b[p + 2]! << 16 | b[p + 3]! << 24) >>> 0;
}

function rd32be(b: Uint8Array, p: number): number {
  return (b[p]! << 24 | b[p + 1]! << 16 | b[p + 2]! << 8 | b[p + 3]!) >>> 0;
}
