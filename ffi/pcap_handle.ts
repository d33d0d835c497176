/**
 * PcapHandle owns one pcap_t*: a savefile or standard input
 * (pcap_open_offline), or a live interface (pcap_create + pcap_activate).
 * Packets are copied out of libpcap (its buffer is reused on the next call)
 * into a batch with the same fields as our own savefile readers.
 * @module
 */

import { errbuf, toCString } from "./c_string.ts";
import { compileInto } from "./bpf_program.ts";
import { PCAP_ERROR_BREAK } from "./libpcap_symbols.ts";
import { libpcap } from "./load_libpcap.ts";
import { checkStatus, PcapError } from "./pcap_error.ts";

/**
 * Where readBatch puts packets: the fields of src/capture's PacketBatch
 * (this layer cannot import it). `data` is replaced by the handle's own
 * buffer; `linkType` gets pcap_datalink() (a DLT_ value).
 */
export interface PacketSink {
  data: Uint8Array;
  count: number;
  readonly start: Uint32Array;
  readonly caplen: Uint32Array;
  readonly wirelen: Uint32Array;
  readonly tsSec: Float64Array;
  readonly tsUsec: Uint32Array;
  readonly linkType: Uint32Array;
  readonly ifIndex: Uint32Array;
}

/** pcap_create options for a live capture. */
export interface LiveOptions {
  /** Bytes kept per packet. @default 262144 */
  snaplen?: number;
  /** Promiscuous mode. @default true */
  promiscuous?: boolean;
  /** Read timeout in milliseconds. @default 1000 */
  timeoutMs?: number;
  /** Deliver packets as they arrive (pcap_set_immediate_mode). @default false */
  immediate?: boolean;
  /** Kernel buffer size in bytes; libpcap's default when absent. */
  bufferBytes?: number;
}

/** pcap_stats() counters. */
export interface PcapStats {
  /** Packets received (what this means depends on the platform). */
  received: number;
  /** Dropped for lack of buffer space. */
  dropped: number;
  /** Dropped by the interface or its driver. */
  interfaceDropped: number;
}

const DEFAULT_SNAPLEN = 262144;
const MIN_BUFFER = 1 << 20;
const TWO_32 = 4294967296;

const registry = new FinalizationRegistry<Deno.PointerObject>((h) => {
  try {
    libpcap().pcap_close(h);
  } catch {
    // Nothing to report from a finalizer.
  }
});

/** An open libpcap handle. */
export class PcapHandle {
  /** The path or interface name this handle reads. */
  readonly source: string;
  /** pcap_datalink(): the DLT_ value of every packet. */
  readonly datalink: number;
  /** pcap_snapshot(): no packet's caplen exceeds it. */
  readonly snaplen: number;
  /** pcap_activate's warning for a live handle, "" when none. */
  readonly warning: string;
  #handle: Deno.PointerObject | null;
  #eof = false;
  /** A read error met after a batch had packets; thrown on the next call. */
  #pending: PcapError | null = null;
  // Out-params of pcap_next_ex, read back as two 32-bit halves so that an
  // unchanged pointer costs no BigInt and no pointer object.
  readonly #hdrOut = new BigUint64Array(1);
  readonly #dataOut = new BigUint64Array(1);
  readonly #hdrOutBytes = new Uint8Array(this.#hdrOut.buffer);
  readonly #dataOutBytes = new Uint8Array(this.#dataOut.buffer);
  readonly #hdrOutWords = new Uint32Array(this.#hdrOut.buffer);
  readonly #dataOutWords = new Uint32Array(this.#dataOut.buffer);
  /** libpcap's struct pcap_pkthdr, viewed in place, and its address. */
  #hdr: Uint32Array = new Uint32Array(6);
  #hdrAddr = -1;
  /** The lowest packet address seen: data is copied at an offset from it. */
  #dataBase: Deno.PointerObject | null = null;
  #dataBaseAddr = 0;
  /** Two alternating packet buffers: a batch stays valid for one more call. */
  readonly #bufs: Uint8Array[];
  #turn = 0;

