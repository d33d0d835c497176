/**
 * parseConf()/readConf(): argus.conf(5) lines as argus's
 * ArgusParseResourceFile reads them: good files, garbage it skips,
 * quoting and comments, the one error (an unterminated quote), unreadable
 * files.
 * @module
 */

import assert from "node:assert/strict";
import {
  type ConfEntry,
  ConfigError,
  parseConf,
  readConf,
  UsageError,
} from "../../src/cli/mod.ts";

const DATA = new URL("../testdata/cli/", import.meta.url).pathname;

/** name=value|quoted-flag per entry, for compact comparisons. */
function brief(entries: ConfEntry[]): string[] {
  return entries.map((e) =>
    `${e.line}:${e.name}=${e.value}${e.quoted ? " (q)" : ""}`
  );
}

Deno.test("readConf() reads a typical argus.conf in order", () => {
  assert.deepEqual(brief(readConf(`${DATA}argus.conf`)), [
    "3:ARGUS_FLOW_TYPE=Bidirectional (q)",
    "4:ARGUS_FLOW_KEY=CLASSIC_5_TUPLE (q)",
    "6:ARGUS_DAEMON=no",
    "7:ARGUS_MONITOR_ID=sens (q)",
    "10:ARGUS_ACCESS_PORT=0",
    "11:ARGUS_OUTPUT_FILE=/var/log/argus/argus.out",
    "12:ARGUS_OUTPUT_FILE=/var/log/argus/icmp.out icmp",
    "13:ARGUS_FLOW_STATUS_INTERVAL=10",
    "14:ARGUS_MAR_STATUS_INTERVAL=300",
    "15:ARGUS_GENERATE_MAC_DATA=no",
    "16:ARGUS_FILTER_OPTIMIZER=yes",
    "17:ARGUS_FILTER=ip and not port 22 (q)",
  ]);
});

Deno.test("parseConf() skips the lines argus skips", async (t) => {
  const skipped: [string, string][] = [
    ["an empty line", ""],
    ["blanks only", " \t "],
    ["a # comment", "# ARGUS_DAEMON=yes"],
    ["a ! comment", "!ARGUS_DAEMON=yes"],
    ["an indented comment", "   # x"],
    ["a name with a blank before =", "ARGUS_DAEMON =yes"],
    ["a name without =", "ARGUS_DAEMON"],
    ["no name", "=yes"],
    ["a quoted line", '"ARGUS_DAEMON=yes"'],
    ["control characters", "\x01\x02\x7f noise"],
    ["a name with punctuation", "ARGUS-DAEMON=yes"],
  ];
  for (const [name, line] of skipped) {
    await t.step(name, () => assert.deepEqual(parseConf(line, "t.conf"), []));
  }
});

Deno.test("parseConf() reads values as argus does", async (t) => {
  const cases: [string, string, string, boolean][] = [
    ["plain value", "A=yes", "yes", false],
    ["leading blanks before the name", "  \tA=yes", "yes", false],
    ["blanks after = are kept", "A= yes", " yes", false],
    ["trailing blanks are kept", "A=1234 ", "1234 ", false],
    ["a CR before the LF is dropped", "A=5\r", "5", false],
    ["empty value", "A=", "", false],
    ["a second = belongs to the value", "A==b", "=b", false],
    ["' //' starts a comment", "A=5 // five", "5", false],
    ["only the blank before // is cut", "A=5  // five", "5 ", false],
    ["a tab before // starts a comment", "A=5\t// five", "5", false],
    ["' //' wins over an earlier tab //", "A=a\t//b //c", "a\t//b", false],
    ["// without a blank is kept", "A=http://x", "http://x", false],
    ["quoted value", 'A="x y"', "x y", true],
    ["text after the closing quote is ignored", 'A="x" // c', "x", true],
    ["a comment inside quotes is kept", 'A="x // y"', "x // y", true],
    ["empty quotes", 'A=""', "", true],
    ["a quote later in the value is plain text", 'A=x "y"', 'x "y"', false],
    [
      "lowercase names are read (argus matches only its own)",
      "a_b=1",
      "1",
      false,
    ],
  ];
  for (const [name, line, value, quoted] of cases) {
    await t.step(name, () => {
      const [e, ...rest] = parseConf(line, "t.conf");
      assert.equal(rest.length, 0);
      assert.equal(e?.value, value);
      assert.equal(e?.quoted, quoted);
    });
  }
});

Deno.test("parseConf() counts lines from 1 across CRLF and comments", () => {
  const entries = parseConf("# c\r\n\r\nA=1\r\n  B=2\n", "t.conf");
  assert.deepEqual(entries.map((e) => [e.name, e.line]), [["A", 3], ["B", 4]]);
});

Deno.test("parseConf() reads the known variables out of garbage", () => {
  const names = new Set([
    "ARGUS_DAEMON",
    "ARGUS_FLOW_STATUS_INTERVAL",
    "ARGUS_MONITOR_ID",
  ]);
  const entries = readConf(`${DATA}garbage.conf`, { names });
  assert.deepEqual(brief(entries), ["10:ARGUS_FLOW_STATUS_INTERVAL=7"]);
});

Deno.test("parseConf() refuses an unterminated quote with file and line", () => {
  assert.throws(
    () => readConf(`${DATA}unterminated.conf`),
    (e) =>
      e instanceof ConfigError && e instanceof UsageError && e.code === 2 &&
      e.line === 3 && e.file.endsWith("unterminated.conf") &&
      /line 3: ARGUS_FILTER: string unterminated$/.test(e.message),
  );
});

Deno.test("parseConf() with names ignores broken quoting on other names", () => {
  const text = 'ARGUS_NO_SUCH="open\nARGUS_DAEMON=yes\n';
  assert.throws(() => parseConf(text, "t.conf"), ConfigError);
  const entries = parseConf(text, "t.conf", {
    names: new Set(["ARGUS_DAEMON"]),
  });
  assert.deepEqual(brief(entries), ["2:ARGUS_DAEMON=yes"]);
});

Deno.test("readConf() names an unreadable file in one line", async (t) => {
  await t.step("missing", () => {
    assert.throws(
      () => readConf(`${DATA}no-such.conf`),
      (e) =>
        e instanceof ConfigError && e.line === undefined &&
        /^Cannot read configuration ".*no-such\.conf": no such file$/.test(
          e.message,
        ),
    );
  });
  await t.step("a directory", () => {
    assert.throws(
      () => readConf(DATA),
      (e) =>
        e instanceof ConfigError && /Cannot read configuration/.test(e.message),
    );
  });
});
