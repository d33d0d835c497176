/**
 * argus -f: a capture file that grows while argus reads it. The test writes
 * the file header and the first packets, starts our argus and the real
 * argus 3.0.8 with `-X -f -r FILE -w OUT`, appends the other packets, waits,
 * then sends SIGTERM: both must have written the same flow records, byte for
 * byte, covering every packet, and exited 0. The real argus ends an -f run
 * on a signal as at the end of a file (causes as without -f, not SHUTDOWN).
 * A FIFO is followed too: a writer closing it is not the end.
 * @module
 */

import assert from "node:assert/strict";
import { firstRecordDifference, flowRecords } from "../_util/records.ts";
import { CORPUS, haveRealArgus } from "../_util/oracle.ts";
import { realRa } from "../_util/real_ra.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Byte offset just past packet `n` of a little- or big-endian pcap. */
function packetEnd(file: Uint8Array, n: number): number {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const le = v.getUint32(0, true) === 0xa1b2c3d4;
  let off = 24;
  for (let i = 0; i < n; i++) off += 16 + v.getUint32(off + 8, le);
  return off;
}

/** Packets in a pcap image. */
function packetCount(file: Uint8Array): number {
  let n = 0;
  while (packetEnd(file, n) < file.length) n++;
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A running argus -f and how to end it. */
function followRun(
  cmd: string,
  args: string[],
): { stop(): Promise<Deno.CommandOutput> } {
  const child = new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return {
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone: its output says why.
      }
      return await child.output();
    },
  };
}

for (const pcap of ["tcp-basic.pcap", "udp-dns.pcap"]) {
  Deno.test({
    name: `argus -f ${pcap}: packets appended while it runs are in the ` +
      "records, as with the real argus -f",
    ignore: !haveRealArgus(),
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "argus-follow-" });
      const runs: { stop(): Promise<Deno.CommandOutput> }[] = [];
      try {
        const all = await Deno.readFile(CORPUS + pcap);
        const cut = packetEnd(all, 10);
        const theirsIn = `${dir}/theirs.pcap`, oursIn = `${dir}/ours.pcap`;
        const theirs = `${dir}/theirs.argus`, ours = `${dir}/ours.argus`;
        await Deno.writeFile(theirsIn, all.subarray(0, cut));
        await Deno.writeFile(oursIn, all.subarray(0, cut));
        runs.push(
          followRun("argus", [
            "-X",
            "-f",
            "-r",
            theirsIn,
            "-w",
            theirs,
          ]),
        );
        runs.push(
          followRun(Deno.execPath(), [
            "run",
            "-A",
            MAIN,
            "argus",
            "-X",
            "-f",
            "-r",
            oursIn,
            "-w",
            ours,
          ]),
        );
        await sleep(2000);
        // Appended in two writes, the first ending inside a packet.
        const mid = cut + 30;
        for (const f of [theirsIn, oursIn]) {
          await Deno.writeFile(f, all.subarray(cut, mid), { append: true });
        }
        await sleep(300);
        for (const f of [theirsIn, oursIn]) {
          await Deno.writeFile(f, all.subarray(mid), { append: true });
        }
        await sleep(1500);
        const [real, mine] = [await runs[0]!.stop(), await runs[1]!.stop()];
        runs.length = 0;
        const err = new TextDecoder().decode(mine.stderr);
        assert.equal(mine.code, 0, err);
        assert.equal(real.code, 0);
        const a = await Deno.readFile(theirs);
        const b = await Deno.readFile(ours);
        assert.ok(flowRecords(a).length > 0);
        assert.equal(firstRecordDifference(a, b), null);
        // Every packet of the file is in a record.
        const rows = (await realRa(ours, ["pkts"])).rows;
        const total = rows.reduce((s, r) => s + Number(r[0]), 0);
        assert.equal(total, packetCount(all));
      } finally {
        for (const r of runs) await r.stop();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: "argus -f on a FIFO keeps reading after a writer closes it, and " +
    "writes the real argus's records of the whole capture",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "argus-follow-fifo-" });
    let ours: { stop(): Promise<Deno.CommandOutput> } | null = null;
    try {
      const all = await Deno.readFile(CORPUS + "tcp-basic.pcap");
      const cut = packetEnd(all, 10);
      const fifo = `${dir}/in.fifo`, out = `${dir}/ours.argus`;
      const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assert.equal(mk.code, 0);
      ours = followRun(Deno.execPath(), [
        "run",
        "-A",
        MAIN,
        "argus",
        "-X",
        "-f",
        "-r",
        fifo,
        "-w",
        out,
      ]);
      // Two writers one after the other: the first one's close is no end.
      await Deno.writeFile(fifo, all.subarray(0, cut));
      await sleep(500);
      await Deno.writeFile(fifo, all.subarray(cut));
      await sleep(1500);
      const mine = await ours.stop();
      ours = null;
      assert.equal(mine.code, 0, new TextDecoder().decode(mine.stderr));
      const theirs = `${dir}/theirs.argus`;
      const real = await new Deno.Command("argus", {
        args: ["-X", "-r", CORPUS + "tcp-basic.pcap", "-w", theirs],
      }).output();
      assert.equal(real.code, 0);
      assert.equal(
        firstRecordDifference(
          await Deno.readFile(theirs),
          await Deno.readFile(out),
        ),
        null,
      );
    } finally {
      await ours?.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
