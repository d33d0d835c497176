/**
 * The -P access port against the real ra 3.0.8.2: records written to an
 * AccessServer (a corpus record file the real argus wrote, its opening MAR
 * as each client's) must print under `ra -S 127.0.0.1:PORT -n` exactly as
 * `ra -r file -n` prints the file. Also: several clients, FILTER:, the
 * tcp_wrappers refusal, the client limit, the startup timeout, a client
 * that stops reading, and an occupied port. Ports are picked by the OS.
 * @module
 */

import assert from "node:assert/strict";
import { AccessServer } from "../../src/output/access_server.ts";
import { HostsAccess } from "../../src/output/hosts_access.ts";
import { openAccess } from "../../src/programs/argus/open_access.ts";
import { defaultArgusOptions } from "../../src/programs/argus/options.ts";
import { CORPUS, run } from "../_util/oracle.ts";

const TCP_LONG = `${CORPUS}expected/tcp-long.pcap.argus`;
const MIXED = `${CORPUS}expected/mixed-small.pcap.argus`;

/** A record file cut into its opening MAR and the records after it. */
function recordFile(path: string): { opening: Uint8Array; rest: Uint8Array } {
  const bytes = Deno.readFileSync(path);
  const len = new DataView(bytes.buffer).getUint16(2) * 4;
  return { opening: bytes.slice(0, len), rest: bytes.subarray(len) };
}

/** Each record of a block of whole records. */
function* records(block: Uint8Array): Generator<Uint8Array> {
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  for (let off = 0; off + 4 <= block.length;) {
    const len = view.getUint16(off + 2) * 4;
    yield block.subarray(off, off + len);
    off += len;
  }
}

