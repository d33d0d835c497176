/**
 * One remote record source (ra(1) -S, radium(8) -S): the client side of
 * the argus -P protocol (argus_util.c ArgusReadConnection). Connect, read
 * the 128-byte opening MAR, send "FILTER: man or (expr)" and wait for
 * "OK", send "START: ", then frame records until the connection closes.
 * Like the real ra (ArgusReliableConnection, checked on the wire), a lost
 * or refused connection is tried again until the caller aborts. An
 * argus-udp:// address is read as datagrams instead (udp_stream.ts), a
 * cisco:// one as NetFlow datagrams (cisco_stream.ts).
 * @module
 */

import { RecordFramer } from "../record/record_framer.ts";
import { RecordFormatError } from "../record/record_format_error.ts";
import type { RemoteAddress } from "./remote_address.ts";
import { readUdpRecords } from "./udp_stream.ts";
import { readCiscoRecords } from "./cisco_stream.ts";

/** How a remote source is read. */
export interface RemoteStreamOptions {
  /** Ends reading: the connection is closed and the call returns. */
  signal: AbortSignal;
  /** The filter the server applies ("FILTER: man or (expr)"), if any. */
  filter?: string | undefined;
  /** One line per connection event (failures, closes). */
  log: (line: string) => void;
  /** A new connection delivered its opening MAR (next record). */
  onConnect?: () => void;
  /** The server closed a connection (it is tried again unless `once`). */
  onClose?: () => void;
  /** After the records of each chunk read (a moment to flush output). */
  onChunk?: () => void;
  /**
   * Milliseconds to wait before the n-th attempt in a row (n from 1)
   * after a failure or close; the real ra waits ~1 s after a close and
   * 5 s after a refused connect. @default ra's waits
   */
  retryDelay?: (attempt: number, refused: boolean) => number;
  /**
   * Gives up after a connection closes or fails (radium -p), instead of
   * trying again. @default {false}
   */
  once?: boolean;
}

/**
 * Called with each record in place (valid during the call); the first
 * of every connection is its opening MAR. False ends reading.
 */
export type RemoteVisitor = (
  buf: Uint8Array,
  start: number,
  length: number,
  offset: number,
) => void | boolean;

/** A host name that does not resolve: ra gives up at once. */
export class UnknownHostError extends Error {
  constructor(host: string) {
    super(`Host "${host}" unknown`);
    this.name = "UnknownHostError";
  }
}

const MAR_SIZE = 128;
const ARGUS_COOKIE = 0xe5712dcb;
/** The bare MAR argus sends a client over its limit (ERROR, MAXLISTENEXCD). */
const TOO_MANY_CAUSE = 0x82;
const encoder = new TextEncoder();

function raDelay(_attempt: number, refused: boolean): number {
  return refused ? 5000 : 1000;
}

/**
 * Reads `addr` until `opts.signal` aborts or the visitor returns false.
 * @throws UnknownHostError when the name does not resolve
 */
export async function readRemoteRecords(
  addr: RemoteAddress,
  visit: RemoteVisitor,
  opts: RemoteStreamOptions,
): Promise<void> {
  if (addr.transport === "udp") return await readUdpRecords(addr, visit, opts);
  if (addr.transport === "cisco") {
    return await readCiscoRecords(addr, visit, opts);
  }
  const delay = opts.retryDelay ?? raDelay;
  const where = `${addr.hostname}:${addr.port}`;
  let attempt = 0;
  while (!opts.signal.aborted) {
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({
        hostname: addr.hostname,
        port: addr.port,
        signal: opts.signal,
      });
    } catch (e) {
      if (opts.signal.aborted) return;
      const why = e instanceof Error ? e.message : String(e);
      if (/lookup address|Name or service/i.test(why)) {
        throw new UnknownHostError(addr.hostname);
      }
      opts.log(`Connect to ${where} failed: ${why.replace(/ \(os.*$/, "")}`);
      if (opts.once) return;
      await sleep(delay(++attempt, true), opts.signal);
      continue;
    }
    let ended: "closed" | "stopped" | string;
    try {
      ended = await session(conn, addr, visit, opts, () => attempt = 0);
    } finally {
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    }
    if (ended === "stopped" || opts.signal.aborted) return;
    // The real ra reconnects after a close without a word.
    if (ended === "closed") opts.onClose?.();
    else opts.log(`Connection to ${where}: ${ended}`);
    if (opts.once) return;
    await sleep(delay(++attempt, false), opts.signal);
  }
}

