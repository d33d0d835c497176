/**
 * The -w argus-udp://host[:port] and -w udp://host[:port] outputs (argus(8);
 * ArgusOutput.c ArgusInitOutput): every record, the opening MAR first, is
 * one UDP datagram sent to the host (IPv4, port 561 by default) from an
 * unconnected socket with multicast TTL 128, as argus does; the real
 * `ra -S argus-udp://host:port` reads them.
 * @module
 */

// Types only: the node compat layer costs ~10 ms at startup, so the
// modules load when a UDP output is opened (bench/startup_bench.ts).
import type { Socket } from "node:dgram";
import { countRecords } from "./record_fanout.ts";
import type { RecordSink } from "./record_sink.ts";

/** argus's default port for -w udp outputs (and -P). */
export const DEFAULT_UDP_PORT = 561;

/** Where a -w udp URL sends to. */
export interface UdpTarget {
  host: string;
  port: number;
}

/**
 * Reads `argus-udp://host[:port]` or `udp://host[:port]`; null if the text
 * is not such a URL.
 * @throws Error with one line when the port is not a port number
 */
export function parseUdpTarget(text: string): UdpTarget | null {
  const m = /^(?:argus-)?udp:\/\/([^:]*)(?::(.*))?$/.exec(text);
  if (m === null) return null;
  const host = m[1]!;
  const portText = m[2];
  if (host === "") throw new Error(`-w "${text}": no host name`);
  if (portText === undefined) return { host, port: DEFAULT_UDP_PORT };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`-w "${text}": "${portText}" is not a port number`);
  }
  return { host, port };
}

/** Sends records as datagrams. */
export class UdpSink implements RecordSink {
  readonly name: string;
  /** Datagrams the socket refused to send (reported once). */
  failed = 0;
  /** Records left out because the queue was full (reported once). */
  dropped = 0;
  readonly #socket: Socket;
  readonly #address: string;
  readonly #port: number;
  readonly #maxQueued: number;
  /** Blocks of whole records waiting to be sent, each owned by us. */
  readonly #queue: Uint8Array[] = [];
  #queued = 0;
  #pumping: Promise<void> | null = null;

  private constructor(
    name: string,
    socket: Socket,
    address: string,
    port: number,
    maxQueued: number,
  ) {
    this.name = name;
    this.#socket = socket;
    this.#address = address;
    this.#port = port;
    this.#maxQueued = maxQueued;
  }

  /**
   * Resolves the host (IPv4, as argus asks getaddrinfo for AF_INET) and
   * opens the socket.
   * @param maxQueued bytes that may wait to be sent; records beyond are
   *   lost, as datagrams may be anyway @default 8 MiB
   * @throws Error with one line for an unknown host
   */
  static async open(
    name: string,
    target: UdpTarget,
    maxQueued = 8 << 20,
  ): Promise<UdpSink> {
    const { lookup } = await import("node:dns/promises");
    const dgram = (await import("node:dgram")).default;
    let address: string;
    try {
      address = (await lookup(target.host, { family: 4 })).address;
    } catch {
      throw new Error(`Cannot send to "${name}": unknown host`);
    }
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, resolve));
    try {
      socket.setMulticastTTL(128);
    } catch {
      // argus only notes a failure here too.
    }
    return new UdpSink(name, socket, address, target.port, maxQueued);
  }

  /**
   * Queues a block of whole records and returns at once: datagrams go out
   * one at a time behind it (sends in flight together may be reordered).
   */
  write(block: Uint8Array): Promise<void> {
    if (block.length === 0) return Promise.resolve();
    if (this.#queued + block.length > this.#maxQueued) {
      if (this.dropped === 0) {
        console.error(
          `argus: -w ${this.name}: sending too slowly, records lost`,
        );
      }
      this.dropped += countRecords(block);
      return Promise.resolve();
    }
    this.#queue.push(block.slice());
    this.#queued += block.length;
    this.#pumping ??= this.#pump();
    return Promise.resolve();
  }

  /** Sends what is queued, then closes the socket. */
  async close(): Promise<void> {
    await this.#pumping;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0) {
      const block = this.#queue.shift()!;
      const view = new DataView(block.buffer, block.byteOffset, block.length);
      for (let off = 0; off + 4 <= block.length;) {
        const len = view.getUint16(off + 2) * 4;
        if (len === 0 || off + len > block.length) break;
        await this.#send(block.subarray(off, off + len));
        off += len;
      }
      this.#queued -= block.length;
    }
    this.#pumping = null;
  }

  #send(record: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      this.#socket.send(record, this.#port, this.#address, (err) => {
        // A lost datagram is UDP's nature; say so once, keep capturing.
        if (err && this.failed++ === 0) {
          console.error(`argus: -w ${this.name}: ${err.message}`);
        }
        resolve();
      });
    });
  }
}
