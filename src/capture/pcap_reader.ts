/**
 * Classic libpcap savefiles read in place from big chunks, with libpcap
 * 1.10's rules (sf-pcap.c, checked on the corpus): both byte orders, µs, ns
 * and Kuznetzov magics, versions 2.0-2.4 and 543.0 (old ones with caplen
 * and len swapped), caplen > snaplen cut to snaplen, caplen > len allowed,
 * caplen above the link type's maximum (256 KiB) is damage.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import {
  adjustSnaplen,
  dltFromLinkType,
  LinkType,
  maxSnaplenForLinkType,
} from "./link_type.ts";
import type { PacketBatch } from "./packet_batch.ts";

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes per record header. */
const MAGIC_KUZNETZOV = 0xa1b2cd34;
const FILE_HEADER = 24;

// How caplen and len sit in a version's record headers: as they are,
// swapped (before 2.3, and 543.0), or swapped only when caplen > len (2.3,
// libpcap's guess for files written either way).
const AS_IS = 0, SWAPPED = 1, MAYBE_SWAPPED = 2;

/** Whether four bytes at `p` are a classic pcap magic, in either order. */
export function isPcapMagic(b: Uint8Array, p = 0): boolean {
  if (b.length < p + 4) return false;
  const le = (b[p]! | b[p + 1]! << 8 | b[p + 2]! << 16 | b[p + 3]! << 24) >>>
    0;
  const be = (b[p + 3]! | b[p + 2]! << 8 | b[p + 1]! << 16 | b[p]! << 24) >>>
    0;
  return isMagic(le) || isMagic(be);
}

function isMagic(m: number): boolean {
  return m === MAGIC_USEC || m === MAGIC_NSEC || m === MAGIC_KUZNETZOV;
}

/** Reads a classic pcap file. */
export class PcapReader implements CaptureReader {
  readonly linkType: number;
  readonly snaplen: number;
  readonly bigEndian: boolean;
  error: CaptureFileError | null = null;
  readonly #in: ChunkedInput;
  readonly #name: string;
  readonly #le: boolean;
  readonly #nanos: boolean;
  readonly #headerBytes: number;
  readonly #lengths: number;
  readonly #maxCaplen: number;
  #done = false;
  /** A DataView of the buffer last parsed, remade when the buffer changes. */
  #view: DataView = new DataView(new ArrayBuffer(0));
  #viewOf: Uint8Array | null = null;

  private constructor(input: ChunkedInput, name: string, header: DataView) {
    this.#in = input;
    this.#name = name;
    const le = isMagic(header.getUint32(0, true));
    const magic = header.getUint32(0, le);
    const major = header.getUint16(4, le), minor = header.getUint16(6, le);
    this.#le = le;
    this.bigEndian = !le;
    this.#nanos = magic === MAGIC_NSEC;
    this.#headerBytes = magic === MAGIC_KUZNETZOV ? 24 : 16;
    this.#lengths = major === 543 || minor < 3
      ? SWAPPED
      : minor === 3
      ? MAYBE_SWAPPED
      : AS_IS;
    // The upper 6 bits of the link type field carry FCS information.
    this.linkType = header.getUint32(20, le) & 0x03ffffff;
    const dlt = dltFromLinkType(this.linkType);
    let snaplen = adjustSnaplen(dlt, header.getUint32(16, le));
    if (magic === MAGIC_KUZNETZOV && this.linkType === LinkType.EN10MB) {
      // libpcap assumes such captures were cooked and had 14 bytes added.
      snaplen = Math.min(snaplen + 14, 0x7fffffff);
    }
    this.snaplen = snaplen;
    this.#maxCaplen = maxSnaplenForLinkType(dlt);
  }

  /**
   * Reads the file header at the input's position (the magic is known to
   * be a pcap one).
   * @throws CaptureFileError for a short header or an unsupported version
   */
  static async open(input: ChunkedInput, name: string): Promise<PcapReader> {
    if (!(await input.ensure(FILE_HEADER))) {
      throw new CaptureFileError(
        name,
        input.offset,
        "truncated file header",
        `${input.available} of ${FILE_HEADER} bytes`,
      );
    }
    const b = input.buf;
    const header = new DataView(b.buffer, b.byteOffset + input.pos, 24);
    const le = isMagic(header.getUint32(0, true));
    const major = header.getUint16(4, le), minor = header.getUint16(6, le);
    if (!((major === 2 && minor <= 4) || (major === 543 && minor === 0))) {
      throw new CaptureFileError(
        name,
        input.offset + 4,
        `unsupported pcap version ${major}.${minor}`,
      );
    }
    const reader = new PcapReader(input, name, header);
    input.pos += FILE_HEADER;
    return reader;
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
    const le = this.#le, nanos = this.#nanos, hs = this.#headerBytes;
    const lengths = this.#lengths, max = this.#maxCaplen;
    const snap = this.snaplen, link = this.linkType;
    const end = input.end, cap = batch.capacity;
    const { start, caplen: caps, wirelen, tsSec, tsUsec } = batch;
    let p = input.pos;
    let n = 0;
    batch.data = b;
    while (n < cap && end - p >= hs) {
      let caplen = v.getUint32(p + 8, le);
      let len = v.getUint32(p + 12, le);
      if (lengths !== AS_IS) {
        if (lengths === SWAPPED || caplen > len) {
          const t = caplen;
          caplen = len;
          len = t;
        }
      }
      if (caplen > max) {
        this.#tooBig(input.base + p, caplen);
        break;
      }
      if (end - p - hs < caplen) break;
      const frac = v.getUint32(p + 4, le);
      tsSec[n] = v.getUint32(p, le);
      tsUsec[n] = nanos ? (frac / 1000) >>> 0 : frac;
      start[n] = p + hs;
      caps[n] = caplen > snap ? snap : caplen;
      wirelen[n] = len;
      n++;
      p += hs + caplen;
    }
    batch.linkType.fill(link, 0, n);
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
    const hs = this.#headerBytes;
    if (!(await input.ensure(hs))) {
      if (input.available === 0) return false;
      return this.#fail(
        "truncated packet record header",
        input.offset,
        `${input.available} of ${hs} bytes`,
      );
    }
    const b = input.buf, p = input.pos, le = this.#le;
    const v = new DataView(b.buffer, b.byteOffset + p, hs);
    let caplen = v.getUint32(8, le);
    const len = v.getUint32(12, le);
    if (
      this.#lengths === SWAPPED ||
      (this.#lengths === MAYBE_SWAPPED && caplen > len)
    ) caplen = len;
    if (caplen > this.#maxCaplen) {
      this.#tooBig(input.offset, caplen);
      return false;
    }
    if (!(await input.ensure(hs + caplen))) {
      return this.#fail(
        "truncated packet record",
        input.offset,
        `captured length ${caplen}, ${input.available - hs} bytes present`,
      );
    }
    return true;
  }

  #tooBig(offset: number, caplen: number): void {
    this.#fail(
      "packet record too large",
      offset,
      `captured length ${caplen}, the maximum is ${this.#maxCaplen}`,
    );
  }

  #fail(reason: string, offset: number, detail: string): false {
    this.error = new CaptureFileError(this.#name, offset, reason, detail);
    return false;
  }
}
