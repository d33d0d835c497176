/**
 * PcapHandle over savefiles (and standard input): libpcap's own errors,
 * link type and snapshot, batches, damage after the good packets, filters,
 * closing; and a live capture on the loopback interface when permitted.
 * @module
 */

import assert from "node:assert/strict";
import { PacketBatch } from "../../src/capture/mod.ts";
import { listDevices, PcapError, PcapHandle } from "../../ffi/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

/** Reads everything; returns the packet count. */
function count(h: PcapHandle, batch = new PacketBatch()): number {
  let n = 0;
  for (let k; (k = h.readBatch(batch)) > 0;) n += k;
  return n;
}

Deno.test("PcapHandle.openOffline() reports libpcap's errors", async (t) => {
  await t.step("a missing file", () => {
    assert.throws(
      () => PcapHandle.openOffline("/nonexistent/x.pcap"),
      (e) =>
        e instanceof PcapError && e.source === "/nonexistent/x.pcap" &&
        e.message === "/nonexistent/x.pcap: No such file or directory",
    );
  });
  await t.step("an unknown format", () => {
    assert.throws(
      () => PcapHandle.openOffline(CORPUS + "corrupt-bad-magic.pcap"),
      (e) => e instanceof PcapError && e.message === "unknown file format",
    );
  });
});

Deno.test("PcapHandle reads a savefile in batches", async (t) => {
  await t.step("link type and snapshot as pcap_datalink/pcap_snapshot", () => {
    using raw = PcapHandle.openOffline(CORPUS + "raw-ip.pcap");
    assert.equal(raw.datalink, 12, "LINKTYPE_RAW is DLT_RAW");
    assert.equal(raw.snaplen, 65535);
    using jumbo = PcapHandle.openOffline(CORPUS + "ether-jumbo.pcap");
    assert.equal(jumbo.snaplen, 262144);
  });
  await t.step("batches up to their capacity, then the end", () => {
    using h = PcapHandle.openOffline(CORPUS + "tcp-basic.pcap");
    const batch = new PacketBatch(10);
    const sizes = [];
    for (let k; (k = h.readBatch(batch)) > 0;) sizes.push(k);
    assert.deepEqual(sizes, [10, 10, 10, 10, 10, 6]);
    assert.equal(h.eof, true);
    assert.equal(h.readBatch(batch), 0, "still the end");
    assert.equal(batch.count, 0);
  });
  await t.step("packet fields", () => {
    using h = PcapHandle.openOffline(CORPUS + "nanosecond.pcap");
    const batch = new PacketBatch();
    h.readBatch(batch);
    const file = Deno.readFileSync(CORPUS + "nanosecond.pcap");
    const v = new DataView(file.buffer);
    const le = file[0] === 0x4d;
    // The first record, straight from the file: nanoseconds truncated.
    assert.equal(batch.tsSec[0], v.getUint32(24, le));
    assert.equal(batch.tsUsec[0], Math.floor(v.getUint32(28, le) / 1000));
    assert.equal(batch.caplen[0], v.getUint32(32, le));
    assert.equal(batch.wirelen[0], v.getUint32(36, le));
    assert.deepEqual(
      batch.packet(0),
      file.subarray(40, 40 + batch.caplen[0]!),
    );
    assert.equal(batch.linkType[0], 1);
  });
  await t.step("a batch stays valid while the next is read", () => {
    using h = PcapHandle.openOffline(CORPUS + "tcp-long.pcap");
    const a = new PacketBatch(50), b = new PacketBatch(50);
    h.readBatch(a);
    const copy = a.packet(49).slice();
    h.readBatch(b);
    assert.deepEqual(a.packet(49), copy);
    assert.notEqual(a.data, b.data);
  });
  await t.step("damage: the good packets, then libpcap's error", () => {
    using h = PcapHandle.openOffline(CORPUS + "corrupt-truncated-record.pcap");
    const batch = new PacketBatch();
    assert.equal(h.readBatch(batch), 7);
    assert.throws(
      () => h.readBatch(batch),
      (e) =>
        e instanceof PcapError &&
        e.message ===
          "truncated dump file; tried to read 1514 captured bytes, only got 200",
    );
  });
  await t.step("damage at the first packet throws at once", () => {
    const bytes = Deno.readFileSync(CORPUS + "tcp-basic.pcap").subarray(0, 30);
    const path = Deno.makeTempFileSync();
    try {
      Deno.writeFileSync(path, bytes);
      using h = PcapHandle.openOffline(path);
      assert.throws(() => h.readBatch(new PacketBatch()), PcapError);
    } finally {
      Deno.removeSync(path);
    }
  });
  await t.step("standard input", async () => {
    const script = `
      import { PcapHandle } from "${
      new URL("../../ffi/mod.ts", import.meta.url).href
    }";
      import { PacketBatch } from "${
      new URL("../../src/capture/mod.ts", import.meta.url).href
    }";
      using h = PcapHandle.openOffline("-");
      let n = 0;
      for (let k; (k = h.readBatch(new PacketBatch())) > 0;) n += k;
      console.log(h.datalink, n);
    `;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(Deno.readFileSync(CORPUS + "sll.pcap"));
    await w.close();
    const out = await child.output();
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "113 26");
  });
});