  private constructor(
    handle: Deno.PointerObject,
    source: string,
    warning = "",
  ) {
    const pcap = libpcap();
    this.#handle = handle;
    this.source = source;
    this.warning = warning;
    this.datalink = pcap.pcap_datalink(handle);
    this.snaplen = pcap.pcap_snapshot(handle);
    const size = Math.max(MIN_BUFFER, 2 * this.snaplen);
    this.#bufs = [new Uint8Array(size), new Uint8Array(size)];
    registry.register(this, handle, this);
  }

  /**
   * Opens a savefile with pcap_open_offline ("-" is standard input).
   * @throws PcapError with libpcap's message
   */
  static openOffline(path: string): PcapHandle {
    const pcap = libpcap();
    const h = pcap.pcap_open_offline(toCString(path), errbuf.clear());
    if (h === null) throw new PcapError(path, errbuf.text());
    return new PcapHandle(h, path);
  }

  /**
   * Opens and activates a live interface.
   * @throws PcapError with libpcap's message (no such device, no permission)
   */
  static openLive(device: string, options: LiveOptions = {}): PcapHandle {
    const pcap = libpcap();
    const h = pcap.pcap_create(toCString(device), errbuf.clear());
    if (h === null) throw new PcapError(device, errbuf.text());
    try {
      checkStatus(
        pcap,
        h,
        pcap.pcap_set_snaplen(h, options.snaplen ?? DEFAULT_SNAPLEN),
        device,
      );
      checkStatus(
        pcap,
        h,
        pcap.pcap_set_promisc(h, options.promiscuous === false ? 0 : 1),
        device,
      );
      checkStatus(
        pcap,
        h,
        pcap.pcap_set_timeout(h, options.timeoutMs ?? 1000),
        device,
      );
      if (options.immediate === true && pcap.pcap_set_immediate_mode) {
        checkStatus(pcap, h, pcap.pcap_set_immediate_mode(h, 1), device);
      }
      if (options.bufferBytes !== undefined) {
        checkStatus(
          pcap,
          h,
          pcap.pcap_set_buffer_size(h, options.bufferBytes),
          device,
        );
      }
      const status = checkStatus(pcap, h, pcap.pcap_activate(h), device);
      const warning = status > 0
        ? Deno.UnsafePointerView.getCString(pcap.pcap_statustostr(status)!)
        : "";
      return new PcapHandle(h, device, warning);
    } catch (e) {
      pcap.pcap_close(h);
      throw e;
    }
  }

  /** Whether a savefile has been read to its end. */
  get eof(): boolean {
    return this.#eof;
  }

