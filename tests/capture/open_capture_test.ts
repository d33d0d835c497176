/**
 * openCapture / openCaptureReader: the reader chosen by the first bytes,
 * and one clear error for inputs that cannot be opened or are no capture.
 * @module
 */

import assert from "node:assert/strict";
import {
  CaptureFileError,
  openCapture,
  openCaptureReader,
  openInput,
} from "../../src/capture/mod.ts";
import { CORPUS } from "../_util/oracle.ts";
import {
  pcapBytes,
  PcapngBuilder,
  tempCapture,
  trickle,
} from "./_capture_files.ts";

Deno.test("openCaptureReader() picks the reader by the magic", async (t) => {
  for (
    const [name, file, linkType] of [
      ["pcap, little-endian", pcapBytes({ linkType: 113 }, []), 113],
      [
        "pcap, big-endian",
        pcapBytes({ littleEndian: false, linkType: 9 }, []),
        9,
      ],
      ["pcap, nanoseconds", pcapBytes({ magic: 0xa1b23c4d }, []), 1],
      ["pcapng", new PcapngBuilder().shb().idb(276, 0).bytes(), 276],
      [
        "pcapng, big-endian",
        new PcapngBuilder(false).shb().idb(101, 0).bytes(),
        101,
      ],
    ] as const
  ) {
    await t.step(name, async () => {
      // Reads of 1 byte: even the magic arrives in pieces.
      const reader = await openCaptureReader(trickle(file, 1), "x");
      assert.equal(reader.linkType, linkType);
      assert.equal(reader.bigEndian, name.includes("big"));
    });
  }
});

Deno.test("openCapture() errors name the path and the problem", async (t) => {
  await t.step("no such file", async () => {
    await assert.rejects(
      openCapture("/nonexistent/x.pcap"),
      (e) =>
        e instanceof CaptureFileError &&
        e.message === 'Cannot read "/nonexistent/x.pcap": no such file',
    );
  });
  await t.step("a directory", async () => {
    await assert.rejects(
      openCapture(CORPUS),
      (e) => e instanceof CaptureFileError && e.reason === "it is a directory",
    );
  });
  await t.step("not a capture", async () => {
    const path = await tempCapture(new TextEncoder().encode("hello, world\n"));
    try {
      await assert.rejects(
        openCapture(path),
        (e) =>
          e instanceof CaptureFileError &&
          e.message ===
            `Cannot read "${path}": not a pcap or pcapng file (it starts with 0x68656c6c)`,
      );
    } finally {
      await Deno.remove(path);
    }
  });
  await t.step("a bad file is closed again", async () => {
    const fds = [...Deno.readDirSync("/proc/self/fd")].length;
    await assert.rejects(openCapture(CORPUS + "empty-file.pcap"));
    await assert.rejects(openCapture(CORPUS + "corrupt-bad-version.pcap"));
    assert.equal([...Deno.readDirSync("/proc/self/fd")].length, fds);
  });
  await t.step("a good file opens and closes once", async () => {
    const { reader, close } = await openCapture(CORPUS + "arp.pcap");
    assert.equal(reader.snaplen, 65535);
    close();
    close();
  });
  await t.step("standard input is never closed", async () => {
    const input = await openInput("-");
    assert.equal(input.source, Deno.stdin);
    input.close();
  });
});
