/**
 * Fuzz target "access": what a remote client sends to the sensor's -P
 * access port (START:, FILTER:, DONE: ... messages, one per read, as
 * ArgusCheckClientMessage reads them), through AccessClient on an
 * in-memory connection, then a block of mutated records through the
 * client's record filter (the framing loop of sendRecords). The client may
 * refuse (a bad FILTER: ends it with "SY"); it must never drop a
 * connection for any other reason, and nothing may throw.
 * @module
 */

import { AccessClient } from "../../src/output/access_client.ts";
import { argusLengthFields } from "../formats.ts";
import type { FuzzTarget } from "../target.ts";
import { recordSeeds } from "./records.ts";
import { FILTER_SEEDS } from "./filter.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Between messages (each is one read), and before the record block. */
const MESSAGE_END = 0x1e, RECORDS = 0x1f;

/**
 * A connection fed from memory, recording what the client writes. Once
 * the messages are read it idles (a read pending) until closed.
 */
class MemoryConn {
  readonly remoteAddr = { transport: "tcp", hostname: "127.0.0.1", port: 561 };
  readonly written: Uint8Array[] = [];
  reads = 0;
  closed = false;
  /** A read is pending after the last message. */
  waiting = false;
  readonly #messages: Uint8Array[];
  #wake: (() => void) | null = null;

  constructor(messages: Uint8Array[]) {
    this.#messages = messages;
  }

  read(p: Uint8Array): Promise<number | null> {
    if (this.closed) return Promise.reject(new Deno.errors.BadResource());
    const m = this.#messages[this.reads];
    if (m === undefined) {
      this.waiting = true;
      return new Promise((_, reject) => {
        this.#wake = () => reject(new Deno.errors.BadResource());
      });
    }
    this.reads++;
    const n = Math.min(m.length, p.length);
    p.set(m.subarray(0, n));
    return Promise.resolve(n);
  }

  write(p: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new Deno.errors.BadResource());
    this.written.push(p.slice());
    return Promise.resolve(p.length);
  }

  close(): void {
    this.closed = true;
    this.#wake?.();
  }
}

function split(b: Uint8Array, sep: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === sep) {
      out.push(b.subarray(from, i));
      from = i + 1;
    }
  }
  return out;
}

/** Runs the messages, then the record block, through one client. */
export async function runAccess(input: Uint8Array): Promise<void> {
  const cut = input.indexOf(RECORDS);
  const talk = cut < 0 ? input : input.subarray(0, cut);
  const block = cut < 0 ? new Uint8Array(0) : input.slice(cut + 1);
  const messages = split(talk, MESSAGE_END).filter((m) => m.length > 0);
  const conn = new MemoryConn(messages);
  const logs: string[] = [];
  let closes = 0;
  const client = new AccessClient(
    conn as unknown as Deno.Conn,
    { closed: () => closes++, log: (line) => logs.push(line) },
    1 << 20,
    60_000,
  );
  // Let the reading loop take every message (all promises, no timers).
  for (let i = 0; i < 100_000 && !conn.waiting && client.open; i++) {
    await Promise.resolve();
  }
  const refused = conn.written.some((w) => decoder.decode(w) === "SY");
  const done = messages.slice(0, conn.reads).some((m) =>
    decoder.decode(m).replace(/\0[\s\S]*$/, "").startsWith("DONE: ")
  );
  if (!client.open && !refused && !done) {
    throw new Error(
      `Client dropped after message ${conn.reads} of ${messages.length} for no reason`,
    );
  }
  if (client.open && !conn.waiting) {
    throw new Error(`Client still busy after ${messages.length} messages`);
  }
  if (client.open) client.sendRecords(block, () => block.slice());
  await client.finish(1000);
  if (closes !== 1) throw new Error(`Client closed ${closes} times`);
}

export const accessTarget: FuzzTarget = {
  name: "access",
  description: "access-port client messages and its record filter framing",
  maxSize: 16 * 1024,
  dictionary: [
    "START: ",
    "DONE: ",
    "FILTER: ",
    "MODEL: ",
    "PROJECT: ",
    "FILE: ",
    "\0",
    "\n",
    String.fromCharCode(MESSAGE_END),
    " and ",
    " port ",
  ].map((t) => encoder.encode(t)),
  async seeds() {
    const records = await recordSeeds(2048);
    const out: Uint8Array[] = [];
    records.forEach((r, i) => {
      const f = FILTER_SEEDS[i % FILTER_SEEDS.length]!;
      const talk = i % 3 === 0
        ? `START: \x1eFILTER: ${f}\n\0`
        : i % 3 === 1
        ? `FILTER: ${f}\x1eSTART: \x1eMODEL: x`
        : `START: \x1eDONE: `;
      const t = encoder.encode(talk);
      const s = new Uint8Array(t.length + 1 + r.length);
      s.set(t);
      s[t.length] = RECORDS;
      s.set(r, t.length + 1);
      out.push(s);
    });
    return out;
  },
  lengthFields(b) {
    const cut = b.indexOf(RECORDS);
    if (cut < 0) return [];
    return argusLengthFields(b.subarray(cut + 1)).map((f) => ({
      ...f,
      offset: f.offset + cut + 1,
    }));
  },
  run: runAccess,
  expected: () => false,
};
