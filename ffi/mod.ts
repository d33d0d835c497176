/**
 * The libpcap binding: loader, filter compilation and errors. Only this
 * folder sees pointers.
 * @module
 */

export { compileFilter, libpcapFilterVerdict } from "./bpf_program.ts";
export { PcapHandle } from "./pcap_handle.ts";
export type { PacketSink } from "./pcap_handle.ts";
export type { BpfInstructions } from "./bpf_program.ts";
export { libpcap, LIBPCAP_NAMES, LibpcapLoadError } from "./load_libpcap.ts";
export { PcapError } from "./pcap_error.ts";
