/**
 * getopt() with glibc's rules and argus's "many"/"pair" kinds, one case
 * per step; the argus cases were checked with the installed argus 3.0.8.2
 * (see tests/programs/argus/options_test.ts for the oracle runs).
 * @module
 */

import assert from "node:assert/strict";
import {
  getopt,
  type GetoptConfig,
  type OptionSpec,
  UsageError,
} from "../../src/cli/mod.ts";

const TABLE: OptionSpec[] = [
  { letter: "d", arg: "none", help: "" },
  { letter: "X", arg: "none", help: "" },
  { letter: "S", arg: "one", help: "" },
  { letter: "r", arg: "many", help: "" },
  { letter: "w", arg: "pair", help: "" },
];

/** Scans and writes the result as "opt opt=v1,v2 | operands". */
function show(argv: string[], config: GetoptConfig = {}): string {
  const s = getopt(argv, TABLE, config);
  const opts = s.options.map((o) =>
    o.values.length ? `${o.letter}=${o.values.join(",")}` : o.letter
  );
  return `${opts.join(" ")} | ${s.operands.join(" ")}`.trim();
}

const CASES: [name: string, argv: string[], want: string][] = [
  ["clustered flags", ["-dX"], "d X |"],
  ["attached argument", ["-S5"], "S=5 |"],
  ["separate argument", ["-S", "5"], "S=5 |"],
  [
    "flag cluster ending in an option with an argument",
    ["-dS", "7"],
    "d S=7 |",
  ],
  ["argument attached inside a cluster", ["-dS7X"], "d S=7X |"],
  ["a separate argument may start with -", ["-S", "-X"], "S=-X |"],
  ["an empty separate argument", ["-S", ""], "S= |"],
  [
    "several files after one -r",
    ["-r", "a.pcap", "b.pcap", "-w", "out"],
    "r=a.pcap,b.pcap w=out |",
  ],
  [
    "-r with an attached first file",
    ["-ra.pcap", "b.pcap"],
    "r=a.pcap,b.pcap |",
  ],
  ["-r - reads standard input", ["-r", "-", "-w", "-"], "r=- w=- |"],
  ["-r stops at a lone -", ["-r", "a", "-", "ip"], "r=a | - ip"],
  ["-r takes every word up to the next option", ["-r", "a", "ip"], "r=a,ip |"],
  ["-r takes an empty word", ["-r", "a", "", "b"], "r=a,,b |"],
  [
    "a -w target takes a following filter",
    ["-w", "out", "tcp and port 80"],
    "w=out,tcp and port 80 |",
  ],
  ["-w - takes a following filter", ["-w", "-", "icmp"], "w=-,icmp |"],
  [
    "-w takes only one filter word",
    ["-w", "out", "icmp", "tcp"],
    "w=out,icmp | tcp",
  ],
  ["-w takes an empty filter word", ["-w", "out", ""], "w=out, |"],
  [
    "a word starting with - is not a -w filter",
    ["-w", "-", "-", "tcp"],
    "w=- | - tcp",
  ],
  ["-w at the end has no filter", ["-d", "-w", "out"], "d w=out |"],
  [
    "a -w target starting with - takes no filter",
    ["-w", "-x", "ip"],
    "w=-x | ip",
  ],
  [
    "the man page's two outputs with their filters",
    [
      "-w",
      "argus-udp://h:561",
      "icmp",
      "-w",
      "argus-udp://h:562",
      "not icmp",
      "-",
      "ip",
    ],
    "w=argus-udp://h:561,icmp w=argus-udp://h:562,not icmp | - ip",
  ],
  [
    "operands anywhere (GNU permutation)",
    ["ip", "-d", "and", "tcp"],
    "d | ip and tcp",
  ],
  ["a lone - does not end options", ["-", "udp", "-S", "3"], "S=3 | - udp"],
  ["-- ends the options", ["-d", "--", "-X", "-S"], "d | -X -S"],
  ["-- after operands", ["ip", "--", "-d"], "| ip -d"],
  ["-- as an argument is not the end", ["-S", "--", "-d"], "S=-- d |"],
  [
    "the README example",
    [
      "-r",
      "a.pcap",
      "b.pcapng",
      "-w",
      "-",
      "-",
      "tcp",
      "and",
      "not",
      "port",
      "22",
    ],
    "r=a.pcap,b.pcapng w=- | - tcp and not port 22",
  ],
];

Deno.test("getopt() scans argus command lines", async (t) => {
  for (const [name, argv, want] of CASES) {
    await t.step(name, () => assert.equal(show(argv), want));
  }
});

Deno.test("getopt() with posixlyCorrect stops at the first operand", async (t) => {
  const posix = { posixlyCorrect: true };
  await t.step("a lone - ends the options", () => {
    assert.equal(show(["-d", "-", "udp", "-S", "3"], posix), "d | - udp -S 3");
  });
  await t.step("a word ends the options", () => {
    assert.equal(show(["ip", "-d"], posix), "| ip -d");
  });
  await t.step("option arguments are not operands", () => {
    assert.equal(
      show(["-r", "a", "b", "-S", "1", "x"], posix),
      "r=a,b S=1 | x",
    );
  });
});

Deno.test("getopt() refuses unknown options and missing arguments", async (t) => {
  const bad: [string, string[], RegExp][] = [
    ["unknown letter", ["-q"], /^invalid option -- 'q'$/],
    ["unknown letter in a cluster", ["-dq"], /^invalid option -- 'q'$/],
    ["a long option", ["--help"], /^invalid option -- '-'$/],
    ["missing argument", ["-S"], /^option requires an argument -- 'S'$/],
    [
      "missing argument at a cluster's end",
      ["-dS"],
      /requires an argument -- 'S'/,
    ],
    ["missing -r file", ["-r"], /requires an argument -- 'r'/],
    ["missing -w target", ["-d", "-w"], /requires an argument -- 'w'/],
  ];
  for (const [name, argv, message] of bad) {
    await t.step(name, () => {
      assert.throws(
        () => getopt(argv, TABLE),
        (e) =>
          e instanceof UsageError && message.test(e.message) && e.code === 2,
      );
    });
  }
});

Deno.test("getopt() with stopOnError returns what came before the error", () => {
  const s = getopt(["-d", "ip", "-q", "-X"], TABLE, { stopOnError: true });
  assert.deepEqual(s.options, [{ letter: "d", values: [] }]);
  assert.deepEqual(s.operands, ["ip"]);
  assert.ok(s.error instanceof UsageError);
  assert.match(s.error.message, /invalid option -- 'q'/);
});
