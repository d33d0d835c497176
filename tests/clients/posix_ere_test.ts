/**
 * The POSIX ERE translation on its own (no real tool needed): where the
 * glibc dialect ragrep uses differs from JS RegExp, each case names the
 * difference. The differential test (ragrep_test.ts) checks the same
 * against the real ragrep on captured data.
 * @module
 */

import assert from "node:assert/strict";
import {
  byteString,
  compilePosixEre,
  PosixRegexError,
} from "../../src/client/posix_ere.ts";

const bytes = (s: string) => byteString(new TextEncoder().encode(s));

/** [pattern, -i, strings it matches, strings it does not]. */
const CASES: [string, boolean, string[], string[]][] = [
  // A backslash in brackets is itself; escapes of letters are the letter.
  ["[\\d]", false, ["\\", "d"], ["5"]],
  ["\\d", false, ["d"], ["5"]],
  ["\\n", false, ["n"], ["\n"]],
  // "]" first in brackets, "-" at either end, classes and collating symbols.
  ["^[]a]$", false, ["]", "a"], ["b"]],
  ["^[^]a]$", false, ["b"], ["]", "a"]],
  ["^[a-]$", false, ["-", "a"], ["b"]],
  ["^[[:digit:][:upper:]]+$", false, ["A1"], ["a1"]],
  ["^[[.-.][=x=]]$", false, ["-", "x"], ["y"]],
  // Bounds: {,n} is {0,n}; a repeat of a repeat is allowed.
  ["^x{,2}y$", false, ["y", "xxy"], ["xxxy"]],
  ["^a**$", false, ["", "aa"], ["b"]],
  ["^(ab){2}$", false, ["abab"], ["ab"]],
  // A lone ")" is an ordinary character; "." matches a newline.
  ["a)", false, ["a)"], ["a"]],
  ["^a.b$", false, ["a\nb"], ["ab"]],
  // GNU word operators and buffer anchors.
  ["\\<fox\\>", false, ["a fox."], ["foxes"]],
  ["\\`GET\\'", false, ["GET"], [" GET", "GET "]],
  ["\\w\\W\\s\\S", false, ["a. x"], ["ab x"]],
  // Back references to groups that surely matched.
  ["^(a|b)\\1$", false, ["aa", "bb"], ["ab"]],
  // "^"/"$" mid-pattern: after/before a newline the match consumed.
  ["a.^b", false, ["a\nb"], ["a\rb", "ab"]],
  ["a$.b", false, ["a\nb"], ["a\rb"]],
  ["x*^b", false, ["b"], ["a\nb"]],
  ["a$", false, ["a"], ["a\n"]],
  // Repeats of repeats mean the same as one repeat.
  ["^a**$", false, ["", "aaa"], ["b"]],
  ["^(a+)?$", false, ["", "aa"], ["b"]],
  ["^a+?$", false, ["", "a"], ["b"]],
  // REG_ICASE folds ASCII only (the C locale): not é/É.
  ["^[a-z]+$", true, ["ABC"], ["\u00c9"]],
  ["\u00e9", true, ["caf\u00e9"], ["CAF\u00c9"]],
];

Deno.test("compilePosixEre() matches as glibc regcomp (C locale) does", () => {
  for (const [pattern, icase, yes, no] of CASES) {
    const re = compilePosixEre(pattern, icase);
    for (const s of yes) assert.ok(re.test(bytes(s)), `${pattern} ~ ${s}`);
    for (const s of no) assert.ok(!re.test(bytes(s)), `${pattern} !~ ${s}`);
  }
});

Deno.test("compilePosixEre() refuses what it cannot express", () => {
  for (
    const pattern of [
      "(a)*\\1",
      "(a)?\\1",
      "((a)|b)\\2",
      "(a(b))+\\2",
      ".*^b",
      "a$\\s?",
      "(^a.)+",
    ]
  ) {
    assert.throws(
      () => compilePosixEre(pattern, false),
      (e) => e instanceof PosixRegexError && e.unsupported,
      pattern,
    );
  }
});
