/**
 * pcapng savefiles (the format's section/interface/packet blocks): several
 * sections and byte orders, per-interface link type, snapshot length and
 * timestamp resolution (if_tsresol, if_tsoffset); enhanced, simple and
 * obsolete packet blocks; every other block skipped. Damage ends the file
 * after the good packets, worded as libpcap words it.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import { type CaptureReader, MAX_CAPLEN } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import type { PacketBatch } from "./packet_batch.ts";

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const PB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Blocks larger than this are damage, not data (libpcap's limit is 16 MiB). */
const MAX_BLOCK = 16 * 1024 * 1024;

/** One interface of the current section. */
interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second, and whether it is a power of two. */
  unitsPerSec: number;
  shift: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  offset: number;
}

/** Whether the first four bytes start a pcapng file. */
export function isPcapngMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d &&
    b[3] === 0x0a;
}

/** Reads a pcapng file. */
export class PcapngReader implements CaptureReader {
  linkType = 1;
  snaplen = 65535;
  error: CaptureFileError | null = null;
  readonly #in: ChunkedInput;
  readonly #name: string;
  #le = true;
  #ifaces: Iface[] = [];

  private constructor(input: ChunkedInput, name: string) {
    this.#in = input;
    this.#name = name;
  }

  /** Reads the first section header and interface; throws when unusable. */
  static async open(input: ChunkedInput, name: string): Promise<PcapngReader> {
    const r = new PcapngReader(input, name);
    // libpcap opens a pcapng file only once it has seen its first interface.
    const probe = { count: 0 };
    while (r.#ifaces.length === 0) {
      const kind = await r.#block(null, probe);
      if (kind === "end") break;
      if (kind === "error") throw r.error!;
    }
    if (r.#ifaces.length === 0 && r.error === null) {
      throw new CaptureFileError(name, -1, "no interface description block");
    }
    const first = r.#ifaces[0];
    if (first !== undefined) {
      r.linkType = first.linkType;
      r.snaplen = first.snaplen;
    }
    return r;
  }

  async next(batch: PacketBatch): Promise<boolean> {
    if (this.error !== null) return false;
    batch.count = 0;
    const cap = batch.capacity;
    while (batch.count < cap) {
      const kind = await this.#block(batch, batch);
      if (kind === "end") return batch.count > 0;
      if (kind === "error") return batch.count > 0;
      if (kind === "full") return true;
    }
    return true;
  }

