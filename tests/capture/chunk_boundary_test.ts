/**
 * The savefile readers fed their bytes in awkward pieces: split at every
 * offset (mid file header, mid record header, mid packet, mid block), a
 * byte at a time, and with buffers smaller than a record, so records
 * straddle reads and buffer swaps. The packets must not change. Also the
 * ownership rule: a batch's bytes stay put until the batch after next.
 * @module
 */

import assert from "node:assert/strict";
import {
  openCaptureReader,
  PacketBatch,
  savefileSource,
} from "../../src/capture/mod.ts";
import { CORPUS } from "../_util/oracle.ts";
import {
  bytes,
  pcapBytes,
  PcapngBuilder,
  readAll,
  readWithOurs,
  splitAt,
  tempCapture,
  trickle,
} from "./_capture_files.ts";

// A small pcap: header 24, records of 16 + 30, 16 + 0, 16 + 70, 16 + 5.
const smallPcap = pcapBytes({}, [
  { sec: 1, frac: 1, data: bytes(30) },
  { sec: 2, frac: 2, data: new Uint8Array(0) },
  { sec: 3, frac: 3, data: bytes(70, 3) },
  { sec: 4, frac: 4, data: bytes(5, 4) },
]);

// A small pcapng: SHB, IDB (ns), EPB, NRB, SPB, second SHB + IDB, EPB.
const smallPcapng = new PcapngBuilder()
  .shb().idb(1, 65535, [[9, PcapngBuilder.tsresol(9)]])
  .epb(0, 1_700_000_000_123_456_789n, bytes(33))
  .block(4, bytes(12))
  .spb(bytes(20))
  .shb().idb(101, 65535)
  .epb(0, 1_700_000_001_000_000n, bytes(41, 9))
  .bytes();

Deno.test("savefile readers give the same packets however the input is split", async (t) => {
  for (
    const [name, file] of [
      ["crafted.pcap", smallPcap],
      ["crafted.pcapng", smallPcapng],
    ] as const
  ) {
    await t.step(`${name} split in two at every offset`, async () => {
      const whole = await readAll(
        await openCaptureReader(trickle(file, file.length), name),
      );
      assert.ok(whole.length >= 3);
      for (let cut = 1; cut < file.length; cut++) {
        const got = await readAll(
          await openCaptureReader(splitAt(file, [cut]), name),
        );
        assert.deepEqual(got, whole, `split at byte ${cut}`);
      }
    });
    await t.step(`${name} in three pieces, buffers of 64 bytes`, async () => {
      const whole = await readAll(
        await openCaptureReader(trickle(file, file.length), name),
      );
      for (let a = 1; a < file.length; a += 5) {
        for (let b = a + 1; b < file.length; b += 7) {
          const got = await readAll(
            await openCaptureReader(splitAt(file, [a, b]), name, 64),
          );
          assert.deepEqual(got, whole, `split at ${a} and ${b}`);
        }
      }
    });
  }
  for (
    const name of [
      "tcp-basic.pcap",
      "big-endian.pcap",
      "nanosecond.pcap",
      "ether-jumbo.pcap",
      "pcapng-multi.pcapng",
      "pcapng-bigendian.pcapng",
      "netns-veth.pcapng",
      "corrupt-truncated-record.pcap",
      "corrupt-pcapng-truncated.pcapng",
    ]
  ) {
    await t.step(
      `${name} in reads of 1 to 1000 bytes, small buffers`,
      async () => {
        const file = await Deno.readFile(CORPUS + name);
        const whole = await readWithOurs(file, name, file.length);
        for (const step of [1, 3, 7, 16, 17, 100, 1000]) {
          for (const chunk of [64, 1500, 4096]) {
            const got = await readWithOurs(file, name, step, chunk);
            assert.deepEqual(
              got,
              whole,
              `reads of ${step}, buffers of ${chunk}`,
            );
          }
        }
      },
    );
  }
});

