/**
 * NLANR/MOAT tsh files for argus -t: headerless 44-byte records (seconds,
 * an interface byte and 24-bit µs, all big-endian; a 20-byte IPv4 header;
 * the first 16 bytes of the transport header). Packets are raw IPv4 as
 * argus's ArgusMoatTshRead builds them: a 40-byte snapshot (the 36 stored
 * bytes and 4 zero bytes of its cleared buffer), wire length = IP total
 * length. argus 3.0.8 itself never gets there (its loop needs a pcap handle).
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import { LinkType } from "./link_type.ts";
import type { PacketBatch } from "./packet_batch.ts";

/** Bytes per tsh record. */
export const TSH_RECORD = 44;
/** Captured bytes per packet, as argus's ARGUSMOATTSHTCPLEN. */
export const TSH_SNAPLEN = 40;
/** Where the IP header starts in a record. */
const IP_AT = 8;
/** Zero bytes after a packet's stored 36 (argus's cleared buffer). */
const PAD = IP_AT + TSH_SNAPLEN - TSH_RECORD;

/** Reads a tsh file. */
export class TshReader implements CaptureReader {
  readonly linkType = LinkType.RAW;
  readonly snaplen = TSH_SNAPLEN;
  readonly bigEndian = true;
  error: CaptureFileError | null = null;
  readonly #in: ChunkedInput;
  readonly #name: string;
  #done = false;
  /**
   * Two packet buffers, one per batch in turn (a batch stays valid while
   * the next is filled): records copied at a 44-byte stride, each packet's
   * 4 bytes past its record (the next record's seconds) set to zero.
   */
  #out: Uint8Array[] = [];
  #turn = 0;

  private constructor(input: ChunkedInput, name: string) {
    this.#in = input;
    this.#name = name;
  }

  /** Opens the records at the input's position (tsh has no file header). */
  static open(input: ChunkedInput, name: string): Promise<TshReader> {
    return Promise.resolve(new TshReader(input, name));
  }

  async next(batch: PacketBatch): Promise<boolean> {
    batch.count = 0;
    if (this.#done) return false;
    const input = this.#in;
    if (!(await input.ensure(TSH_RECORD))) {
      this.#done = true;
      if (input.available > 0) {
        this.error = new CaptureFileError(
          this.#name,
          input.offset,
          "truncated tsh record",
          `${input.available} of ${TSH_RECORD} bytes`,
        );
      }
      return false;
    }
    const cap = batch.capacity;
    const size = cap * TSH_RECORD + PAD;
    if (this.#out.length === 0 || this.#out[0]!.length !== size) {
      this.#out = [new Uint8Array(size), new Uint8Array(size)];
    }
    const out = this.#out[this.#turn]!;
    this.#turn ^= 1;
    const b = input.buf, p = input.pos;
    let n = Math.floor(input.available / TSH_RECORD);
    if (n > cap) n = cap;
    out.set(b.subarray(p, p + n * TSH_RECORD));
    const { start, caplen, wirelen, tsSec, tsUsec } = batch;
    for (let i = 0, r = 0; i < n; i++, r += TSH_RECORD) {
      tsSec[i] = (out[r]! << 24 | out[r + 1]! << 16 | out[r + 2]! << 8 |
        out[r + 3]!) >>> 0;
      tsUsec[i] = out[r + 5]! << 16 | out[r + 6]! << 8 | out[r + 7]!;
      const ipLen = out[r + IP_AT + 2]! << 8 | out[r + IP_AT + 3]!;
      start[i] = r + IP_AT;
      // argus passes 40 bytes whatever the IP length; we stop at a shorter
      // IP length that is at least a header, so caplen <= wirelen.
      caplen[i] = ipLen >= 20 && ipLen < TSH_SNAPLEN ? ipLen : TSH_SNAPLEN;
      wirelen[i] = ipLen >= 20 ? ipLen : TSH_SNAPLEN;
    }
    // Zero after reading the times: the pad is the next record's seconds.
    for (let r = TSH_RECORD; r <= n * TSH_RECORD; r += TSH_RECORD) {
      out.fill(0, r, r + PAD);
    }
    input.pos = p + n * TSH_RECORD;
    batch.data = out;
    batch.linkType.fill(LinkType.RAW, 0, n);
    batch.ifIndex.fill(0, 0, n);
    batch.count = n;
    return true;
  }
}
