/**
 * ServicesTable and ProtocolsTable: getservbyname/getprotobyname lookups
 * over services(5)/protocols(5) text, and the address literal parsers.
 * @module
 */

import assert from "node:assert/strict";
import {
  parseIPv4,
  parseIPv6,
  parseMac,
  ProtocolsTable,
  ServicesTable,
} from "../../src/filter/mod.ts";

Deno.test("ServicesTable finds the first entry by name or alias", async (t) => {
  const s = ServicesTable.fromText(
    "# comment\nhttp\t80/tcp\twww # web\ndomain 53/tcp\ndomain 53/udp\nbad line\nbig 70000/tcp\n",
  );
  await t.step("by name", () => assert.equal(s.byName("http")?.port, 80));
  await t.step("by alias", () => assert.equal(s.byName("www")?.proto, "tcp"));
  await t.step(
    "first in file order",
    () => assert.equal(s.byName("domain")?.proto, "tcp"),
  );
  await t.step(
    "by protocol",
    () => assert.equal(s.byName("domain", "udp")?.port, 53),
  );
  await t.step(
    "no such entry",
    () => assert.equal(s.byName("http", "udp"), undefined),
  );
  await t.step(
    "malformed lines are skipped",
    () => assert.equal(s.entries.length, 3),
  );
});

Deno.test("ProtocolsTable finds names and aliases", () => {
  const p = ProtocolsTable.fromText(
    "gre\t47\tGRE\t# comment\nipv6-icmp 58 IPv6-ICMP\n",
  );
  assert.equal(p.byName("gre"), 47);
  assert.equal(p.byName("GRE"), 47);
  assert.equal(p.byName("IPv6-ICMP"), 58);
  assert.equal(p.byName("tcp"), undefined);
});

Deno.test("the system tables read /etc (empty if missing)", () => {
  const http = ServicesTable.system().byName("http");
  if (http !== undefined) assert.equal(http.port, 80);
  const gre = ProtocolsTable.system().byName("gre");
  if (gre !== undefined) assert.equal(gre, 47);
});

Deno.test("address literals", async (t) => {
  await t.step("IPv4", () => assert.equal(parseIPv4("10.1.0.10"), 0x0a01000a));
  await t.step(
    "IPv4 parts are decimal",
    () => assert.equal(parseIPv4("010.001.000.010"), 0x0a01000a),
  );
  await t.step(
    "IPv4 out of range",
    () => assert.equal(parseIPv4("10.0.0.256"), null),
  );
  await t.step("IPv4 too short", () => assert.equal(parseIPv4("10.0.0"), null));
  await t.step(
    "IPv6",
    () => assert.deepEqual(parseIPv6("2001:db8::1"), [0x20010db8, 0, 0, 1]),
  );
  await t.step(
    "IPv6 full",
    () =>
      assert.deepEqual(parseIPv6("1:2:3:4:5:6:7:8"), [
        0x10002,
        0x30004,
        0x50006,
        0x70008,
      ]),
  );
  await t.step(
    "IPv6 ::",
    () => assert.deepEqual(parseIPv6("::"), [0, 0, 0, 0]),
  );
  await t.step("IPv6 two ::", () => assert.equal(parseIPv6("1::2::3"), null));
  await t.step(
    "IPv6 too many groups",
    () => assert.equal(parseIPv6("1:2:3:4:5:6:7:8:9"), null),
  );
  await t.step(
    "IPv6 :: must stand for a group",
    () => assert.equal(parseIPv6("1:2:3:4::5:6:7:8"), null),
  );
  await t.step(
    "MAC",
    () => assert.deepEqual(parseMac("2:0:0:0:a:3"), [2, 0, 0, 0, 10, 3]),
  );
  await t.step(
    "MAC needs six parts",
    () => assert.equal(parseMac("2:0:0:0:a"), null),
  );
});
