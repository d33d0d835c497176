/**
 * tokenizeFilter: how runs of name characters are cut and classified,
 * and the columns errors will point at.
 * @module
 */

import assert from "node:assert/strict";
import { FilterSyntaxError, tokenizeFilter } from "../../src/filter/mod.ts";

/** kind:text@column, and =value for numbers. */
function show(text: string): string {
  return tokenizeFilter(text).map((t) =>
    `${t.kind}:${t.text}@${t.column}${
      Number.isNaN(t.value) ? "" : `=${t.value}`
    }`
  ).join(" ");
}

const cases: [string, string, string][] = [
  [
    "words and a number",
    "tcp port 80",
    "word:tcp@1 word:port@5 number:80@10=80 end:@12",
  ],
  [
    "a net with a prefix",
    "10.0.0.0/8",
    "ipv4:10.0.0.0@1 punct:/@9 number:8@10=8 end:@11",
  ],
  [
    "an IPv6 net",
    "2001:db8::/32",
    "ipv6:2001:db8::@1 punct:/@11 number:32@12=32 end:@14",
  ],
  ["::1 is IPv6", "::1", "ipv6:::1@1 end:@4"],
  ["six groups are a MAC", "2:0:0:0:a:3", "mac:2:0:0:0:a:3@1 end:@12"],
  ["a port range stays whole", "80-90", "word:80-90@1 end:@6"],
  ["names with dashes", "ipv6-icmp", "word:ipv6-icmp@1 end:@10"],
  ["hex", "0x50", "number:0x50@1=80 end:@5"],
  ["octal", "010", "number:010@1=8 end:@4"],
  ["08 is decimal", "08", "number:08@1=8 end:@3"],
  ["a float", "1.5", "float:1.5@1=1.5 end:@4"],
  ["five parts are a name", "1.2.3.4.5", "word:1.2.3.4.5@1 end:@10"],
  [
    "operators",
    "!(a)&&b||c>=1<=2",
    "punct:!@1 punct:(@2 word:a@3 punct:)@4 punct:&&@5 word:b@7 punct:||@8 word:c@10 punct:>=@11 number:1@13=1 punct:<=@14 number:2@16=2 end:@17",
  ],
  ["a string", 'srcid "ab c"', "word:srcid@1 string:ab c@7 end:@13"],
  ["blanks", " \ttcp ", "word:tcp@3 end:@7"],
];

Deno.test("tokenizeFilter() cuts tokens like argus's scanner", async (t) => {
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.equal(show(text), expected));
  }
});

Deno.test("tokenizeFilter() rejects an illegal character at its column", () => {
  assert.throws(
    () => tokenizeFilter("port 'http'"),
    (e: unknown) =>
      e instanceof FilterSyntaxError && e.column === 6 && e.token === "'" &&
      e.message === `filter: illegal character "'" at column 6`,
  );
});