Deno.test("PcapHandle.setFilter() installs libpcap's filter", async (t) => {
  await t.step("a filter keeps fewer packets", () => {
    using all = PcapHandle.openOffline(CORPUS + "udp-dns.pcap");
    using dns = PcapHandle.openOffline(CORPUS + "udp-dns.pcap");
    dns.setFilter("udp port 53");
    const a = count(all), d = count(dns);
    assert.ok(d > 0 && d < a, `${d} of ${a}`);
  });
  await t.step("a syntax error", () => {
    using h = PcapHandle.openOffline(CORPUS + "udp-dns.pcap");
    assert.throws(
      () => h.setFilter("udp port"),
      (e) =>
        e instanceof PcapError && e.source === "filter" &&
        e.message === "can't parse filter expression: syntax error",
    );
  });
});

Deno.test("PcapHandle says what savefiles cannot do", async (t) => {
  using h = PcapHandle.openOffline(CORPUS + "arp.pcap");
  await t.step("stats()", () => {
    assert.throws(
      () => h.stats(),
      (e) =>
        e instanceof PcapError &&
        e.message === "Statistics aren't available from savefiles",
    );
  });
  await t.step("setNonblocking()", () => {
    assert.throws(
      () => h.setNonblocking(true),
      (e) =>
        e instanceof PcapError &&
        e.message === "Savefiles cannot be put into non-blocking mode",
    );
  });
  await t.step("selectableFd is the file's descriptor", () => {
    assert.ok(h.selectableFd > 2);
  });
});

Deno.test("PcapHandle.close() is idempotent and ends use", () => {
  const h = PcapHandle.openOffline(CORPUS + "arp.pcap");
  h.close();
  h.close();
  h[Symbol.dispose]();
  h.breakLoop();
  assert.throws(
    () => h.readBatch(new PacketBatch()),
    (e) => e instanceof PcapError && e.message === "the handle is closed",
  );
});

Deno.test("PcapHandle.openLive() reports a missing device", () => {
  assert.throws(
    () => PcapHandle.openLive("nonexistent0"),
    (e) =>
      e instanceof PcapError && e.source === "nonexistent0" &&
      /^No such device exists/.test(e.message),
  );
});

Deno.test("listDevices() lists the loopback interface", () => {
  const lo = listDevices().find((d) => d.name === "lo");
  assert.ok(lo, "lo is there");
  assert.equal(lo.flags & 1, 1, "PCAP_IF_LOOPBACK");
});

/** Whether this process may capture (root or CAP_NET_RAW). */
function canCapture(): boolean {
  try {
    PcapHandle.openLive("lo", { snaplen: 64 }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "PcapHandle captures live TCP on the loopback interface",
  ignore: !canCapture(),
  async fn() {
    using h = PcapHandle.openLive("lo", {
      snaplen: 128,
      immediate: true,
      timeoutMs: 10,
      promiscuous: false,
    });
    assert.equal(h.datalink, 1);
    assert.equal(h.snaplen, 128);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    h.setFilter(`tcp port ${port}`);
    h.setNonblocking(true);
    const accepted = listener.accept();
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new Uint8Array(300));
    (await accepted).close();
    conn.close();
    listener.close();
    const batch = new PacketBatch();
    let packets = 0, big = 0;
    for (let tries = 0; tries < 200 && packets < 5; tries++) {
      const n = h.readBatch(batch);
      for (let i = 0; i < n; i++) {
        if (batch.wirelen[i]! > 300) big++;
        assert.ok(batch.caplen[i]! <= 128);
      }
      packets += n;
      if (n === 0) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(packets >= 5, `${packets} packets`);
    assert.equal(big, 1, "the data segment, cut at the snapshot length");
    assert.ok(h.stats().received >= packets);
  },
});
