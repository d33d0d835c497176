/**
 * Builds crafted capture files for the reader tests: classic pcap in any
 * byte order, magic and version with raw record fields, and pcapng block by
 * block. Folder-private helpers, plus the packet collectors the reader and
 * conformance tests share.
 * @module
 */

import {
  CaptureFileError,
  type CaptureReader,
  dltFromLinkType,
  openCaptureReader,
  PacketBatch,
} from "../../src/capture/mod.ts";
import { PcapError, PcapHandle } from "../../ffi/mod.ts";

/** One classic pcap record, fields as stored. */
export interface RawRecord {
  sec: number;
  frac: number;
  /** Stored caplen; defaults to data.length. */
  caplen?: number;
  /** Stored len; defaults to data.length. */
  len?: number;
  data: Uint8Array;
}

/** A classic pcap file header. */
export interface PcapHeader {
  littleEndian?: boolean;
  magic?: number;
  major?: number;
  minor?: number;
  snaplen?: number;
  linkType?: number;
  /** Bytes of record header (24 for the Kuznetzov magic). */
  recordHeader?: number;
}

/** A classic pcap file from raw records. */
export function pcapBytes(h: PcapHeader, records: RawRecord[]): Uint8Array {
  const le = h.littleEndian ?? true;
  const rh = h.recordHeader ?? 16;
  let size = 24;
  for (const r of records) size += rh + r.data.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, h.magic ?? 0xa1b2c3d4, le);
  v.setUint16(4, h.major ?? 2, le);
  v.setUint16(6, h.minor ?? 4, le);
  v.setUint32(16, h.snaplen ?? 65535, le);
  v.setUint32(20, h.linkType ?? 1, le);
  let o = 24;
  for (const r of records) {
    v.setUint32(o, r.sec, le);
    v.setUint32(o + 4, r.frac, le);
    v.setUint32(o + 8, r.caplen ?? r.data.length, le);
    v.setUint32(o + 12, r.len ?? r.data.length, le);
    out.set(r.data, o + rh);
    o += rh + r.data.length;
  }
  return out;
}

/** `n` bytes counting up from `seed`, so packets differ. */
export function bytes(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 7) & 0xff;
  return b;
}

/** Writes pcapng blocks in one byte order. */
export class PcapngBuilder {
  readonly #parts: Uint8Array[] = [];
  #le: boolean;

  constructor(littleEndian = true) {
    this.#le = littleEndian;
  }

