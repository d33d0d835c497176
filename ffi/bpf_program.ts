/**
 * Capture filters compiled by libpcap (pcap_compile on a pcap_open_dead
 * handle of the input's DLT and snapshot length), copied out as plain
 * instruction words for the TS interpreter (src/capture/bpf_filter.ts), and
 * rendered as argus -b prints them: one bpf_image() line per instruction.
 * @module
 */

import { errbuf, toCString } from "./c_string.ts";
import { libpcap } from "./load_libpcap.ts";
import { checkStatus, PcapError } from "./pcap_error.ts";

/** A compiled classic-BPF program. */
export interface BpfInstructions {
  /** code, jt, jf, k of each instruction, four numbers apiece. */
  readonly words: Uint32Array;
  /** Number of instructions. */
  readonly length: number;
  /**
   * libpcap's text of each instruction, e.g. "(000) ldh      [12]": what
   * argus -b prints, one per line (checked against argus 3.0.8.2, which
   * prints the same for -b, -bb and -bbb).
   */
  readonly text: readonly string[];
}

const INSN_BYTES = 8;

/**
 * Compiles `expression` the way argus does for a savefile: optimized, with
 * netmask 0 (argus's value for files, so "ip broadcast" compiles), for the
 * DLT_ value `dlt` and the file's snapshot length (the accept value of
 * `ret`).
 * @throws PcapError (source "filter") with libpcap's text, e.g. "syntax error"
 */
export function compileFilter(
  expression: string,
  dlt: number,
  snaplen = 262144,
  optimize = true,
  netmask = 0,
): BpfInstructions {
  const pcap = libpcap();
  const handle = pcap.pcap_open_dead(dlt, snaplen);
  if (handle === null) throw new PcapError("filter", "pcap_open_dead failed");
  const program = new Uint8Array(16);
  try {
    compileInto(handle, program, expression, optimize, netmask);
    try {
      return copyProgram(program);
    } finally {
      pcap.pcap_freecode(program);
    }
  } finally {
    pcap.pcap_close(handle);
  }
}

/** How the savefile a filter is compiled for looks to libpcap. */
export interface SavefileFilterOptions {
  /** pcap_snapshot of the file: the accept value of `ret`. */
  snaplen: number;
  /** Byte order of the file (pcapng: of its first section). */
  bigEndian: boolean;
  /** @default true */
  optimize?: boolean;
  /** @default 0 */
  netmask?: number;
}

/**
 * Compiles `expression` exactly as argus does for a savefile it reads: on
 * a pcap_open_offline handle, since libpcap's code generator treats those
 * apart from dead handles (DLT_NULL "ip6" tests all three BSD AF_INET6
 * values, AF_ values follow the file's byte order, "inbound" is an error).
 * The handle reads a 24-byte header written to a temporary file with the
 * file's LINKTYPE_ value, snapshot length and byte order.
 * @throws PcapError with libpcap's text; Deno's errors when no temporary
 * file can be written
 */
export function compileSavefileFilter(
  expression: string,
  linkType: number,
  options: SavefileFilterOptions,
): BpfInstructions {
  const pcap = libpcap();
  const header = new DataView(new ArrayBuffer(24));
  const le = !options.bigEndian;
  header.setUint32(0, 0xa1b2c3d4, le);
  header.setUint16(4, 2, le);
  header.setUint16(6, 4, le);
  header.setUint32(16, options.snaplen, le);
  header.setUint32(20, linkType, le);
  const path = Deno.makeTempFileSync({ prefix: "argus-filter-" });
  try {
    Deno.writeFileSync(path, new Uint8Array(header.buffer));
    const handle = pcap.pcap_open_offline(toCString(path), errbuf.clear());
    if (handle === null) throw new PcapError("filter", errbuf.text());
    const program = new Uint8Array(16);
    try {
      compileInto(
        handle,
        program,
        expression,
        options.optimize ?? true,
        options.netmask ?? 0,
      );
      try {
        return copyProgram(program);
      } finally {
        pcap.pcap_freecode(program);
      }
    } finally {
      pcap.pcap_close(handle);
    }
  } finally {
    Deno.removeSync(path);
  }
}

