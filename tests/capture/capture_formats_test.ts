/**
 * The snoop, ERF and tsh readers on hand-made files: which reader
 * openCaptureReader picks (argus's order), the packets (times, lengths,
 * bytes, link types) in reads of 1 byte and of whole files, and damage:
 * one CaptureFileError naming the file and byte, every packet before it
 * kept.
 * @module
 */

import assert from "node:assert/strict";
import {
  CaptureFileError,
  type CaptureReader,
  openCaptureReader,
  PacketBatch,
} from "../../src/capture/mod.ts";
import {
  erfFile,
  snoopFile,
  tshFile,
} from "../_util/capture_formats_writer.ts";
import type { LinkedPacket } from "../_util/pcap_transform.ts";
import { pcapBytes, trickle } from "./_capture_files.ts";

/** A packet as the tests look at it. */
interface Got {
  sec: number;
  usec: number;
  caplen: number;
  wirelen: number;
  linkType: number;
  data: number[];
}

interface Read {
  packets: Got[];
  error: string | null;
  reader: CaptureReader;
}

async function open(
  file: Uint8Array,
  name: string,
  step: number,
  moatTsh = false,
): Promise<CaptureReader> {
  return await openCaptureReader(trickle(file, step), name, undefined, {
    moatTsh,
  });
}

/** Every packet of `file`, in batches of `capacity`. */
async function read(
  file: Uint8Array,
  name: string,
  { step = 1 << 20, moatTsh = false, capacity = 64 } = {},
): Promise<Read> {
  const reader = await open(file, name, step, moatTsh);
  const batch = new PacketBatch(capacity);
  const packets: Got[] = [];
  while (await reader.next(batch)) {
    assert.ok(batch.count > 0, "a batch holds at least one packet");
    for (let i = 0; i < batch.count; i++) {
      packets.push({
        sec: batch.tsSec[i]!,
        usec: batch.tsUsec[i]!,
        caplen: batch.caplen[i]!,
        wirelen: batch.wirelen[i]!,
        linkType: batch.linkType[i]!,
        data: [...batch.packet(i)],
      });
    }
  }
  return { packets, error: reader.error?.message ?? null, reader };
}

/** Both ways of reading must agree; returns the whole-file result. */
async function readBoth(
  file: Uint8Array,
  name: string,
  moatTsh = false,
): Promise<Read> {
  const whole = await read(file, name, { moatTsh });
  const trickled = await read(file, name, { step: 1, moatTsh, capacity: 2 });
  assert.deepEqual(trickled.packets, whole.packets, "1-byte reads");
  assert.equal(trickled.error, whole.error, "1-byte reads");
  return whole;
}

async function refused(
  file: Uint8Array,
  name: string,
  message: string,
  moatTsh = false,
): Promise<void> {
  await assert.rejects(
    open(file, name, 1 << 20, moatTsh),
    (e) => e instanceof CaptureFileError && e.message === message,
  );
}

function seq(n: number, from = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
}

const T0 = 1_700_000_000_000_000;
const ETH_A: LinkedPacket = {
  time: T0 + 123_456,
  data: seq(61), // odd length: the record is padded to 4 (snoop) / 8 bytes
  wirelen: 61,
  linkType: 1,
};
const ETH_B: LinkedPacket = {
  time: T0 + 999_999,
  data: seq(60, 7),
  wirelen: 1514, // a cut capture
  linkType: 1,
};

Deno.test("SnoopReader reads RFC 1761 records", async (t) => {
  await t.step("Ethernet packets, padded records", async () => {
    const r = await readBoth(snoopFile([ETH_A, ETH_B]), "a.snoop");
    assert.equal(r.error, null);
    assert.equal(r.reader.linkType, 1);
    assert.deepEqual(r.packets, [
      {
        sec: 1_700_000_000,
        usec: 123_456,
        caplen: 61,
        wirelen: 61,
        linkType: 1,
        data: [...ETH_A.data],
      },
      {
        sec: 1_700_000_000,
        usec: 999_999,
        caplen: 60,
        wirelen: 1514,
        linkType: 1,
        data: [...ETH_B.data],
      },
    ]);
  });
  await t.step(
    "datalink types: 802.3 is Ethernet, FDDI passes on",
    async () => {
      assert.equal((await read(snoopFile([ETH_A], 0), "x")).reader.linkType, 1);
      assert.equal((await read(snoopFile([], 8), "x")).reader.linkType, 10);
    },
  );
  await t.step("a header-only file has no packets", async () => {
    const r = await readBoth(snoopFile([]), "h.snoop");
    assert.deepEqual(r.packets, []);
    assert.equal(r.error, null);
  });
});

