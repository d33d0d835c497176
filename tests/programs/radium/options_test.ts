/**
 * radium's command line and radium.conf(5): sources, files, outputs with
 * their filters, srcid, and the variables of a -f file; bad input is one
 * UsageError.
 * @module
 */

import assert from "node:assert/strict";
import { parseRadiumOptions } from "../../../src/programs/radium/options.ts";
import { UsageError } from "../../../src/cli/mod.ts";

Deno.test("parseRadiumOptions() reads several -S, -r, -w with a filter, -e, -P and the input filter", () => {
  const o = parseRadiumOptions([
    "-X",
    "-S",
    "10.0.0.1",
    "-S",
    "argus://sensor:562",
    "-r",
    "a.argus",
    "b.argus",
    "-w",
    "out.argus",
    "tcp",
    "-e",
    "200",
    "-P",
    "561",
    "-",
    "ip",
  ]);
  assert.deepEqual(
    o.sources.map((s) => [s.hostname, s.port]),
    [["10.0.0.1", 561], ["sensor", 562]],
  );
  assert.deepEqual(o.files, ["a.argus", "b.argus"]);
  assert.deepEqual(o.outputs, [{ target: "out.argus", filter: "tcp" }]);
  assert.equal(o.srcid.value, 200);
  assert.equal(o.port, 561);
  assert.equal(o.filter, "ip");
});

Deno.test("parseRadiumOptions() takes RADIUM_* variables from -f; the command line wins after it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rdo-" });
  try {
    const conf = `${dir}/radium.conf`;
    await Deno.writeTextFile(
      conf,
      [
        "RADIUM_DAEMON=no",
        'RADIUM_MONITOR_ID="hub1"',
        "RADIUM_ARGUS_SERVER=10.1.1.1:561",
        "RADIUM_ARGUS_SERVER=10.1.1.2",
        "RADIUM_ACCESS_PORT=569",
        'RADIUM_OUTPUT_FILE=/var/log/radium.out "not arp"',
        "RADIUM_MAR_STATUS_INTERVAL=30",
      ].join("\n"),
    );
    const o = parseRadiumOptions(["-X", "-f", conf, "-P", "570"]);
    assert.equal(o.sources.length, 2);
    assert.equal(o.port, 570);
    assert.equal(o.marInterval, 30);
    assert.deepEqual(o.outputs, [
      { target: "/var/log/radium.out", filter: "not arp" },
    ]);
    assert.equal(o.srcid.value, 0x68756231); // "hub1"
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseRadiumOptions() refuses a bad port, a udp source and a missing -f file in one line", () => {
  assert.throws(() => parseRadiumOptions(["-X", "-P", "99999"]), UsageError);
  assert.throws(
    () => parseRadiumOptions(["-X", "-S", "jflow://r1:9996"]),
    UsageError,
  );
  assert.throws(() => parseRadiumOptions(["-X", "-S", "h:0"]), UsageError);
  assert.throws(() => parseRadiumOptions(["-X", "-f", "/nonexistent/r.conf"]));
});
