/**
 * Our savefile readers against libpcap (through our FFI binding) on every
 * corpus capture: the same packets, bytes, lengths and timestamps, up to
 * the point where libpcap stops; and our readers fed one byte at a time,
 * so every record and block straddles a read boundary.
 * @module
 */

import assert from "node:assert/strict";
import {
  CaptureFileError,
  openCaptureReader,
  PacketBatch,
} from "../../src/capture/mod.ts";
import type { CaptureReader } from "../../src/capture/capture_reader.ts";
import { PcapError, PcapHandle } from "../../ffi/mod.ts";
import { CORPUS } from "../_util/oracle.ts";
import { pcapFile } from "../_util/pcap_writer.ts";

interface Pkt {
  sec: number;
  usec: number;
  caplen: number;
  wirelen: number;
  link: number;
  bytes: string;
}

function hash(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619);
  return `${b.length}:${(h >>> 0).toString(16)}`;
}

function collect(batch: PacketBatch, out: Pkt[]): void {
  for (let i = 0; i < batch.count; i++) {
    const s = batch.start[i]!;
    out.push({
      sec: batch.tsSec[i]!,
      usec: batch.tsUsec[i]!,
      caplen: batch.caplen[i]!,
      wirelen: batch.wirelen[i]!,
      link: batch.linkType[i]!,
      bytes: hash(batch.data.subarray(s, s + batch.caplen[i]!)),
    });
  }
}

async function ours(reader: CaptureReader): Promise<Pkt[]> {
  const out: Pkt[] = [];
  const batch = new PacketBatch(64);
  while (await reader.next(batch)) collect(batch, out);
  return out;
}

/** A reader that hands out `step` bytes per read. */
function trickle(bytes: Uint8Array, step: number) {
  let pos = 0;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (pos >= bytes.length) return Promise.resolve(null);
      const n = Math.min(step, p.length, bytes.length - pos);
      p.set(bytes.subarray(pos, pos + n));
      pos += n;
      return Promise.resolve(n);
    },
  };
}

function libpcapPackets(
  path: string,
): { packets: Pkt[]; error: string | null } {
  const packets: Pkt[] = [];
  let handle: PcapHandle;
  try {
    handle = PcapHandle.openOffline(path);
  } catch (e) {
    if (e instanceof PcapError) return { packets, error: e.message };
    throw e;
  }
  const batch = new PacketBatch(256);
  batch.data = new Uint8Array(1 << 16);
  let error: string | null = null;
  try {
    for (;;) {
      try {
        if (!handle.read(batch)) break;
      } catch (e) {
        if (e instanceof PcapError) {
          error = e.message;
          break;
        }
        throw e;
      }
      collect(batch, packets);
    }
  } finally {
    handle.close();
  }
  return { packets, error };
}

const files = [...Deno.readDirSync(CORPUS)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".pcap") || n.endsWith(".pcapng"))
  .sort();

Deno.test("savefile readers: same packets as libpcap on every corpus capture", async (t) => {
  for (const name of files) {
    await t.step(name, async () => {
      const path = CORPUS + name;
      const ref = libpcapPackets(path);
      const bytes = await Deno.readFile(path);
      let got: Pkt[] = [];
      let error: CaptureFileError | null = null;
      try {
        const reader = await openCaptureReader(trickle(bytes, 1 << 20), name);
        got = await ours(reader);
        error = reader.error;
      } catch (e) {
        if (!(e instanceof CaptureFileError)) throw e;
        error = e;
      }
      // libpcap reports LINKTYPE_RAW (101) as DLT_RAW (12).
      for (const p of got) if (p.link === 101) p.link = 12;
      assert.deepEqual(got, ref.packets, "packets before any damage");
      assert.equal(
        error !== null,
        ref.error !== null,
        `damage: ours ${error?.message}, libpcap ${ref.error}`,
      );
    });
  }
});

Deno.test("savefile readers: records split at every byte boundary", async (t) => {
  for (
    const name of [
      "tcp-basic.pcap",
      "big-endian.pcap",
      "nanosecond.pcap",
      "pcapng-multi.pcapng",
      "pcapng-bigendian.pcapng",
    ]
  ) {
    await t.step(name, async () => {
      const bytes = await Deno.readFile(CORPUS + name);
      const whole = await ours(
        await openCaptureReader(trickle(bytes, bytes.length), name),
      );
      for (const step of [1, 3, 7, 16, 17, 1000]) {
        const split = await ours(
          await openCaptureReader(trickle(bytes, step), name),
        );
        assert.deepEqual(split, whole, `reads of ${step} bytes`);
      }
    });
  }
});

Deno.test("pcap reader: nanosecond timestamps are truncated to microseconds", async () => {
  const bytes = await Deno.readFile(CORPUS + "nanosecond.pcap");
  const pkts = await ours(
    await openCaptureReader(trickle(bytes, 4096), "nanosecond.pcap"),
  );
  const v = new DataView(bytes.buffer);
  const le = bytes[0] === 0x4d;
  // The first record's fraction, in nanoseconds, straight from the file.
  const ns = v.getUint32(24 + 4, le);
  assert.equal(pkts[0]!.usec, Math.floor(ns / 1000));
  assert.ok(
    pkts.some((p) => p.usec === 999999),
    "…999999999 ns becomes …999999 µs",
  );
});

Deno.test("pcap reader: damage after good packets reports the byte offset", async () => {
  const good = pcapFile([
    { time: 1_000_000, data: new Uint8Array(60) },
    { time: 2_000_000, data: new Uint8Array(60) },
  ]);
  const cut = good.subarray(0, good.length - 10);
  const reader = await openCaptureReader(trickle(cut, 7), "cut.pcap");
  const pkts = await ours(reader);
  assert.equal(pkts.length, 1);
  assert.ok(reader.error instanceof CaptureFileError);
  assert.equal(reader.error!.offset, 24 + 16 + 60);
  assert.match(
    reader.error!.message,
    /^Cannot read "cut.pcap": truncated dump file; tried to read 60 captured bytes, only got 50 at byte 100$/,
  );
});
