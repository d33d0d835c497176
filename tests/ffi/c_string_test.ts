/**
 * C strings: NUL-terminated UTF-8 in, the errbuf's text out.
 * @module
 */

import assert from "node:assert/strict";
import {
  ErrorBuffer,
  fromCString,
  PCAP_ERRBUF_SIZE,
  toCString,
} from "../../ffi/c_string.ts";

Deno.test("toCString() ends UTF-8 with one NUL", () => {
  assert.deepEqual([...toCString("ab")], [0x61, 0x62, 0]);
  assert.deepEqual([...toCString("")], [0]);
  assert.deepEqual([...toCString("é")], [0xc3, 0xa9, 0]);
});

Deno.test("fromCString() reads up to the NUL, and NULL as empty", () => {
  const s = toCString("eth0");
  assert.equal(fromCString(Deno.UnsafePointer.of(s)), "eth0");
  assert.equal(fromCString(null), "");
});

Deno.test("ErrorBuffer holds PCAP_ERRBUF_SIZE bytes and reads its text", () => {
  const e = new ErrorBuffer();
  assert.equal(e.bytes.length, PCAP_ERRBUF_SIZE);
  e.bytes.set(new TextEncoder().encode("no such device\0junk"));
  assert.equal(e.text(), "no such device");
  assert.equal(e.clear(), e.bytes);
  assert.equal(e.text(), "");
  e.bytes.fill(0x41);
  assert.equal(e.text().length, PCAP_ERRBUF_SIZE, "no NUL: the whole buffer");
});
