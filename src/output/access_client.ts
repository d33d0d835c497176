/**
 * AccessClient: one ra-style client of the -P access port (argus
 * ArgusOutput.c ArgusCheckClientMessage). It gets records only after it
 * sends "START: "; "FILTER: expr" sets a record filter (reply "OK", or
 * "SY" and the connection ends, as checked on the wire); "DONE: " or end
 * of input ends it; MODEL:, PROJECT: and FILE: are read and ignored, as
 * argus does. Each read is one message, as in argus. Output waits in a
 * bounded queue so that a client that stops reading never holds up
 * capture: over the bound it is dropped.
 * @module
 */

import { compileFilter, FilterSyntaxError } from "../filter/mod.ts";
import type { RecordFilter } from "./record_fanout.ts";
import { StoredFilterSubject } from "./stored_filter_subject.ts";

/** What a client reports to its server. */
export interface AccessClientEvents {
  /** The client is gone (any reason); called once. */
  closed(client: AccessClient): void;
  /** A line for the log. */
  log(line: string): void;
}

/** Largest write handed to the socket at once. */
const WRITE_BATCH = 256 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One connected client. */
export class AccessClient {
  /** "address:port" of the peer. */
  readonly peer: string;
  /** Whether START: was received: records flow only then. */
  started = false;
  /** Bytes queued and not yet taken by the socket. */
  queued = 0;
  readonly #conn: Deno.Conn;
  readonly #events: AccessClientEvents;
  readonly #maxQueued: number;
  /** Chunks waiting for the socket, oldest first; each owned by us. */
  readonly #queue: Uint8Array[] = [];
  #filter: RecordFilter | undefined;
  #pumping: Promise<void> | null = null;
  #reading: Promise<void>;
  #closed = false;
  #startTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param maxQueued bytes that may wait for the socket before the client
   *   is dropped
   * @param startupTimeoutMs a client that has not sent START: by then is
   *   closed (argus ARGUS_CLIENT_STARTUP_TIMEOUT, 5 s)
   */
  constructor(
    conn: Deno.Conn,
    events: AccessClientEvents,
    maxQueued: number,
    startupTimeoutMs: number,
  ) {
    this.#conn = conn;
    this.#events = events;
    this.#maxQueued = maxQueued;
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.peer = addr.hostname.includes(":")
      ? `[${addr.hostname}]:${addr.port}`
      : `${addr.hostname}:${addr.port}`;
    this.#startTimer = setTimeout(() => {
      this.#startTimer = undefined;
      if (this.started || this.#closed) return;
      this.#events.log(`Client ${this.peer} never started: timed out`);
      this.close();
    }, startupTimeoutMs);
    this.#reading = this.#readMessages();
  }

  /** Whether the client is still connected. */
  get open(): boolean {
    return !this.#closed;
  }

  /**
   * Queues bytes we own (the caller keeps no reference). Returns false,
   * queuing nothing, when they would take the queue over its bound.
   */
  send(bytes: Uint8Array): boolean {
    if (this.#closed || bytes.length === 0) return true;
    if (this.queued + bytes.length > this.#maxQueued) return false;
    this.#queue.push(bytes);
    this.queued += bytes.length;
    this.#pumping ??= this.#pump();
    return true;
  }

  /**
   * Queues the records of a block of whole records that pass this client's
   * filter (copied: the block's buffer may be reused). `shared` is a copy
   * of the whole block already made for unfiltered clients.
   */
  sendRecords(block: Uint8Array, shared: () => Uint8Array): boolean {
    const filter = this.#filter;
    if (filter === undefined) return this.send(shared());
    const view = new DataView(block.buffer, block.byteOffset, block.length);
    const runs: [number, number][] = [];
    let size = 0;
    let runStart = -1;
    let off = 0;
    while (off + 4 <= block.length) {
      const len = view.getUint16(off + 2) * 4;
      if (len === 0 || off + len > block.length) break;
      if (filter(block, off, len)) {
        if (runStart < 0) runStart = off;
      } else if (runStart >= 0) {
        runs.push([runStart, off]);
        size += off - runStart;
        runStart = -1;
      }
      off += len;
    }
    if (runStart >= 0) {
      runs.push([runStart, off]);
      size += off - runStart;
    }
    if (size === 0) return true;
    const out = new Uint8Array(size);
    let at = 0;
    for (const [s, e] of runs) {
      out.set(block.subarray(s, e), at);
      at += e - s;
    }
    return this.send(out);
  }

  /**
   * Lets what is queued go out (for at most `timeoutMs`), then closes.
   * Nothing queued after this call is sent.
   */
  async finish(timeoutMs: number): Promise<void> {
    if (this.#closed) return await this.#reading;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = this.#pumping;
    if (pending !== null) {
      await Promise.race([
        pending,
        new Promise<void>((r) => timer = setTimeout(r, timeoutMs)),
      ]);
      clearTimeout(timer);
    }
    this.close();
    await this.#reading;
  }

  /** Closes at once, dropping anything queued. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#startTimer);
    this.#queue.length = 0;
    this.queued = 0;
    try {
      this.#conn.close();
    } catch {
      // Already closed by a failed read or write.
    }
    this.#events.closed(this);
  }

  /** Writes the queue out, several small chunks per socket write. */
  async #pump(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        let chunk = this.#queue[0]!;
        let taken = 1;
        if (chunk.length < WRITE_BATCH && this.#queue.length > 1) {
          let size = chunk.length;
          while (
            taken < this.#queue.length &&
            size + this.#queue[taken]!.length <= WRITE_BATCH
          ) size += this.#queue[taken++]!.length;
          if (taken > 1) {
            chunk = new Uint8Array(size);
            let at = 0;
            for (let i = 0; i < taken; i++) {
              chunk.set(this.#queue[i]!, at);
              at += this.#queue[i]!.length;
            }
          }
        }
        let off = 0;
        while (off < chunk.length) {
          off += await this.#conn.write(chunk.subarray(off));
        }
        if (this.#closed) break;
        this.#queue.splice(0, taken);
        this.queued -= chunk.length;
      }
    } catch {
      // The peer went away (EPIPE, reset): argus deletes the client.
      this.close();
    } finally {
      this.#pumping = null;
    }
  }

  /** Reads the client's messages until it ends or is closed. */
  async #readMessages(): Promise<void> {
    const buf = new Uint8Array(4096);
    try {
      while (!this.#closed) {
        const n = await this.#conn.read(buf);
        if (n === null) break;
        if (!await this.#message(decoder.decode(buf.subarray(0, n)))) break;
      }
    } catch {
      // Closed under a pending read, or reset by the peer.
    }
    this.close();
  }

  /** Acts on one message; false ends the connection. */
  #message(raw: string): boolean | Promise<boolean> {
    const text = raw.replace(/\0[\s\S]*$/, "");
    if (text.startsWith("START: ")) {
      this.started = true;
      clearTimeout(this.#startTimer);
      return true;
    }
    if (text.startsWith("DONE: ")) return false;
    if (text.startsWith("FILTER: ")) return this.#setFilter(text.slice(7));
    if (/^(MODEL|PROJECT|FILE): /.test(text)) return true;
    this.#events.log(
      `Client ${this.peer} sent an unknown message ${JSON.stringify(text)}`,
    );
    return true;
  }

  /** FILTER: compiles as the -w output filters do; "OK" or "SY". */
  async #setFilter(expr: string): Promise<boolean> {
    try {
      const pass = compileFilter(expr);
      const subject = new StoredFilterSubject();
      this.#filter = expr.trim() === ""
        ? undefined
        : (buf, start, length) => pass(subject.loadBytes(buf, start, length));
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      this.#events.log(
        `Client ${this.peer} filter ${
          JSON.stringify(expr.trim())
        }: ${e.message}`,
      );
      // argus 3.0.8.2 answers "SY" and deletes the client (checked).
      await this.#conn.write(encoder.encode("SY")).catch(() => 0);
      return false;
    }
    // The reply goes ahead of any record: none is sent before START:.
    this.send(encoder.encode("OK"));
    return true;
  }
}
