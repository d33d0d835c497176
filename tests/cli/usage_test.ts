/**
 * renderOptions()/renderHelp(): argus(8)'s usage() layout from a table.
 * The full `argus -h` is pinned by a snapshot in
 * tests/programs/argus/options_test.ts.
 * @module
 */

import assert from "node:assert/strict";
import {
  type OptionSpec,
  renderHelp,
  renderOptions,
} from "../../src/cli/mod.ts";

const TABLE: OptionSpec[] = [
  { letter: "A", arg: "none", help: "Generate application byte metrics." },
  { letter: "S", arg: "one", argName: "secs", help: "set the interval." },
  {
    letter: "f",
    arg: "none",
    help: "don't stop at EOF, but wait for more\npackets to arrive.",
  },
  {
    letter: "r",
    arg: "many",
    argName: "file file ...",
    help: "use packet file as data source.",
    helpMore: ["    Supported formats:", "       -r -    stdin   "],
  },
  {
    letter: "x",
    arg: "one",
    argName: "a-very-long-argument-name",
    help: "long.",
  },
];

Deno.test("renderOptions() lays options out in argus's columns", () => {
  assert.equal(
    renderOptions(TABLE),
    [
      "         -A                      Generate application byte metrics.",
      "         -S <secs>               set the interval.",
      "         -f                      don't stop at EOF, but wait for more",
      "                                 packets to arrive.",
      "         -r <file file ...>      use packet file as data source.",
      "             Supported formats:",
      "                -r -    stdin",
      "         -x <a-very-long-argument-name> long.",
    ].join("\n"),
  );
});

Deno.test("renderHelp() puts the header, a blank line and the label", () => {
  const help = renderHelp(
    ["Prog 1.0", "usage: prog [options]"],
    TABLE.slice(0, 2),
  );
  assert.equal(
    help,
    [
      "Prog 1.0",
      "usage: prog [options]",
      "",
      "options: -A                      Generate application byte metrics.",
      "         -S <secs>               set the interval.",
    ].join("\n"),
  );
});
