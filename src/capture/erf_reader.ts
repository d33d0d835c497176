/**
 * Endace DAG ERF files read in place for argus -r (argus takes any -r name
 * containing ".erf" that libpcap refuses as ERF): headerless 16-byte record
 * headers, extension headers skipped; Ethernet records (2 bytes of padding
 * first) and raw IPv4/IPv6 records become packets, others are skipped (as
 * argus skips ATM and legacy ones). argus 3.0.8's reader never runs (its
 * loop needs a pcap handle); this follows its ArgusDagPacket and the ERF
 * spec: time rounded to µs as argus rounds it, wire length = wlen.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import { LinkType, MAX_SNAPLEN } from "./link_type.ts";
import type { PacketBatch } from "./packet_batch.ts";

const HEADER = 16;
const EXT_HEADER = 8;
const TWO_32 = 4294967296;

/** ERF record types we read, with the bytes before the frame. */
const ETH = 2, COLOR_ETH = 11, DSM_COLOR_ETH = 16, COLOR_HASH_ETH = 20;
const IPV4 = 22, IPV6 = 23;

/** Whether argus would read `name` as ERF (its strstr(name, ".erf")). */
export function isErfName(name: string): boolean {
  return name.includes(".erf");
}

/** LINKTYPE_ of an ERF record type, or -1 when we skip the record. */
function linkTypeOf(type: number): number {
  switch (type) {
    case ETH:
    case COLOR_ETH:
    case DSM_COLOR_ETH:
    case COLOR_HASH_ETH:
      return LinkType.EN10MB;
    case IPV4:
      return LinkType.IPV4;
    case IPV6:
      return LinkType.IPV6;
    default:
      return -1;
  }
}

/** Reads an ERF file. */
export class ErfReader implements CaptureReader {
  /** The first record's link type (Ethernet when it has none we read). */
  readonly linkType: number;
  /** ERF has no snapshot length: the largest any capture may have. */
  readonly snaplen = MAX_SNAPLEN;
  /** Lengths are big-endian, the timestamp little-endian. */
  readonly bigEndian = true;
  error: CaptureFileError | null = null;
  /** Records of types we do not read (ATM, HDLC, padding, metadata). */
  skipped = 0;
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

  /** Opens the records at the input's position (ERF has no file header). */
  static async open(input: ChunkedInput, name: string): Promise<ErfReader> {
    let linkType: number = LinkType.EN10MB;
    if (await input.ensure(HEADER)) {
      const t = linkTypeOf(input.buf[input.pos + 8]! & 0x7f);
      if (t >= 0) linkType = t;
    }
    return new ErfReader(input, name, linkType);
  }

  async next(batch: PacketBatch): Promise<boolean> {
    batch.count = 0;
    if (this.#done) return false;
    const input = this.#in;
    input.beginBatch();
    let n = 0;
    // Skipped records can fill a buffer: go on until a packet is found.
    while (n === 0) {
      if (!(await this.#firstRecord())) {
        this.#done = true;
        return false;
      }
      n = this.#parse(batch);
      if (n === 0 && this.error !== null) {
        this.#done = true;
        return false;
      }
    }
    if (this.error !== null) this.#done = true;
    return true;
  }

  /** Walks the whole records in the buffer into `batch`; returns packets. */
  #parse(batch: PacketBatch): number {
    const input = this.#in;
    const b = input.buf;
    if (b !== this.#viewOf) {
      this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.#viewOf = b;
    }
    const v = this.#view;
    const end = input.end, cap = batch.capacity;
    const { start, caplen: caps, wirelen, tsSec, tsUsec, linkType } = batch;
    let p = input.pos;
    let n = 0;
    batch.data = b;
    while (n < cap && end - p >= HEADER) {
      const rlen = v.getUint16(p + 10);
      if (end - p < rlen) break;
      const skip = this.#frameOffset(b, p, rlen, input.base + p);
      if (skip < 0) break;
      const type = b[p + 8]! & 0x7f;
      const lt = linkTypeOf(type);
      if (lt < 0) {
        this.skipped++;
        p += rlen;
        continue;
      }
      const wlen = v.getUint16(p + 14);
      const body = rlen - skip;
      // argus: the low word is a binary fraction, rounded to µs.
      const frac = v.getUint32(p, true);
      let sec = v.getUint32(p + 4, true);
      let usec = Math.floor((frac * 1e6 + 0x80000000) / TWO_32);
      if (usec >= 1e6) {
        usec -= 1e6;
        sec++;
      }
      tsSec[n] = sec;
      tsUsec[n] = usec;
      start[n] = p + skip;
      // Records are padded (to 8 bytes on DAG cards): no more than wlen.
      caps[n] = body > wlen ? wlen : body;
      wirelen[n] = wlen;
      linkType[n] = lt;
      n++;
      p += rlen;
    }
    batch.ifIndex.fill(0, 0, n);
    input.pos = p;
    batch.count = n;
    return n;
  }

  /**
   * Bytes from the record start to its frame (header, extension headers,
   * Ethernet padding), or -1 when the record is damaged (`error` set).
   */
  #frameOffset(b: Uint8Array, p: number, rlen: number, offset: number): number {
    let skip = HEADER;
    let more = (b[p + 8]! & 0x80) !== 0;
    while (more) {
      if (skip + EXT_HEADER > rlen) return this.#badLength(offset, rlen);
      more = (b[p + skip]! & 0x80) !== 0;
      skip += EXT_HEADER;
    }
    if (linkTypeOf(b[p + 8]! & 0x7f) === LinkType.EN10MB) skip += 2;
    if (skip > rlen) return this.#badLength(offset, rlen);
    return skip;
  }

  #badLength(offset: number, rlen: number): -1 {
    this.#fail(
      "bad ERF record length",
      offset,
      `record length ${rlen} is shorter than its headers`,
    );
    return -1;
  }

  /**
   * Makes the next record wholly available, reading as needed.
   * @returns false at the end of the file or at damage (`error` set)
   */
  async #firstRecord(): Promise<boolean> {
    const input = this.#in;
    if (!(await input.ensure(HEADER))) {
      if (input.available === 0) return false;
      return this.#fail(
        "truncated ERF record header",
        input.offset,
        `${input.available} of ${HEADER} bytes`,
      );
    }
    const b = input.buf, p = input.pos;
    const rlen = b[p + 10]! << 8 | b[p + 11]!;
    if (rlen < HEADER) {
      this.#badLength(input.offset, rlen);
      return false;
    }
    if (!(await input.ensure(rlen))) {
      return this.#fail(
        "truncated ERF record",
        input.offset,
        `record length ${rlen}, ${input.available} bytes present`,
      );
    }
    return true;
  }

  #fail(reason: string, offset: number, detail: string): false {
    this.error = new CaptureFileError(this.#name, offset, reason, detail);
    return false;
  }
}
