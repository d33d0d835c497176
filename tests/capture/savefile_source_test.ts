/**
 * savefileSource: several -r inputs in order, standard input, what happens
 * to a damaged, refused or missing file (as the real argus does with it),
 * errors kept on the side while the stream ends normally, and files closed
 * on end of input, damage, stop and cancel.
 * @module
 */

import assert from "node:assert/strict";
import {
  LinkType,
  type PacketBatch,
  type SavefileSource,
  savefileSource,
} from "../../src/capture/mod.ts";
import { CORPUS } from "../_util/oracle.ts";

/** Drains the stream; returns packets per batch and every timestamp. */
async function drain(source: SavefileSource) {
  let packets = 0;
  const times: number[] = [];
  for await (const batch of source.stream) {
    packets += batch.count;
    for (let i = 0; i < batch.count; i++) {
      times.push(batch.tsSec[i]! * 1e6 + batch.tsUsec[i]!);
    }
  }
  return { packets, times };
}

const c = (name: string) => CORPUS + name;

Deno.test("savefileSource reads the -r files in order", async (t) => {
  await t.step("three files of both formats", async () => {
    const source = savefileSource([
      c("tcp-basic.pcap"),
      c("nanosecond.pcap"),
      c("pcapng-basic.pcapng"),
    ]);
    const { packets, times } = await drain(source);
    assert.equal(packets, 56 + 15 + 21);
    // Each file's times rise, and the corpus files are an hour apart.
    assert.ok(times[55]! < times[56]! && times[70]! < times[71]!);
    assert.deepEqual(source.errors, []);
    assert.deepEqual(source.files.map((f) => f.linkType), [1, 1, 1]);
    assert.equal(source.firstLinkType(), LinkType.EN10MB);
    assert.equal(source.firstSnaplen(), 65535);
  });
  await t.step("small batches", async () => {
    const source = savefileSource([c("tcp-long.pcap")], { batchPackets: 7 });
    let batches = 0, packets = 0;
    for await (const b of source.stream) {
      assert.ok(b.count >= 1 && b.count <= 7);
      batches++;
      packets += b.count;
    }
    assert.equal(packets, 710);
    assert.ok(batches >= 710 / 7);
  });
  await t.step("standard input", async () => {
    const script = `
      import { savefileSource } from "${
      new URL("../../src/capture/mod.ts", import.meta.url).href
    }";
      const source = savefileSource(["-", "${c("arp.pcap")}"]);
      let n = 0;
      for await (const b of source.stream) n += b.count;
      console.log(n, source.errors.length, source.files[0].path);
    `;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(await Deno.readFile(c("pcapng-multi.pcapng")));
    await writer.close();
    const out = await child.output();
    assert.equal(
      new TextDecoder().decode(out.stdout).trim(),
      `${13 + 9} 0 -`,
      new TextDecoder().decode(out.stderr),
    );
  });
});

Deno.test("savefileSource handles bad inputs as argus does", async (t) => {
  await t.step("damage: the good packets, then the next file", async () => {
    const source = savefileSource([
      c("corrupt-truncated-record.pcap"),
      c("arp.pcap"),
    ]);
    const { packets } = await drain(source);
    assert.equal(packets, 7 + 9);
    assert.equal(source.errors.length, 1);
    assert.match(
      source.errors[0]!.message,
      /^Cannot read ".*corrupt-truncated-record.pcap": truncated packet record at byte 3548 /,
    );
  });
  await t.step("a file libpcap refuses is skipped", async () => {
    const source = savefileSource([
      c("corrupt-bad-magic.pcap"),
      c("empty-file.pcap"),
      c("arp.pcap"),
    ]);
    const { packets } = await drain(source);
    assert.equal(packets, 9);
    assert.deepEqual(source.errors.map((e) => e.reason), [
      "not a pcap or pcapng file",
      "the file is empty",
    ]);
    assert.equal(source.firstLinkType(), 1);
    assert.equal(source.files.length, 1);
  });
  await t.step("a missing file stops everything", async () => {
    const source = savefileSource([c("arp.pcap"), "/nonexistent/x.pcap"]);
    assert.equal((await drain(source)).packets, 0);
    assert.equal(
      source.errors[0]!.message,
      'Cannot read "/nonexistent/x.pcap": no such file',
    );
  });
  await t.step("a directory stops everything", async () => {
    const source = savefileSource([CORPUS]);
    assert.equal((await drain(source)).packets, 0);
    assert.match(source.errors[0]!.message, /: it is a directory$/);
  });
  await t.step("a refused link type stops everything", async () => {
    const source = savefileSource([c("arp.pcap"), c("sll2.pcap")], {
      checkLinkType: (lt) =>
        lt === 276 ? `unsupported device type ${lt}` : null,
    });
    assert.equal((await drain(source)).packets, 0);
    assert.equal(
      source.errors[0]!.message,
      `Cannot read "${c("sll2.pcap")}": unsupported device type 276`,
    );
  });
  await t.step(
    "errors never error the stream: queued batches arrive",
    async () => {
      const source = savefileSource([c("corrupt-huge-caplen.pcap")], {
        batchPackets: 1,
      });
      let packets = 0;
      await source.stream
        .pipeThrough(
          new TransformStream<PacketBatch, number>({
            async transform(b, out) {
              await new Promise((r) => setTimeout(r, 5));
              out.enqueue(b.count);
            },
          }),
        )
        .pipeTo(new WritableStream({ write: (n) => void (packets += n) }));
      assert.equal(packets, 4);
      assert.equal(source.errors.length, 1);
    },
  );
});

// Open files are checked by the test runner's resource sanitizer (a
// process-wide descriptor count is not reliable under --parallel).
Deno.test("savefileSource closes its files when stopped or cancelled", async (t) => {
  await t.step("stop() after the first batch", async () => {
    const source = savefileSource([c("tcp-long.pcap"), c("arp.pcap")], {
      batchPackets: 10,
    });
    let packets = 0;
    for await (const b of source.stream) {
      packets += b.count;
      source.stop();
    }
    assert.equal(packets, 10);
  });
  await t.step("cancel()", async () => {
    const source = savefileSource([c("tcp-long.pcap"), c("arp.pcap")], {
      batchPackets: 10,
    });
    const reader = source.stream.getReader();
    assert.equal((await reader.read()).value?.count, 10);
    await reader.cancel();
  });
  await t.step("stop() before reading", async () => {
    const source = savefileSource([c("arp.pcap")]);
    source.stop();
    assert.equal((await drain(source)).packets, 0);
  });
});
