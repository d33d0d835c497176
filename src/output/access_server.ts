/**
 * AccessServer: the -P access port (argus(8) -P, -B; ArgusOutput.c), the
 * record stream over TCP for `ra -S host:port`. A new client passes the
 * hosts.allow/hosts.deny check, gets an opening MAR of its own, and after
 * its "START: " every record written here (through its FILTER:, if any).
 * As a RecordSink it is one more fan-out target; writing never waits on a
 * socket (see access_client.ts for the per-client bound).
 * @module
 */

import { AccessClient } from "./access_client.ts";
import { HostsAccess } from "./hosts_access.ts";
import type { RecordSink } from "./record_sink.ts";

/** How the access port is set up. */
export interface AccessServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /**
   * Addresses to listen on, one listener each (-B). @default ["0.0.0.0"],
   * which is where argus 3.0.8.2 listens without -B (checked with ss).
   */
  addresses?: readonly string[];
  /** The opening MAR each new client gets first (its own "now"). */
  openingMar: () => Uint8Array;
  /** One line per event worth a log entry (refusals, drops). */
  log: (line: string) => void;
  /** Who may connect. @default HostsAccess on the tcp_wrappers files */
  access?: { check(address: string): { allowed: boolean; rule?: string } };
  /** Bytes a client may leave unread before it is dropped. @default 8 MiB */
  maxQueued?: number;
  /**
   * Clients at once; argus's limit (ARGUS_MAXLISTEN, 10) also counts its
   * -w outputs. @default 10
   */
  maxClients?: number;
  /** A client that has not sent START: by then is closed. @default 5000 */
  startupTimeoutMs?: number;
  /** How long close() lets queued records go out. @default 2000 */
  closeTimeoutMs?: number;
}

/**
 * What argus sends a client over its limit before closing: a bare MAR
 * header, cause ERROR | MAXLISTENEXCD, length one word.
 */
const TOO_MANY_CLIENTS = new Uint8Array([0x83, 0x82, 0x00, 0x01]);

/** The listening access port and its clients. */
export class AccessServer implements RecordSink {
  readonly name: string;
  /** Where it listens (the real port when 0 was asked for). */
  readonly addresses: readonly Deno.NetAddr[];
  readonly #listeners: Deno.Listener[] = [];
  readonly #accepting: Promise<void>[] = [];
  readonly #clients = new Set<AccessClient>();
  readonly #opts: AccessServerOptions;
  readonly #access: NonNullable<AccessServerOptions["access"]>;
  #closed = false;

  /**
   * Listens on every address at once.
   * @throws the Deno error of the first address that cannot be bound
   *   (AddrInUse, AddrNotAvailable, ...), after closing the others
   */
  constructor(opts: AccessServerOptions) {
    this.#opts = opts;
    this.#access = opts.access ?? new HostsAccess();
    this.name = `-P ${opts.port}`;
    const addresses = opts.addresses?.length ? opts.addresses : ["0.0.0.0"];
    try {
      for (const hostname of addresses) {
        this.#listeners.push(Deno.listen({ hostname, port: opts.port }));
      }
    } catch (e) {
      for (const l of this.#listeners) l.close();
      throw e;
    }
    this.addresses = this.#listeners.map((l) => l.addr as Deno.NetAddr);
    for (const l of this.#listeners) this.#accepting.push(this.#accept(l));
  }

  /** Remote clients connected now (argus counts its -w outputs too). */
  get clients(): number {
    return this.#clients.size;
  }

  /** Clients that have sent START: and so receive records. */
  get started(): number {
    let n = 0;
    for (const c of this.#clients) if (c.started) n++;
    return n;
  }

  /**
   * Queues whole records for every started client. Opening MARs are left
   * out: each client got its own on connecting, as in argus.
   */
  write(block: Uint8Array): Promise<void> {
    if (this.#closed || this.#clients.size === 0) return Promise.resolve();
    const records = withoutOpeningMars(block);
    if (records.length === 0) return Promise.resolve();
    let copy: Uint8Array | undefined;
    const shared = () => copy ??= records.slice();
    for (const c of [...this.#clients]) {
      if (!c.started || c.sendRecords(records, shared)) continue;
      const mb = (this.#opts.maxQueued ?? DEFAULT_MAX_QUEUED) / (1 << 20);
      this.#opts.log(
        `Client ${c.peer} dropped: it left more than ${mb} MB unread`,
      );
      c.close();
    }
    return Promise.resolve();
  }

  /** Stops listening, lets queued records go out, closes every client. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const l of this.#listeners) l.close();
    await Promise.all(this.#accepting);
    const wait = this.#opts.closeTimeoutMs ?? 2000;
    await Promise.all([...this.#clients].map((c) => c.finish(wait)));
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return; // the listener was closed
      }
      if (this.#closed) {
        conn.close();
        return;
      }
      this.#admit(conn);
    }
  }

  /** tcp_wrappers check, client limit, then the opening MAR. */
  #admit(conn: Deno.Conn): void {
    const from = (conn.remoteAddr as Deno.NetAddr).hostname;
    const verdict = this.#access.check(from);
    if (!verdict.allowed) {
      this.#opts.log(`Refused connect from ${from} (${verdict.rule})`);
      conn.close();
      return;
    }
    if (this.#clients.size >= (this.#opts.maxClients ?? 10)) {
      this.#opts.log(
        `Refused connect from ${from}: ${this.#clients.size} clients already`,
      );
      conn.write(TOO_MANY_CLIENTS).catch(() => 0).finally(() => conn.close());
      return;
    }
    this.#opts.log(`Connect from ${from}`);
    const client = new AccessClient(
      conn,
      {
        closed: (c) => this.#clients.delete(c),
        log: this.#opts.log,
      },
      this.#opts.maxQueued ?? DEFAULT_MAX_QUEUED,
      this.#opts.startupTimeoutMs ?? 5000,
    );
    this.#clients.add(client);
    client.send(this.#opts.openingMar().slice());
  }
}

const DEFAULT_MAX_QUEUED = 8 << 20;

/** The block without its opening (START) MARs, often the block itself. */
function withoutOpeningMars(block: Uint8Array): Uint8Array {
  const isOpening = (off: number) =>
    (block[off]! & 0xf0) === 0x80 && block[off + 1] === 0x10;
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  let any = false;
  for (let off = 0; off + 4 <= block.length;) {
    const len = view.getUint16(off + 2) * 4;
    if (len === 0) break;
    if (isOpening(off)) any = true;
    off += len;
  }
  if (!any) return block;
  const parts: Uint8Array[] = [];
  for (let off = 0; off + 4 <= block.length;) {
    const len = view.getUint16(off + 2) * 4;
    if (len === 0) break;
    if (!isOpening(off)) parts.push(block.subarray(off, off + len));
    off += len;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