  /** A block of `type` with `body`, padded, with matching lengths. */
  block(type: number, body: Uint8Array, lengthOverride?: number): this {
    const padded = (body.length + 3) & ~3;
    const len = 12 + padded;
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.#le);
    v.setUint32(4, lengthOverride ?? len, this.#le);
    out.set(body, 8);
    v.setUint32(len - 4, lengthOverride ?? len, this.#le);
    this.#parts.push(out);
    return this;
  }

  /** Raw bytes, e.g. a damaged block. */
  raw(b: Uint8Array): this {
    this.#parts.push(b);
    return this;
  }

  /** A section header (switches this builder to its byte order). */
  shb(littleEndian = this.#le, major = 1, minor = 0): this {
    this.#le = littleEndian;
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.#le);
    v.setUint16(4, major, this.#le);
    v.setUint16(6, minor, this.#le);
    v.setBigInt64(8, -1n, this.#le);
    return this.block(0x0a0d0d0a, body);
  }

  /** An interface description; options are [code, value bytes]. */
  idb(
    linkType: number,
    snaplen: number,
    options: [number, Uint8Array][] = [],
  ): this {
    const opts = this.options(options, true);
    const body = new Uint8Array(8 + opts.length);
    const v = new DataView(body.buffer);
    v.setUint16(0, linkType, this.#le);
    v.setUint32(4, snaplen, this.#le);
    body.set(opts, 8);
    return this.block(1, body);
  }

  /** Options, padded, optionally with opt_endofopt. */
  options(options: [number, Uint8Array][], end: boolean): Uint8Array {
    const parts: number[] = [];
    const push = (code: number, value: Uint8Array) => {
      const h = new Uint8Array(4);
      new DataView(h.buffer).setUint16(0, code, this.#le);
      new DataView(h.buffer).setUint16(2, value.length, this.#le);
      parts.push(...h, ...value);
      while (parts.length % 4 !== 0) parts.push(0);
    };
    for (const [code, value] of options) push(code, value);
    if (end && options.length > 0) push(0, new Uint8Array(0));
    return new Uint8Array(parts);
  }

  /** if_tsresol's value byte. */
  static tsresol(r: number): Uint8Array {
    return new Uint8Array([r]);
  }

  /** if_tsoffset's value in this builder's byte order. */
  tsoffset(seconds: bigint): Uint8Array {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, seconds, this.#le);
    return b;
  }

  /** An enhanced packet block; `time` in interface units. */
  epb(
    iface: number,
    time: bigint,
    data: Uint8Array,
    caplen = data.length,
    wirelen = data.length,
  ): this {
    const body = new Uint8Array(20 + data.length);
    const v = new DataView(body.buffer);
    v.setUint32(0, iface, this.#le);
    v.setUint32(4, Number(time >> 32n), this.#le);
    v.setUint32(8, Number(time & 0xffffffffn), this.#le);
    v.setUint32(12, caplen, this.#le);
    v.setUint32(16, wirelen, this.#le);
    body.set(data, 20);
    return this.block(6, body);
  }

  /** An obsolete packet block. */
  pb(
    iface: number,
    time: bigint,
    data: Uint8Array,
    wirelen = data.length,
  ): this {
    const body = new Uint8Array(20 + data.length);
    const v = new DataView(body.buffer);
    v.setUint16(0, iface, this.#le);
    v.setUint32(4, Number(time >> 32n), this.#le);
    v.setUint32(8, Number(time & 0xffffffffn), this.#le);
    v.setUint32(12, data.length, this.#le);
    v.setUint32(16, wirelen, this.#le);
    body.set(data, 20);
    return this.block(2, body);
  }

  /** A simple packet block. */
  spb(data: Uint8Array, wirelen = data.length): this {
    const body = new Uint8Array(4 + data.length);
    new DataView(body.buffer).setUint32(0, wirelen, this.#le);
    body.set(data, 4);
    return this.block(3, body);
  }

  /** The file so far. */
  bytes(): Uint8Array {
    const size = this.#parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(size);
    let o = 0;
    for (const p of this.#parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** A packet as both readers are compared on. */
export interface Pkt {
  sec: number;
  usec: number;
  caplen: number;
  wirelen: number;
  /** DLT_ value (libpcap's view of the link type). */
  dlt: number;
  bytes: string;
}

function digest(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619);
  return `${b.length}:${(h >>> 0).toString(16)}`;
}

/** Appends the batch's packets; our link types are made DLT_ values. */
export function collect(batch: PacketBatch, out: Pkt[], fromFile = true): void {
  for (let i = 0; i < batch.count; i++) {
    out.push({
      sec: batch.tsSec[i]!,
      usec: batch.tsUsec[i]!,
      caplen: batch.caplen[i]!,
      wirelen: batch.wirelen[i]!,
      dlt: fromFile ? dltFromLinkType(batch.linkType[i]!) : batch.linkType[i]!,
      bytes: digest(batch.packet(i)),
    });
  }
}

/** Every packet `reader` gives, in batches of `capacity`. */
export async function readAll(
  reader: CaptureReader,
  capacity = 64,
): Promise<Pkt[]> {
  const out: Pkt[] = [];
  const batch = new PacketBatch(capacity);
  while (await reader.next(batch)) collect(batch, out);
  return out;
}

/** What libpcap (through our binding) makes of a file. */
export interface LibpcapResult {
  packets: Pkt[];
  /** libpcap's error text, opening or reading; null when none. */
  error: string | null;
  /** pcap_datalink and pcap_snapshot when it opened. */
  dlt: number;
  snaplen: number;
}

/** Reads `path` with pcap_open_offline + pcap_next_ex. */
export function readWithLibpcap(path: string): LibpcapResult {
  const packets: Pkt[] = [];
  let handle: PcapHandle;
  try {
    handle = PcapHandle.openOffline(path);
  } catch (e) {
    if (e instanceof PcapError) {
      return { packets, error: e.message, dlt: -1, snaplen: -1 };
    }
    throw e;
  }
  using h = handle;
  const batch = new PacketBatch(256);
  let error: string | null = null;
  for (;;) {
    try {
      if (h.readBatch(batch) === 0) break;
    } catch (e) {
      if (!(e instanceof PcapError)) throw e;
      error = e.message;
      break;
    }
    collect(batch, packets, false);
  }
  return { packets, error, dlt: h.datalink, snaplen: h.snaplen };
}

/** A ByteReader handing out at most `step` bytes per read. */
export function trickle(
  b: Uint8Array,
  step: number,
): { read(p: Uint8Array): Promise<number | null> } {
  let pos = 0;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (pos >= b.length) return Promise.resolve(null);
      const n = Math.min(step, p.length, b.length - pos);
      p.set(b.subarray(pos, pos + n));
      pos += n;
      return Promise.resolve(n);
    },
  };
}

/** A ByteReader that splits `b` at the given offsets. */
export function splitAt(
  b: Uint8Array,
  cuts: number[],
): { read(p: Uint8Array): Promise<number | null> } {
  const ends = [...cuts.filter((c) => c > 0 && c < b.length), b.length];
  let pos = 0;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (pos >= b.length) return Promise.resolve(null);
      const stop = ends.find((e) => e > pos) ?? b.length;
      const n = Math.min(p.length, stop - pos);
      p.set(b.subarray(pos, pos + n));
      pos += n;
      return Promise.resolve(n);
    },
  };
}

/** Writes bytes to a temporary file; returns its path. */
export async function tempCapture(
  b: Uint8Array,
  suffix = ".pcap",
): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "argus-ts-capture-", suffix });
  await Deno.writeFile(path, b);
  return path;
}

/** What our reader makes of a file: packets, open or read error. */
export interface OurResult {
  packets: Pkt[];
  /** Our error message, opening or reading; null when none. */
  error: string | null;
  /** Whether the file opened. */
  opened: boolean;
  dlt: number;
  snaplen: number;
}

/** Reads `b` with our readers, in reads of `step` bytes. */
export async function readWithOurs(
  b: Uint8Array,
  name = "x.pcap",
  step = 1 << 20,
  chunk?: number,
): Promise<OurResult> {
  let reader: CaptureReader;
  try {
    reader = await openCaptureReader(trickle(b, step), name, chunk);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    return {
      packets: [],
      error: e.message,
      opened: false,
      dlt: -1,
      snaplen: -1,
    };
  }
  const packets = await readAll(reader);
  return {
    packets,
    error: reader.error?.message ?? null,
    opened: true,
    dlt: dltFromLinkType(reader.linkType),
    snaplen: reader.snaplen,
  };
}

/** Both readers on the same bytes (libpcap reads them from a temp file). */
export async function readWithBoth(
  b: Uint8Array,
  suffix = ".pcap",
): Promise<{ ours: OurResult; ref: LibpcapResult }> {
  const path = await tempCapture(b, suffix);
  try {
    return { ours: await readWithOurs(b), ref: readWithLibpcap(path) };
  } finally {
    await Deno.remove(path);
  }
}