Deno.test("a batch's bytes stay valid until the batch after next is read", async (t) => {
  // Records of varied sizes, 4 KiB buffers: batches end at buffer ends and
  // records straddle them, so the two buffers alternate many times.
  const records = Array.from({ length: 400 }, (_, i) => ({
    sec: i,
    frac: 0,
    data: bytes(50 + (i * 37) % 900, i),
  }));
  const file = pcapBytes({}, records);

  await t.step("reader: batch N intact while N+1 is filled", async () => {
    const reader = await openCaptureReader(trickle(file, 999), "x", 4096);
    const batches = [new PacketBatch(16), new PacketBatch(16)];
    let prev: { batch: PacketBatch; copies: Uint8Array[] } | null = null;
    let seen = 0;
    for (let turn = 0;; turn ^= 1) {
      const batch = batches[turn]!;
      if (!(await reader.next(batch))) break;
      if (prev !== null) {
        prev.copies.forEach((c, i) =>
          assert.deepEqual(prev!.batch.packet(i), c, `packet ${i}`)
        );
      }
      const copies = [];
      for (let i = 0; i < batch.count; i++) {
        copies.push(batch.packet(i).slice());
        assert.deepEqual(copies[i], records[seen + i]!.data);
      }
      seen += batch.count;
      prev = { batch, copies };
    }
    assert.equal(seen, records.length);
  });

  await t.step(
    "reader: blocks skipped at a batch's start swap buffers twice",
    async () => {
      // After each run of packets, 3 custom blocks of 3000 bytes: with 4 KiB
      // buffers, reaching the next packet needs two buffer swaps in one call,
      // and the second must not reuse the buffer the last batch is in.
      const b = new PcapngBuilder().shb().idb(1, 65535);
      const sent: Uint8Array[] = [];
      for (let run = 0; run < 6; run++) {
        for (let i = 0; i < 5; i++) {
          const data = bytes(200 + i, run * 10 + i);
          sent.push(data);
          b.epb(0, BigInt(run * 10 + i), data);
        }
        for (let i = 0; i < 3; i++) b.block(0xbad, bytes(3000, i));
      }
      const file = b.bytes();
      const reader = await openCaptureReader(trickle(file, 5000), "x", 4096);
      const batches = [new PacketBatch(64), new PacketBatch(64)];
      let prev: { batch: PacketBatch; copies: Uint8Array[] } | null = null;
      let seen = 0;
      for (let turn = 0;; turn ^= 1) {
        const batch = batches[turn]!;
        if (!(await reader.next(batch))) break;
        prev?.copies.forEach((c, i) =>
          assert.deepEqual(prev!.batch.packet(i), c, `packet ${i}`)
        );
        const copies = [];
        for (let i = 0; i < batch.count; i++) {
          copies.push(batch.packet(i).slice());
          assert.deepEqual(copies[i], sent[seen + i]);
        }
        seen += batch.count;
        prev = { batch, copies };
      }
      assert.equal(seen, sent.length);
    },
  );

  await t.step(
    "source stream: the previous batch survives a read",
    async () => {
      const path = await tempCapture(file);
      try {
        const source = savefileSource([path], {
          chunkBytes: 4096,
          batchPackets: 16,
        });
        const reader = source.stream.getReader();
        let prev: { batch: PacketBatch; copies: Uint8Array[] } | null = null;
        let seen = 0;
        for (;;) {
          const r = await reader.read();
          if (prev !== null) {
            prev.copies.forEach((c, i) =>
              assert.deepEqual(prev!.batch.packet(i), c)
            );
          }
          if (r.done) break;
          const copies = [];
          for (let i = 0; i < r.value.count; i++) {
            copies.push(r.value.packet(i).slice());
          }
          seen += r.value.count;
          prev = { batch: r.value, copies };
        }
        assert.equal(seen, records.length);
        assert.deepEqual(source.errors, []);
      } finally {
        await Deno.remove(path);
      }
    },
  );
});
