/**
 * PortDirection.mayTurn: the bytes-only test racluster's reading loop uses
 * to skip decoding records RA_PORT_DIRECTION cannot turn. It must never
 * say no for a record the decoded rule turns (checked on every corpus
 * record and on the real argus's records of the 1M-packet capture, with
 * each rule, and on damaged copies), and it must say no for most.
 * @module
 */

import assert from "node:assert/strict";
import { ClientRecord } from "../../src/client/client_record.ts";
import { PortDirection, PortRule } from "../../src/client/port_direction.ts";

const EXPECTED = new URL("../../../shared/corpus/expected/", import.meta.url)
  .pathname;

function files(): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(EXPECTED)) {
    if (e.name.endsWith(".argus")) out.push(EXPECTED + e.name);
  }
  try {
    Deno.statSync("/tmp/big.argus");
    out.push("/tmp/big.argus");
  } catch {
    // The big capture's records are optional.
  }
  return out.sort();
}

/** Each record's start and length. */
function* records(buf: Uint8Array): Generator<[number, number]> {
  for (let p = 0; p + 4 <= buf.length;) {
    const n = ((buf[p + 2]! << 8) | buf[p + 3]!) * 4;
    if (n === 0 || p + n > buf.length) return;
    yield [p, n];
    p += n;
  }
}

Deno.test("mayTurn says no only for records the rule does not turn", () => {
  const rules = [
    PortRule.SERVICES | PortRule.WELLKNOWN,
    PortRule.SERVICES,
    PortRule.WELLKNOWN,
    PortRule.REGISTERED,
    PortRule.SERVICES | PortRule.WELLKNOWN | PortRule.REGISTERED,
  ];
  const r = new ClientRecord();
  let skipped = 0, turned = 0, total = 0;
  for (const file of files()) {
    const buf = Deno.readFileSync(file);
    for (const rule of rules) {
      const dir = new PortDirection(rule);
      for (const [start, length] of records(buf)) {
        total++;
        const may = dir.mayTurn(buf, start, length);
        r.load(buf, start, length);
        dir.apply(r);
        if (r.reverseFlag) turned++;
        assert(may || !r.reverseFlag, `${file}@${start}: turned, mayTurn no`);
        if (!may) skipped++;
      }
    }
  }
  assert(turned > 0, "no record turned: the test tests nothing");
  assert(skipped > total / 2, `only ${skipped} of ${total} skipped`);
});

Deno.test("mayTurn on damaged records never says no to a turn", () => {
  const dir = new PortDirection(PortRule.SERVICES | PortRule.WELLKNOWN);
  const r = new ClientRecord();
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (const file of files().slice(0, 20)) {
    const orig = Deno.readFileSync(file);
    for (const [start, length] of records(orig)) {
      for (let k = 0; k < 4; k++) {
        // A record of its own at the buffer's end, one byte changed.
        const buf = orig.slice(start, start + length);
        buf[4 + (rand() % Math.max(1, length - 4))] = rand() & 0xff;
        const may = dir.mayTurn(buf, 0, length);
        r.load(buf, 0, length);
        dir.apply(r);
        assert(may || !r.reverseFlag, `${file}@${start}: turned, mayTurn no`);
      }
    }
  }
});