async function until(what: string, ok: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function serve(
  opening: Uint8Array,
  extra: Partial<ConstructorParameters<typeof AccessServer>[0]> = {},
) {
  const lines: string[] = [];
  const server = new AccessServer({
    port: 0,
    addresses: ["127.0.0.1"],
    openingMar: () => opening,
    log: (l) => lines.push(l),
    // No system tcp_wrappers files in these tests unless asked.
    access: { check: () => ({ allowed: true }) },
    ...extra,
  });
  return { server, lines, port: server.addresses[0]!.port };
}

function realRaS(port: number, extra: string[] = []) {
  return new Deno.Command("ra", {
    args: ["-S", `127.0.0.1:${port}`, "-n", ...extra],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads exactly `n` bytes, or fewer at end of stream. */
async function readN(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) break;
    got += r;
  }
  return out.subarray(0, got);
}

/** Reads to end of stream. */
async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  for (;;) {
    const r = await conn.read(buf).catch(() => null);
    if (r === null) break;
    parts.push(buf.slice(0, r));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const dec = new TextDecoder();
const enc = new TextEncoder();

for (const [name, path] of [["tcp-long", TCP_LONG], ["mixed-small", MIXED]]) {
  Deno.test(`AccessServer() serves ${name} to the real ra -S as ra -r prints it`, async () => {
    const { opening, rest } = recordFile(path!);
    const { server, port } = serve(opening);
    const ra = realRaS(port);
    try {
      await until("ra to send START:", () => server.started === 1);
      await server.write(rest);
    } finally {
      await server.close();
    }
    const got = await ra.output();
    const want = await run("ra", ["-r", path!, "-n"]);
    assert.equal(got.code, 0, dec.decode(got.stderr));
    assert.equal(dec.decode(got.stdout), want.stdout);
  });
}

Deno.test("AccessServer() serves three real ra clients at once, records split over many writes", async () => {
  const { opening, rest } = recordFile(TCP_LONG);
  const { server, port } = serve(opening);
  const clients = [realRaS(port), realRaS(port), realRaS(port)];
  try {
    await until("three clients to start", () => server.started === 3);
    assert.equal(server.clients, 3);
    for (const rec of records(rest)) await server.write(rec);
  } finally {
    await server.close();
  }
  const want = await run("ra", ["-r", TCP_LONG, "-n"]);
  for (const c of clients) {
    const got = await c.output();
    assert.equal(dec.decode(got.stdout), want.stdout);
  }
  assert.equal(server.clients, 0);
});

Deno.test("AccessServer() applies the real ra's remote filter (FILTER: man or (...))", async () => {
  const { opening, rest } = recordFile(MIXED);
  const { server, port } = serve(opening);
  const ra = realRaS(port, ["-", "udp and port 53"]);
  try {
    await until("ra to start", () => server.started === 1);
    await server.write(rest);
  } finally {
    await server.close();
  }
  const got = await ra.output();
  const want = await run("ra", ["-r", MIXED, "-n", "-", "udp and port 53"]);
  assert.ok(want.stdout.split("\n").length > 3, "the filter keeps records");
  assert.equal(dec.decode(got.stdout), want.stdout);
});

Deno.test("AccessServer() sends only what passes a client's FILTER:, after OK", async () => {
  const { opening, rest } = recordFile(MIXED);
  const { server, port } = serve(opening);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  let stream: Uint8Array;
  try {
    assert.deepEqual(await readN(conn, opening.length), opening);
    await conn.write(enc.encode("FILTER: man or (udp and port 53)"));
    assert.equal(dec.decode(await readN(conn, 2)), "OK");
    await conn.write(enc.encode("START: "));
    await until("START:", () => server.started === 1);
    await server.write(rest);
  } finally {
    await server.close();
    stream = await readAll(conn);
    conn.close();
  }
  // The stream (opening MAR first) as a file must print as the real ra
  // prints what the filter keeps of the original.
  const file = Deno.makeTempFileSync({
    prefix: "asrv-filter-",
    suffix: ".argus",
  });
  try {
    Deno.writeFileSync(file, opening);
    Deno.writeFileSync(file, stream, { append: true });
    const got = await run("ra", ["-r", file, "-n"]);
    const want = await run("ra", [
      "-r",
      MIXED,
      "-n",
      "-",
      "man or (udp and port 53)",
    ]);
    assert.ok(want.stdout.split("\n").length > 3, "the filter keeps records");
    assert.equal(got.stdout, want.stdout);
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("AccessServer() answers a bad FILTER: with SY and closes, as the real argus does", async () => {
  const { opening } = recordFile(TCP_LONG);
  const { server, port, lines } = serve(opening);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await readN(conn, opening.length);
    await conn.write(enc.encode("FILTER: man or (tcp and and)"));
    assert.equal(dec.decode(await readAll(conn)), "SY");
    await until("the client to go", () => server.clients === 0);
    assert.match(lines.join("\n"), /filter "man or \(tcp and and\)"/);
  } finally {
    conn.close();
    await server.close();
  }
});

Deno.test("AccessServer() refuses a client hosts.deny names, with a log line", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "asrv-wrap-" });
  const { opening } = recordFile(TCP_LONG);
  Deno.writeTextFileSync(`${dir}/allow`, "# nothing allowed here\n");
  Deno.writeTextFileSync(`${dir}/deny`, "sshd: ALL\nargus: 127.0.0.0/8\n");
  const access = new HostsAccess({
    allow: `${dir}/allow`,
    deny: `${dir}/deny`,
  });
  const { server, port, lines } = serve(opening, { access });
  try {
    const ra = await run("ra", ["-S", `127.0.0.1:${port}`, "-n"]);
    assert.equal(ra.stdout, "");
    assert.match(ra.stderr, /connection closed/);
    assert.deepEqual(lines, [
      `Refused connect from 127.0.0.1 (${dir}/deny:2)`,
    ]);
    assert.equal(server.clients, 0);
  } finally {
    await server.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("AccessServer() sends a client over the limit argus's MAXLISTENEXCD header and closes", async () => {
  const { opening } = recordFile(TCP_LONG);
  const { server, port, lines } = serve(opening, { maxClients: 1 });
  const first = await Deno.connect({ hostname: "127.0.0.1", port });
  const second = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await readN(first, opening.length);
    assert.deepEqual([...await readAll(second)], [0x83, 0x82, 0x00, 0x01]);
    assert.equal(server.clients, 1);
    assert.match(
      lines.at(-1)!,
      /^Refused connect from 127\.0\.0\.1: 1 clients/,
    );
  } finally {
    first.close();
    second.close();
    await server.close();
  }
});

Deno.test("AccessServer() closes a client that never sends START:", async () => {
  const { opening, rest } = recordFile(TCP_LONG);
  const { server, port, lines } = serve(opening, { startupTimeoutMs: 200 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await server.write(rest); // not started: nothing for it
    const got = await readAll(conn);
    assert.deepEqual(got, opening);
    assert.match(lines.at(-1)!, /^Client 127\.0\.0\.1:\d+ never started/);
  } finally {
    conn.close();
    await server.close();
  }
});

Deno.test("AccessServer() drops a client that stops reading; the others keep receiving", async () => {
  const { opening, rest } = recordFile(TCP_LONG);
  const { server, port, lines } = serve(opening, { maxQueued: 1 << 20 });
  const stuck = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = await Deno.connect({ hostname: "127.0.0.1", port });
  let received = 0;
  let written = 0;
  const reading = (async () => {
    await readN(reader, opening.length);
    await reader.write(enc.encode("START: "));
    received = (await readAll(reader)).length;
  })();
  try {
    await stuck.write(enc.encode("START: ")); // and never reads
    await until("both to start", () => server.started === 2);
    // ~46 MB: more than loopback's socket buffers and the 1 MB bound.
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await server.write(rest);
      assert.ok(performance.now() - t < 100, "write() does not wait");
      written += rest.length;
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await until("the stuck client to go", () => server.clients === 1);
    assert.ok(
      lines.some((l) =>
        /^Client 127\.0\.0\.1:\d+ dropped: it left more than 1 MB unread$/.test(
          l,
        )
      ),
      lines.join("\n"),
    );
  } finally {
    await server.close();
    await reading;
    reader.close();
    stuck.close();
  }
  assert.equal(received, written);
});

Deno.test("openAccess() on an occupied port fails with one sentence", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  try {
    const opts = defaultArgusOptions();
    opts.accessPort = port;
    opts.bindAddresses = ["127.0.0.1"];
    await assert.rejects(
      openAccess(opts, () => new Uint8Array(128), () => {}),
      {
        message:
          `Cannot listen on 127.0.0.1 port ${port}: address already in use`,
      },
    );
    opts.bindAddresses = ["192.0.2.1"];
    await assert.rejects(
      openAccess(opts, () => new Uint8Array(128), () => {}),
      {
        message:
          `Cannot listen on 192.0.2.1 port ${port}: not an address of this host`,
      },
    );
    opts.accessPort = 0;
    assert.equal(
      await openAccess(opts, () => new Uint8Array(128), () => {}),
      null,
    );
  } finally {
    taken.close();
  }
});

Deno.test("openAccess() lets in 10 clients less the -w outputs, as the real argus (9 with one -w)", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const opts = defaultArgusOptions();
  opts.accessPort = port;
  opts.bindAddresses = ["127.0.0.1"];
  opts.outputs = [{ target: "/dev/null" }];
  const mar = recordFile(TCP_LONG).opening;
  const server = (await openAccess(opts, () => mar, () => {}))!;
  const conns: Deno.Conn[] = [];
  try {
    const first: number[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      conns.push(c);
      first.push((await readN(c, 4))[1]!);
    }
    // Cause START (0x10) nine times, then ERROR|MAXLISTENEXCD (0x82).
    assert.deepEqual(first, [...Array(9).fill(0x10), 0x82]);
  } finally {
    for (const c of conns) c.close();
    await server.close();
  }
});

Deno.test("AccessServer() listens on every -B address", async () => {
  const { opening } = recordFile(TCP_LONG);
  const { server, port } = serve(opening, {
    addresses: ["127.0.0.1", "127.0.0.2"],
  });
  try {
    assert.deepEqual(server.addresses.map((a) => a.hostname), [
      "127.0.0.1",
      "127.0.0.2",
    ]);
    for (const a of server.addresses) {
      const c = await Deno.connect({ hostname: a.hostname, port: a.port });
      assert.deepEqual(await readN(c, opening.length), opening);
      c.close();
    }
    assert.ok(port > 0);
  } finally {
    await server.close();
  }
});

Deno.test("AccessServer() keeps opening MARs written to it from started clients, and ends a client at DONE:", async () => {
  const { opening, rest } = recordFile(TCP_LONG);
  const { server, port } = serve(opening);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await readN(conn, opening.length);
    await conn.write(enc.encode("START: "));
    await until("START:", () => server.started === 1);
    // What the fan-out writes first to every output: not for a client.
    await server.write(opening);
    const first = [...records(rest)][0]!;
    await server.write(first);
    assert.deepEqual(await readN(conn, first.length), first);
    await conn.write(enc.encode("DONE: "));
    assert.equal((await readAll(conn)).length, 0);
    assert.equal(server.clients, 0);
  } finally {
    conn.close();
    await server.close();
  }
});
