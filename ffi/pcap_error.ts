/**
 * PcapError: a libpcap call failed; carries what was being opened and
 * libpcap's own message.
 * @module
 */

/** A libpcap failure. */
export class PcapError extends Error {
  override readonly name = "PcapError";
  /** Interface, file or "filter". */
  readonly source: string;

  constructor(source: string, message: string) {
    super(message);
    this.source = source;
  }
}
