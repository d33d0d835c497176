/**
 * parseFilter: accepted expressions and the tree they give (in a compact
 * prefix form), and rejected ones with the token and column the error
 * points at. The grammar points were measured with the real ra (see
 * filter_differential_test.ts for the same cases run against it).
 * @module
 */

import assert from "node:assert/strict";
import {
  type FilterNode,
  FilterSyntaxError,
  parseFilter,
  type ParseFilterOptions,
  ProtocolsTable,
  ServicesTable,
} from "../../src/filter/mod.ts";

const OPTIONS: ParseFilterOptions = {
  services: ServicesTable.fromText(
    [
      "ftp-data 20/tcp",
      "ssh 22/tcp",
      "domain 53/tcp",
      "domain 53/udp",
      "http 80/tcp www",
      "syslog 514/udp",
      "odd 7000/tcp",
      "odd 7001/udp",
    ].join("\n"),
  ),
  protocols: ProtocolsTable.fromText("gre 47 GRE\nipv6-icmp 58 IPv6-ICMP\n"),
  resolveHost: (name) =>
    name === "both.example" ? ["10.0.0.1", "2001:db8::1"] : [],
};

/** A compact prefix form of a tree, for readable expectations. */
function show(n: FilterNode): string {
  switch (n.kind) {
    case "all":
      return "all";
    case "and":
    case "or":
      return `(${n.kind} ${show(n.left)} ${show(n.right)})`;
    case "not":
      return `(not ${show(n.operand)})`;
    case "keyword":
      return n.dir === "either" ? n.word : `${n.dir}:${n.word}`;
    case "host": {
      const hex = (a: readonly number[]) =>
        a.map((w) => w.toString(16)).join(".");
      return `host/${n.scope}/${n.dir}/${n.family}/${hex(n.addr)}/${
        hex(n.mask)
      }`;
    }
    case "port":
      return `port/${n.proto}/${n.dir}/${n.op}/${n.value}`;
    case "proto":
      return `proto/${n.scope}/${n.value}`;
    case "field":
      return `${n.field}/${n.dir}/${n.op}/${n.value}`;
    case "ether":
      return `ether/${n.dir}/${
        n.mac.map((b) => b.toString(16).padStart(2, "0")).join(":")
      }`;
    case "srcid":
      return `srcid/${n.value.toString(16)}`;
  }
}