  /**
   * Handles one block. With a batch, packet blocks are added to it; a block
   * that needs more input while the batch holds packets returns "full"
   * untouched (so every packet of a batch lies in one buffer).
   */
  async #block(
    batch: PacketBatch | null,
    counter: { count: number },
  ): Promise<"ok" | "full" | "end" | "error"> {
    const input = this.#in;
    if (input.available < 12) {
      if (counter.count > 0) return "full";
      if (!(await input.ensure(12))) {
        const got = input.available;
        if (got === 0) return "end";
        return this.#fail(
          `truncated pcapng dump file; tried to read 12 bytes, only got ${got}`,
        );
      }
    }
    let b = input.buf, p = input.pos;
    let type = this.#u32(b, p);
    if (type === SHB) {
      // The byte order of a section comes from its own magic.
      const magic = rdle(b, p + 8);
      if (magic === BYTE_ORDER_MAGIC) this.#le = true;
      else if (magic === 0x4d3c2b1a) this.#le = false;
      else return this.#fail("unknown byte-order magic in section header");
    }
    let len = this.#u32(b, p + 4);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
      return this.#fail(`block total length ${len} is invalid`);
    }
    if (input.available < len) {
      if (counter.count > 0) return "full";
      if (!(await input.ensure(len))) {
        const got = input.available;
        return this.#fail(
          `truncated pcapng dump file; tried to read ${len} bytes, only got ${got}`,
        );
      }
      b = input.buf;
      p = input.pos;
      type = this.#u32(b, p);
      len = this.#u32(b, p + 4);
    }
    if (this.#u32(b, p + len - 4) !== len) {
      return this.#fail("block total length in header and trailer don't match");
    }
    input.pos = p + len;
    switch (type) {
      case SHB:
        this.#ifaces = [];
        return "ok";
      case IDB:
        this.#ifaces.push(this.#interface(b, p, len));
        return "ok";
      case EPB:
      case PB:
      case SPB:
        if (batch === null) return "ok";
        return this.#packet(batch, type, b, p, len);
      default:
        return "ok";
    }
  }

  #packet(
    batch: PacketBatch,
    type: number,
    b: Uint8Array,
    p: number,
    len: number,
  ): "ok" | "error" {
    let ifIndex = 0, hi = 0, lo = 0, caplen = 0, wirelen = 0, data = 0;
    if (type === EPB) {
      if (len < 32) return this.#fail("enhanced packet block is too short");
      ifIndex = this.#u32(b, p + 8);
      hi = this.#u32(b, p + 12);
      lo = this.#u32(b, p + 16);
      caplen = this.#u32(b, p + 20);
      wirelen = this.#u32(b, p + 24);
      data = p + 28;
    } else if (type === PB) {
      if (len < 32) return this.#fail("packet block is too short");
      ifIndex = this.#u16(b, p + 8);
      hi = this.#u32(b, p + 12);
      lo = this.#u32(b, p + 16);
      caplen = this.#u32(b, p + 20);
      wirelen = this.#u32(b, p + 24);
      data = p + 28;
    } else {
      if (len < 16) return this.#fail("simple packet block is too short");
      wirelen = this.#u32(b, p + 8);
      caplen = Math.min(wirelen, len - 16);
      data = p + 12;
    }
    const iface = this.#ifaces[ifIndex];
    if (iface === undefined) {
      return this.#fail(
        `a packet names interface ${ifIndex}, which is not defined`,
      );
    }
    if (type === SPB) caplen = Math.min(caplen, iface.snaplen || caplen);
    if (
      caplen > Math.max(MAX_CAPLEN, iface.snaplen) ||
      data + caplen > p + len - 4
    ) {
      return this.#fail(`invalid packet capture length ${caplen}`);
    }
    const i = batch.count++;
    if (i === 0) batch.data = b;
    if (type === SPB) {
      batch.tsSec[i] = 0;
      batch.tsUsec[i] = 0;
    } else {
      splitTimestamp(hi, lo, iface, batch, i);
    }
    batch.start[i] = data;
    batch.caplen[i] = caplen;
    batch.wirelen[i] = wirelen;
    batch.linkType[i] = iface.linkType;
    return "ok";
  }

  #interface(b: Uint8Array, p: number, len: number): Iface {
    const iface: Iface = {
      linkType: this.#u16(b, p + 8),
      snaplen: this.#u32(b, p + 12),
      unitsPerSec: 1_000_000,
      shift: -1,
      offset: 0,
    };
    // Options: code, length, value padded to 4 bytes.
    for (let o = p + 16; o + 4 <= p + len - 4;) {
      const code = this.#u16(b, o), olen = this.#u16(b, o + 2);
      if (code === 0) break;
      if (code === 9 && olen >= 1) {
        const v = b[o + 4]!;
        if (v & 0x80) {
          iface.shift = v & 0x7f;
          iface.unitsPerSec = 2 ** iface.shift;
        } else {
          iface.unitsPerSec = 10 ** v;
        }
      } else if (code === 14 && olen >= 8) {
        // A 64-bit count of seconds in the section's byte order.
        const first = this.#u32(b, o + 4), second = this.#u32(b, o + 8);
        iface.offset = this.#le
          ? (second | 0) * 2 ** 32 + first
          : (first | 0) * 2 ** 32 + second;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    return iface;
  }

  #u32(b: Uint8Array, p: number): number {
    return this.#le ? rdle(b, p) : rdbe(b, p);
  }

  #u16(b: Uint8Array, p: number): number {
    return this.#le ? (b[p]! | b[p + 1]! << 8) : (b[p]! << 8 | b[p + 1]!);
  }

  #fail(reason: string): "error" {
    this.error = new CaptureFileError(this.#name, this.#in.offset, reason);
    return "error";
  }
}

/**
 * Splits a 64-bit timestamp in interface units into seconds and
 * microseconds (truncated), without BigInt for the usual resolutions.
 */
function splitTimestamp(
  hi: number,
  lo: number,
  iface: Iface,
  batch: PacketBatch,
  i: number,
): void {
  const u = iface.unitsPerSec;
  if (u <= 1e9) {
    // Long division in base 2^16 keeps every step below 2^53.
    let r = hi >>> 16;
    let d = Math.floor(r / u);
    r -= d * u;
    let q = d;
    r = r * 65536 + (hi & 0xffff);
    d = Math.floor(r / u);
    r -= d * u;
    q = q * 65536 + d;
    r = r * 65536 + (lo >>> 16);
    d = Math.floor(r / u);
    r -= d * u;
    q = q * 65536 + d;
    r = r * 65536 + (lo & 0xffff);
    d = Math.floor(r / u);
    r -= d * u;
    q = q * 65536 + d;
    batch.tsSec[i] = q + iface.offset;
    batch.tsUsec[i] = Math.floor((r * 1_000_000) / u);
    return;
  }
  const t = (BigInt(hi) << 32n) | BigInt(lo);
  const units = BigInt(u);
  batch.tsSec[i] = Number(t / units) + iface.offset;
  batch.tsUsec[i] = Number(((t % units) * 1_000_000n) / units);
}

function rdle(b: Uint8Array, p: number): number {
  return (b[p]! | b[p + 1]! << 8 | b[p + 2]! << 16 | b[p + 3]! << 24) >>> 0;
}

function rdbe(b: Uint8Array, p: number): number {
  return (b[p]! << 24 | b[p + 1]! << 16 | b[p + 2]! << 8 | b[p + 3]!) >>> 0;
}
