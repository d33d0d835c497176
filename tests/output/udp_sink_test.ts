/**
 * The -w argus-udp:// and udp:// outputs: one datagram per record, read by
 * the real ra 3.0.8.2 (`ra -S argus-udp://127.0.0.1:PORT`), which must
 * print them as `ra -r` prints the same records from a file; and our argus
 * writing to such a URL from the command line. Ports are picked by the OS.
 * @module
 */

import assert from "node:assert/strict";
import dgram from "node:dgram";
import {
  DEFAULT_UDP_PORT,
  parseUdpTarget,
  UdpSink,
} from "../../src/output/udp_sink.ts";
import { openOutputs } from "../../src/programs/argus/open_outputs.ts";
import { parseArgusOptions } from "../../src/programs/argus/options.ts";
import { CORPUS, run } from "../_util/oracle.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const TCP_LONG = `${CORPUS}expected/tcp-long.pcap.argus`;

/** A UDP port free now (bound, then let go). */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Whether something listens on UDP `port` (/proc/net/udp). */
function udpBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")} `;
  return Deno.readTextFileSync("/proc/net/udp").includes(hex);
}

async function until(what: string, ok: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The real ra reading argus-udp on `port` while `send` runs; it never ends
 * by itself, so it is stopped once `lines` lines came out (or 5 s passed).
 */
async function realRaUdp(
  port: number,
  lines: number,
  send: () => Promise<void>,
  filter: string[] = [],
): Promise<string> {
  const out = `${Deno.makeTempDirSync({ prefix: "udps-" })}/ra.out`;
  const ra = new Deno.Command("sh", {
    args: [
      "-c",
      `exec ra -S argus-udp://127.0.0.1:${port} -n ${
        filter.join(" ")
      } > ${out}`,
    ],
    stdin: "null",
    stderr: "null",
  }).spawn();
  try {
    await until("ra to bind", () => udpBound(port));
    await send();
    const count = () => {
      try {
        return Deno.readTextFileSync(out).split("\n").length - 1;
      } catch {
        return 0;
      }
    };
    await until(`${lines} lines from ra`, () => count() >= lines).catch(
      () => {},
    );
  } finally {
    ra.kill("SIGTERM");
    await ra.status;
  }
  const text = Deno.readTextFileSync(out);
  Deno.removeSync(out.replace(/\/ra\.out$/, ""), { recursive: true });
  return text;
}

Deno.test("parseUdpTarget() reads argus-udp:// and udp:// URLs, port 561 by default", () => {
  assert.deepEqual(parseUdpTarget("argus-udp://h.example"), {
    host: "h.example",
    port: DEFAULT_UDP_PORT,
  });
  assert.deepEqual(parseUdpTarget("udp://10.0.0.1:9999"), {
    host: "10.0.0.1",
    port: 9999,
  });
  assert.equal(parseUdpTarget("out.argus"), null);
  assert.equal(parseUdpTarget("tcp://h"), null);
  assert.throws(() => parseUdpTarget("udp://h:http"), {
    message: '-w "udp://h:http": "http" is not a port number',
  });
  assert.throws(() => parseUdpTarget("udp://:561"), {
    message: '-w "udp://:561": no host name',
  });
});

Deno.test("UdpSink sends each record as one datagram, in order", async () => {
  const bytes = Deno.readFileSync(TCP_LONG);
  const rx = dgram.createSocket("udp4");
  const got: Uint8Array[] = [];
  rx.on("message", (m: Uint8Array) => got.push(new Uint8Array(m)));
  await new Promise<void>((r) => rx.bind(0, "127.0.0.1", () => r()));
  const port = rx.address().port;
  const sink = await UdpSink.open(`udp://localhost:${port}`, {
    host: "localhost",
    port,
  });
  try {
    await sink.write(bytes);
    const view = new DataView(bytes.buffer);
    let n = 0;
    for (let off = 0; off < bytes.length; n++) {
      off += view.getUint16(off + 2) * 4;
    }
    await until(`${n} datagrams`, () => got.length >= n);
    let off = 0;
    for (const d of got) {
      assert.equal(d.length, new DataView(d.buffer).getUint16(2) * 4);
      assert.deepEqual(d, bytes.subarray(off, off + d.length));
      off += d.length;
    }
    assert.equal(off, bytes.length);
  } finally {
    await sink.close();
    await new Promise<void>((r) => rx.close(() => r()));
  }
});

Deno.test("UdpSink records print under the real ra -S argus-udp:// as ra -r prints the file", async () => {
  const bytes = Deno.readFileSync(TCP_LONG);
  const want = await run("ra", ["-r", TCP_LONG, "-n"]);
  const lines = want.stdout.split("\n").length - 1;
  const port = freePort();
  const got = await realRaUdp(port, lines, async () => {
    const sink = await UdpSink.open("argus-udp://127.0.0.1", {
      host: "127.0.0.1",
      port,
    });
    await sink.write(bytes);
    await sink.close();
  });
  assert.equal(got, want.stdout);
});

Deno.test("UdpSink.open() refuses an unknown host with one line", async () => {
  await assert.rejects(
    UdpSink.open("udp://nosuchhost.invalid", {
      host: "nosuchhost.invalid",
      port: 561,
    }),
    { message: 'Cannot send to "udp://nosuchhost.invalid": unknown host' },
  );
  const opts = parseArgusOptions(["-X", "-r", "x.pcap", "-w", "udp://:1"]);
  await assert.rejects(openOutputs(opts), {
    message: '-w "udp://:1": no host name',
  });
});

Deno.test('argus -w argus-udp://127.0.0.1:PORT "udp and port 53 and host 198.18.0.53" reaches the real ra -S argus-udp://', async () => {
  const pcap = `${CORPUS}mixed-small.pcap`;
  // ~100 records, sent as fast as the file is read: few enough that ra's
  // socket buffer loses none even on a loaded machine (372 for port 53
  // alone overflowed it now and then).
  const FILTER = "udp and port 53 and host 198.18.0.53";
  // The same records through -w - (flow lines only: MARs carry "now").
  const viaFile = await run("sh", [
    "-c",
    `deno run -A ${MAIN} argus -X -r ${pcap} -w - "${FILTER}" | ra -r - -n`,
  ]);
  const flows = (t: string) =>
    t.split("\n").filter((l) => l !== "" && !/ man /.test(l));
  const want = flows(viaFile.stdout);
  assert.ok(want.length > 10, viaFile.stderr);
  const port = freePort();
  let argus = { code: -1, stderr: "" };
  const got = await realRaUdp(port, want.length + 1, async () => {
    const r = await run("deno", [
      "run",
      "-A",
      MAIN,
      "argus",
      "-X",
      "-r",
      pcap,
      "-w",
      `argus-udp://127.0.0.1:${port}`,
      FILTER,
    ]);
    argus = { code: r.code, stderr: r.stderr };
  });
  assert.equal(argus.code, 0, argus.stderr);
  assert.deepEqual(flows(got), want);
  // The opening MAR came too; the closing one does not pass the filter
  // (as with the real argus's -w file "filter").
  assert.deepEqual(
    got.split("\n").filter((l) => / man /.test(l)).map((l) => l.slice(-3)),
    ["STA"],
  );
});