const GOOD: [string, string, string][] = [
  ["an empty expression passes everything", "", "all"],
  ["blanks only", "   ", "all"],
  ["a protocol word", "tcp", "tcp"],
  [
    "the issue's DNS example",
    "udp and dst port 53",
    "(and udp port/0/dst/eq/53)",
  ],
  [
    "and and or bind equally, left to right",
    "tcp or udp and dst port 53",
    "(and (or tcp udp) port/0/dst/eq/53)",
  ],
  ["not binds tightest", "not tcp and udp", "(and (not tcp) udp)"],
  ["! and a double not", "! not tcp", "(not (not tcp))"],
  ["&& and ||", "tcp && udp || icmp", "(or (and tcp udp) icmp)"],
  ["parentheses", "tcp and (udp or icmp)", "(and tcp (or udp icmp))"],
  [
    "a bare address reuses host",
    "host 10.0.0.1 or 10.0.0.2",
    "(or host/default/either/ipv4/a000001/ffffffff host/default/either/ipv4/a000002/ffffffff)",
  ],
  [
    "a bare number reuses port",
    "port 80 or 443",
    "(or port/0/either/eq/80 port/0/either/eq/443)",
  ],
  [
    "not before a reused id",
    "port 443 and not 80",
    "(and port/0/either/eq/443 (not port/0/either/eq/80))",
  ],
  [
    "a parenthesised id list reuses the qualifiers",
    "port 443 or (80 or 22)",
    "(or port/0/either/eq/443 (or port/0/either/eq/80 port/0/either/eq/22))",
  ],
  [
    "a reused id does not reuse the operator",
    "pkts gt 9 or 2",
    "(or pkts/either/gt/9 pkts/either/eq/2)",
  ],
  [
    "a new direction starts a new head (dst 443 is a host)",
    "src port 80 or dst 443",
    "(or port/0/src/eq/80 host/default/dst/none/0/0)",
  ],
  ["src or dst", "src or dst port 53", "port/0/either/eq/53"],
  [
    "dst or src",
    "dst or src host 10.0.0.1",
    "host/default/either/ipv4/a000001/ffffffff",
  ],
  ["src and dst", "src and dst port 53", "port/0/both/eq/53"],
  [
    "a direction alone implies host",
    "src 10.0.0.1",
    "host/default/src/ipv4/a000001/ffffffff",
  ],
  ["ip host", "ip host 10.0.0.1", "host/ip/either/ipv4/a000001/ffffffff"],
  ["arp host", "arp host 10.0.0.1", "host/arp/either/ipv4/a000001/ffffffff"],
  [
    "dotted quads are decimal",
    "host 010.001.000.010",
    "host/default/either/ipv4/a01000a/ffffffff",
  ],
  [
    "net with a prefix",
    "net 10.0.0.0/8",
    "host/default/either/ipv4/a000000/ff000000",
  ],
  [
    "net keeps the masked address",
    "src net 10.1.2.3/16",
    "host/default/src/ipv4/a010000/ffff0000",
  ],
  [
    "net with mask",
    "net 10.0.0.0 mask 255.255.0.0",
    "host/default/either/ipv4/a000000/ffff0000",
  ],
  [
    "net /0 is ra's /32",
    "net 10.0.0.0/0",
    "host/default/either/ipv4/a000000/ffffffff",
  ],
  [
    "net /33 wraps to one bit",
    "net 10.0.0.0/33",
    "host/default/either/ipv4/0/80000000",
  ],
  [
    "a bare net number tests no address",
    "net 10",
    "host/default/either/none/0/0",
  ],
  [
    "an IPv6 net",
    "dst net 2001:db8::/32",
    "host/default/dst/ipv6/20010db8.0.0.0/ffffffff.0.0.0",
  ],
  [
    "an IPv6 prefix inside a word",
    "net 2001:db8:ab00::/40",
    "host/default/either/ipv6/20010db8.ab000000.0.0/ffffffff.ff000000.0.0",
  ],
  [
    "an IPv6 host",
    "host 2001:db8::1",
    "host/default/either/ipv6/20010db8.0.0.1/ffffffff.ffffffff.ffffffff.ffffffff",
  ],
  [
    "::1",
    "host ::1",
    "host/default/either/ipv6/0.0.0.1/ffffffff.ffffffff.ffffffff.ffffffff",
  ],
  [
    "a quoted address resolves to its own family only",
    'host "10.1.0.10"',
    "host/ipv4/either/ipv4/a01000a/ffffffff",
  ],
  [
    "a name resolves to each of its addresses",
    "host both.example",
    "(or host/ipv4/either/ipv4/a000001/ffffffff host/ipv6/either/ipv6/20010db8.0.0.1/ffffffff.ffffffff.ffffffff.ffffffff)",
  ],
  ["a tcp-only port name", "port http", "port/6/either/eq/80"],
  ["a port alias", "port www", "port/6/either/eq/80"],
  ["a tcp and udp port name", "port domain", "port/0/either/eq/53"],
  ["tcp port of a tcp/udp name", "tcp port domain", "port/6/either/eq/53"],
  ["a quoted port name", 'port "http"', "port/6/either/eq/80"],
  [
    "hex and octal numbers",
    "port 0x50 or 0120",
    "(or port/0/either/eq/80 port/0/either/eq/80)",
  ],
  ["08 is decimal", "port 08", "port/0/either/eq/8"],
  [
    "a port range is >= low and <= high",
    "port 80-90",
    "(and port/0/either/gte/80 port/0/either/lte/90)",
  ],
  [
    "a range end that is no number is left out",
    "port 22-x",
    "port/0/either/gte/22",
  ],
  ["a port comparison", "src port gt 1024", "port/0/src/gt/1024"],
  ["udp port", "udp dst port 53", "port/17/dst/eq/53"],
  ["proto", "proto 58", "proto/ip/58"],
  ["ip proto by name", "ip proto gre", "proto/ip/47"],
  ["ipv6 proto", "ipv6 proto ipv6-icmp", "proto/ipv6/58"],
  ["ether proto", "ether proto 0x88cc", "proto/ether/35020"],
  ["ether src", "ether src 2:0:0:0:a:3", "ether/src/02:00:00:00:0a:03"],
  [
    "ether host",
    "ether host 02:00:00:00:0a:03",
    "ether/either/02:00:00:00:0a:03",
  ],
  ["ether broadcast", "ether broadcast", "ether/either/ff:ff:ff:ff:ff:ff"],
  ["ip broadcast", "ip broadcast", "ipbroadcast"],
  ["multicast", "multicast", "multicast"],
  ["srcid as an address", "srcid 1.2.3.4", "srcid/1020304"],
  ["srcid as a number", "srcid 0x10", "srcid/10"],
  ["srcid as a string is little endian", 'srcid "ab"', "srcid/6261"],
  ["pkts gt", "pkts gt 3", "pkts/either/gt/3"],
  ["no operator is eq", "src bytes 100", "bytes/src/eq/100"],
  [
    ">= and <=",
    "pkts >= 3 and ttl <= 64",
    "(and pkts/either/gte/3 ttl/either/lte/64)",
  ],
  [
    "the other operators",
    "pkts lt 1 or pkts lte 2 or pkts eq 3",
    "(or (or pkts/either/lt/1 pkts/either/lte/2) pkts/either/eq/3)",
  ],
  [
    "a protocol qualifier on a field is accepted",
    "tcp pkts gt 3",
    "pkts/either/gt/3",
  ],
  ["a float field", "dur gte 1.5", "dur/either/gte/1.5"],
  [
    "an integer is truncated like a C unsigned int",
    "pkts gt 4294967296",
    "pkts/either/gt/0",
  ],
  [
    "an operator after host is ignored later",
    "host gt 1",
    "host/default/either/none/0/0",
  ],
  [
    "a parenthesised id list after a head",
    "port (80 or 443)",
    "(or port/0/either/eq/80 port/0/either/eq/443)",
  ],
  [
    "not inside a head",
    "host not 10.0.0.1",
    "(not host/default/either/ipv4/a000001/ffffffff)",
  ],
  ["con is est", "con", "est"],
  ["reset is rst", "reset or rst", "(or rst rst)"],
  ["ooo is outoforder", "ooo", "outoforder"],
  ["a directional flag", "src syn and dst rst", "(and src:syn dst:rst)"],
  ["src and dst flags", "src and dst retrans", "both:retrans"],
  ["record kinds", "man or far", "(or man far)"],
];

