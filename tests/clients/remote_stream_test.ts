/**
 * readRemoteRecords(), the client side of the -P protocol, against small
 * in-process servers on loopback: the messages it sends (FILTER: man or
 * (...), START:), records split at every byte, reconnecting after a close,
 * a refused connect, a server over its client limit, an unknown host, and
 * -S address parsing. Then our ra -S against our AccessServer prints what
 * ra -r prints of the same file.
 * @module
 */

import assert from "node:assert/strict";
import {
  readRemoteRecords,
  UnknownHostError,
} from "../../src/client/remote_stream.ts";
import { parseRemoteAddress } from "../../src/client/remote_address.ts";
import { UsageError } from "../../src/cli/mod.ts";
import { AccessServer } from "../../src/output/access_server.ts";
import { UdpSink } from "../../src/output/udp_sink.ts";
import { runRa } from "../../src/programs/ra/run.ts";
import { runOurs } from "../_util/our_client.ts";
import { CORPUS } from "../_util/oracle.ts";

const FILE = `${CORPUS}expected/big-endian.pcap.argus`;
const BYTES = Deno.readFileSync(FILE);
const MAR_LEN = 128;
const dec = new TextDecoder();

/** A server that plays the argus side once per connection. */
function fakeServer(
  serve: (conn: Deno.Conn, messages: string[]) => Promise<void>,
): { port: number; messages: string[][]; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const messages: string[][] = [];
  const tasks: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) {
      const mine: string[] = [];
      messages.push(mine);
      tasks.push(
        serve(conn, mine).finally(() => {
          try {
            conn.close();
          } catch {
            // closed by the test already
          }
        }),
      );
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    messages,
    async close() {
      listener.close();
      await accepting.catch(() => {});
      await Promise.allSettled(tasks);
    },
  };
}

/** Reads one client message (each write of the client is one message). */
async function message(conn: Deno.Conn): Promise<string | null> {
  const buf = new Uint8Array(1024);
  const n = await conn.read(buf);
  return n === null ? null : dec.decode(buf.subarray(0, n));
}

/** The argus side: MAR, FILTER: → OK, START:, then the records byte by byte. */
async function argusSide(conn: Deno.Conn, seen: string[]): Promise<void> {
  await conn.write(BYTES.subarray(0, MAR_LEN));
  for (;;) {
    const m = await message(conn);
    if (m === null) return;
    seen.push(m);
    if (m.startsWith("FILTER: ")) {
      await conn.write(new TextEncoder().encode("OK"));
    }
    if (m === "START: ") break;
  }
  // Every record boundary falls inside some write.
  for (let off = MAR_LEN; off < BYTES.length; off += 7) {
    await conn.write(BYTES.subarray(off, Math.min(off + 7, BYTES.length)));
  }
}

Deno.test("readRemoteRecords() sends FILTER: and START:, hands on the MAR then every record, reconnects after a close", async () => {
  const server = fakeServer(argusSide);
  const stop = new AbortController();
  const got: number[] = [];
  let connects = 0, closes = 0;
  try {
    await readRemoteRecords(
      { hostname: "127.0.0.1", port: server.port, transport: "tcp", text: "x" },
      (_buf, _start, length) => {
        got.push(length);
        // Two whole passes over the file: stop.
        if (got.reduce((a, b) => a + b, 0) === 2 * BYTES.length) stop.abort();
      },
      {
        signal: stop.signal,
        filter: "tcp",
        log: (line) => assert.fail(line),
        onConnect: () => connects++,
        onClose: () => closes++,
        retryDelay: () => 10,
      },
    );
  } finally {
    await server.close();
  }
  assert.equal(connects, 2);
  assert.equal(closes, 1);
  assert.equal(got[0], MAR_LEN);
  assert.deepEqual(server.messages[0], ["FILTER: man or (tcp)", "START: "]);
  assert.equal(got.reduce((a, b) => a + b, 0), 2 * BYTES.length);
});

Deno.test("readRemoteRecords() logs a refused connect, a full server and a rejected filter, and tries again", async () => {
  // A port nothing listens on: bind one, then free it.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const free = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const lines: string[] = [];
  const stop = new AbortController();
  await readRemoteRecords(
    { hostname: "127.0.0.1", port: free, transport: "tcp", text: "x" },
    () => {},
    {
      signal: stop.signal,
      log: (l) => {
        lines.push(l);
        if (lines.length === 2) stop.abort();
      },
      retryDelay: () => 10,
    },
  );
  assert.match(
    lines[0]!,
    /^Connect to 127\.0\.0\.1:\d+ failed: Connection refused$/,
  );

  const full = fakeServer(async (conn) => {
    await conn.write(new Uint8Array([0x83, 0x82, 0x00, 0x01]));
  });
  const rejecting = fakeServer(async (conn) => {
    await conn.write(BYTES.subarray(0, MAR_LEN));
    await message(conn);
    await conn.write(new TextEncoder().encode("SY"));
  });
  try {
    for (
      const [server, want] of [
        [full, /the server has too many clients/],
        [rejecting, /the server rejected the filter/],
      ] as const
    ) {
      const seen: string[] = [];
      const again = new AbortController();
      await readRemoteRecords(
        {
          hostname: "127.0.0.1",
          port: server.port,
          transport: "tcp",
          text: "x",
        },
        () => assert.fail("no record expected"),
        {
          signal: again.signal,
          filter: "bad",
          log: (l) => seen.push(l),
          once: true,
        },
      );
      assert.equal(seen.length, 1);
      assert.match(seen[0]!, want);
    }
  } finally {
    await full.close();
    await rejecting.close();
  }
});

