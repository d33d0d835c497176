/**
 * Packets in: batches, savefile readers (pcap, pcapng), the -r source
 * stream and the capture-filter interpreter.
 * @module
 */

export { BATCH_PACKETS, PacketBatch } from "./packet_batch.ts";
export { CaptureFileError } from "./capture_file_error.ts";
export type { CaptureReader } from "./capture_reader.ts";
export { openCapture, openCaptureReader } from "./open_capture.ts";
export type { OpenCapture } from "./open_capture.ts";
export { savefileSource } from "./savefile_source.ts";
export type { SavefileSource } from "./savefile_source.ts";
export { BpfFilter } from "./bpf_filter.ts";
export type { ByteReader } from "./chunked_input.ts";
