/**
 * CaptureFileError's one-line message: file, what is wrong, where, detail.
 * @module
 */

import assert from "node:assert/strict";
import { CaptureFileError } from "../../src/capture/mod.ts";

Deno.test("CaptureFileError names the file, the damage and its offset", () => {
  const e = new CaptureFileError(
    "x.pcap",
    4096,
    "truncated packet record",
    "captured length 60, 50 bytes present",
  );
  assert.equal(
    e.message,
    'Cannot read "x.pcap": truncated packet record at byte 4096 (captured length 60, 50 bytes present)',
  );
  assert.equal(e.name, "CaptureFileError");
  assert.deepEqual([e.file, e.offset, e.reason], [
    "x.pcap",
    4096,
    "truncated packet record",
  ]);
  assert.ok(e instanceof Error);
});

Deno.test("CaptureFileError leaves out what it does not have", () => {
  assert.equal(
    new CaptureFileError("x.pcap", -1, "no such file").message,
    'Cannot read "x.pcap": no such file',
  );
  assert.equal(
    new CaptureFileError("-", 0, "truncated file header").message,
    "Cannot read standard input: truncated file header at byte 0",
  );
});
