/**
 * Packets in: batches, the pure-TS savefile readers (pcap, pcapng; snoop,
 * ERF and tsh as argus reads them), the -r source stream, link-type numbers
 * and the capture filter (libpcap compiles, our BPF interpreter runs).
 * libpcap is loaded only when a filter is compiled.
 *
 * ```ts
 * import { savefileSource } from "./mod.ts";
 * const source = savefileSource(["x.pcap"]);
 * for await (const batch of source.stream) console.log(batch.count);
 * for (const e of source.errors) console.error(e.message);
 * ```
 * @module
 */

export { BATCH_PACKETS, PacketBatch } from "./packet_batch.ts";
export { CaptureFileError, EmptyCaptureFile } from "./capture_file_error.ts";
export type { CaptureReader } from "./capture_reader.ts";
export { openCapture, openCaptureReader, openInput } from "./open_capture.ts";
export type {
  CaptureFormatOptions,
  OpenCapture,
  OpenInput,
} from "./open_capture.ts";
export { savefileSource } from "./savefile_source.ts";
export { RealtimePacer } from "./realtime_pacer.ts";
export type { PacketSlice } from "./realtime_pacer.ts";
export type {
  SavefileInfo,
  SavefileOptions,
  SavefileSource,
} from "./savefile_source.ts";
export { IDLE_TICK_MS, LiveBatch, openLiveSource } from "./live_source.ts";
export type { LiveInterfaceOptions, LiveSource } from "./live_source.ts";
export { BpfFilter } from "./bpf_filter.ts";
export { CaptureFilter } from "./capture_filter.ts";
export type { CaptureFilterOptions } from "./capture_filter.ts";
export {
  adjustSnaplen,
  dltFromLinkType,
  LINK_TYPES,
  LinkType,
  linkTypeFromDlt,
  linkTypeName,
  MAX_SNAPLEN,
  maxSnaplenForLinkType,
} from "./link_type.ts";
export type { LinkTypeInfo } from "./link_type.ts";
export { CHUNK_BYTES } from "./chunked_input.ts";
export type { ByteReader } from "./chunked_input.ts";
