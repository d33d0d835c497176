/**
 * radium on loopback against small in-process argus-side servers: records
 * of two good sources all reach its -w file once, each with its srcid,
 * while a third source that sends garbage is logged and retried without
 * holding up the others; SIGTERM ends it with a closing MAR. Bad command
 * lines are one line and exit 2.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, run } from "../../_util/oracle.ts";

const MAIN = new URL("../../../main.ts", import.meta.url).pathname;
const FILES = [
  `${CORPUS}expected/arp.pcap.argus`,
  `${CORPUS}expected/big-endian.pcap.argus`,
];
const MAR_LEN = 128;
const FIELDS = ["-s", "srcid", "stime", "proto", "saddr", "daddr", "pkts"];
const PRINT = ["-X", "-nn", "-u", "-L", "-1", "-c", ","];

/** Serves `bytes` (opening MAR first) once START: arrives, then holds on. */
function source(bytes: Uint8Array): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        await conn.write(bytes.subarray(0, MAR_LEN));
        const buf = new Uint8Array(256);
        for (;;) {
          const n = await conn.read(buf);
          if (n === null) return;
          if (new TextDecoder().decode(buf.subarray(0, n)) === "START: ") break;
        }
        await conn.write(bytes.subarray(MAR_LEN));
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // gone already
        }
      }
    },
  };
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "").sort();
}

Deno.test("radium: two good sources reach -w once each; a source of garbage is logged and retried", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rdt-" });
  const good = FILES.map((f) => source(Deno.readFileSync(f)));
  // After its MAR: a flow record of zeros (its DSRs do not parse), then
  // a header of another version, which ends the stream.
  const garbage = new Uint8Array(MAR_LEN + 20);
  garbage.set(Deno.readFileSync(FILES[0]!).subarray(0, MAR_LEN));
  garbage.set([0x13, 0x00, 0x00, 0x04], MAR_LEN);
  garbage.set([0x12, 0x00, 0x00, 0x01], MAR_LEN + 16);
  const bad = source(garbage);
  try {
    const out = `${dir}/radium.argus`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "radium",
        "-X",
        ...[...good, bad].flatMap((s) => ["-S", `127.0.0.1:${s.port}`]),
        "-e",
        "77",
        "-w",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Wait until both good sources' records are in the file.
    const want = (await run("ra", [...PRINT, "-r", ...FILES, ...FIELDS]))
      .stdout;
    const end = Date.now() + 15_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const got = await run("ra", [...PRINT, "-r", out, ...FIELDS]);
      if (lines(got.stdout).length >= lines(want).length) break;
      if (Date.now() > end) break;
    }
    child.kill("SIGTERM");
    const r = await child.output();
    const stderr = new TextDecoder().decode(r.stderr);
    assert.equal(r.code, 0, stderr);
    const got = await run("ra", [...PRINT, "-r", out, ...FIELDS]);
    assert.deepEqual(lines(got.stdout), lines(want));
    assert.match(stderr, /Dropped a malformed record/);
    assert.match(
      stderr,
      new RegExp(`Connection to 127\\.0\\.0\\.1:${bad.port}: `),
    );
    // radium's own opening and closing MARs carry -e.
    const mars = await run("ra", [
      ...PRINT,
      "-M",
      "man",
      "-r",
      out,
      "-s",
      "srcid",
      "-",
      "man",
    ]);
    assert.equal(lines(mars.stdout).filter((l) => l === "77").length, 2);
  } finally {
    for (const s of [...good, bad]) s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("radium: bad command lines are one line and exit 2", async () => {
  for (
    const args of [
      [],
      ["-X", "-P", "99999", "-S", "h"],
      ["-X", "-S", "jflow://r:9996"],
      ["-X", "-Q"],
      ["-X", "-S", "h", "-", "tcp", "and"],
      ["-X", "-S", "no-such-host.invalid"],
    ]
  ) {
    const r = await run(Deno.execPath(), [
      "run",
      "-A",
      MAIN,
      "radium",
      ...args,
    ]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^radium: \S/, args.join(" "));
    assert.ok(!r.stderr.includes("    at "), r.stderr);
  }
});
