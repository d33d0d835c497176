/**
 * PcapngReader on crafted pcapng files: timestamp resolutions and offsets,
 * every packet block kind, skipped blocks, several sections, and every way
 * a block can be damaged. Each case also goes through libpcap, which must
 * agree, except where we deliberately read more (listed with the reason).
 * @module
 */

import assert from "node:assert/strict";
import {
  bytes,
  PcapngBuilder,
  readWithBoth,
  readWithOurs,
} from "./_capture_files.ts";

const T = 1_700_000_000n;

/** SHB + one Ethernet IDB with `options`. */
function section(
  options: [number, Uint8Array][] = [],
  le = true,
  snaplen = 65535,
): PcapngBuilder {
  return new PcapngBuilder(le).shb().idb(1, snaplen, options);
}

async function agree(file: Uint8Array) {
  const { ours, ref } = await readWithBoth(file, ".pcapng");
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

const tsresol = PcapngBuilder.tsresol;

Deno.test("PcapngReader reads timestamps as libpcap does", async (t) => {
  await t.step("default microseconds, both byte orders", async () => {
    for (const le of [true, false]) {
      const f = section([], le)
        .epb(0, T * 1_000_000n + 123_456n, bytes(60))
        .epb(0, T * 1_000_000n + 999_999n, bytes(70, 1))
        .bytes();
      const ours = await agree(f);
      assert.deepEqual(
        ours.packets.map((p) => [p.sec, p.usec, p.caplen]),
        [[1_700_000_000, 123_456, 60], [1_700_000_000, 999_999, 70]],
      );
    }
  });
  await t.step("nanoseconds are truncated", async () => {
    const f = section([[9, tsresol(9)]])
      .epb(0, T * 1_000_000_000n + 999_999_999n, bytes(60))
      .epb(0, T * 1_000_000_000n + 1_999n, bytes(60))
      .bytes();
    const ours = await agree(f);
    assert.deepEqual(ours.packets.map((p) => p.usec), [999_999, 1]);
  });
  await t.step("milliseconds are scaled up", async () => {
    const f = section([[9, tsresol(3)]]).epb(0, T * 1000n + 7n, bytes(60))
      .bytes();
    assert.equal((await agree(f)).packets[0]!.usec, 7000);
  });
  /** The latest whole second that fits 64 bits of `units`, at most T. */
  const second = (units: bigint) => {
    const max = (1n << 64n) / units - 1n;
    return max < T ? max : T;
  };
  for (const r of [0, 1, 5, 7, 10, 12, 15, 19]) {
    await t.step(`10^-${r} second units`, async () => {
      const units = 10n ** BigInt(r);
      const f = section([[9, tsresol(r)]])
        .epb(0, second(units) * units + units / 3n, bytes(60))
        .bytes();
      const ours = await agree(f);
      assert.equal(ours.packets[0]!.sec, Number(second(units)));
    });
  }
  for (const s of [0, 10, 20, 30, 32, 33, 40, 63]) {
    await t.step(`2^-${s} second units`, async () => {
      const units = 1n << BigInt(s);
      const f = section([[9, tsresol(0x80 | s)]])
        .epb(0, second(units) * units + units / 3n, bytes(60))
        .epb(0, second(units) * units + units - 1n, bytes(60))
        .bytes();
      const ours = await agree(f);
      assert.equal(ours.packets[1]!.sec, Number(second(units)));
    });
  }
  await t.step("if_tsoffset adds seconds, and may be negative", async () => {
    for (const offset of [3600n, -3600n]) {
      const b = new PcapngBuilder();
      const f = b.shb().idb(1, 65535, [[14, b.tsoffset(offset)]])
        .epb(0, T * 1_000_000n + 5n, bytes(60))
        .bytes();
      const ours = await agree(f);
      assert.equal(ours.packets[0]!.sec, 1_700_000_000 + Number(offset));
    }
  });
  await t.step("big-endian nanoseconds with an offset", async () => {
    const b = new PcapngBuilder(false);
    const f = b.shb().idb(1, 65535, [[9, tsresol(9)], [14, b.tsoffset(10n)]])
      .epb(0, T * 1_000_000_000n + 1_234_567n, bytes(60))
      .bytes();
    const ours = await agree(f);
    assert.deepEqual([ours.packets[0]!.sec, ours.packets[0]!.usec], [
      1_700_000_010,
      1234,
    ]);
  });
});

Deno.test("PcapngReader reads every packet block and skips the rest", async (t) => {
  await t.step(
    "simple packet blocks are cut at the snapshot length",
    async () => {
      const f = section([], true, 100)
        .spb(bytes(60), 60)
        .spb(bytes(100), 1500)
        .bytes();
      const ours = await agree(f);
      assert.deepEqual(
        ours.packets.map((p) => [p.sec, p.caplen, p.wirelen]),
        [[0, 60, 60], [0, 100, 1500]],
      );
    },
  );
  await t.step("obsolete packet blocks", async () => {
    const f = section().pb(0, T * 1_000_000n, bytes(60), 80).bytes();
    const ours = await agree(f);
    assert.deepEqual([ours.packets[0]!.caplen, ours.packets[0]!.wirelen], [
      60,
      80,
    ]);
  });
  await t.step(
    "name resolution, statistics, custom, unknown blocks",
    async () => {
      const f = section()
        .block(4, bytes(20)) // NRB
        .epb(0, T * 1_000_000n, bytes(60))
        .block(5, bytes(24)) // ISB
        .block(0x00000bad, bytes(13)) // custom
        .block(0x0000000a, bytes(8)) // decryption secrets
        .block(0x12345678, new Uint8Array(0))
        .epb(0, T * 1_000_000n + 1n, bytes(60))
        .bytes();
      assert.equal((await agree(f)).packets.length, 2);
    },
  );
  await t.step("blocks before the first interface are skipped", async () => {
    const f = new PcapngBuilder().shb().block(4, bytes(8)).idb(1, 65535)
      .epb(0, 1n, bytes(60)).bytes();
    assert.equal((await agree(f)).packets.length, 1);
  });
  await t.step("options on packet blocks are ignored", async () => {
    const b = section();
    const opts = b.options([[1, new TextEncoder().encode("a comment")]], true);
    const epb = new PcapngBuilder().epb(0, 1n, bytes(61)).bytes();
    // Re-frame the EPB body with options after the (padded) packet.
    const body = new Uint8Array(epb.length - 12 + opts.length);
    body.set(epb.subarray(8, epb.length - 4));
    body.set(opts, epb.length - 12);
    const f = b.block(6, body).bytes();
    const ours = await agree(f);
    assert.equal(ours.packets[0]!.caplen, 61);
  });
  await t.step("a second section with the same byte order", async () => {
    const f = section().epb(0, 1n, bytes(60))
      .shb().idb(1, 65535).epb(0, 2n, bytes(60))
      .bytes();
    assert.equal((await agree(f)).packets.length, 2);
  });
  await t.step("version 1.2 sections", async () => {
    const f = new PcapngBuilder().shb(true, 1, 2).idb(1, 65535)
      .epb(0, 1n, bytes(60)).bytes();
    assert.equal((await agree(f)).packets.length, 1);
  });
});

Deno.test("PcapngReader reads what libpcap refuses but pcapng allows", async (t) => {
  // libpcap stops at the second IDB or SHB; we read on. Up to there the
  // packets must agree.
  async function moreThanLibpcap(f: Uint8Array) {
    const { ours, ref } = await readWithBoth(f, ".pcapng");
    assert.notEqual(ref.error, null, "libpcap refuses it");
    assert.equal(ours.error, null);
    assert.deepEqual(ours.packets.slice(0, ref.packets.length), ref.packets);
    return ours;
  }
  await t.step("interfaces with different link types", async () => {
    const f = section().epb(0, 1n, bytes(60))
      .idb(101, 65535).epb(1, 2n, bytes(40)).epb(0, 3n, bytes(60))
      .bytes();
    const ours = await moreThanLibpcap(f);
    assert.deepEqual(ours.packets.map((p) => p.dlt), [1, 12, 1]);
  });
  await t.step("interfaces with different snapshot lengths", async () => {
    const f = section().epb(0, 1n, bytes(60))
      .idb(1, 1500).epb(1, 2n, bytes(60)).bytes();
    assert.equal((await moreThanLibpcap(f)).packets.length, 2);
  });
  await t.step("sections in both byte orders", async () => {
    const f = section().epb(0, 1n, bytes(60))
      .shb(false).idb(1, 65535).epb(0, 2n, bytes(60)).bytes();
    const ours = await moreThanLibpcap(f);
    assert.deepEqual(ours.packets.map((p) => p.caplen), [60, 60]);
  });
});

Deno.test("PcapngReader reports damage after the good packets", async (t) => {
  const good = section().epb(0, 1n, bytes(60)).epb(0, 2n, bytes(60));
  const head = good.bytes(); // SHB 28 + IDB 20 + 2 EPBs of 92
  const after = head.length; // offset of the next block

  async function damaged(
    f: Uint8Array,
    packets: number,
    message: RegExp,
    sameAsLibpcap = true,
  ) {
    const ours = sameAsLibpcap ? await agree(f) : await readWithOurs(f);
    assert.equal(ours.packets.length, packets);
    assert.match(ours.error!, message);
  }
  function tail(b: Uint8Array): Uint8Array {
    const out = new Uint8Array(head.length + b.length);
    out.set(head);
    out.set(b, head.length);
    return out;
  }
  function header(type: number, len: number, extra = 0): Uint8Array {
    const b = new Uint8Array(8 + extra);
    new DataView(b.buffer).setUint32(0, type, true);
    new DataView(b.buffer).setUint32(4, len, true);
    return b;
  }

  await t.step("a block header cut short", () =>
    damaged(
      tail(new Uint8Array(5)),
      2,
      new RegExp(`truncated block header at byte ${after} \\(5 of 8 bytes\\)`),
    ));
  await t.step("a block length below 12", () =>
    damaged(
      tail(header(6, 8, 8)),
      2,
      new RegExp(`invalid block length at byte ${after} \\(8\\)`),
    ));
  await t.step(
    "a block length not a multiple of 4",
    () =>
      damaged(
        tail(header(6, 14, 8)),
        2,
        /invalid block length at byte \d+ \(14\)/,
      ),
  );
  await t.step("a block longer than 16 MiB", () =>
    damaged(
      tail(header(6, (16 << 20) + 4)),
      2,
      /block too large at byte \d+ \(length 16777220, the maximum is 16777216\)/,
    ));
  await t.step("a block cut short", () =>
    damaged(
      tail(header(6, 92, 40)),
      2,
      /truncated block at byte \d+ \(length 92, 48 bytes present\)/,
    ));
  await t.step("trailer and header lengths differ", () =>
    damaged(
      tail(
        new PcapngBuilder().block(6, bytes(80), 0).bytes().map((x, i) =>
          i === 4 ? 92 : x
        ),
      ),
      2,
      /block length mismatch at byte \d+ \(header says 92, trailer says 0\)/,
    ));
  await t.step(
    "an enhanced packet block too short for its fields",
    () =>
      damaged(
        tail(new PcapngBuilder().block(6, bytes(16)).bytes()),
        2,
        /enhanced packet block too short at byte \d+ \(length 28\)/,
      ),
  );
  await t.step("a simple packet block without a length", () =>
    damaged(
      tail(new PcapngBuilder().block(3, new Uint8Array(0)).bytes()),
      2,
      /simple packet block too short/,
    ));
  await t.step("a packet larger than the snapshot length", () =>
    damaged(
      section([], true, 50).epb(0, 1n, bytes(40)).epb(0, 2n, bytes(60))
        .bytes(),
      1,
      /packet longer than the snapshot length at byte \d+ \(captured length 60, snapshot length 50\)/,
    ));
  await t.step("packet data past the end of its block", () =>
    damaged(
      section().epb(0, 1n, bytes(40), 200, 200).bytes(),
      0,
      /packet data runs past the end of its block at byte 48 \(captured length 200, block length 72\)/,
    ));
  await t.step("a simple packet block shorter than its packet", () =>
    damaged(
      section().spb(bytes(20), 60).bytes(),
      0,
      /packet data runs past the end of its block/,
    ));
  await t.step("a packet on an undeclared interface", () =>
    damaged(
      section().epb(0, 1n, bytes(60)).epb(3, 2n, bytes(60)).bytes(),
      1,
      /packet on undeclared interface 3 at byte 140 \(1 declared in this section\)/,
    ));
  await t.step("a packet of an interface of an earlier section", () =>
    damaged(
      section().epb(0, 1n, bytes(60)).shb().epb(0, 2n, bytes(60)).bytes(),
      1,
      /packet on undeclared interface 0/,
    ));
  await t.step("a later section of pcapng 2.0", () =>
    damaged(
      section().epb(0, 1n, bytes(60)).shb(true, 2, 0).idb(1, 65535).bytes(),
      1,
      /unsupported pcapng version 2\.0 at byte 152/,
    ));
  await t.step("a later section with a bad byte-order magic", () => {
    const f = tail(new PcapngBuilder().shb().bytes());
    f.set([1, 2, 3, 4], after + 8);
    return damaged(
      f,
      2,
      new RegExp(
        `invalid byte-order magic at byte ${after + 8} \\(0x01020304\\)`,
      ),
    );
  });

  // Interface description blocks, judged as libpcap's process_idb_options.
  const b = new PcapngBuilder();
  for (
    const [name, options, message] of [
      [
        "if_tsresol of 2 bytes",
        [[9, new Uint8Array(2)]],
        /if_tsresol length 2, expected 1/,
      ],
      [
        "two if_tsresol",
        [[9, tsresol(6)], [9, tsresol(6)]],
        /two if_tsresol options/,
      ],
      [
        "if_tsresol 2^-64",
        [[9, tsresol(0x80 | 64)]],
        /if_tsresol 2\^-64 is too fine/,
      ],
      [
        "if_tsresol 10^-20",
        [[9, tsresol(20)]],
        /if_tsresol 10\^-20 is too fine/,
      ],
      [
        "if_tsoffset of 4 bytes",
        [[14, new Uint8Array(4)]],
        /if_tsoffset length 4, expected 8/,
      ],
      [
        "two if_tsoffset",
        [[14, b.tsoffset(1n)], [14, b.tsoffset(1n)]],
        /two if_tsoffset options/,
      ],
    ] as [string, [number, Uint8Array][], RegExp][]
  ) {
    await t.step(`an interface with ${name}`, () =>
      damaged(
        section().epb(0, 1n, bytes(60)).idb(1, 65535, options).bytes(),
        1,
        new RegExp(
          `invalid interface description block at byte 140 \\(${message.source}\\)`,
        ),
      ));
  }
  await t.step("an interface with opt_endofopt of length 4", () => {
    const body = new Uint8Array(16);
    new DataView(body.buffer).setUint16(0, 1, true);
    new DataView(body.buffer).setUint16(10, 4, true); // code 0, length 4
    return damaged(
      new PcapngBuilder().shb().block(1, body).bytes(),
      0,
      /opt_endofopt length 4, expected 0/,
    );
  });
  await t.step("an interface with an option value cut short", () => {
    const body = new Uint8Array(16);
    body[0] = 1;
    new DataView(body.buffer).setUint16(8, 2, true); // if_name
    new DataView(body.buffer).setUint16(10, 40, true); // 40 bytes of 4
    return damaged(
      new PcapngBuilder().shb().block(1, body).bytes(),
      0,
      /option value cut short/,
    );
  });
  await t.step(
    "an unusable interface after an opt_endofopt is fine",
    async () => {
      const body = new Uint8Array(20);
      body[0] = 1;
      // opt_endofopt, then bytes libpcap never looks at.
      body.set([9, 0, 7, 0], 12);
      const f = new PcapngBuilder().shb().block(1, body).epb(0, 1n, bytes(60))
        .bytes();
      assert.equal((await agree(f)).packets.length, 1);
    },
  );
});

Deno.test("PcapngReader refuses files libpcap refuses at open", async (t) => {
  async function refused(f: Uint8Array, message: RegExp) {
    const ours = await agree(f);
    assert.equal(ours.opened, false);
    assert.match(ours.error!, message);
  }
  await t.step("no interface description block", () =>
    refused(
      new PcapngBuilder().shb().block(4, bytes(8)).bytes(),
      /no interface description block at byte 48$/,
    ));
  await t.step("a packet before any interface", () =>
    refused(
      new PcapngBuilder().shb().epb(0, 1n, bytes(60)).bytes(),
      /packet block before any interface description block at byte 28$/,
    ));
  await t.step("a first section shorter than 28 bytes", () =>
    refused(
      new PcapngBuilder().block(0x0a0d0d0a, bytes(12)).bytes().map((x, i) =>
        i === 8 ? 0x4d : i === 9 ? 0x3c : i === 10 ? 0x2b : i === 11 ? 0x1a : x
      ),
      /invalid section header block length at byte 0 \(24, expected 28 to 1048576\)/,
    ));
  await t.step("a first section over 1 MiB", () => {
    const f = new PcapngBuilder().shb().idb(1, 65535).bytes();
    new DataView(f.buffer).setUint32(4, (1 << 20) + 4, true);
    return refused(f, /invalid section header block length/);
  });
  await t.step("a first section cut short", () =>
    refused(
      new PcapngBuilder().shb().bytes().subarray(0, 20),
      /truncated section header block at byte 0 \(20 of 28 bytes\)/,
    ));
  await t.step("a bad byte-order magic", () => {
    const f = new PcapngBuilder().shb().idb(1, 65535).bytes();
    f.set([0, 0, 0, 0], 8);
    return refused(f, /invalid byte-order magic at byte 8 \(0x00000000\)/);
  });
  for (const [major, minor] of [[1, 1], [2, 0], [0, 0]] as const) {
    await t.step(`pcapng version ${major}.${minor}`, () =>
      refused(
        new PcapngBuilder().shb(true, major, minor).idb(1, 65535).bytes(),
        new RegExp(
          `unsupported pcapng version ${major}\\.${minor} at byte 12$`,
        ),
      ));
  }
});
