/**
 * argus's options and argus.conf: defaults, order of -F and -X, output
 * replacement, source ids, validation messages.
 * @module
 */

import assert from "node:assert/strict";
import {
  parseArgusOptions,
  parseSourceId,
} from "../../src/programs/argus/options.ts";
import { parseConf } from "../../src/cli/mod.ts";
import { UsageError } from "../../src/cli/mod.ts";

const NO_SYSTEM = { systemConf: "/nonexistent/argus.conf" };

function conf(text: string) {
  return { ...NO_SYSTEM, read: (path: string) => parseConf(text, path) };
}

Deno.test("argus options: defaults are argus 3.0.8's built-in ones", () => {
  const o = parseArgusOptions(["-r", "x.pcap", "-w", "out"], NO_SYSTEM);
  assert.equal(o.statusInterval, 5);
  assert.equal(o.marInterval, 60);
  assert.deepEqual(o.srcid, { type: 0, value: 0 });
  assert.deepEqual(o.outputs, [{ target: "out" }]);
  assert.equal(o.filter, "");
});

Deno.test("argus options: the filter expression after the options", () => {
  const o = parseArgusOptions([
    "-r",
    "a",
    "b",
    "-w",
    "-",
    "-",
    "tcp",
    "and",
    "not",
    "port",
    "22",
  ], NO_SYSTEM);
  assert.deepEqual(o.readFiles, ["a", "b"]);
  assert.equal(o.filter, "tcp and not port 22");
});

Deno.test("argus options: -w with a record filter, several -w", () => {
  const o = parseArgusOptions([
    "-r",
    "a",
    "-w",
    "x",
    "icmp",
    "-w",
    "y",
    "not icmp",
  ], NO_SYSTEM);
  assert.deepEqual(o.outputs, [{ target: "x", filter: "icmp" }, {
    target: "y",
    filter: "not icmp",
  }]);
});

Deno.test("argus options: -F applies where it appears, command-line -w replaces configured outputs", () => {
  const c = conf(
    'ARGUS_FLOW_STATUS_INTERVAL=60\nARGUS_OUTPUT_FILE=/var/log/argus.out\nARGUS_MONITOR_ID="sens"\n',
  );
  const before = parseArgusOptions(["-S", "10", "-F", "f.conf", "-r", "a"], c);
  assert.equal(before.statusInterval, 60, "the file read after -S wins");
  assert.deepEqual(before.outputs, [{ target: "/var/log/argus.out" }]);
  assert.deepEqual(before.srcid, { type: 0x21, value: 0x73656e73 });
  const after = parseArgusOptions([
    "-F",
    "f.conf",
    "-S",
    "10",
    "-r",
    "a",
    "-w",
    "mine",
  ], c);
  assert.equal(after.statusInterval, 10);
  assert.deepEqual(after.outputs, [{ target: "mine" }]);
});

Deno.test("argus options: -X clears what was configured before it", () => {
  const c = conf("ARGUS_FLOW_STATUS_INTERVAL=60\n");
  const o = parseArgusOptions(["-F", "f.conf", "-X", "-r", "a", "-w", "o"], c);
  assert.equal(o.statusInterval, 5);
});

Deno.test("argus options: /etc/argus.conf is read unless -F or -X is given", () => {
  const dir = Deno.makeTempDirSync();
  const system = `${dir}/argus.conf`;
  Deno.writeTextFileSync(system, "ARGUS_FLOW_STATUS_INTERVAL=30\n");
  try {
    assert.equal(
      parseArgusOptions(["-r", "a"], { systemConf: system }).statusInterval,
      30,
    );
    assert.equal(
      parseArgusOptions(["-X", "-r", "a"], { systemConf: system })
        .statusInterval,
      5,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("argus options: -N forms", () => {
  const a = parseArgusOptions(["-N", "10", "-r", "a"], NO_SYSTEM);
  assert.equal(a.skipPackets, 0);
  assert.equal(a.lastPacket, 10);
  const b = parseArgusOptions(["-N", "5-12", "-r", "a"], NO_SYSTEM);
  assert.equal(b.skipPackets, 5);
  assert.equal(b.lastPacket, 12);
});

Deno.test("argus options: source ids as argus encodes them", () => {
  assert.deepEqual(parseSourceId("1234", false), { type: 0x20, value: 1234 });
  assert.deepEqual(parseSourceId("10.1.2.3", false), {
    type: 0x01,
    value: 0x0a010203,
  });
  assert.deepEqual(parseSourceId('"abcdef"', false), {
    type: 0x21,
    value: 0x61626364,
  });
});

Deno.test("argus options: bad values are one-line usage errors", async (t) => {
  for (
    const [argv, msg] of [
      [["-S", "abc"], /-S "abc": not a number of seconds/],
      [["-N", "x"], /-N "x"/],
      [["-P", "99999"], /-P "99999"/],
      [["-e", "bad host!"], /-e "bad host!"/],
      [["-q"], /invalid option/],
    ] as [string[], RegExp][]
  ) {
    await t.step(argv.join(" "), () => {
      assert.throws(
        () => parseArgusOptions(argv, NO_SYSTEM),
        (e) => e instanceof UsageError && msg.test(e.message),
      );
    });
  }
});
