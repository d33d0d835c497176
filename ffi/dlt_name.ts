/**
 * libpcap's name for a DLT_ value (pcap_datalink_val_to_name), the
 * reference for src/capture/link_type.ts's table.
 * @module
 */

import { fromCString } from "./c_string.ts";
import { libpcap } from "./load_libpcap.ts";

/** The DLT's name without its prefix ("EN10MB"), or null when unknown. */
export function dltName(dlt: number): string | null {
  const p = libpcap().pcap_datalink_val_to_name(dlt);
  return p === null ? null : fromCString(p);
}
