/**
 * Filter compilation through libpcap: instruction words, bpf_image text,
 * libpcap's error messages, the savefile handle's differences from a dead
 * one, and pcap_offline_filter as a reference interpreter.
 * @module
 */

import assert from "node:assert/strict";
import {
  compileFilter,
  compileSavefileFilter,
  LibpcapFilter,
  PcapError,
} from "../../ffi/mod.ts";

Deno.test("compileFilter() copies out the instructions and their text", () => {
  const p = compileFilter("tcp", 1, 65535);
  assert.equal(p.words.length, 4 * p.length);
  assert.equal(p.text.length, p.length);
  // ldh [12]: BPF_LD|BPF_H|BPF_ABS, k = 12.
  assert.deepEqual([...p.words.subarray(0, 4)], [0x28, 0, 0, 12]);
  assert.equal(p.text[0], "(000) ldh      [12]");
  assert.equal(
    p.text.at(-2),
    `(${String(p.length - 2).padStart(3, "0")}) ret      #65535`,
  );
  assert.deepEqual([...p.words.subarray(-4)], [0x06, 0, 0, 0]);
});

Deno.test("compileFilter() passes the snapshot length and optimizer flag", () => {
  assert.match(compileFilter("ip", 1, 96).text.join("\n"), /ret\s+#96/);
  const optimized = compileFilter("tcp or udp", 1, 65535, true);
  const plain = compileFilter("tcp or udp", 1, 65535, false);
  assert.ok(plain.length > optimized.length);
});

Deno.test("compileFilter() uses netmask 0 as argus does for files", () => {
  const p = compileFilter("ip broadcast", 1);
  assert.match(p.text.join("\n"), /jeq\s+#0x0 /);
  assert.throws(
    () => compileFilter("ip broadcast", 1, 65535, true, 0xffffffff),
    (e) => e instanceof PcapError && /netmask not known/.test(e.message),
  );
});

Deno.test("compileFilter() reports libpcap's errors", async (t) => {
  for (
    const [expression, dlt, message] of [
      ["tcp and", 1, "can't parse filter expression: syntax error"],
      ["port 99999", 1, "illegal port number 99999 > 65535"],
      ["ip and not ip", 1, "expression rejects all packets"],
      ["tcp", 101, "unknown data link type 101 (min 104, max 289)"],
    ] as const
  ) {
    await t.step(expression, () => {
      assert.throws(
        () => compileFilter(expression, dlt),
        (e) =>
          e instanceof PcapError && e.source === "filter" &&
          e.message === message,
      );
    });
  }
});

Deno.test("compileSavefileFilter() compiles as on a savefile handle", async (t) => {
  await t.step("DLT_NULL ip6 tests the three BSD values", () => {
    const dead = compileFilter("ip6", 0).text.join("\n");
    const file = compileSavefileFilter("ip6", 0, {
      snaplen: 65535,
      bigEndian: false,
    }).text.join("\n");
    assert.match(dead, /#0xa000000/);
    for (const af of ["0x18000000", "0x1c000000", "0x1e000000"]) {
      assert.match(file, new RegExp(`#${af}`));
    }
  });
  await t.step("takes LINKTYPE_ values", () => {
    const p = compileSavefileFilter("tcp", 101, {
      snaplen: 1500,
      bigEndian: false,
    });
    assert.equal(p.text[0], "(000) ldb      [0]");
    assert.match(p.text.at(-2)!, /ret\s+#1500/);
  });
  await t.step("savefile-only errors (the real argus says the same)", () => {
    // A dead handle compiles it to a Linux ancillary-data load instead.
    assert.match(compileFilter("inbound", 1).text[0]!, /\[type\]/);
    assert.throws(
      () =>
        compileSavefileFilter("inbound", 1, {
          snaplen: 65535,
          bigEndian: false,
        }),
      (e) =>
        e instanceof PcapError &&
        e.message ===
          "inbound/outbound not supported on Ethernet when reading savefiles",
    );
  });
  await t.step("leaves no temporary file behind", () => {
    const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
    const before = [...Deno.readDirSync(tmp)].filter((e) =>
      e.name.startsWith("argus-filter-")
    ).length;
    compileSavefileFilter("tcp", 1, { snaplen: 65535, bigEndian: true });
    assert.throws(() =>
      compileSavefileFilter("tcp and", 1, { snaplen: 65535, bigEndian: true })
    );
    const after = [...Deno.readDirSync(tmp)].filter((e) =>
      e.name.startsWith("argus-filter-")
    ).length;
    assert.equal(after, before);
  });
});

Deno.test("LibpcapFilter runs pcap_offline_filter", () => {
  const p = compileFilter("ip and len > 30", 1, 65535);
  const f = new LibpcapFilter(p.words);
  const frame = new Uint8Array(64);
  frame[12] = 0x08; // IPv4
  assert.equal(f.run(frame, 0, 64, 64), 65535);
  assert.equal(f.run(frame, 0, 64, 20), 0, "too short on the wire");
  assert.equal(f.run(frame, 0, 0, 64), 0, "nothing captured");
  frame[12] = 0x86;
  assert.equal(f.run(frame, 0, 64, 64), 0);
});