Deno.test("SnoopReader reports damage in one error, after the packets before it", async (t) => {
  const good = snoopFile([ETH_A, ETH_B]);
  const second = 16 + 24 + 64; // where the second record starts
  await t.step("unknown datalink type", async () => {
    await refused(
      snoopFile([], 99),
      "d.snoop",
      'Cannot read "d.snoop": unsupported snoop datalink type 99 at byte 12',
    );
  });
  await t.step("another version", async () => {
    const f = good.slice();
    f[11] = 1;
    await refused(
      f,
      "v.snoop",
      'Cannot read "v.snoop": unsupported snoop version 1 at byte 8',
    );
  });
  await t.step("bad magic after 'snoo'", async () => {
    const f = good.slice();
    f[4] = 0x79;
    await refused(
      f,
      "m.snoop",
      'Cannot read "m.snoop": bad snoop magic at byte 0',
    );
  });
  await t.step("file header cut", async () => {
    await refused(
      good.slice(0, 10),
      "s.snoop",
      'Cannot read "s.snoop": truncated snoop file header at byte 0 (10 of 16 bytes)',
    );
  });
  await t.step("record cut in its data", async () => {
    const r = await readBoth(good.slice(0, good.length - 5), "c.snoop");
    assert.equal(r.packets.length, 1);
    assert.equal(
      r.error,
      `Cannot read "c.snoop": truncated snoop record at byte ${second} (record length 84, 79 bytes present)`,
    );
  });
  await t.step("record header cut", async () => {
    const r = await readBoth(good.slice(0, second + 7), "h.snoop");
    assert.equal(r.packets.length, 1);
    assert.equal(
      r.error,
      `Cannot read "h.snoop": truncated snoop record header at byte ${second} (7 of 24 bytes)`,
    );
  });
  await t.step("record length shorter than its packet", async () => {
    const f = good.slice();
    new DataView(f.buffer).setUint32(second + 8, 40);
    const r = await readBoth(f, "l.snoop");
    assert.equal(r.packets.length, 1);
    assert.equal(
      r.error,
      `Cannot read "l.snoop": bad snoop record length at byte ${second} (record length 40 for included length 60)`,
    );
  });
  await t.step("included length beyond any snapshot", async () => {
    const f = good.slice();
    new DataView(f.buffer).setUint32(second + 4, 0x7fffffff);
    const r = await readBoth(f, "b.snoop");
    assert.equal(r.packets.length, 1);
    assert.match(
      r.error!,
      /packet record too large at byte 104 \(included length 2147483647/,
    );
  });
});

const IP4: LinkedPacket = {
  time: T0 + 500_000,
  data: Uint8Array.from([0x45, 0, 0, 28, ...seq(24)]),
  wirelen: 28,
  linkType: 101,
};
const IP6: LinkedPacket = {
  time: T0 + 1,
  data: Uint8Array.from([0x60, ...seq(47)]),
  wirelen: 48,
  linkType: 229,
};

Deno.test("ErfReader reads Ethernet and IP records", async (t) => {
  await t.step("ETH, IPv4, IPv6; padded to 8, extension headers", async () => {
    for (const options of [{}, { pad8: true }, { extensions: 2 }]) {
      const r = await readBoth(
        erfFile([ETH_A, IP4, ETH_B, IP6], options),
        "a.erf",
      );
      assert.equal(r.error, null);
      assert.equal(r.reader.linkType, 1, "the first record's link type");
      assert.deepEqual(
        r.packets.map((p) => [p.sec, p.usec, p.caplen, p.wirelen, p.linkType]),
        [
          [1_700_000_000, 123_456, 61, 61, 1],
          [1_700_000_000, 500_000, 28, 28, 228],
          // Padding of a cut packet counts as captured, as on a DAG
          // card, where only the snapshot length cuts records.
          [1_700_000_000, 999_999, "pad8" in options ? 62 : 60, 1514, 1],
          [1_700_000_000, 1, 48, 48, 229],
        ],
        JSON.stringify(options),
      );
      assert.deepEqual(r.packets[0]!.data, [...ETH_A.data]);
      assert.deepEqual(r.packets[3]!.data, [...IP6.data]);
    }
  });
  await t.step("the link type is the first record's", async () => {
    const r = await read(erfFile([IP4, ETH_A]), "ip.erf");
    assert.equal(r.reader.linkType, 228);
  });
  await t.step("times round to µs, carrying into the seconds", async () => {
    const f = erfFile([ETH_A, ETH_A]);
    const v = new DataView(f.buffer);
    v.setUint32(0, 0xffffffff, true); // 0.99999999977 s
    v.setUint32(f.length / 2, 0x80000000, true); // 0.5 s
    const r = await read(f, "t.erf");
    assert.deepEqual(
      r.packets.map((p) => [p.sec, p.usec]),
      [[1_700_000_001, 0], [1_700_000_000, 500_000]],
    );
  });
  await t.step("records of other types are skipped", async () => {
    const many = Array.from({ length: 100 }, () => ETH_B);
    const f = erfFile([...many, ETH_A, ETH_B]);
    for (let i = 0; i < 100; i++) f[i * 78 + 8] = 3; // TYPE_ATM
    const r = await readBoth(f, "s.erf");
    assert.equal(r.error, null);
    assert.equal(r.packets.length, 2);
    assert.equal(r.packets[0]!.caplen, 61);
  });
});

Deno.test("ErfReader reports damage in one error, after the packets before it", async (t) => {
  const good = erfFile([ETH_A, ETH_B]);
  const second = 16 + 2 + 61;
  await t.step("record length below the header", async () => {
    const f = good.slice();
    new DataView(f.buffer).setUint16(second + 10, 0);
    const r = await readBoth(f, "z.erf");
    assert.equal(r.packets.length, 1);
    assert.equal(
      r.error,
      `Cannot read "z.erf": bad ERF record length at byte ${second} (record length 0 is shorter than its headers)`,
    );
  });
  await t.step("extension headers past the record", async () => {
    const f = good.slice();
    f[second + 8]! |= 0x80;
    new DataView(f.buffer).setUint16(second + 10, 20);
    const r = await readBoth(f, "e.erf");
    assert.equal(r.packets.length, 1);
    assert.match(
      r.error!,
      /bad ERF record length at byte 79 \(record length 20/,
    );
  });
  await t.step("record cut", async () => {
    const r = await readBoth(good.slice(0, good.length - 1), "c.erf");
    assert.equal(r.packets.length, 1);
    assert.equal(
      r.error,
      `Cannot read "c.erf": truncated ERF record at byte ${second} (record length 78, 77 bytes present)`,
    );
  });
  await t.step("record header cut", async () => {
    const r = await readBoth(good.slice(0, second + 3), "h.erf");
    assert.equal(r.packets.length, 1);
    assert.equal(
      r.error,
      `Cannot read "h.erf": truncated ERF record header at byte ${second} (3 of 16 bytes)`,
    );
  });
  await t.step("a file shorter than 4 bytes", async () => {
    const r = await read(good.slice(0, 2), "2.erf");
    assert.equal(r.packets.length, 0);
    assert.equal(
      r.error,
      'Cannot read "2.erf": truncated ERF record header at byte 0 (2 of 16 bytes)',
    );
  });
});

Deno.test("openCaptureReader() picks formats in argus's order", async (t) => {
  const pcap = pcapBytes({}, [{ sec: 1, frac: 2, data: seq(60) }]);
  await t.step("pcap first, whatever the name or -t", async () => {
    assert.equal((await read(pcap, "x.erf")).packets.length, 1);
    const r = await read(pcap, "x.tsh", { moatTsh: true });
    assert.equal(r.reader.snaplen, 65535, "the pcap reader");
  });
  await t.step("ERF only by the name", async () => {
    await refused(
      erfFile([ETH_A]),
      "x.pcap",
      'Cannot read "x.pcap": not a pcap or pcapng file (it starts with 0xfbcf9a1f)',
    );
    assert.equal(
      (await read(erfFile([ETH_A]), "day1.erf.gz.part")).packets.length,
      1,
    );
  });
  await t.step("tsh only with -t", async () => {
    const tsh = tshFile([IP4]).file;
    await refused(
      tsh,
      "x.tsh",
      'Cannot read "x.tsh": not a pcap or pcapng file (it starts with 0x6553f100)',
    );
    assert.equal(
      (await read(tsh, "x.tsh", { moatTsh: true })).packets.length,
      1,
    );
  });
  await t.step("snoop by its magic, -t or not", async () => {
    const f = snoopFile([ETH_A]);
    assert.equal((await read(f, "x", { moatTsh: false })).packets.length, 1);
    assert.equal((await read(f, "x.erf.snoop")).reader.snaplen, 262144);
  });
});

/** IPv4 TCP SYN, 60 bytes on the wire; tsh keeps 36 of them. */
const TCP: LinkedPacket = {
  time: T0 + 0xabcdef,
  data: Uint8Array.from([
    0x45,
    0,
    0,
    60,
    0,
    1,
    0x40,
    0,
    64,
    6,
    0,
    0,
    10,
    0,
    0,
    1,
    10,
    0,
    0,
    2,
    0x9c,
    0x41,
    0,
    80,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0xa0,
    0x02,
    0xff,
    0xff,
    0x12,
    0x34,
    0,
    0,
    ...seq(20),
  ]),
  wirelen: 60,
  linkType: 101,
};

Deno.test("TshReader makes raw IPv4 packets as argus's ArgusMoatTshRead", async (t) => {
  await t.step("40 bytes: the 36 stored and 4 zero bytes", async () => {
    const { file } = tshFile([TCP, IP4, TCP], 7);
    assert.equal(file.length, 3 * 44);
    const r = await readBoth(file, "a.tsh", true);
    assert.equal(r.error, null);
    assert.equal(r.reader.linkType, 101);
    assert.equal(r.reader.snaplen, 40);
    const tcp = [...TCP.data.subarray(0, 36), 0, 0, 0, 0];
    assert.deepEqual(r.packets, [
      // The interface byte (7) is not part of the µs.
      {
        sec: 1_700_000_011,
        usec: 259_375,
        caplen: 40,
        wirelen: 60,
        linkType: 101,
        data: tcp,
      },
      {
        sec: 1_700_000_000,
        usec: 500_000,
        caplen: 28,
        wirelen: 28,
        linkType: 101,
        data: [...IP4.data],
      },
      {
        sec: 1_700_000_011,
        usec: 259_375,
        caplen: 40,
        wirelen: 60,
        linkType: 101,
        data: tcp,
      },
    ]);
  });
  await t.step("a batch stays whole while the next is read", async () => {
    const packets = Array.from(
      { length: 7 },
      (_, i) => ({ ...TCP, time: T0 + i }),
    );
    const reader = await open(tshFile(packets).file, "b.tsh", 1 << 20, true);
    const a = new PacketBatch(3), b = new PacketBatch(3);
    assert.ok(await reader.next(a));
    const first = [...a.packet(2)];
    assert.ok(await reader.next(b));
    assert.deepEqual([...a.packet(2)], first, "batch a after b was filled");
    assert.equal(a.tsUsec[2], 2);
    assert.equal(b.tsUsec[0], 3);
    assert.deepEqual([...b.packet(2)].slice(36), [0, 0, 0, 0]);
  });
  await t.step(
    "a cut last record: the packets before it, then the error",
    async () => {
      const { file } = tshFile([TCP, TCP, TCP]);
      const r = await readBoth(file.slice(0, 2 * 44 + 10), "c.tsh", true);
      assert.equal(r.packets.length, 2);
      assert.equal(
        r.error,
        'Cannot read "c.tsh": truncated tsh record at byte 88 (10 of 44 bytes)',
      );
    },
  );
  await t.step("a file shorter than one record", async () => {
    const r = await read(new Uint8Array(3), "s.tsh", { moatTsh: true });
    assert.equal(r.packets.length, 0);
    assert.equal(
      r.error,
      'Cannot read "s.tsh": truncated tsh record at byte 0 (3 of 44 bytes)',
    );
  });
});

Deno.test("mutated snoop, ERF and tsh files give packets or one CaptureFileError", async () => {
  // xorshift32 with a fixed seed: the same inputs on every run.
  let x = 0x9e3779b9;
  const rnd = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const packets = [ETH_A, ETH_B, ETH_A, ETH_B, ETH_A];
  const seeds = [
    { name: "m.snoop", file: snoopFile(packets), moatTsh: false },
    {
      name: "m.erf",
      file: erfFile([...packets, IP4], { extensions: 1 }),
      moatTsh: false,
    },
    { name: "m.tsh", file: tshFile([TCP, IP4, TCP, IP4]).file, moatTsh: true },
  ];
  let failed = 0;
  for (let i = 0; i < 3000; i++) {
    const seed = seeds[i % 3]!;
    const f = seed.file.slice(
      0,
      rnd(4) === 0 ? rnd(seed.file.length) : undefined,
    );
    for (let k = 1 + rnd(6); k > 0 && f.length > 0; k--) {
      f[rnd(f.length)] = rnd(4) === 0 ? 0xff : rnd(256);
    }
    try {
      const reader = await openCaptureReader(
        trickle(f, 1 + rnd(100)),
        seed.name,
        64 + rnd(512),
        { moatTsh: seed.moatTsh },
      );
      const batch = new PacketBatch(1 + rnd(4));
      while (await reader.next(batch)) {
        for (let j = 0; j < batch.count; j++) {
          assert.ok(batch.start[j]! + batch.caplen[j]! <= batch.data.length);
        }
      }
      if (reader.error !== null) failed++;
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
      failed++;
    }
  }
  assert.ok(failed > 300 && failed < 2700, `${failed} of 3000 failed`);
});
