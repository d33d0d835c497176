/**
 * Capture filters compiled by libpcap (pcap_compile on a dead handle of the
 * input's link type), copied out as plain instruction words for our
 * interpreter, and rendered as text for argus -b (bpf_image per line).
 * @module
 */

import { libpcap } from "./load_libpcap.ts";
import { PcapError } from "./pcap_error.ts";

/**
 * libpcap's own verdict on one packet (pcap_offline_filter), for checking
 * our interpreter against it.
 */
export function libpcapFilterVerdict(
  instructions: BpfInstructions,
  packet: Uint8Array,
  wirelen: number,
): boolean {
  const pcap = libpcap();
  const n = instructions.length;
  const insns = new Uint8Array(Math.max(8, n * BPF_INSN_SIZE));
  const iv = new DataView(insns.buffer);
  for (let i = 0; i < n; i++) {
    iv.setUint16(i * 8, instructions.words[i * 4]!, true);
    iv.setUint8(i * 8 + 2, instructions.words[i * 4 + 1]!);
    iv.setUint8(i * 8 + 3, instructions.words[i * 4 + 2]!);
    iv.setUint32(i * 8 + 4, instructions.words[i * 4 + 3]!, true);
  }
  const program = new Uint8Array(16);
  const pv = new DataView(program.buffer);
  pv.setUint32(0, n, true);
  pv.setBigUint64(
    8,
    BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(insns))),
    true,
  );
  const hdr = new Uint8Array(24);
  const hv = new DataView(hdr.buffer);
  hv.setUint32(16, packet.length, true);
  hv.setUint32(20, wirelen, true);
  return pcap.pcap_offline_filter(
    program,
    hdr,
    packet.length ? packet : new Uint8Array(1),
  ) !== 0;
}

/** Compiled classic BPF: four numbers per instruction (code, jt, jf, k). */
export interface BpfInstructions {
  /** code, jt, jf, k for each instruction. */
  readonly words: Uint32Array;
  readonly length: number;
  /** libpcap's text for each instruction (what argus -b prints). */
  readonly text: string[];
}

const BPF_INSN_SIZE = 8;
const NETMASK_UNKNOWN = 0xffffffff;

/**
 * Compiles `expression` for `linkType`; throws PcapError with libpcap's
 * message when the expression is wrong.
 */
export function compileFilter(
  expression: string,
  linkType: number,
  snaplen = 262144,
  optimize = true,
): BpfInstructions {
  const pcap = libpcap();
  const handle = pcap.pcap_open_dead(linkType, snaplen);
  if (handle === null) {
    throw new PcapError("filter", "pcap_open_dead failed");
  }
  // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
  const program = new Uint8Array(16);
  const text = new TextEncoder().encode(expression + "\0");
  try {
    if (
      pcap.pcap_compile(
        handle,
        program,
        text,
        optimize ? 1 : 0,
        NETMASK_UNKNOWN,
      ) !== 0
    ) {
      const msg = Deno.UnsafePointerView.getCString(pcap.pcap_geterr(handle)!);
      throw new PcapError("filter", msg);
    }
    const view = new DataView(program.buffer);
    const n = view.getUint32(0, true);
    const ptr = Deno.UnsafePointer.create(view.getBigUint64(8, true));
    const words = new Uint32Array(n * 4);
    const lines: string[] = [];
    if (ptr !== null && n > 0) {
      const insns = new Deno.UnsafePointerView(ptr);
      for (let i = 0; i < n; i++) {
        const o = i * BPF_INSN_SIZE;
        words[i * 4] = insns.getUint16(o);
        words[i * 4 + 1] = insns.getUint8(o + 2);
        words[i * 4 + 2] = insns.getUint8(o + 3);
        words[i * 4 + 3] = insns.getUint32(o + 4);
        const line = pcap.bpf_image(Deno.UnsafePointer.offset(ptr, o), i);
        lines.push(
          line === null ? "" : Deno.UnsafePointerView.getCString(line),
        );
      }
    }
    pcap.pcap_freecode(program);
    return { words, length: n, text: lines };
  } finally {
    pcap.pcap_close(handle);
  }
}