Deno.test("readRemoteRecords() gives up at once on a host name that does not resolve", async () => {
  await assert.rejects(
    readRemoteRecords(
      {
        hostname: "no-such-host.invalid",
        port: 561,
        transport: "tcp",
        text: "x",
      },
      () => {},
      { signal: new AbortController().signal, log: () => {} },
    ),
    UnknownHostError,
  );
});

Deno.test("parseRemoteAddress() reads host, host:port, [v6]:port and argus:// forms; refuses the rest", () => {
  const pick = (t: string) => {
    const a = parseRemoteAddress(t);
    return [a.hostname, a.port];
  };
  assert.deepEqual(pick("sensor"), ["sensor", 561]);
  assert.deepEqual(pick("10.1.2.3:562"), ["10.1.2.3", 562]);
  assert.deepEqual(pick("[::1]:563"), ["::1", 563]);
  assert.deepEqual(pick("::1"), ["::1", 561]);
  assert.deepEqual(pick("argus-tcp://h:564"), ["h", 564]);
  // NetFlow (#9): port 9995 unless named.
  assert.deepEqual(pick("cisco://r"), ["r", 9995]);
  for (const bad of ["h:0", "h:x", ":561", "sflow://r", "u@h", "h//f"]) {
    assert.throws(() => parseRemoteAddress(bad), UsageError, bad);
  }
});

Deno.test("ra -S reads our AccessServer as ra -r reads the file; -N ends it", async () => {
  const server = new AccessServer({
    port: 0,
    addresses: ["127.0.0.1"],
    openingMar: () => BYTES.slice(0, MAR_LEN),
    log: () => {},
    access: { check: () => ({ allowed: true }) },
  });
  try {
    const port = server.addresses[0]!.port;
    const records = 5; // flow records after the opening MAR, then a MAR
    const client = runOurs(runRa, [
      "-X",
      "-n",
      "-N",
      String(records),
      "-S",
      `127.0.0.1:${port}`,
    ]);
    const end = Date.now() + 5000;
    while (server.started === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.write(BYTES.subarray(MAR_LEN));
    const remote = await client;
    const local = await runOurs(runRa, [
      "-X",
      "-n",
      "-N",
      String(records),
      "-r",
      FILE,
    ]);
    assert.equal(remote.code, 0);
    assert.equal(remote.out, local.out);
    assert.equal(remote.out.trimEnd().split("\n").length, records + 1);
  } finally {
    await server.close();
  }
});

Deno.test("ra -S argus-udp:// prints the datagrams of a -w argus-udp:// sender as the real ra does", async () => {
  const free = () => {
    const s = Deno.listenDatagram({
      hostname: "127.0.0.1",
      port: 0,
      transport: "udp",
    });
    const port = (s.addr as Deno.NetAddr).port;
    s.close();
    return port;
  };
  let ports: [number, number];
  try {
    ports = [free(), free()];
  } catch {
    // listenDatagram needs --unstable-net: let the OS pick through TCP.
    const a = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const b = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    ports = [(a.addr as Deno.NetAddr).port, (b.addr as Deno.NetAddr).port];
    a.close();
    b.close();
  }
  const [ours, theirs] = ports;
  const records = 5;
  const args = (port: number) => [
    "-X",
    "-n",
    "-N",
    String(records),
    "-S",
    `argus-udp://127.0.0.1:${port}`,
  ];
  const real = new Deno.Command("ra", {
    args: args(theirs),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const mine = runOurs(runRa, args(ours));
  // Both have bound their ports by then.
  await new Promise((r) => setTimeout(r, 500));
  for (const port of ports) {
    const sink = await UdpSink.open("x", { host: "127.0.0.1", port });
    await sink.write(BYTES);
    await sink.close();
  }
  const [r, m] = await Promise.all([real, mine]);
  const theirText = dec.decode(r.stdout);
  assert.equal(m.code, 0);
  assert.equal(m.out, theirText);
  assert.ok(theirText.trimEnd().split("\n").length >= 4, theirText);
});
