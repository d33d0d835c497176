/**
 * Fuzz target "remote": the client side of the -P access port (ra -S,
 * src/client/remote_stream.ts), fed a mutated record stream by a server
 * of ours on loopback: the opening MAR check, the FILTER: reply, and the
 * record framer over whatever the socket delivers, each record then
 * decoded as ra decodes it. Damage ends the connection with one log line;
 * anything thrown is a crash.
 * @module
 */

import { readRemoteRecords } from "../../src/client/remote_stream.ts";
import { ClientRecord } from "../../src/client/client_record.ts";
import { ClientFilterSubject } from "../../src/client/client_filter_subject.ts";
import { argusLengthFields } from "../formats.ts";
import type { FuzzTarget } from "../target.ts";
import { recordSeeds } from "./records.ts";

const encoder = new TextEncoder();

/** Our loopback server: each connection gets the next input, then EOF. */
let server: Deno.TcpListener | null = null;
let pending: Uint8Array[] = [];

async function serve(l: Deno.TcpListener): Promise<void> {
  for await (const conn of l) {
    const input = pending.shift() ?? new Uint8Array(0);
    (async () => {
      try {
        let off = 0;
        while (off < input.length) {
          off += await conn.write(input.subarray(off));
        }
        await conn.closeWrite();
        // Read what the client says until it hangs up.
        const sink = new Uint8Array(1024);
        while (await conn.read(sink) !== null);
      } catch {
        // The client hung up first (it stops at damage).
      } finally {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
      }
    })();
  }
}

/** Stops the loopback server (end of a worker or a test). */
export function stopRemoteServer(): void {
  server?.close();
  server = null;
}

/** Runs one input through ra -S's reading of a connection. */
export async function runRemote(input: Uint8Array): Promise<void> {
  if (server === null) {
    server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    serve(server).catch(() => {});
  }
  const port = (server.addr as Deno.NetAddr).port;
  pending.push(input);
  const r = new ClientRecord();
  const subject = new ClientFilterSubject();
  const logs: string[] = [];
  const stop = new AbortController();
  // The input's length decides whether a filter is sent (then the input
  // must answer "OK" after its MAR).
  const filter = input.length % 3 === 0 ? "tcp" : undefined;
  try {
    await readRemoteRecords(
      {
        hostname: "127.0.0.1",
        port,
        transport: "tcp",
        text: `127.0.0.1:${port}`,
      },
      (buf, start, length) => {
        subject.load(r.load(buf, start, length));
      },
      {
        signal: stop.signal,
        filter,
        log: (line) => logs.push(line),
        once: true,
        retryDelay: () => 0,
      },
    );
  } finally {
    pending = [];
  }
  if (logs.some((l) => l.includes("\n"))) {
    throw new Error(`A log line spans lines: ${JSON.stringify(logs)}`);
  }
}

export const remoteTarget: FuzzTarget = {
  name: "remote",
  description: "ra -S: a record stream read off a loopback connection",
  maxSize: 32 * 1024,
  lengthFields: argusLengthFields,
  dictionary: [encoder.encode("OK"), encoder.encode("SY")],
  async seeds() {
    const out: Uint8Array[] = [];
    for (const s of await recordSeeds(4096)) {
      out.push(s);
      // The same stream with the filter reply after its 128-byte MAR.
      const ok = new Uint8Array(s.length + 2);
      ok.set(s.subarray(0, 128));
      ok.set(encoder.encode("OK"), 128);
      ok.set(s.subarray(128), 130);
      out.push(ok);
    }
    return out;
  },
  run: runRemote,
  expected: () => false,
};
