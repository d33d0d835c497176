/**
 * appliance/argus.conf parses with argus-ts's own reader into the
 * intended options, and every variable in it, the commented-out ones
 * included, is one argus-ts implements.
 * @module
 */

import assert from "node:assert/strict";
import { parseArgusOptions } from "../../src/programs/argus/options.ts";
import { SrcIdType } from "../../src/programs/argus/source_id.ts";

const CONF = new URL("../../appliance/argus.conf", import.meta.url).pathname;
const ENV = {
  hostname: () => "sensor",
  resolveHost: (n: string) => n === "sensor" ? 0x0a000001 : undefined,
};

Deno.test("appliance/argus.conf: argus -F gives the documented options", () => {
  const o = parseArgusOptions(["-F", CONF], ENV);
  assert.deepEqual(o.unimplemented, []);
  assert.equal(o.daemon, false);
  assert.deepEqual(o.srcid, { type: SrcIdType.ipv4, value: 0x0a000001 });
  assert.deepEqual(o.interfaces, ["eth0"]);
  assert.equal(o.promiscuous, true);
  assert.deepEqual(o.outputs, [{ target: "/var/log/argus/argus.out" }]);
  assert.equal(o.accessPort, 0);
  assert.equal(o.statusIntervalUs, 5_000_000);
  assert.equal(o.marIntervalUs, 60_000_000);
  assert.equal(o.userData, 0);
  assert.equal(o.optimizeFilter, true);
  assert.equal(o.hasFilter, false);
  assert.equal(o.pidFile, false);
  assert.equal(o.debugLevel, 0);
});

Deno.test("appliance/argus.conf: the commented-out variables work once uncommented", () => {
  const text = Deno.readTextFileSync(CONF).replace(/^#(ARGUS_)/gm, "$1");
  const o = parseArgusOptions(["-F", "argus.conf"], {
    ...ENV,
    readFile: () => text,
  });
  assert.deepEqual(o.unimplemented, []);
  assert.equal(o.accessPort, 561);
  assert.deepEqual(o.bindAddresses, ["127.0.0.1"]);
  assert.equal(o.filter, "ip");
  assert.equal(o.pidFile, true);
  assert.equal(o.pidPath, "/var/run");
  assert.equal(o.user, "argus");
  assert.equal(o.group, "argus");
  assert.equal(o.chroot, "/var/lib/argus");
  assert.equal(o.confOnly.pcapBufferSize, 4_000_000);
});
