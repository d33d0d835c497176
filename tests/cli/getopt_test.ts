/**
 * getopt with argus's rules, one case per step.
 * @module
 */

import assert from "node:assert/strict";
import { getopt, type OptionSpec, UsageError } from "../../src/cli/mod.ts";

const TABLE: OptionSpec[] = [
  { letter: "d", arg: "none", help: "" },
  { letter: "X", arg: "none", help: "" },
  { letter: "S", arg: "one", help: "" },
  { letter: "r", arg: "many", help: "" },
  { letter: "w", arg: "pair", help: "" },
];

const cases: [string, string[], string][] = [
  ["clustered flags", ["-dX"], "d X |"],
  ["attached argument", ["-S5"], "S=5 |"],
  ["separate argument", ["-S", "5"], "S=5 |"],
  [
    "flag cluster ending in an option with an argument",
    ["-dS", "7"],
    "d S=7 |",
  ],
  [
    "several files after one -r",
    ["-r", "a.pcap", "b.pcap", "-w", "out"],
    "r=a.pcap,b.pcap w=out |",
  ],
  ["-r - reads standard input", ["-r", "-", "-w", "-"], "r=- w=- |"],
  [
    "a -w target takes a following filter",
    ["-w", "out", "tcp and port 80"],
    "w=out,tcp and port 80 |",
  ],
  [
    "a word starting with - is not a -w filter",
    ["-w", "-", "-", "tcp"],
    "w=- | - tcp",
  ],
  [
    "operands anywhere are the filter, in order",
    ["ip", "-d", "and", "tcp"],
    "d | ip and tcp",
  ],
  ["-- ends the options", ["-d", "--", "-X"], "d | -X"],
  ["the issue's example", [
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
  ], "r=a.pcap,b.pcapng w=- | - tcp and not port 22"],
];

Deno.test("getopt: argus command lines", async (t) => {
  for (const [name, argv, want] of cases) {
    await t.step(name, () => {
      const s = getopt(argv, TABLE);
      const opts = s.options.map((o) =>
        o.values.length ? `${o.letter}=${o.values.join(",")}` : o.letter
      );
      assert.equal(`${opts.join(" ")} | ${s.operands.join(" ")}`.trim(), want);
    });
  }
});

Deno.test("getopt: unknown options and missing arguments are usage errors", () => {
  assert.throws(
    () => getopt(["-q"], TABLE),
    (e) =>
      e instanceof UsageError && /invalid option -- 'q'/.test(e.message) &&
      e.code === 2,
  );
  assert.throws(
    () => getopt(["-S"], TABLE),
    (e) =>
      e instanceof UsageError && /requires an argument -- 'S'/.test(e.message),
  );
});
