/**
 * The capture devices libpcap can open (pcap_findalldevs), for argus's
 * default interface and -i checks in live capture.
 * @module
 */

import { errbuf, fromCString } from "./c_string.ts";
import { libpcap } from "./load_libpcap.ts";
import { PcapError } from "./pcap_error.ts";

/** One entry of pcap_findalldevs. */
export interface PcapDevice {
  name: string;
  /** "" when libpcap has none. */
  description: string;
  /** PCAP_IF_* bits (loopback 1, up 2, running 4, ...). */
  flags: number;
}

/**
 * Lists the devices, in libpcap's order.
 * @throws PcapError when libpcap fails or lacks pcap_findalldevs
 */
export function listDevices(): PcapDevice[] {
  const pcap = libpcap();
  if (pcap.pcap_findalldevs === null || pcap.pcap_freealldevs === null) {
    throw new PcapError("libpcap", "pcap_findalldevs is not available");
  }
  const out = new BigUint64Array(1);
  if (
    pcap.pcap_findalldevs(new Uint8Array(out.buffer), errbuf.clear()) < 0
  ) {
    throw new PcapError("libpcap", errbuf.text());
  }
  const head = Deno.UnsafePointer.create(out[0]!);
  const devices: PcapDevice[] = [];
  // struct pcap_if: next at 0, name at 8, description at 16, flags at 32.
  for (let p = head; p !== null;) {
    const v = new Deno.UnsafePointerView(p);
    devices.push({
      name: fromCString(v.getPointer(8)),
      description: fromCString(v.getPointer(16)),
      flags: v.getUint32(32),
    });
    p = v.getPointer(0);
  }
  if (head !== null) pcap.pcap_freealldevs(head);
  return devices;
}
