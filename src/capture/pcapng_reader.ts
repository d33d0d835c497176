/**
 * pcapng savefiles read in place: sections in either byte order, interface
 * blocks with their link type, snapshot length and if_tsresol/if_tsoffset,
 * enhanced, simple and obsolete packet blocks; all other blocks skipped.
 * Damage is judged as libpcap 1.10 judges it (sf-pcapng.c), except that
 * interfaces may differ in link type and snaplen and sections in byte order
 * (libpcap refuses those files; the pcapng spec allows them).
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import type { ChunkedInput } from "./chunked_input.ts";
import {
  adjustSnaplen,
  dltFromLinkType,
  maxSnaplenForLinkType,
} from "./link_type.ts";
import type { PacketBatch } from "./packet_batch.ts";

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** libpcap's limit on a first section header block (BT_SHB_INSANE_MAX). */
const MAX_FIRST_SHB = 1 << 20;
/** libpcap's block size limit before it knows the link type. */
const MAX_BLOCK = 16 << 20;
const TWO_32 = 4294967296;

// How an interface's timestamps become seconds and microseconds.
/** Units of 10^-k s with k <= 9: exact in doubles. */
const TS_DECIMAL = 0;
/** Units of 2^-s s with s <= 32: exact in doubles. */
const TS_BINARY = 1;
/** Anything finer: BigInt arithmetic (allocates; no real capture uses it). */
const TS_BIG = 2;

/** One interface of the current section. */
interface Interface {
  linkType: number;
  /** Adjusted as libpcap adjusts it (0 means the link type's maximum). */
  snaplen: number;
  kind: number;
  /** Timestamp units per second. */
  units: number;
  /** Decimal units finer than µs: divide the remainder by this. */
  down: number;
  /** Decimal units coarser than µs: multiply the remainder by this. */
  up: number;
  /** Binary units: 2^(32 - s), the weight of the high word in seconds. */
  hiWeight: number;
  /** if_tsoffset, seconds added to every timestamp. */
  offset: number;
  /** `units` as a BigInt for TS_BIG. */
  bigUnits: bigint;
  binary: boolean;
}

/** Whether four bytes at `p` start a pcapng section header block. */
export function isPcapngMagic(b: Uint8Array, p = 0): boolean {
  return b.length >= p + 4 && b[p] === 0x0a && b[p + 1] === 0x0d &&
    b[p + 2] === 0x0d && b[p + 3] === 0x0a;
}

/** Reads a pcapng file. */
export class PcapngReader implements CaptureReader {
  linkType = 0;
  snaplen = 0;
  bigEndian = false;
  error: CaptureFileError | null = null;
  readonly #in: ChunkedInput;
  readonly #name: string;
  #le = true;
  #interfaces: Interface[] = [];
  #maxBlock = MAX_BLOCK;
  #sawInterface = false;
  #done = false;
  #view: DataView = new DataView(new ArrayBuffer(0));
  #viewOf: Uint8Array | null = null;

  private constructor(input: ChunkedInput, name: string) {
    this.#in = input;
    this.#name = name;
  }

  /**
   * Reads the first section header and every block up to the first
   * interface description, as libpcap does before it opens a file.
   * @throws CaptureFileError when the file cannot be opened
   */
  static async open(input: ChunkedInput, name: string): Promise<PcapngReader> {
    const r = new PcapngReader(input, name);
    await r.#firstSection();
    await r.#fill(null);
    if (r.error !== null) throw r.error;
    if (r.#interfaces.length === 0) {
      throw new CaptureFileError(
        name,
        input.offset,
        "no interface description block",
      );
    }
    return r;
  }