const BAD: [string, string, string, number, string][] = [
  ["a dangling and", "tcp and", "", 8, "unexpected end of expression"],
  ["a leading and", "and tcp", "and", 1, 'unexpected "and"'],
  ["juxtaposition", "tcp tcp", "tcp", 5, 'unexpected "tcp"'],
  ["or or", "tcp or or udp", "or", 8, 'unexpected "or"'],
  ["empty parentheses", "()", ")", 2, 'unexpected ")"'],
  ["an open parenthesis", "(tcp", "", 5, "unexpected end of expression"],
  ["a stray parenthesis", "tcp)", ")", 4, 'unexpected ")"'],
  ["keywords are lower case", "TCP", "TCP", 1, 'unexpected "TCP"'],
  ["no ip6 word", "ip6", "ip6", 1, 'unexpected "ip6"'],
  ["> is not an operator", "pkts > 3", ">", 6, 'unexpected ">"'],
  ["= is not an operator", "pkts = 3", "=", 6, 'unexpected "="'],
  ["ge is not an operator", "pkts ge 3", "ge", 6, 'unexpected "ge"'],
  [
    "integer fields take no fractions",
    "pkts gt 1.5",
    "1.5",
    9,
    'unexpected "1.5"',
  ],
  ["a field needs a value", "pkts gt", "", 8, "unexpected end of expression"],
  [
    "an operator wants a plain value",
    "pkts gt (3 or 5)",
    "(",
    9,
    'unexpected "("',
  ],
  ["no sttl word", "sttl 3", "sttl", 1, 'unexpected "sttl"'],
  ["a bare id after a protocol word", "tcp and 80", "80", 9, 'unexpected "80"'],
  [
    "a paren passes on the qualifiers before it",
    "(dst port 53) or 123",
    "123",
    18,
    'unexpected "123"',
  ],
  ["so does not (...)", "not (port 443) and 80", "80", 20, 'unexpected "80"'],
  [
    "an id list holds ids only",
    "port 443 or (80 or tcp)",
    "tcp",
    20,
    'unexpected "tcp"',
  ],
  [
    "ether alone",
    "ether",
    "ether",
    1,
    '"ether" needs "host", "src", "dst" or "proto"',
  ],
  ["an unknown host", "host foo", "foo", 6, 'unknown host "foo"'],
  ["an unknown port", "port foo", "foo", 6, 'unknown port "foo"'],
  [
    "ra cannot say ftp-data",
    "port ftp-data",
    "ftp-data",
    6,
    'unknown port "ftp-data"',
  ],
  [
    "a port name in two protocols at two numbers",
    "port odd",
    "odd",
    6,
    'unknown port "odd"',
  ],
  ["a tcp name after udp", "udp port http", "http", 10, 'port "http" is tcp'],
  [
    "a udp name after tcp",
    "tcp port syslog",
    "syslog",
    10,
    'port "syslog" is udp',
  ],
  ["a range needs its high end", "port 22-", "22-", 6, 'unexpected "22-"'],
  ["ports are whole numbers", "port 1.5", "1.5", 6, 'unexpected "1.5"'],
  [
    "a mask on a host",
    "host 10.0.0.1/8",
    "/",
    14,
    "mask syntax for networks only",
  ],
  ["a short dotted net", "net 10.1", "10.1", 5, 'unexpected "10.1"'],
  [
    "tcp host",
    "tcp host 10.0.0.1",
    "10.0.0.1",
    10,
    '"tcp" modifier applied to host',
  ],
  [
    "an IPv6 net under ip",
    "ip net 2001:db8::/32",
    "2001:db8::",
    8,
    'unexpected "2001:db8::"',
  ],
  [
    "embedded IPv4 in IPv6",
    "host ::ffff:1.2.3.4",
    "::ffff:1.2.3.4",
    6,
    'bad IPv6 address "::ffff:1.2.3.4"',
  ],
  [
    "a MAC without ether",
    "host 2:0:0:0:a:3",
    "2:0:0:0:a:3",
    6,
    'unexpected "2:0:0:0:a:3"',
  ],
  [
    "proto takes no direction",
    "src proto 6",
    "6",
    11,
    'direction applied to "proto"',
  ],
  ["proto takes no keyword", "proto tcp", "tcp", 7, 'unexpected "tcp"'],
  ["tcp proto", "tcp proto 6", "6", 11, '"tcp proto" is not supported'],
  [
    "an unknown protocol",
    "ip proto nope",
    "nope",
    10,
    'unknown protocol "nope"',
  ],
  ["single quotes", "port 'http'", "'", 6, `illegal character "'"`],
  ["an unterminated string", 'host "10.0', '"10.0', 6, "unterminated string"],
  [
    "a repeated direction",
    "src src host 10.0.0.1",
    "src",
    5,
    'unexpected "src"',
  ],
  [
    "synack takes no direction",
    "src synack",
    "synack",
    5,
    'unexpected "synack"',
  ],
  [
    "broadcast needs ether or ip",
    "broadcast",
    "broadcast",
    1,
    "only ether/ip broadcast filters supported",
  ],
  [
    "jitter is not implemented",
    "jitter gt 1",
    "jitter",
    1,
    '"jitter" is not supported',
  ],
  [
    "nor DS code names",
    "dsb ef",
    "ef",
    5,
    'DS code names ("ef") are not supported',
  ],
  [
    "rtp port is not implemented",
    "rtp port 5004",
    "5004",
    10,
    '"rtp port" is not supported',
  ],
];

Deno.test("parseFilter() accepts ra's expressions", async (t) => {
  for (const [name, text, expected] of GOOD) {
    await t.step(`${name}: ${text}`, () => {
      assert.equal(show(parseFilter(text, OPTIONS)), expected);
    });
  }
});

Deno.test("parseFilter() rejects bad expressions, pointing at the token", async (t) => {
  for (const [name, text, token, column, reason] of BAD) {
    await t.step(`${name}: ${text}`, () => {
      let caught: unknown;
      try {
        parseFilter(text, OPTIONS);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof FilterSyntaxError, `no error for ${text}`);
      assert.ok(caught instanceof SyntaxError);
      assert.equal(caught.message, `filter: ${reason} at column ${column}`);
      assert.equal(caught.token, token);
      assert.equal(caught.column, column);
      assert.equal(caught.expression, text);
      assert.ok(!caught.message.includes("\n"));
    });
  }
});
