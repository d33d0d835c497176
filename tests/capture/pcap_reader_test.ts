/**
 * PcapReader on crafted classic pcap files: every header variant libpcap
 * reads and every way a file can be damaged. Each case also goes through
 * libpcap, which must agree on the packets and on whether there is damage.
 * @module
 */

import assert from "node:assert/strict";
import {
  bytes,
  pcapBytes,
  type RawRecord,
  readWithBoth,
  readWithOurs,
} from "./_capture_files.ts";

const T = 1_700_000_000;

function records(n: number, size = 60): RawRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    sec: T + i,
    frac: 123_456 + i,
    data: bytes(size, i),
  }));
}

/** Reads with both; asserts they agree; returns ours. */
async function agree(file: Uint8Array) {
  const { ours, ref } = await readWithBoth(file);
  assert.equal(ours.opened, ref.dlt >= 0, `open: ${ours.error} / ${ref.error}`);
  assert.deepEqual(ours.packets, ref.packets);
  assert.equal(
    ours.error !== null,
    ref.error !== null,
    `damage: ours ${ours.error}, libpcap ${ref.error}`,
  );
  if (ours.opened) {
    assert.equal(ours.dlt, ref.dlt);
    assert.equal(ours.snaplen, ref.snaplen);
  }
  return ours;
}

Deno.test("PcapReader reads every header variant as libpcap does", async (t) => {
  await t.step("little-endian, microseconds", async () => {
    const ours = await agree(pcapBytes({}, records(3)));
    assert.equal(ours.packets.length, 3);
    assert.deepEqual(ours.packets[1], {
      sec: T + 1,
      usec: 123_457,
      caplen: 60,
      wirelen: 60,
      dlt: 1,
      bytes: ours.packets[1]!.bytes,
    });
  });
  await t.step("big-endian", async () => {
    const ours = await agree(pcapBytes({ littleEndian: false }, records(3)));
    assert.equal(ours.packets[2]!.sec, T + 2);
  });
  await t.step("nanoseconds are truncated to microseconds", async () => {
    const recs = records(2);
    recs[0]!.frac = 999_999_999;
    recs[1]!.frac = 1_999;
    const ours = await agree(pcapBytes({ magic: 0xa1b23c4d }, recs));
    assert.equal(ours.packets[0]!.usec, 999_999);
    assert.equal(ours.packets[1]!.usec, 1);
  });
  await t.step("big-endian nanoseconds", async () => {
    const recs = records(1);
    recs[0]!.frac = 500_000_999;
    const ours = await agree(
      pcapBytes({ magic: 0xa1b23c4d, littleEndian: false }, recs),
    );
    assert.equal(ours.packets[0]!.usec, 500_000);
  });
  await t.step(
    "Kuznetzov magic: 24-byte record headers, snaplen + 14",
    async () => {
      const ours = await agree(
        pcapBytes({ magic: 0xa1b2cd34, recordHeader: 24 }, records(3)),
      );
      assert.equal(ours.packets.length, 3);
      assert.equal(ours.snaplen, 65535 + 14);
    },
  );
  await t.step("version 2.2 stores len before caplen", async () => {
    const recs = records(2);
    // Stored fields (caplen, len) = (wire 100, captured 60).
    for (const r of recs) [r.caplen, r.len] = [100, 60];
    const ours = await agree(pcapBytes({ minor: 2 }, recs));
    assert.equal(ours.packets[0]!.caplen, 60);
    assert.equal(ours.packets[0]!.wirelen, 100);
  });
  await t.step("version 2.3 swaps only when caplen > len", async () => {
    const recs = records(2);
    recs[0]!.caplen = 60, recs[0]!.len = 100; // already in order
    recs[1]!.caplen = 100, recs[1]!.len = 60; // swapped
    const ours = await agree(pcapBytes({ minor: 3 }, recs));
    assert.deepEqual(
      ours.packets.map((p) => [p.caplen, p.wirelen]),
      [[60, 100], [60, 100]],
    );
  });
  await t.step("version 543.0 (DG/UX) swaps the lengths", async () => {
    const recs = records(1);
    [recs[0]!.caplen, recs[0]!.len] = [80, 60];
    const ours = await agree(pcapBytes({ major: 543, minor: 0 }, recs));
    assert.equal(ours.packets[0]!.wirelen, 80);
  });
  await t.step("caplen above snaplen is cut to snaplen", async () => {
    const recs = records(3, 200);
    const ours = await agree(pcapBytes({ snaplen: 100 }, recs));
    assert.deepEqual(ours.packets.map((p) => p.caplen), [100, 100, 100]);
    assert.deepEqual(ours.packets.map((p) => p.sec), [T, T + 1, T + 2]);
  });
  await t.step("caplen above len is accepted", async () => {
    const recs = records(2);
    recs[0]!.len = 40;
    const ours = await agree(pcapBytes({}, recs));
    assert.equal(ours.packets[0]!.caplen, 60);
    assert.equal(ours.packets[0]!.wirelen, 40);
  });
  await t.step("snaplen 0 and above INT_MAX mean 262144", async () => {
    assert.equal(
      (await agree(pcapBytes({ snaplen: 0 }, records(1)))).snaplen,
      262144,
    );
    assert.equal(
      (await agree(pcapBytes({ snaplen: 0x80000000 }, records(1)))).snaplen,
      262144,
    );
  });
  await t.step("a caplen of exactly 262144 is fine", async () => {
    const ours = await agree(pcapBytes({ snaplen: 0 }, records(1, 262144)));
    assert.equal(ours.packets[0]!.caplen, 262144);
  });
  await t.step("D-Bus allows packets above 256 KiB", async () => {
    const ours = await agree(
      pcapBytes({ linkType: 231, snaplen: 0 }, records(2, 300_000)),
    );
    assert.equal(ours.packets.length, 2);
  });
  await t.step("FCS bits above the link type are masked off", async () => {
    const ours = await agree(pcapBytes({ linkType: 0x14000001 }, records(1)));
    assert.equal(ours.dlt, 1);
  });
  await t.step("LINKTYPE_RAW is DLT_RAW to libpcap", async () => {
    const ours = await agree(pcapBytes({ linkType: 101 }, records(1)));
    assert.equal(ours.dlt, 12);
  });
  await t.step("zero-length packets", async () => {
    const recs = records(3);
    recs[1]!.data = new Uint8Array(0);
    const ours = await agree(pcapBytes({}, recs));
    assert.equal(ours.packets[1]!.caplen, 0);
    assert.equal(ours.packets[2]!.sec, T + 2);
  });
  await t.step("a header and no packets", async () => {
    const ours = await agree(pcapBytes({}, []));
    assert.deepEqual(ours.packets, []);
    assert.equal(ours.error, null);
  });
});

