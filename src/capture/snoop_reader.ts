/**
 * Snoop savefiles (RFC 1761, Solaris snoop), read in place for argus -r:
 * a 16-byte header ("snoop\0\0\0", version 2, datalink) and big-endian
 * records padded to their record length. argus 3.0.8 detects the magic but
 * never reads the packets (its loop needs a pcap handle), so this follows
 * the RFC; libpcap 1.10 does not read snoop at all.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import { LinkType, MAX_SNAPLEN } from "./link_type.ts";
import type { PacketBatch } from "./packet_batch.ts";

const FILE_HEADER = 16;
const RECORD_HEADER = 24;
/** Padding beyond 4-byte alignment that a record may carry. */
const MAX_PAD = 64;
const MAGIC = [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0, 0, 0]; // "snoop\0\0\0"

/** RFC 1761 datalink codes → LINKTYPE_ values (802.3 frames are Ethernet). */
const DATALINKS: ReadonlyMap<number, number> = new Map([
  [0, LinkType.EN10MB],
  [2, 6], // IEEE 802.5 token ring
  [4, LinkType.EN10MB],
  [8, 10], // FDDI
]);

/** Whether the bytes at `p` start a snoop file (the first 4 decide). */
export function isSnoopMagic(b: Uint8Array, p = 0): boolean {
  return b.length >= p + 4 && b[p] === 0x73 && b[p + 1] === 0x6e &&
    b[p + 2] === 0x6f && b[p + 3] === 0x6f;
}

/** Reads a snoop file. */
export class SnoopReader implements CaptureReader {
  readonly linkType: number;
  /** Snoop has no snapshot length: the largest any capture may have. */
  readonly snaplen = MAX_SNAPLEN;
  readonly bigEndian = true;
  error: CaptureFileError | null = null;
  readonly #in: ChunkedInput;
  readonly #name: string;
  #done = false;
  /** A DataView of the buffer last parsed, remade when the buffer changes. */
  #view: DataView = new DataView(new ArrayBuffer(0));
  #viewOf: Uint8Array | null = null;

  private constructor(input: ChunkedInput, name: string, linkType: number) {
    this.#in = input;
    this.#name = name;
    this.linkType = linkType;
  }

  /**
   * Reads the file header at the input's position.
   * @throws CaptureFileError for a short or bad header, another version
   * or a datalink type we cannot map
   */
  static async open(input: ChunkedInput, name: string): Promise<SnoopReader> {
    const at = input.offset;
    if (!(await input.ensure(FILE_HEADER))) {
      throw new CaptureFileError(
        name,
        at,
        "truncated snoop file header",
        `${input.available} of ${FILE_HEADER} bytes`,
      );
    }
    const b = input.buf, p = input.pos;
    if (MAGIC.some((x, i) => b[p + i] !== x)) {
      throw new CaptureFileError(name, at, "bad snoop magic");
    }
    const v = new DataView(b.buffer, b.byteOffset + p, FILE_HEADER);
    const version = v.getUint32(8);
    if (version !== 2) {
      throw new CaptureFileError(
        name,
        at + 8,
        `unsupported snoop version ${version}`,
      );
    }
    const datalink = v.getUint32(12);
    const linkType = DATALINKS.get(datalink);
    if (linkType === undefined) {
      throw new CaptureFileError(
        name,
        at + 12,
        `unsupported snoop datalink type ${datalink}`,
      );
    }
    input.pos += FILE_HEADER;
    return new SnoopReader(input, name, linkType);
  }

  async next(batch: PacketBatch): Promise<boolean> {
    batch.count = 0;
    if (this.#done) return false;
    const input = this.#in;
    input.beginBatch();
    if (!(await this.#firstRecord())) {
      this.#done = true;
      return false;
    }
    // At least one whole record is in the buffer: walk what is there
    // without awaiting, and stop at the first record that is not whole.
    const b = input.buf;
    if (b !== this.#viewOf) {
      this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.#viewOf = b;
    }
    const v = this.#view;
    const end = input.end, cap = batch.capacity;
    const { start, caplen: caps, wirelen, tsSec, tsUsec } = batch;
    let p = input.pos;
    let n = 0;
    batch.data = b;
    while (n < cap && end - p >= RECORD_HEADER) {
      const incl = v.getUint32(p + 4);
      const rec = v.getUint32(p + 8);
      if (this.#badLengths(incl, rec, input.base + p)) break;
      if (end - p < rec) break;
      tsSec[n] = v.getUint32(p + 16);
      tsUsec[n] = v.getUint32(p + 20);
      start[n] = p + RECORD_HEADER;
      caps[n] = incl;
      wirelen[n] = v.getUint32(p);
      n++;
      p += rec;
    }
    batch.linkType.fill(this.linkType, 0, n);
    batch.ifIndex.fill(0, 0, n);
    input.pos = p;
    batch.count = n;
    if (this.error !== null) this.#done = true;
    return true;
  }

  /**
   * Makes the next record wholly available, reading as needed.
   * @returns false at the end of the file or at damage (`error` set)
   */
  async #firstRecord(): Promise<boolean> {
    const input = this.#in;
    if (!(await input.ensure(RECORD_HEADER))) {
      if (input.available === 0) return false;
      return this.#fail(
        "truncated snoop record header",
        input.offset,
        `${input.available} of ${RECORD_HEADER} bytes`,
      );
    }
    const b = input.buf, p = input.pos;
    const v = new DataView(b.buffer, b.byteOffset + p, RECORD_HEADER);
    const incl = v.getUint32(4), rec = v.getUint32(8);
    if (this.#badLengths(incl, rec, input.offset)) return false;
    if (!(await input.ensure(rec))) {
      return this.#fail(
        "truncated snoop record",
        input.offset,
        `record length ${rec}, ${input.available} bytes present`,
      );
    }
    return true;
  }

  /** Flags lengths no snoop writer makes as damage at `offset`. */
  #badLengths(incl: number, rec: number, offset: number): boolean {
    if (incl > MAX_SNAPLEN) {
      this.#fail(
        "packet record too large",
        offset,
        `included length ${incl}, the maximum is ${MAX_SNAPLEN}`,
      );
      return true;
    }
    if (rec < RECORD_HEADER + incl || rec > RECORD_HEADER + incl + MAX_PAD) {
      this.#fail(
        "bad snoop record length",
        offset,
        `record length ${rec} for included length ${incl}`,
      );
      return true;
    }
    return false;
  }

  #fail(reason: string, offset: number, detail: string): false {
    this.error = new CaptureFileError(this.#name, offset, reason, detail);
    return false;
  }
}