/**
 * pcap_compile into `program` (a 16-byte struct bpf_program); the caller
 * frees it with pcap_freecode.
 */
export function compileInto(
  handle: Deno.PointerObject,
  program: Uint8Array<ArrayBuffer>,
  expression: string,
  optimize: boolean,
  netmask: number,
): void {
  const pcap = libpcap();
  const status = pcap.pcap_compile(
    handle,
    program,
    toCString(expression),
    optimize ? 1 : 0,
    netmask >>> 0,
  );
  checkStatus(pcap, handle, status, "filter");
}

function copyProgram(program: Uint8Array<ArrayBuffer>): BpfInstructions {
  const pcap = libpcap();
  const view = new DataView(program.buffer);
  const n = view.getUint32(0, true);
  const insns = Deno.UnsafePointer.create(view.getBigUint64(8, true));
  const words = new Uint32Array(n * 4);
  const text: string[] = [];
  if (insns !== null && n > 0) {
    const bytes = new DataView(
      Deno.UnsafePointerView.getArrayBuffer(insns, n * INSN_BYTES),
    );
    for (let i = 0; i < n; i++) {
      const o = i * INSN_BYTES;
      words[i * 4] = bytes.getUint16(o, true);
      words[i * 4 + 1] = bytes.getUint8(o + 2);
      words[i * 4 + 2] = bytes.getUint8(o + 3);
      words[i * 4 + 3] = bytes.getUint32(o + 4, true);
      const line = pcap.bpf_image(Deno.UnsafePointer.offset(insns, o), i);
      text.push(line === null ? "" : Deno.UnsafePointerView.getCString(line));
    }
  }
  return { words, length: n, text };
}

/**
 * libpcap's own interpreter (pcap_offline_filter) over a program given as
 * words, the reference our TS interpreter is tested against. Not for the
 * hot path: each call makes a view of the packet.
 */
export class LibpcapFilter {
  /** struct bpf_insn[], kept alive while `#program` points at it. */
  readonly #insns: Uint8Array<ArrayBuffer>;
  readonly #program = new Uint8Array(16);
  readonly #hdr = new Uint8Array(24);
  readonly #hdrWords = new Uint32Array(this.#hdr.buffer);
  static readonly #empty = new Uint8Array(1);

  /** `words`: code, jt, jf, k per instruction, as compileFilter gives. */
  constructor(words: Uint32Array) {
    const n = words.length >> 2;
    this.#insns = new Uint8Array(Math.max(1, n) * INSN_BYTES);
    const iv = new DataView(this.#insns.buffer);
    for (let i = 0; i < n; i++) {
      iv.setUint16(i * 8, words[i * 4]!, true);
      iv.setUint8(i * 8 + 2, words[i * 4 + 1]!);
      iv.setUint8(i * 8 + 3, words[i * 4 + 2]!);
      iv.setUint32(i * 8 + 4, words[i * 4 + 3]!, true);
    }
    const pv = new DataView(this.#program.buffer);
    pv.setUint32(0, n, true);
    pv.setBigUint64(
      8,
      Deno.UnsafePointer.value(Deno.UnsafePointer.of(this.#insns)),
      true,
    );
  }

  /** pcap_offline_filter's return value: the snapshot length, 0 = reject. */
  run(
    data: Uint8Array,
    start: number,
    caplen: number,
    wirelen: number,
  ): number {
    const fn = libpcap().pcap_offline_filter;
    if (fn === null) {
      throw new PcapError("filter", "pcap_offline_filter is not available");
    }
    this.#hdrWords[4] = caplen;
    this.#hdrWords[5] = wirelen;
    const packet = caplen === 0
      ? LibpcapFilter.#empty
      : data.subarray(start, start + caplen);
    return fn(this.#program, this.#hdr, packet as Uint8Array<ArrayBuffer>) >>>
      0;
  }
}