  async next(batch: PacketBatch): Promise<boolean> {
    batch.count = 0;
    if (this.#done) return false;
    this.#in.beginBatch();
    await this.#fill(batch);
    if (batch.count === 0) {
      this.#done = true;
      return false;
    }
    if (this.error !== null) this.#done = true;
    return true;
  }

  /**
   * libpcap's checks of the first section header: the byte-order magic
   * decides the order, the length must be 28 bytes to 1 MiB, the version
   * 1.0 or 1.2. (libpcap checks neither the trailer nor the alignment of
   * this one block, so neither do we.)
   */
  async #firstSection(): Promise<void> {
    const input = this.#in;
    const at = input.offset;
    if (!(await input.ensure(12))) {
      throw new CaptureFileError(
        this.#name,
        at,
        "truncated section header block",
        `${input.available} of 28 bytes`,
      );
    }
    const v = this.#dataView(input.buf);
    const p = input.pos;
    if (!this.#setOrder(v.getUint32(p + 8, true))) {
      throw new CaptureFileError(
        this.#name,
        at + 8,
        "invalid byte-order magic",
        `0x${v.getUint32(p + 8, false).toString(16).padStart(8, "0")}`,
      );
    }
    this.bigEndian = !this.#le;
    const len = v.getUint32(p + 4, this.#le);
    if (len < 28 || len > MAX_FIRST_SHB) {
      throw new CaptureFileError(
        this.#name,
        at,
        "invalid section header block length",
        `${len}, expected 28 to ${MAX_FIRST_SHB}`,
      );
    }
    if (!(await input.ensure(len))) {
      throw new CaptureFileError(
        this.#name,
        at,
        "truncated section header block",
        `${input.available} of ${len} bytes`,
      );
    }
    const w = this.#dataView(input.buf), q = input.pos;
    const major = w.getUint16(q + 12, this.#le);
    const minor = w.getUint16(q + 14, this.#le);
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      throw new CaptureFileError(
        this.#name,
        at + 12,
        `unsupported pcapng version ${major}.${minor}`,
      );
    }
    input.pos += len;
  }

  /**
   * Reads blocks into `batch` until it is full, the buffered bytes end
   * after it has packets, the file ends or damage is found. Without a
   * batch, stops after the first interface description block.
   */
  async #fill(batch: PacketBatch | null): Promise<void> {
    const input = this.#in;
    const cap = batch === null ? 0 : batch.capacity;
    let n = 0;
    for (;;) {
      if (batch !== null && n >= cap) break;
      // Block header: type and total length (and for a section header,
      // the byte-order magic that says how to read the length).
      if (input.available < 8) {
        if (n > 0) break;
        if (!(await input.ensure(8))) {
          if (input.available !== 0) {
            this.#fail(
              "truncated block header",
              input.offset,
              `${input.available} of 8 bytes`,
            );
          }
          break;
        }
      }
      let b = input.buf, p = input.pos;
      let v = this.#dataView(b);
      let type = v.getUint32(p, this.#le);
      if (type === SHB && input.available < 12) {
        if (n > 0) break;
        if (!(await input.ensure(12))) {
          this.#fail(
            "truncated section header block",
            input.offset,
            `${input.available} of 28 bytes`,
          );
          break;
        }
        b = input.buf, p = input.pos, v = this.#dataView(b);
      }
      const at = input.base + p;
      let le = this.#le;
      if (type === SHB) {
        const bom = v.getUint32(p + 8, true);
        if (bom === BYTE_ORDER_MAGIC) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          this.#fail(
            "invalid byte-order magic",
            at + 8,
            `0x${v.getUint32(p + 8, false).toString(16).padStart(8, "0")}`,
          );
          break;
        }
      }
      const len = v.getUint32(p + 4, le);
      if (len < 12 || len % 4 !== 0) {
        this.#fail("invalid block length", at, `${len}`);
        break;
      }
      if (len > this.#maxBlock) {
        this.#fail(
          "block too large",
          at,
          `length ${len}, the maximum is ${this.#maxBlock}`,
        );
        break;
      }
      if (input.available < len) {
        if (n > 0) break;
        if (!(await input.ensure(len))) {
          this.#fail(
            "truncated block",
            at,
            `length ${len}, ${input.available} bytes present`,
          );
          break;
        }
        b = input.buf, p = input.pos, v = this.#dataView(b);
        type = v.getUint32(p, le);
      }
      const trailer = v.getUint32(p + len - 4, le);
      if (trailer !== len) {
        this.#fail(
          "block length mismatch",
          at,
          `header says ${len}, trailer says ${trailer}`,
        );
        break;
      }
      if (type === EPB || type === SPB || type === PB) {
        if (batch === null) {
          this.#fail(
            "packet block before any interface description block",
            at,
            "",
          );
          break;
        }
        if (!this.#packet(batch, n, type, v, p, len, at)) break;
        if (n === 0) batch.data = b;
        n++;
      } else if (type === IDB) {
        if (!this.#interface(v, p, len, at)) break;
        if (batch === null) {
          input.pos = p + len;
          break;
        }
      } else if (type === SHB) {
        if (len < 28) {
          this.#fail("section header block too short", at, `length ${len}`);
          break;
        }
        const major = v.getUint16(p + 12, le);
        if (major !== 1) {
          this.#fail(
            `unsupported pcapng version ${major}.${v.getUint16(p + 14, le)}`,
            at + 12,
            "",
          );
          break;
        }
        this.#le = le;
        this.#interfaces = [];
      }
      input.pos = p + len;
    }
    if (batch !== null) batch.count = n;
  }

  /** Adds the packet of an EPB, SPB or PB as packet `i` of the batch. */
  #packet(
    batch: PacketBatch,
    i: number,
    type: number,
    v: DataView,
    p: number,
    len: number,
    at: number,
  ): boolean {
    const le = this.#le;
    let id: number, hi = 0, lo = 0, caplen: number, wirelen: number;
    let data = p + 28;
    if (type === EPB || type === PB) {
      if (len < 32) {
        return this.#fail(
          type === EPB
            ? "enhanced packet block too short"
            : "packet block too short",
          at,
          `length ${len}`,
        );
      }
      id = type === EPB ? v.getUint32(p + 8, le) : v.getUint16(p + 8, le);
      hi = v.getUint32(p + 12, le);
      lo = v.getUint32(p + 16, le);
      caplen = v.getUint32(p + 20, le);
      wirelen = v.getUint32(p + 24, le);
    } else {
      if (len < 16) {
        return this.#fail("simple packet block too short", at, `length ${len}`);
      }
      id = 0;
      wirelen = v.getUint32(p + 8, le);
      caplen = wirelen;
      data = p + 12;
    }
    const iface = this.#interfaces[id];
    if (iface === undefined) {
      return this.#fail(
        `packet on undeclared interface ${id}`,
        at,
        `${this.#interfaces.length} declared in this section`,
      );
    }
    if (type === SPB) {
      // No captured length: the packet is cut at the snapshot length.
      if (caplen > iface.snaplen) caplen = iface.snaplen;
    } else if (caplen > iface.snaplen) {
      return this.#fail(
        "packet longer than the snapshot length",
        at,
        `captured length ${caplen}, snapshot length ${iface.snaplen}`,
      );
    }
    if (caplen > p + len - 4 - data) {
      return this.#fail(
        "packet data runs past the end of its block",
        at,
        `captured length ${caplen}, block length ${len}`,
      );
    }
    batch.start[i] = data;
    batch.caplen[i] = caplen;
    batch.wirelen[i] = wirelen;
    batch.linkType[i] = iface.linkType;
    batch.ifIndex[i] = id;
    if (type === SPB) {
      batch.tsSec[i] = 0;
      batch.tsUsec[i] = 0;
    } else {
      splitTimestamp(hi, lo, iface, batch, i);
    }
    return true;
  }

  /** Reads an interface description block with libpcap's option checks. */
  #interface(v: DataView, p: number, len: number, at: number): boolean {
    if (len < 20) {
      return this.#fail(
        "interface description block too short",
        at,
        `length ${len}`,
      );
    }
    const le = this.#le;
    const linkType = v.getUint16(p + 8, le);
    const iface: Interface = {
      linkType,
      snaplen: adjustSnaplen(
        dltFromLinkType(linkType),
        v.getUint32(p + 12, le),
      ),
      kind: TS_DECIMAL,
      units: 1_000_000,
      down: 1,
      up: 1,
      hiWeight: 0,
      offset: 0,
      bigUnits: 0n,
      binary: false,
    };
    let sawResolution = false, sawOffset = false;
    let resolution = 6;
    const end = p + len - 4;
    // Block lengths and padded options are multiples of 4, so an option
    // header always fits; its value may not.
    for (let o = p + 16; o !== end;) {
      const code = v.getUint16(o, le), olen = v.getUint16(o + 2, le);
      const padded = (olen + 3) & ~3;
      if (end - o - 4 < padded) {
        return this.#badOption(at, "option value cut short");
      }
      if (code === 0) {
        if (olen !== 0) {
          return this.#badOption(at, `opt_endofopt length ${olen}, expected 0`);
        }
        break;
      } else if (code === 9) {
        if (olen !== 1) {
          return this.#badOption(at, `if_tsresol length ${olen}, expected 1`);
        }
        if (sawResolution) return this.#badOption(at, "two if_tsresol options");
        sawResolution = true;
        const r = v.getUint8(o + 4);
        iface.binary = (r & 0x80) !== 0;
        resolution = r & 0x7f;
        if (iface.binary ? resolution > 63 : resolution > 19) {
          return this.#badOption(
            at,
            `if_tsresol ${iface.binary ? 2 : 10}^-${resolution} is too fine`,
          );
        }
      } else if (code === 14) {
        if (olen !== 8) {
          return this.#badOption(at, `if_tsoffset length ${olen}, expected 8`);
        }
        if (sawOffset) return this.#badOption(at, "two if_tsoffset options");
        sawOffset = true;
        // A signed 64-bit count of seconds.
        const a = v.getUint32(o + 4, le), c = v.getUint32(o + 8, le);
        iface.offset = le ? (c | 0) * TWO_32 + a : (a | 0) * TWO_32 + c;
      }
      o += 4 + padded;
    }
    setResolution(iface, resolution);
    this.#interfaces.push(iface);
    if (!this.#sawInterface) {
      // The file's link type and snapshot are its first interface's.
      this.#sawInterface = true;
      this.linkType = linkType;
      this.snaplen = iface.snaplen;
      const max = maxSnaplenForLinkType(dltFromLinkType(linkType));
      this.#maxBlock = Math.max(MAX_BLOCK, 32 + max + 131072);
    }
    return true;
  }

  #badOption(at: number, detail: string): false {
    return this.#fail("invalid interface description block", at, detail);
  }

  #setOrder(bomLe: number): boolean {
    if (bomLe === BYTE_ORDER_MAGIC) this.#le = true;
    else if (bomLe === 0x4d3c2b1a) this.#le = false;
    else return false;
    return true;
  }

  #dataView(b: Uint8Array): DataView {
    if (b !== this.#viewOf) {
      this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.#viewOf = b;
    }
    return this.#view;
  }

  #fail(reason: string, offset: number, detail: string): false {
    this.error = new CaptureFileError(this.#name, offset, reason, detail);
    return false;
  }
}