  /**
   * Copies the next packets into `batch`, up to its capacity or until the
   * buffer could not take a snaplen-sized packet. `batch.data` becomes one
   * of this handle's two buffers, so the packets stay valid until the call
   * after next.
   * @returns the number of packets; 0 at the end of a savefile (`eof`) or
   * when a live read timed out or a non-blocking read found nothing
   * @throws PcapError on a read error (after the packets before it were
   * returned by the previous call)
   */
  readBatch(batch: PacketSink): number {
    batch.count = 0;
    if (this.#pending !== null) {
      const e = this.#pending;
      this.#pending = null;
      throw e;
    }
    if (this.#eof) return 0;
    const pcap = libpcap();
    const h = this.#live();
    let buf = this.#bufs[this.#turn]!;
    this.#turn ^= 1;
    batch.data = buf;
    const cap = batch.start.length;
    const snap = this.snaplen;
    const link = this.datalink;
    const hw = this.#hdrOutWords, dw = this.#dataOutWords;
    let used = 0;
    let n = 0;
    while (n < cap && buf.length - used >= snap) {
      const r = pcap.pcap_next_ex(h, this.#hdrOutBytes, this.#dataOutBytes);
      if (r !== 1) {
        if (r === PCAP_ERROR_BREAK) this.#eof = true;
        else if (r < 0) {
          const e = this.#error(r);
          if (n === 0) throw e;
          this.#pending = e;
        }
        break;
      }
      const hdrAddr = hw[0]! + hw[1]! * TWO_32;
      if (hdrAddr !== this.#hdrAddr) this.#viewHeader(hdrAddr);
      const hdr = this.#hdr;
      // struct pcap_pkthdr on LP64: tv_sec (8 bytes), tv_usec (8, or 4 +
      // padding), caplen, len.
      const caplen = hdr[4]!;
      if (caplen > buf.length - used) buf = this.#grow(batch, used + caplen);
      if (caplen > 0) {
        const addr = dw[0]! + dw[1]! * TWO_32;
        if (this.#dataBase === null || addr < this.#dataBaseAddr) {
          this.#dataBase = Deno.UnsafePointer.create(this.#dataOut[0]!);
          this.#dataBaseAddr = addr;
        }
        // The one allocation per packet on this path: copyInto's target
        // view (Deno has no copy into an offset of a buffer). Savefiles
        // take our own readers; live rates are bound by the kernel.
        Deno.UnsafePointerView.copyInto(
          this.#dataBase!,
          buf.subarray(used, used + caplen),
          addr - this.#dataBaseAddr,
        );
      }
      batch.start[n] = used;
      batch.caplen[n] = caplen;
      batch.wirelen[n] = hdr[5]!;
      batch.tsSec[n] = hdr[0]! + (hdr[1]! | 0) * TWO_32;
      batch.tsUsec[n] = hdr[2]!;
      batch.linkType[n] = link;
      batch.ifIndex[n] = 0;
      used += caplen;
      n++;
    }
    batch.count = n;
    return n;
  }

  /** pcap_stats(); savefiles have none (libpcap says so in the error). */
  stats(): PcapStats {
    const pcap = libpcap();
    const h = this.#live();
    const out = new Uint32Array(4);
    checkStatus(
      pcap,
      h,
      pcap.pcap_stats(h, new Uint8Array(out.buffer)),
      this.source,
    );
    return { received: out[0]!, dropped: out[1]!, interfaceDropped: out[2]! };
  }

  /**
   * Compiles `expression` for this handle and installs it (pcap_setfilter).
   * @param netmask the network's mask, for "ip broadcast"; argus passes 0
   * @throws PcapError with libpcap's message
   */
  setFilter(expression: string, optimize = true, netmask = 0): void {
    const pcap = libpcap();
    const h = this.#live();
    const program = new Uint8Array(16);
    compileInto(h, program, expression, optimize, netmask);
    try {
      checkStatus(pcap, h, pcap.pcap_setfilter(h, program), "filter");
    } finally {
      pcap.pcap_freecode(program);
    }
  }

  /** Switches a live handle between blocking and non-blocking reads. */
  setNonblocking(on: boolean): void {
    const pcap = libpcap();
    const h = this.#live();
    if (pcap.pcap_setnonblock(h, on ? 1 : 0, errbuf.clear()) < 0) {
      throw new PcapError(this.source, errbuf.text());
    }
  }

  /** pcap_get_selectable_fd(): a descriptor to poll, or -1. */
  get selectableFd(): number {
    return libpcap().pcap_get_selectable_fd(this.#live());
  }

  /** Makes a blocked live read return (pcap_breakloop). */
  breakLoop(): void {
    if (this.#handle !== null) libpcap().pcap_breakloop(this.#handle);
  }

  /** Closes the handle; later calls do nothing. */
  close(): void {
    if (this.#handle === null) return;
    registry.unregister(this);
    libpcap().pcap_close(this.#handle);
    this.#handle = null;
    this.#hdr = new Uint32Array(6);
    this.#hdrAddr = -1;
    this.#dataBase = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #live(): Deno.PointerObject {
    if (this.#handle === null) {
      throw new PcapError(this.source, "the handle is closed");
    }
    return this.#handle;
  }

  #viewHeader(addr: number): void {
    const p = Deno.UnsafePointer.create(this.#hdrOut[0]!)!;
    this.#hdr = new Uint32Array(Deno.UnsafePointerView.getArrayBuffer(p, 24));
    this.#hdrAddr = addr;
  }

  /** A bigger buffer for a packet longer than the snapshot (never expected). */
  #grow(batch: PacketSink, need: number): Uint8Array {
    const old = batch.data;
    const bigger = new Uint8Array(Math.max(need, old.length * 2));
    bigger.set(old);
    this.#bufs[this.#turn ^ 1] = bigger;
    batch.data = bigger;
    return bigger;
  }

  #error(status: number): PcapError {
    try {
      checkStatus(libpcap(), this.#live(), status, this.source);
    } catch (e) {
      if (e instanceof PcapError) return e;
      throw e;
    }
    return new PcapError(this.source, `pcap_next_ex returned ${status}`);
  }
}