Deno.test("PcapReader reports damage after the good packets", async (t) => {
  const good = pcapBytes({}, records(5));
  // Offsets: file header 24, each record 16 + 60.
  const rec = (i: number) => 24 + i * 76;

  await t.step("empty file", async () => {
    const ours = await agree(new Uint8Array(0));
    assert.equal(ours.error, 'Cannot read "x.pcap": the file is empty');
  });
  await t.step("file header cut after the magic", async () => {
    const ours = await agree(good.subarray(0, 3));
    assert.equal(
      ours.error,
      'Cannot read "x.pcap": truncated file header at byte 0 (3 bytes)',
    );
  });
  await t.step("file header cut at 20 bytes", async () => {
    const ours = await agree(good.subarray(0, 20));
    assert.equal(
      ours.error,
      'Cannot read "x.pcap": truncated file header at byte 0 (20 of 24 bytes)',
    );
  });
  await t.step("unknown magic", async () => {
    const bad = good.slice();
    bad.set([0xde, 0xad, 0xbe, 0xef]);
    const ours = await agree(bad);
    assert.equal(
      ours.error,
      'Cannot read "x.pcap": not a pcap or pcapng file (it starts with 0xdeadbeef)',
    );
  });
  for (
    const [major, minor] of [[1, 0], [2, 5], [3, 0], [543, 1]] as const
  ) {
    await t.step(`version ${major}.${minor}`, async () => {
      const ours = await agree(pcapBytes({ major, minor }, records(1)));
      assert.equal(
        ours.error,
        `Cannot read "x.pcap": unsupported pcap version ${major}.${minor} at byte 4`,
      );
    });
  }
  await t.step("record header cut", async () => {
    const ours = await agree(good.subarray(0, rec(3) + 7));
    assert.equal(ours.packets.length, 3);
    assert.equal(
      ours.error,
      `Cannot read "x.pcap": truncated packet record header at byte ${
        rec(3)
      } (7 of 16 bytes)`,
    );
  });
  await t.step("packet data cut", async () => {
    const ours = await agree(good.subarray(0, rec(4) + 16 + 50));
    assert.equal(ours.packets.length, 4);
    assert.equal(
      ours.error,
      `Cannot read "x.pcap": truncated packet record at byte ${
        rec(4)
      } (captured length 60, 50 bytes present)`,
    );
  });
  await t.step("one stray byte after the last record", async () => {
    const extra = new Uint8Array(good.length + 1);
    extra.set(good);
    const ours = await agree(extra);
    assert.equal(ours.packets.length, 5);
    assert.match(ours.error!, /truncated packet record header at byte 404 /);
  });
  await t.step("caplen above the link type's maximum", async () => {
    const recs = records(4);
    recs[2]!.caplen = 262145;
    const file = pcapBytes({ snaplen: 0 }, recs);
    const ours = await agree(file);
    assert.equal(ours.packets.length, 2);
    assert.equal(
      ours.error,
      `Cannot read "x.pcap": packet record too large at byte ${
        rec(2)
      } (captured length 262145, the maximum is 262144)`,
    );
  });
  await t.step("damage after several full batches", async () => {
    // readWithOurs reads in batches of 64: 200 packets span four.
    const file = pcapBytes({}, records(200, 20));
    const ours = await agree(file.subarray(0, file.length - 5));
    assert.equal(ours.packets.length, 199);
    assert.match(ours.error!, /truncated packet record at byte \d+/);
  });
  await t.step("damage found in the middle of buffered records", async () => {
    const recs = records(10, 20);
    recs[6]!.caplen = 0xffffffff;
    const ours = await readWithOurs(pcapBytes({}, recs));
    assert.equal(ours.packets.length, 6);
    assert.match(ours.error!, /packet record too large at byte 240 /);
  });
});