/**
 * One connection's life: "closed" when the server ended it, "stopped"
 * when reading should end, else a reason it failed.
 */
async function session(
  conn: Deno.TcpConn,
  addr: RemoteAddress,
  visit: RemoteVisitor,
  opts: RemoteStreamOptions,
  connected: () => void,
): Promise<string> {
  const onAbort = () => {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  };
  opts.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const reader = new ConnReader(conn);
    const head = await reader.exactly(4);
    if (head === null) return "closed";
    if ((head[0]! & 0xf0) === 0x80 && head[1] === TOO_MANY_CAUSE) {
      return "the server has too many clients";
    }
    const rest = await reader.exactly(MAR_SIZE - 4);
    if (rest === null) return "closed";
    const mar = new Uint8Array(MAR_SIZE);
    mar.set(head);
    mar.set(rest, 4);
    const view = new DataView(mar.buffer);
    if ((mar[0]! & 0xf0) !== 0x80 || view.getUint32(8) !== ARGUS_COOKIE) {
      return "not an Argus 3 record stream";
    }
    if (opts.filter !== undefined && opts.filter.trim() !== "") {
      await conn.write(encoder.encode(`FILTER: man or (${opts.filter})`));
      const reply = await reader.exactly(2);
      if (reply === null) return "closed";
      const text = String.fromCharCode(reply[0]!, reply[1]!);
      if (text !== "OK") {
        return text === "SY"
          ? "the server rejected the filter (syntax error)"
          // Quoted as JSON: the two bytes may be anything (one line).
          : `unexpected filter reply ${JSON.stringify(text)}`;
      }
    }
    await conn.write(encoder.encode("START: "));
    connected();
    opts.onConnect?.();
    const framer = new RecordFramer(`-S ${addr.text}`);
    framer.push(mar);
    if (framer.next()) {
      if (visit(framer.buf, framer.start, framer.length, 0) === false) {
        return "stopped";
      }
    }
    const left = reader.leftover();
    if (left.length > 0) {
      framer.push(left);
      if (!framer.drain(visit)) return "stopped";
      opts.onChunk?.();
    }
    const buf = new Uint8Array(256 * 1024);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      framer.push(buf.subarray(0, n));
      if (!framer.drain(visit)) return "stopped";
      opts.onChunk?.();
    }
    framer.finish();
    return "closed";
  } catch (e) {
    if (opts.signal.aborted) return "stopped";
    if (e instanceof RecordFormatError) return e.message;
    if (e instanceof Error && e.name in Deno.errors) return e.message;
    throw e;
  } finally {
    opts.signal.removeEventListener("abort", onAbort);
  }
}

/** Reads exact byte counts off a connection, keeping what is over. */
class ConnReader {
  readonly #conn: Deno.Conn;
  #have = new Uint8Array(0);

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** The next `n` bytes, or null when the connection ends first. */
  async exactly(n: number): Promise<Uint8Array | null> {
    while (this.#have.length < n) {
      const buf = new Uint8Array(4096);
      const got = await this.#conn.read(buf);
      if (got === null) return null;
      const more = new Uint8Array(this.#have.length + got);
      more.set(this.#have);
      more.set(buf.subarray(0, got), this.#have.length);
      this.#have = more;
    }
    const out = this.#have.slice(0, n);
    this.#have = this.#have.slice(n);
    return out;
  }

  /** Bytes read past the last exact read. */
  leftover(): Uint8Array {
    return this.#have;
  }
}

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
