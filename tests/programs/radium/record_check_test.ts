/**
 * wellFormed(): every record the real argus wrote in the corpus passes;
 * a flow record of zeros, a DSR running past the record, a short MAR and
 * an unknown record type do not.
 * @module
 */

import assert from "node:assert/strict";
import { wellFormed } from "../../../src/programs/radium/record_check.ts";
import { readRecordFile } from "../../../src/record/record_reader.ts";
import { RecordFormatError } from "../../../src/record/record_format_error.ts";
import { CORPUS } from "../../_util/oracle.ts";

Deno.test("wellFormed() passes every record of the corpus", async () => {
  let n = 0;
  for (const e of Deno.readDirSync(`${CORPUS}expected`)) {
    if (!e.name.endsWith(".argus")) continue;
    const file = `${CORPUS}expected/${e.name}`;
    await readRecordFile(file, (buf, start, length) => {
      assert.ok(wellFormed(buf, start, length), `${file} record ${n}`);
      n++;
    }).catch((err) => {
      // Files the corpus keeps damaged on purpose end early.
      if (!(err instanceof RecordFormatError)) throw err;
    });
  }
  assert.ok(n > 100, `${n} records`);
});

Deno.test("wellFormed() refuses zeros, an overrunning DSR, a short MAR, an unknown type", () => {
  const zeros = new Uint8Array([0x13, 0, 0, 4, ...new Array(12).fill(0)]);
  assert.equal(wellFormed(zeros, 0, 16), false);
  // A time DSR (0x03) claiming 5 words in a 3-word record body.
  const over = new Uint8Array([
    0x13,
    0,
    0,
    4,
    0x03,
    0,
    0,
    5,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  assert.equal(wellFormed(over, 0, 16), false);
  const fits = new Uint8Array([
    0x13,
    0,
    0,
    4,
    0x03,
    0,
    0,
    3,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  assert.equal(wellFormed(fits, 0, 16), true);
  assert.equal(
    wellFormed(
      new Uint8Array([0x83, 0x10, 0, 4, ...new Array(12).fill(0)]),
      0,
      16,
    ),
    false,
  );
  assert.equal(
    wellFormed(new Uint8Array([0x23, 0, 0, 2, 0x03, 0, 0, 1]), 0, 8),
    false,
  );
});
