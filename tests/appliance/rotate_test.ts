/**
 * appliance/argus-rotate.sh against a live `argus -i lo -w FILE`: the
 * moved file is gzipped, holds the flows seen before the rotation and is
 * read by our ra and the real one; a fresh FILE starts with a MAR; -k
 * deletes only rotated files older than its days. Loopback only.
 * @module
 */

import assert from "node:assert/strict";
import dgram from "node:dgram";
import { haveRealArgus, run } from "../_util/oracle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const ROTATE = `${ROOT}appliance/argus-rotate.sh`;
const PORT = 46533; // this file's own UDP port on 127.0.0.1
const MAR = 0x83;

async function until(what: string, probe: () => Promise<boolean>) {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (await probe()) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function size(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return -1;
  }
}

async function sendUdp(count: number): Promise<void> {
  const sock = dgram.createSocket("udp4");
  try {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((ok, fail) =>
        sock.send(
          new Uint8Array(32),
          PORT,
          "127.0.0.1",
          (e) => e ? fail(e) : ok(),
        )
      );
    }
  } finally {
    sock.close();
  }
}

async function ourRa(file: string): Promise<string> {
  const r = await run(Deno.execPath(), [
    "run",
    "-A",
    `${ROOT}main.ts`,
    "ra",
    "-X",
    "-n",
    "-r",
    file,
    "-s",
    "saddr",
    "daddr",
    "dport",
    "proto",
    "-",
    `udp and dst port ${PORT}`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

Deno.test("argus-rotate.sh: moved file gzipped and readable, fresh file starts with a MAR, old ones expire", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rot-kit-" });
  const out = `${dir}/argus.out`;
  const sensor = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}main.ts`,
      "argus",
      "-X",
      "-i",
      "lo",
      "-S",
      "1",
      "-w",
      out,
      "-",
      `udp and port ${PORT}`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    await until("the sensor's first MAR", async () => (await size(out)) > 0);
    await Deno.writeTextFile(`${dir}/argus.pid`, `${sensor.pid}\n`);
    // Rotated files from 10 days and from 1 day ago: -k 7 keeps the second.
    const old = `${dir}/argus.out.20000101-000000.gz`;
    const recent = `${dir}/argus.out.20000102-000000.gz`;
    await Deno.writeTextFile(old, "");
    await Deno.writeTextFile(recent, "");
    const day = 86_400_000;
    await Deno.utime(
      old,
      new Date(Date.now() - 10 * day),
      new Date(Date.now() - 10 * day),
    );
    await Deno.utime(
      recent,
      new Date(Date.now() - day),
      new Date(Date.now() - day),
    );

    await sendUdp(5);
    // -S 1: the flow's status record is written within about a second.
    await new Promise((ok) => setTimeout(ok, 2_500));
    const r = await run("sh", [
      ROTATE,
      "-z",
      "-k",
      "7",
      "-p",
      `${dir}/argus.pid`,
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");

    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    const moved = names.filter((n) => /^argus\.out\.\d{8}-\d{6}\.gz$/.test(n));
    assert.ok(
      !names.includes("argus.out.20000101-000000.gz"),
      "10 days old: deleted",
    );
    assert.ok(
      names.includes("argus.out.20000102-000000.gz"),
      "1 day old: kept",
    );
    assert.equal(moved.length, 2, names.join(" "));
    const rotated = `${dir}/${
      moved.find((n) => !n.startsWith("argus.out.2000"))
    }`;

    // The moved file: gzip, a MAR first, the UDP flow inside.
    const gunzip = await new Deno.Command("gzip", {
      args: ["-dc", rotated],
      stdout: "piped",
    }).output();
    assert.equal(gunzip.code, 0);
    assert.equal(gunzip.stdout[0], MAR, "the moved file starts with a MAR");
    const flows = await ourRa(rotated);
    assert.match(
      flows,
      new RegExp(`127\\.0\\.0\\.1 +127\\.0\\.0\\.1\\.${PORT} +udp`),
    );
    if (haveRealArgus()) {
      const real = await run("ra", [
        "-X",
        "-n",
        "-r",
        rotated,
        "-s",
        "saddr",
        "daddr",
        "dport",
        "proto",
        "-",
        `udp and dst port ${PORT}`,
      ]);
      assert.equal(flows, real.stdout);
    }

    // The fresh file: started by the sensor at the same path, MAR first.
    await until("a fresh output file", async () => (await size(out)) > 0);
    const fresh = await Deno.readFile(out);
    assert.equal(fresh[0], MAR, "the fresh file starts with a MAR");
  } finally {
    try {
      sensor.kill("SIGTERM");
    } catch {
      // already gone
    }
    await sensor.status;
    await sensor.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("argus-rotate.sh: bad usage is one line and exit 2; no file is no error", async () => {
  for (const args of [[], ["-k", "x", "/tmp/f"], ["-q", "/tmp/f"]]) {
    const r = await run("sh", [ROTATE, ...args]);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  }
  const dir = await Deno.makeTempDir({ prefix: "rot-none-" });
  try {
    const r = await run("sh", [ROTATE, "-z", `${dir}/argus.out`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
