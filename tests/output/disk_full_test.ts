/**
 * argus -w on a full disk (issue 7): a small tmpfs fills up while our
 * sensor reads a capture from stdin in two stages; the file must hold
 * whole records only (the real ra reads it cleanly), the records produced
 * while the disk was full are counted in the MARs' unwritten field, and
 * writing resumes by itself once space returns. Also -w - into a pipe
 * that closes early, against the real argus.
 * @module
 */

import assert from "node:assert/strict";
import { FileSink } from "../../src/output/file_sink.ts";
import {
  MAR_UNWRITTEN_OFFSET,
  marBytes,
} from "../../src/output/mar_encoder.ts";
import { CORPUS, haveRealArgus } from "../_util/oracle.ts";
import { reportSkip } from "../_util/netns.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CAPTURE = `${CORPUS}mixed-small.pcap`;

const SKIP = reportSkip(
  "tests/output/disk_full_test.ts",
  Deno.build.os !== "linux"
    ? "tmpfs mounts need Linux"
    : Deno.uid() !== 0
    ? "mounting a tmpfs needs root"
    : haveRealArgus()
    ? null
    : "the real argus is not installed",
);

/** Mounts a tmpfs of `size` in a fresh directory; unmounted by dispose. */
async function smallDisk(size: string): Promise<
  { dir: string; mnt: string } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir({ prefix: "dfull-" });
  const mnt = `${dir}/mnt`;
  await Deno.mkdir(mnt);
  const m = await sh("mount", [
    "-t",
    "tmpfs",
    "-o",
    `size=${size}`,
    "tmpfs",
    mnt,
  ]);
  if (m.code !== 0) throw new Error(`Cannot mount a tmpfs: ${m.stderr}`);
  return {
    dir,
    mnt,
    async [Symbol.asyncDispose]() {
      // Lazy: a sensor killed a moment ago may still hold the file.
      await sh("umount", ["-l", mnt]);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function sh(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** A record file walked record by record. */
interface Walk {
  records: Uint8Array[];
  /** Sum of the unwritten counts of the MARs. */
  unwritten: number;
  /** Bytes after the last whole record (a torn tail). */
  tail: number;
}

function walk(file: Uint8Array): Walk {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let unwritten = 0;
  let off = 0;
  while (off + 4 <= file.length) {
    const len = v.getUint16(off + 2) * 4;
    if (len === 0 || off + len > file.length) break;
    if ((file[off]! & 0x0f) !== 3) break; // not an Argus 3 header
    const r = file.subarray(off, off + len);
    if (r[0] === 0x83 && r[1] !== 0x10) {
      unwritten += v.getUint32(off + MAR_UNWRITTEN_OFFSET);
    }
    records.push(r);
    off += len;
  }
  return { records, unwritten, tail: file.length - off };
}

const isMar = (r: Uint8Array) => r[0] === 0x83;
const hex = (r: Uint8Array) =>
  Array.from(r, (b) => b.toString(16).padStart(2, "0")).join("");

/** Offsets of every packet record in a classic pcap file. */
function packetOffsets(pcap: Uint8Array): number[] {
  const v = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const le = v.getUint32(0, true) === 0xa1b2c3d4 ||
    v.getUint32(0, true) === 0xa1b23c4d;
  const out: number[] = [];
  for (let off = 24; off + 16 <= pcap.length;) {
    out.push(off);
    off += 16 + v.getUint32(off + 8, le);
  }
  return out;
}

async function waitFor(
  what: string,
  ok: () => boolean,
  ms = 30_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test({
  name:
    "argus -w on a full disk keeps whole records, counts the rest in MARs and writes again once space returns",
  ignore: SKIP,
  async fn() {
    // Room for all the records (~500 kB) once the filler is gone.
    await using disk = await smallDisk("1m");
    // What the sensor writes with room to spare: the records to account for.
    const refPath = `${disk.dir}/ref.argus`;
    const ref = await sh(Deno.execPath(), [
      "run",
      "-A",
      `${ROOT}main.ts`,
      "argus",
      "-X",
      "-r",
      CAPTURE,
      "-w",
      refPath,
    ]);
    assert.equal(ref.code, 0, ref.stderr);
    const expected = walk(await Deno.readFile(refPath)).records;

    // Leave ~60 kB: the first stage's records need several times that.
    const filler = `${disk.mnt}/filler`;
    await Deno.writeFile(filler, new Uint8Array(964 * 1024));
    const out = `${disk.mnt}/out.argus`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}main.ts`,
        "argus",
        "-X",
        "-r",
        "-",
        "-w",
        out,
      ],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let stderr = "";
    const reading = (async () => {
      const dec = new TextDecoder();
      for await (const chunk of child.stderr) {
        stderr += dec.decode(chunk, { stream: true });
      }
    })();
    let status: Deno.CommandStatus;
    try {
      const pcap = await Deno.readFile(CAPTURE);
      const offsets = packetOffsets(pcap);
      const split = offsets[Math.floor(offsets.length * 0.6)]!;
      const w = child.stdin.getWriter();
      await w.write(pcap.subarray(0, split));
      await waitFor("the disk-full line", () => /no space left/.test(stderr));
      // Space returns; the sensor retries at most once a second.
      await Deno.remove(filler);
      await new Promise((r) => setTimeout(r, 1200));
      await w.write(pcap.subarray(split));
      await w.close();
      status = await child.status;
      await reading;
    } catch (e) {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      throw e;
    }

    assert.equal(status.code, 0, stderr);
    const lines = stderr.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1, stderr);
    assert.match(
      lines[0]!,
      /^argus: Cannot write ".*out\.argus": no space left on device; counting records not written in MARs until it can write again$/,
    );

    const file = await Deno.readFile(out);
    const got = walk(file);
    assert.equal(got.tail, 0, "a torn record at the end of the file");
    // The real ra reads every record, with no complaint.
    const ra = await sh("ra", ["-n", "-r", out]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(ra.stderr, "");
    const flows = got.records.filter((r) => !isMar(r));
    const raRows = ra.stdout.split("\n").filter((l) => l !== "").length;
    assert.equal(raRows, got.records.length + 1, "ra: a heading, each record");

    // Every record is accounted for: written, or counted as unwritten.
    assert.ok(got.unwritten > 0, "no MAR counts the records not written");
    assert.equal(got.records.length + got.unwritten, expected.length);
    // The flow records written are the reference's, in order, with the
    // ones lost left out, and the last ones (after space returned) there.
    const want = expected.filter((r) => !isMar(r)).map(hex);
    let i = 0;
    for (const r of flows.map(hex)) {
      while (i < want.length && want[i] !== r) i++;
      assert.ok(i < want.length, "a flow record the reference lacks");
      i++;
    }
    assert.ok(flows.length < want.length, "nothing was lost");
    assert.equal(hex(flows.at(-1)!), want.at(-1), "the last record is missing");
    const lostFlows = want.length - flows.length;
    const marsLost = got.unwritten - lostFlows;
    assert.ok(marsLost >= 0 && marsLost <= 1, `${marsLost} MARs lost`);
    // The closing MAR made it, and reports what was still unreported.
    assert.ok(isMar(got.records.at(-1)!) && got.records.at(-1)![1] === 0x30);
  },
});

/** Records of `words` 32-bit words each, header only meaningful. */
function records(n: number, words: number): Uint8Array {
  const b = new Uint8Array(n * words * 4);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) {
    b[i * words * 4] = 0x13;
    v.setUint16(i * words * 4 + 2, words);
  }
  return b;
}

Deno.test({
  name:
    "FileSink() cuts a short write back to whole records, retries once a second, and starts an emptied file with an opening MAR",
  ignore: SKIP,
  async fn() {
    await using disk = await smallDisk("8k");
    let now = 0;
    const errors: string[] = [];
    const resumed: string[] = [];
    const path = `${disk.mnt}/small.argus`;
    const sink = await FileSink.open(path, {
      onError: (m) => errors.push(m),
      onResume: (m) => resumed.push(m),
      now: () => now,
    });
    const opening = marBytes({
      cause: 0x10,
      srcid: 1,
      srcidStatus: 0,
      startTime: 0,
      now: 0,
      reportInterval: 5,
      marInterval: 60,
    });
    sink.opening = () => opening;
    try {
      // 10 records of 1000 bytes into 8192 bytes: 8 fit, the 9th is torn.
      await sink.write(records(10, 250));
      assert.equal((await Deno.stat(path)).size, 8000);
      assert.equal(sink.unwritten, 2);
      assert.ok(sink.failing);
      assert.equal(errors.length, 1);
      // Within the second: counted without trying, and not logged again.
      await sink.write(records(3, 250));
      assert.equal(sink.unwritten, 5);
      assert.equal(errors.length, 1);
      // Space returns (the file was emptied behind our back).
      await Deno.truncate(path, 0);
      now += 1000;
      await sink.writeMar(
        marBytes({
          cause: 0x20,
          srcid: 1,
          srcidStatus: 0,
          startTime: 0,
          now: 0,
          reportInterval: 5,
          marInterval: 60,
        }),
      );
      assert.ok(!sink.failing);
      assert.equal(resumed.length, 1);
      const file = await Deno.readFile(path);
      const w = walk(file);
      assert.equal(w.records.length, 2);
      assert.deepEqual(w.records[0], opening);
      assert.equal(w.unwritten, 5);
      assert.equal(sink.reported, 5);
    } finally {
      await sink.close();
    }
    assert.equal(errors.length, 1, errors.join("\n"));
  },
});

Deno.test({
  name:
    "argus -w - into a pipe closed early exits 0 with nothing on stderr, as the real argus",
  ignore: SKIP,
  async fn() {
    for (
      const cmd of [
        [Deno.execPath(), "run", "-A", `${ROOT}main.ts`, "argus"],
        ["argus"],
      ]
    ) {
      const child = new Deno.Command(cmd[0]!, {
        args: [...cmd.slice(1), "-X", "-r", CAPTURE, "-w", "-"],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stderr = new Response(child.stderr).text();
      // As `| head -c 1`: one read, then the pipe's reader is gone.
      const reader = child.stdout.getReader();
      const first = await reader.read();
      assert.ok(!first.done);
      await reader.cancel();
      const status = await child.status;
      const err = await stderr;
      assert.equal(status.code, 0, `${cmd.join(" ")}: ${err}`);
      assert.equal(err, "", cmd.join(" "));
    }
  },
});