/** Prepares the timestamp conversion for 10^-r or 2^-r second units. */
function setResolution(iface: Interface, r: number): void {
  if (iface.binary) {
    iface.units = 2 ** r;
    iface.kind = r <= 32 ? TS_BINARY : TS_BIG;
    iface.hiWeight = r <= 32 ? 2 ** (32 - r) : 0;
  } else {
    iface.units = 10 ** r;
    iface.kind = r <= 9 ? TS_DECIMAL : TS_BIG;
    iface.down = r > 6 ? 10 ** (r - 6) : 1;
    iface.up = r < 6 ? 10 ** (6 - r) : 1;
  }
  iface.bigUnits = iface.kind === TS_BIG ? BigInt(iface.units) : 0n;
}

/**
 * Splits a 64-bit timestamp (hi, lo) in interface units into seconds and
 * microseconds, truncating as libpcap does, without BigInt for every
 * resolution real captures use.
 */
function splitTimestamp(
  hi: number,
  lo: number,
  iface: Interface,
  batch: PacketBatch,
  i: number,
): void {
  const u = iface.units;
  let sec: number, usec: number;
  if (iface.kind === TS_DECIMAL) {
    let r: number;
    if (hi < 0x200000) {
      // Below 2^53 the whole value is exact.
      const t = hi * TWO_32 + lo;
      sec = Math.floor(t / u);
      r = t - sec * u;
    } else {
      // Long division in 16-bit digits keeps every step below 2^53.
      const q1 = Math.floor(hi / u);
      r = hi - q1 * u;
      let x = r * 65536 + (lo >>> 16);
      const q2 = Math.floor(x / u);
      r = x - q2 * u;
      x = r * 65536 + (lo & 0xffff);
      const q3 = Math.floor(x / u);
      r = x - q3 * u;
      sec = q1 * TWO_32 + q2 * 65536 + q3;
    }
    usec = iface.down > 1 ? Math.floor(r / iface.down) : r * iface.up;
  } else if (iface.kind === TS_BINARY) {
    const q = Math.floor(lo / u);
    sec = hi * iface.hiWeight + q;
    usec = Math.floor(((lo - q * u) * 1_000_000) / u);
  } else {
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    const units = iface.bigUnits;
    const r = t % units;
    sec = Number(t / units);
    // libpcap scales in 64-bit integers; the product may wrap, as there.
    usec = Number(
      iface.binary
        ? BigInt.asUintN(64, r * 1_000_000n) / units
        : r / (units / 1_000_000n),
    );
  }
  batch.tsSec[i] = sec + iface.offset;
  batch.tsUsec[i] = usec;
}
