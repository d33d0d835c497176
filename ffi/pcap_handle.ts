/**
 * A libpcap handle (pcap_t*): offline files and standard input now, live
 * interfaces in the live-capture issue. Packets come out copied into a
 * batch buffer (libpcap reuses its own buffer on the next call), with the
 * same fields as our own savefile readers, so the two can be compared.
 * @module
 */

import { libpcap } from "./load_libpcap.ts";
import { PcapError } from "./pcap_error.ts";

/** Where packets go: the fields of a capture batch. */
export interface PacketSink {
  data: Uint8Array;
  count: number;
  readonly start: Uint32Array;
  readonly caplen: Uint32Array;
  readonly wirelen: Uint32Array;
  readonly tsSec: Float64Array;
  readonly tsUsec: Uint32Array;
  readonly linkType: Uint16Array;
}

const encoder = new TextEncoder();

/** An open libpcap handle. */
export class PcapHandle {
  #handle: Deno.PointerObject | null;
  readonly source: string;
  readonly #hdrOut = new BigUint64Array(1);
  readonly #dataOut = new BigUint64Array(1);
  readonly #hdrOutBytes = new Uint8Array(this.#hdrOut.buffer);
  readonly #dataOutBytes = new Uint8Array(this.#dataOut.buffer);
  /** A read error met after packets were returned, reported next call. */
  #pending: string | null = null;

  private constructor(handle: Deno.PointerObject, source: string) {
    this.#handle = handle;
    this.source = source;
  }

  /** Opens a savefile (or "-" for standard input) with pcap_open_offline. */
  static openOffline(path: string): PcapHandle {
    const pcap = libpcap();
    const errbuf = new Uint8Array(256);
    const handle = pcap.pcap_open_offline(encoder.encode(path + "\0"), errbuf);
    if (handle === null) {
      const end = errbuf.indexOf(0);
      throw new PcapError(
        path,
        new TextDecoder().decode(errbuf.subarray(0, end)),
      );
    }
    return new PcapHandle(handle, path);
  }

  #h(): Deno.PointerObject {
    if (this.#handle === null) {
      throw new PcapError(this.source, "handle is closed");
    }
    return this.#handle;
  }

  /** Link type (pcap_datalink). */
  get datalink(): number {
    return libpcap().pcap_datalink(this.#h());
  }

  /** Snapshot length (pcap_snapshot). */
  get snaplen(): number {
    return libpcap().pcap_snapshot(this.#h());
  }

  /** libpcap's last error text. */
  lastError(): string {
    const p = libpcap().pcap_geterr(this.#h());
    return p === null ? "" : Deno.UnsafePointerView.getCString(p);
  }

  /**
   * Copies up to `max` packets into `sink` (growing `sink.data` as needed).
   * @returns false at end of file; throws PcapError on a read error
   */
  read(sink: PacketSink, max = sink.start.length): boolean {
    const pcap = libpcap();
    const h = this.#h();
    const link = this.datalink;
    sink.count = 0;
    if (this.#pending !== null) throw new PcapError(this.source, this.#pending);
    let used = 0;
    while (sink.count < max) {
      const r = pcap.pcap_next_ex(h, this.#hdrOutBytes, this.#dataOutBytes);
      if (r === -2) return sink.count > 0;
      if (r === -1) {
        const msg = this.lastError();
        if (sink.count > 0) {
          this.#pending = msg;
          return true;
        }
        throw new PcapError(this.source, msg);
      }
      if (r === 0) continue;
      const hdr = new Deno.UnsafePointerView(
        Deno.UnsafePointer.create(this.#hdrOut[0]!)!,
      );
      // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; } (64-bit)
      const sec = Number(hdr.getBigInt64(0));
      const frac = Number(hdr.getBigInt64(8));
      const caplen = hdr.getUint32(16);
      const wirelen = hdr.getUint32(20);
      if (used + caplen > sink.data.length) {
        const next = new Uint8Array(
          Math.max(sink.data.length * 2, used + caplen),
        );
        next.set(sink.data.subarray(0, used));
        sink.data = next;
      }
      if (caplen > 0) {
        const data = new Deno.UnsafePointerView(
          Deno.UnsafePointer.create(this.#dataOut[0]!)!,
        );
        data.copyInto(sink.data.subarray(used, used + caplen));
      }
      const i = sink.count++;
      sink.start[i] = used;
      sink.caplen[i] = caplen;
      sink.wirelen[i] = wirelen;
      sink.tsSec[i] = sec;
      // pcap_open_offline delivers microseconds whatever the file holds.
      sink.tsUsec[i] = frac;
      sink.linkType[i] = link;
      used += caplen;
    }
    return true;
  }

  /** Closes the handle (idempotent). */
  close(): void {
    if (this.#handle !== null) {
      libpcap().pcap_close(this.#handle);
      this.#handle = null;
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
