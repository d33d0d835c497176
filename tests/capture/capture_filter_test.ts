/**
 * CaptureFilter: one expression compiled per link type of the inputs
 * (savefile LINKTYPE_ values made DLT_ ones), run by our interpreter; and
 * its -b text equal to what the real argus prints for the same file.
 * @module
 */

import assert from "node:assert/strict";
import {
  CaptureFilter,
  openCapture,
  PacketBatch,
} from "../../src/capture/mod.ts";
import { PcapError, PcapHandle } from "../../ffi/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

/** How many packets of `name` pass, by our filter and by libpcap's. */
async function counts(name: string, expression: string) {
  const { reader, close } = await openCapture(CORPUS + name);
  const filter = new CaptureFilter(expression, reader.linkType, {
    snaplen: reader.snaplen,
    bigEndian: reader.bigEndian,
  });
  const batch = new PacketBatch();
  let ours = 0;
  while (await reader.next(batch)) {
    for (let i = 0; i < batch.count; i++) {
      const s = batch.start[i]!;
      const lt = batch.linkType[i]!;
      if (
        filter.matches(batch.data, s, batch.caplen[i]!, batch.wirelen[i]!, lt)
      ) {
        ours++;
      }
    }
  }
  close();
  using h = PcapHandle.openOffline(CORPUS + name);
  h.setFilter(expression);
  let theirs = 0;
  for (let n; (n = h.readBatch(batch)) > 0;) theirs += n;
  return { ours, theirs };
}

Deno.test("CaptureFilter passes what pcap_setfilter passes", async (t) => {
  for (
    const [name, expression] of [
      ["tcp-basic.pcap", "tcp and port 80"],
      ["raw-ip.pcap", "tcp"], // LINKTYPE_RAW 101 compiles as DLT_RAW 12
      ["raw-ip.pcap", "ip6"],
      ["sll.pcap", "udp port 53"],
      // On a savefile libpcap tests all three BSD AF_INET6 values.
      ["null-loopback.pcap", "ip6"],
      ["vlan.pcap", "vlan 100 and tcp"],
      ["pcapng-multi.pcapng", "tcp[tcpflags] & tcp-syn != 0"],
    ] as const
  ) {
    await t.step(`${name}: ${expression}`, async () => {
      const { ours, theirs } = await counts(name, expression);
      assert.equal(ours, theirs);
      assert.ok(ours > 0, "the filter keeps something");
    });
  }
});

Deno.test("CaptureFilter compiles once per link type it meets", () => {
  const f = new CaptureFilter("ip", 1);
  // 0x0800 at offset 12 on Ethernet; a version-4 nibble on raw IP.
  const ether = new Uint8Array(34);
  ether[12] = 0x08;
  const raw = new Uint8Array(20);
  raw[0] = 0x45;
  assert.equal(f.matches(ether, 0, 34, 34, 1), true);
  assert.equal(f.matches(raw, 0, 20, 20, 101), true);
  assert.equal(f.matches(raw, 0, 20, 20, 1), false);
  assert.equal(f.matches(ether, 0, 34, 34, 101), false);
});

Deno.test("CaptureFilter reports libpcap's errors", async (t) => {
  await t.step("a syntax error, at construction", () => {
    assert.throws(
      () => new CaptureFilter("tcp and", 1),
      (e) =>
        e instanceof PcapError &&
        e.message === "can't parse filter expression: syntax error",
    );
  });
  await t.step("an expression for another link layer, when met", () => {
    const f = new CaptureFilter("ether host 1:2:3:4:5:6", 1);
    assert.throws(
      () => f.matches(new Uint8Array(20), 0, 20, 20, 101),
      (e) =>
        e instanceof PcapError &&
        /^ethernet addresses supported only/.test(e.message),
    );
  });
});

/** The program text the real argus prints for `path` and `expression`. */
async function argusDump(path: string, expression: string, optimize: boolean) {
  const args = ["-X", "-b", "-r", path];
  if (!optimize) args.push("-O");
  const out = await new Deno.Command("argus", {
    args: [...args, "-", expression],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("CaptureFilter's program for a big-endian loopback file is argus's", async () => {
  // DLT_NULL's AF_ value is compared in the file's byte order.
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    const header = new DataView(new ArrayBuffer(24));
    header.setUint32(0, 0xa1b2c3d4);
    header.setUint16(4, 2);
    header.setUint16(6, 4);
    header.setUint32(16, 1500);
    await Deno.writeFile(path, new Uint8Array(header.buffer));
    const f = new CaptureFilter("ip or ip6", 0, {
      snaplen: 1500,
      bigEndian: true,
    });
    const text = f.program(0).text.join("\n") + "\n";
    assert.equal(text, await argusDump(path, "ip or ip6", true));
    const little = new CaptureFilter("ip or ip6", 0, { snaplen: 1500 });
    assert.notEqual(
      little.program(0).text.join("\n") + "\n",
      text,
      "the byte order matters",
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("CaptureFilter's program text is what argus -b prints", async (t) => {
  for (
    const [name, expression, optimize] of [
      ["tcp-basic.pcap", "tcp", true],
      ["tcp-basic.pcap", "tcp and port 80", true],
      ["tcp-basic.pcap", "tcp", false],
      ["snaplen-96.pcap", "udp or icmp", true],
      ["ether-jumbo.pcap", "ip broadcast", true],
      ["raw-ip.pcap", "tcp", true],
      ["sll.pcap", "udp and port 53", true],
      ["pcapng-multi.pcapng", "not arp", true],
      ["null-loopback.pcap", "ip6 or ip", true],
      ["pcapng-bigendian.pcapng", "tcp", true],
    ] as const
  ) {
    await t.step(
      `${name}: ${expression}${optimize ? "" : " (-O)"}`,
      async () => {
        const { reader, close } = await openCapture(CORPUS + name);
        close();
        const f = new CaptureFilter(expression, reader.linkType, {
          snaplen: reader.snaplen,
          bigEndian: reader.bigEndian,
          optimize,
        });
        assert.equal(
          f.program(reader.linkType).text.join("\n") + "\n",
          await argusDump(CORPUS + name, expression, optimize),
        );
      },
    );
  }
});
