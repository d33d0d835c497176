/**
 * What the savefile readers (pcap, pcapng) share: fill a batch from the
 * file, name the first interface's link type and snapshot length, and
 * report damage as a CaptureFileError after the good packets before it.
 * @module
 */

import type { CaptureFileError } from "./capture_file_error.ts";
import type { PacketBatch } from "./packet_batch.ts";

/** A reader of one capture file. */
export interface CaptureReader {
  /** LINKTYPE_ value of the file (pcapng: of its first interface). */
  readonly linkType: number;
  /**
   * Snapshot length as libpcap's pcap_snapshot() reports it for the file
   * (what argus -b shows as the accept value of `ret`).
   */
  readonly snaplen: number;
  /**
   * Whether the file is big-endian (pcapng: its first section); libpcap
   * compiles some filters differently for a byte-swapped file.
   */
  readonly bigEndian: boolean;
  /** The damage that ended the file, once `next` has returned false. */
  readonly error: CaptureFileError | null;
  /**
   * Fills `batch` with the next packets (at least one).
   * @returns false at the end of the file, or at damage (see `error`)
   */
  next(batch: PacketBatch): Promise<boolean>;
}
