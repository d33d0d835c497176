/**
 * Every input the fuzzer (deno task fuzz) found to crash or hang a parser,
 * run again through the same target: each must now end in a clear refusal
 * or a normal run. Small inputs are kept here as hex, with the seed and
 * input number that found them.
 * @module
 */

import assert from "node:assert/strict";
import { runClientOn } from "../../fuzz/targets/clients.ts";
import { cleanUpClients } from "../../fuzz/targets/clients.ts";
import { runRemote, stopRemoteServer } from "../../fuzz/targets/remote.ts";
import { CORPUS } from "../_util/oracle.ts";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

Deno.test("fuzz regression: ra --json -M man prints a MAR cut to 16 bytes", async () => {
  // seed 1, input 277: a MAR whose length field says 4 words; the MAR
  // columns read past the record (RangeError in marU32).
  const input = hex(
    "8310000400000000e5712dcb0000000000000000000000006b03cb060000ab22" +
      "6b03cb060000ad8d030000000005003c00000000000000000000000000000000" +
      "000000000000000000000000000000000000000000000000000000",
  );
  try {
    // Variant 3 is `ra --json -M man`.
    const errors = await runClientOn(input, 3);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^ra: Cannot read/);
  } finally {
    cleanUpClients();
  }
});

Deno.test("fuzz regression: ra -Z b prints an ARP key longer than its flow DSR", async () => {
  // seed 1, input 104229: RARP flow DSRs whose key (hardware length 6)
  // runs past the DSR, in one record past the end of the buffer
  // (TypeError in etherText). Such a key now reads as absent.
  const input = await Deno.readFile(
    new URL(
      "../testdata/fuzz/clients-rarp-key-past-dsr.argus",
      import.meta.url,
    ),
  );
  try {
    // Variant 2 is `ra -nn -Z b -u -p 6 -M man`; the stream's framing
    // is sound, so no error line.
    assert.deepEqual(await runClientOn(input, 2), []);
  } finally {
    cleanUpClients();
  }
});

Deno.test("fuzz regression: rasort -m saddr sorts a record whose IPv4 key is cut short", async () => {
  // seed 20261203, input 1485 (the CI subset's own seed): the sort key
  // read the address of a key its flow DSR is too short for.
  const input = await Deno.readFile(
    new URL(
      "../testdata/fuzz/rasort-ipv4-key-past-dsr.argus",
      import.meta.url,
    ),
  );
  try {
    // Variant 10 is `rasort -m stime dur saddr`.
    assert.ok((await runClientOn(input, 10)).length <= 1);
  } finally {
    cleanUpClients();
  }
});

Deno.test("fuzz regression: racluster and ra read DSRs cut short by a damaged length", async (t) => {
  // seed 3 of the clients target: an AGR DSR running past the end of the
  // stream (racluster, variant 7), a metric DSR too short for its
  // counters (ra -e s:GET, variant 6).
  const cases: [string, number][] = [
    ["racluster-agr-past-buffer.argus", 7],
    ["ra-metric-past-dsr.argus", 6],
    // seed 4, input 29377: racluster -m saddr proto (variant 8).
    ["racluster-metric-past-buffer.argus", 8],
    // seed 5, input 28714: ra -A -c , -L 0 - "tcp or udp" (variant 5).
    ["ra-ipattr-past-buffer.argus", 5],
  ];
  try {
    for (const [name, variant] of cases) {
      await t.step(name, async () => {
        const input = await Deno.readFile(
          new URL(`../testdata/fuzz/${name}`, import.meta.url),
        );
        assert.ok((await runClientOn(input, variant)).length <= 1);
      });
    }
  } finally {
    cleanUpClients();
  }
});

Deno.test({
  name: "fuzz regression: ra -S logs a filter reply with a newline on one line",
  // The loopback server of the remote target lives across its inputs.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // seed 1, input 1481 of the remote target: the server's two-byte
    // answer to FILTER: was 01 0a, logged raw (two lines).
    const mar = (await Deno.readFile(`${CORPUS}expected/tcp-basic.pcap.argus`))
      .subarray(0, 128);
    const input = new Uint8Array(132);
    input.set(mar);
    input.set([0x01, 0x0a], 128);
    // 132 bytes: the target sends a filter for lengths divisible by 3.
    try {
      await runRemote(input);
    } finally {
      stopRemoteServer();
    }
  },
});
