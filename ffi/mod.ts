/**
 * The libpcap binding: loading, handles on savefiles and interfaces, filter
 * compilation, errors. Only this folder sees pointers; callers get numbers,
 * strings and Uint8Arrays. libpcap is loaded on first use, never on import.
 *
 * ```ts
 * import { compileFilter, PcapHandle } from "./mod.ts";
 * const program = compileFilter("tcp", 1, 65535); // DLT_EN10MB
 * console.log(program.text.join("\n")); // what argus -b prints
 * using handle = PcapHandle.openOffline("x.pcap");
 * ```
 * @module
 */

export {
  compileFilter,
  compileSavefileFilter,
  LibpcapFilter,
} from "./bpf_program.ts";
export type { BpfInstructions, SavefileFilterOptions } from "./bpf_program.ts";
export { PcapHandle } from "./pcap_handle.ts";
export type { LiveOptions, PacketSink, PcapStats } from "./pcap_handle.ts";
export { listDevices } from "./pcap_devices.ts";
export type { PcapDevice } from "./pcap_devices.ts";
export {
  libpcap,
  LIBPCAP_NAMES,
  libpcapVersion,
  openLibpcap,
} from "./load_libpcap.ts";
export { PcapError } from "./pcap_error.ts";
export { dltName } from "./dlt_name.ts";
export { POLLIN, PollSet } from "./libc_poll.ts";
export { openLibc } from "./load_libc.ts";
export {
  changeRoot,
  initGroups,
  lookupGroup,
  lookupUser,
  setEgid,
  setEuid,
  setGid,
  setGroups,
  setUid,
} from "./libc_identity.ts";
export type { UserEntry } from "./libc_identity.ts";
export { trimMallocArenas } from "./libc_malloc_trim.ts";
export { processExists } from "./libc_kill.ts";
export { reserveDevNull, stdioToDevNull } from "./libc_stdio.ts";
export { UnixDatagramSocket } from "./libc_unix_datagram.ts";
