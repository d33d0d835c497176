/**
 * C strings across the FFI boundary: NUL-terminated UTF-8 in, C strings
 * out, and the one reusable error buffer libpcap's open calls write into
 * (PCAP_ERRBUF_SIZE bytes; calls are synchronous, so one is enough).
 * @module
 */

/** PCAP_ERRBUF_SIZE from pcap/pcap.h. */
export const PCAP_ERRBUF_SIZE = 256;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` as UTF-8 with a terminating NUL. */
export function toCString(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length * 3 + 1);
  const { written } = encoder.encodeInto(text, out);
  return out.subarray(0, written + 1);
}

/** The C string at `pointer`; "" for NULL. */
export function fromCString(pointer: Deno.PointerValue): string {
  return pointer === null ? "" : Deno.UnsafePointerView.getCString(pointer);
}

/** A char errbuf[PCAP_ERRBUF_SIZE] for calls that report through one. */
export class ErrorBuffer {
  readonly bytes: Uint8Array<ArrayBuffer> = new Uint8Array(PCAP_ERRBUF_SIZE);

  /** Empties the buffer before a call (a success may leave it untouched). */
  clear(): Uint8Array<ArrayBuffer> {
    this.bytes[0] = 0;
    return this.bytes;
  }

  /** The message libpcap wrote, up to its NUL. */
  text(): string {
    const end = this.bytes.indexOf(0);
    return decoder.decode(this.bytes.subarray(0, end < 0 ? undefined : end));
  }
}

/** The shared errbuf of this binding. */
export const errbuf: ErrorBuffer = new ErrorBuffer();
