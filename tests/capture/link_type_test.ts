/**
 * The link-type table against libpcap: every name and DLT_ mapping as
 * pcap_datalink_val_to_name and pcap_open_dead see them.
 * @module
 */

import assert from "node:assert/strict";
import {
  adjustSnaplen,
  dltFromLinkType,
  LINK_TYPES,
  LinkType,
  linkTypeFromDlt,
  linkTypeName,
  maxSnaplenForLinkType,
} from "../../src/capture/mod.ts";
import { dltName } from "../../ffi/mod.ts";

Deno.test("link-type names are libpcap's", async (t) => {
  for (const info of LINK_TYPES.values()) {
    // OpenBSD's DLT_RAW (14) is no DLT on Linux.
    if (info.linkType === 14) continue;
    await t.step(`${info.linkType} ${info.name}`, () => {
      assert.equal(dltName(info.dlt), info.name);
    });
  }
});

Deno.test("LINKTYPE_ and DLT_ values map as libpcap maps them on Linux", () => {
  assert.equal(dltFromLinkType(LinkType.RAW), 12);
  assert.equal(dltFromLinkType(100), 11);
  assert.equal(dltFromLinkType(LinkType.EN10MB), 1);
  assert.equal(dltFromLinkType(LinkType.LINUX_SLL2), 276);
  assert.equal(dltFromLinkType(4242), 4242, "unknown values pass through");
  assert.equal(linkTypeFromDlt(12), LinkType.RAW);
  assert.equal(linkTypeFromDlt(1), 1);
  for (const info of LINK_TYPES.values()) {
    if (info.dlt !== info.linkType) {
      assert.equal(linkTypeFromDlt(info.dlt), info.linkType);
    }
  }
});

Deno.test("linkTypeName names unknown values", () => {
  assert.equal(linkTypeName(1), "EN10MB");
  assert.equal(linkTypeName(147), "LINKTYPE_147");
});

Deno.test("snapshot limits are libpcap's", () => {
  assert.equal(maxSnaplenForLinkType(1), 262144);
  assert.equal(maxSnaplenForLinkType(231), 128 << 20);
  assert.equal(maxSnaplenForLinkType(279), 8 << 20);
  assert.equal(maxSnaplenForLinkType(249), 1 << 20);
  assert.equal(adjustSnaplen(1, 0), 262144);
  assert.equal(adjustSnaplen(1, 0x80000000), 262144);
  assert.equal(adjustSnaplen(1, 1_000_000), 1_000_000);
  assert.equal(adjustSnaplen(1, 96), 96);
});
