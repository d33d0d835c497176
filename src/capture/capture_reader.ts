/**
 * What the savefile readers share: fill a batch, say the first link type,
 * report damage as a CaptureFileError after the good packets.
 * @module
 */

import type { CaptureFileError } from "./capture_file_error.ts";
import type { PacketBatch } from "./packet_batch.ts";

/** A reader of one capture file (pcap or pcapng). */
export interface CaptureReader {
  /** Link type of the first interface. */
  readonly linkType: number;
  /** Snapshot length of the first interface. */
  readonly snaplen: number;
  /** Damage found, set when `next` returned false because of it. */
  readonly error: CaptureFileError | null;
  /**
   * Fills `batch` with the next packets; false at the end of the file (or
   * at damage: see `error`). The batch stays valid until the call after
   * the next one.
   */
  next(batch: PacketBatch): Promise<boolean>;
}

/** The largest packet libpcap accepts in a savefile. */
export const MAX_CAPLEN = 262144;
