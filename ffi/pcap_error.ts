/**
 * PcapError, the one error kind of the libpcap binding: what was being
 * opened or compiled (`source`) and libpcap's own text as the message; and
 * `checkStatus`, the single place a C status becomes that error.
 * @module
 */

import type { LibpcapSymbols } from "./libpcap_symbols.ts";

/** A libpcap call failed (or libpcap itself could not be loaded). */
export class PcapError extends Error {
  override readonly name = "PcapError";
  /** A file, an interface, "filter" or "libpcap". */
  readonly source: string;

  /** `message` is libpcap's text (pcap_geterr or the errbuf). */
  constructor(source: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.source = source;
  }
}

/**
 * Returns `status` when it is not an error (>= 0); otherwise throws a
 * PcapError with pcap_geterr's text, and for the specific PCAP_ERROR_*
 * codes of pcap_activate also pcap_statustostr's.
 */
export function checkStatus(
  pcap: LibpcapSymbols,
  handle: Deno.PointerObject,
  status: number,
  source: string,
): number {
  if (status >= 0) return status;
  const p = pcap.pcap_geterr(handle);
  const text = p === null ? "" : Deno.UnsafePointerView.getCString(p);
  if (status === -1) throw new PcapError(source, text);
  const s = pcap.pcap_statustostr(status);
  const kind = s === null
    ? `error ${status}`
    : Deno.UnsafePointerView.getCString(s);
  throw new PcapError(
    source,
    text === "" || text === kind ? kind : `${kind}: ${text}`,
  );
}
