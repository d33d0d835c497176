/**
 * Our ragrep against the real ragrep 3.0.8: record files the real argus
 * wrote with user data (`argus -U`) from corpus captures with payloads,
 * grepped with a table of expressions and options, must give the same
 * text and exit status. Plus the POSIX ERE translation's errors, which
 * must carry glibc's messages as the real ragrep reports them.
 *
 * Accepted differences (not compared):
 * - a bad regex or -f file: ours prints one line and exits 2 (usage
 *   error); the real one logs "ragrep[pid]: time ArgusProcessLabelOption:
 *   user data regex error MSG" and exits 1. The MSG part is compared.
 * - an unknown option: ours prints our usage line and exits 2; the real
 *   one prints its help on stdout and exits 1.
 * - -v -w: the real ragrep writes the first file's opening MAR twice (as
 *   the file's header, then as a record that passed -v: MARs have no user
 *   data); ours writes it once, as ra -w does.
 * - -w: the real ragrep re-encodes records (ArgusGenerateRecord); ours
 *   copies them, so the files are compared as the real ra prints them.
 * - a back reference to a group that may not have matched (under a repeat
 *   or in another alternative): glibc fails it, JS matches it empty, so
 *   ours refuses the pattern ("cannot use regex ...", exit 2).
 * - a "^" after (or "$" before) a part that may match a newline but may
 *   also match nothing (".*^Host"): glibc takes the anchor after a newline
 *   the match consumed; JS cannot tell consumed from merely preceding, so
 *   ours refuses it (with a part that takes a byte, we translate it).
 * - -H also abbreviates numbers in the real ragrep (ra's -H); ours prints
 *   them in full (print fields have no -H), so -H is compared on stime.
 * - -q: ours reads to the end of the input before exiting 0; the real one
 *   exits at the first match (same output: none).
 * @module
 */

import assert from "node:assert/strict";
import { ourRagrep } from "../_util/our_ragrep.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import {
  compilePosixEre,
  PosixRegexError,
  translatePosixEre,
} from "../../src/client/posix_ere.ts";
import { readPatternFile } from "../../src/client/pattern_file.ts";

/** Captures with payloads, and the -U size each is recorded with. */
const CAPTURES: [string, number][] = [
  ["tcp-basic", 64],
  ["udp-dns", 64],
  ["mixed-small", 64],
  ["netns-veth", 64],
  ["ipv6", 64],
  ["tcp-halfopen", 64],
  ["tcp-anomalies", 32],
  ["icmp", 64],
  // Not a multiple of 4: padding makes an empty C string after the data.
  ["tcp-rst", 7],
];

/** ragrep arguments compared (the -r files are added after them). */
const CASES: string[][] = [
  // Plain words and sides.
  ["-e", "GET"],
  ["-e", "s:GET"],
  ["-e", "d:GET"],
  ["-e", "d:^The"],
  ["-e", "s:d:quick"], // both sides off: no grep at all
  ["-e", "xyzzy"], // nothing: exit 1
  // Anchors and the NUL-separated strings of a buffer.
  ["-e", "^GET /"],
  ["-e", "dog$"],
  ["-e", "^$"],
  ["-e", "^.$"],
  // Classes, brackets, repeats, alternation, back references.
  ["-e", "[[:digit:]]{3,}"],
  ["-e", "^[^[:alnum:]]"],
  ["-e", "[^ -~]"], // any byte outside printable ASCII (0x80-0xff too)
  ["-e", "[^[:print:][:space:]]{4}"],
  ["-e", "[]x]"],
  ["-e", "[\\n]"], // a backslash in brackets is a backslash
  ["-e", "[[.-.]]|[[=Q=]]"],
  ["-e", "[%--]|[!--a]"], // ranges ending at "-"

  ["-e", "HTTP/1\\.[01]"],
  ["-e", "(brown|lazy) (fox|dog)"],
  ["-e", "(o)\\1"],
  ["-e", "([a-z])\\1+"],
  ["-e", "x|(.)\\1"], // a reference in its group's own alternative
  ["-e", "x{,2}y"],
  ["-e", "e**"],
  ["-e", "qu+?i"],
  ["-e", ")"],
  // "^" after, "$" before a newline the match consumes (glibc's DFA).
  ["-e", ".^Host"],
  ["-e", "\r$\n"],
  ["-e", "\r$[[:space:]]Host"],
  ["-e", "(o|.)^Host"],
  ["-e", "x*^Host"], // nothing consumed: the string's start only
  ["-e", "\r$"],
  // Repeats of repeats (merged: JS would backtrack for ever).
  ["-e", ".**s[^a]"],
  ["-e", "(.*)*zq"],
  // GNU escapes: \w \W \s \S \b \B \< \> \` \'; others are the letter.
  ["-e", "\\<quick\\>"],
  ["-e", "\\bfox\\B"],
  ["-e", "\\w+\\s\\w+\\S"],
  ["-e", "\\`GET\\W"],
  ["-e", "\\d"],
  ["-e", "\\n"],
  // Case.
  ["-i", "-e", "get /INDEX"],
  ["-i", "-e", "^[a-z]+ "],
  ["-i", "-e", "[[:upper:]]{5}"],
  ["-e", "[[:upper:]]{5}"],
  // Inverted.
  ["-v", "-e", "HTTP"],
  ["-v", "-e", "s:^GET"],
  // With ra options: filter, fields, counts.
  ["-e", "The", "-", "tcp and dst port 22"],
  ["-e", "e", "-s", "stime", "saddr", "sport", "dport", "proto", "-n"],
  ["-e", "a", "-m", "2", "-s", "stime", "saddr"],
  ["-e", "HTTP", "-c", "x"],
  ["-e", "HTTP", "-l"],
  ["-e", "HTTP", "-L", "1"],
  ["-e", "HTTP", "-h"],
  ["-e", "HTTP", "-b"],
  ["-e", "HTTP", "-q"],
  ["-e", "HTTP", "-u", "-p", "3"],
  ["-e", "e", "-s", "stime", "suser:20", "duser:30", "proto"],
  ["-v", "-e", "s:GET", "-s", "stime", "suser", "duser"],
  // -N counts as ragrep does: files opened plus records that passed.
  ["-e", "GET", "-N", "3"],
  ["-e", "e", "-N", "3+4", "-c", "x"],
  ["-v", "-e", "GET", "-N", "4"],
  // -m stops reading; later files are still reported by -c.
  ["-e", "GET", "-m", "1", "-c", "x"],
  ["-q", "-e", "zzzz"], // no match: exit 0 with two files or more
  // No pattern: every flow record, no labels, no MARs.
  ["-s", "stime", "saddr", "daddr"],
];

/** Runs the real argus with user data capture into `dir`. */
async function makeRecords(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const [name, size] of CAPTURES) {
    const out = `${dir}/${name}.argus`;
    const r = await run("argus", [
      "-X",
      "-U",
      String(size),
      "-r",
      `${CORPUS}${name}.pcap`,
      "-w",
      out,
    ]);
    assert.equal(r.code, 0, `argus on ${name}: ${r.stderr}`);
    files.push(out);
  }
  return files;
}

/** Text with a repeated line once (the opening MAR, see -v -w above). */
function oneMar(text: string): string {
  return text.split("\n").filter((l, i, a) => l !== a[i - 1]).join("\n");
}

function firstDifference(real: string, ours: string): string {
  const a = real.split("\n"), b = ours.split("\n");
  const i = a.findIndex((line, k) => line !== b[k]);
  return `line ${i + 1}:\n  real: ${a[i]}\n  ours: ${b[i]}`;
}

Deno.test({
  name: "ragrep: our ragrep prints what the real ragrep prints",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "ragrep_test" });
    try {
      const files = await makeRecords(dir);
      // Three or more files: the real ragrep prefixes file names.
      const fileSets = [files, [files[0]!], [files[0]!, files[1]!]];
      for (const args of CASES) {
        await t.step(`ragrep ${args.join(" ")}`, async () => {
          for (const set of fileSets) {
            // ra options after "-" belong to the filter: -r goes first.
            const argv = ["-r", ...set, ...args];
            const real = await run("ragrep", argv);
            const ours = await ourRagrep(argv);
            const what = `${set.length} file(s)`;
            assert.equal(ours.code, real.code, `${what}: exit status`);
            assert.ok(
              ours.out === real.stdout,
              `${what}: ${firstDifference(real.stdout, ours.out)}`,
            );
          }
        });
      }
      await t.step("-H names the file even for one input", async () => {
        const argv = ["-r", files[0]!, "-H", "-e", "GET", "-s", "stime"];
        const real = await run("ragrep", argv);
        assert.equal((await ourRagrep(argv)).out, real.stdout);
      });
      await t.step("-r -: records from standard input", async () => {
        const bytes = await Deno.readFile(files[0]!);
        for (const extra of [["-e", "GET"], ["-e", "zzz"], ["-c", "x"]]) {
          const argv = ["-r", "-", ...extra, "-s", "stime"];
          const real = await run("ragrep", argv, bytes);
          const ours = await new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", "main.ts", "ragrep", ...argv],
            cwd: new URL("../../", import.meta.url).pathname,
            stdin: "piped",
            stdout: "piped",
            stderr: "null",
          }).spawn();
          const w = ours.stdin.getWriter();
          await w.write(bytes);
          await w.close();
          const done = await ours.output();
          assert.equal(done.code, real.code, `${extra}: exit status`);
          assert.equal(new TextDecoder().decode(done.stdout), real.stdout);
        }
      });
      await t.step("-f: patterns from a file", async () => {
        const pf = `${dir}/patterns`;
        // A comment, a "!" line, an empty line, a continued line.
        await Deno.writeTextFile(
          pf,
          "# comment\n!skipped\n\nxyzzy\nlazy\\\n dog\n^GET\n",
        );
        for (const extra of [[], ["-v"], ["-e", "d:nothing"]]) {
          const argv = ["-r", ...files, "-f", pf, ...extra, "-s", "stime"];
          const real = await run("ragrep", argv);
          const ours = await ourRagrep(argv);
          assert.equal(ours.code, real.code, `${extra}: exit status`);
          assert.equal(ours.out, real.stdout, `${extra}`);
        }
      });
      await t.step("-w writes the same records", async () => {
        // The real ragrep re-encodes what it writes (ArgusGenerateRecord)
        // and we copy the input's bytes, so the files are compared as the
        // real ra prints them.
        const fields = ["-s", "stime", "ltime", "flgs", "proto", "saddr"];
        fields.push("sport", "daddr", "dport", "spkts", "dpkts", "sbytes");
        fields.push("dbytes", "state", "suser:64", "duser:64");
        for (const extra of [["-e", "HTTP"], ["-v", "-e", "HTTP"]]) {
          const a = `${dir}/real.out`, b = `${dir}/ours.out`;
          const argv = (w: string) => ["-r", files[0]!, ...extra, "-w", w];
          await run("ragrep", argv(a));
          await ourRagrep(argv(b));
          const real = await run("ra", ["-r", a, ...fields]);
          const ours = await run("ra", ["-r", b, ...fields]);
          assert.equal(oneMar(ours.stdout), oneMar(real.stdout), `${extra}`);
          await Deno.remove(a);
          await Deno.remove(b);
        }
      });
      await t.step(
        "back references we cannot express are refused",
        async () => {
          for (
            const re of [
              "(..)*\\1z",
              "((o)|e)\\2",
              "(a(b))+\\2",
              ".*^Host", // may consume the newline, or nothing
              "$\\s*",
              "(^H.)+", // a "^" that an earlier round's newline may satisfy
            ]
          ) {
            assert.throws(
              () => translatePosixEre(re),
              (e) => e instanceof PosixRegexError && e.unsupported,
              re,
            );
            const ours = await ourRagrep(["-r", files[0]!, "-e", re]);
            assert.equal(ours.code, 2, re);
          }
        },
      );
      await t.step("bad patterns: glibc's message, exit 2", async () => {
        for (
          const bad of [
            "*a",
            "(",
            "a{1",
            "a{2,1}",
            "a{99999}",
            "\\",
            "[[:foo:]]",
            "[z-a]",
            "{1}a",
            "\\1",
            "(a\\1)",
            "[[.space.]]",
            "^*",
            "a|*b",
            "a{x}",
            "x{}",
            "[a",
            "[a-[:digit:]]",
            "[a-c-e]",
          ]
        ) {
          const real = await run("ragrep", ["-r", files[0]!, "-e", bad]);
          const m = /user data regex error (.*)/.exec(real.stderr);
          assert.ok(m, `real ragrep accepted ${bad}`);
          assert.throws(
            () => translatePosixEre(bad),
            (e) => e instanceof PosixRegexError && e.message === m[1],
            `${bad}: want "${m[1]}"`,
          );
          const ours = await ourRagrep(["-r", files[0]!, "-e", bad]);
          assert.equal(ours.code, 2);
          assert.equal(ours.out, "");
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ragrep -v: every corpus record file (no user data) as the real one",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = `${CORPUS}expected/`;
    const names = [...Deno.readDirSync(dir)].map((e) => e.name)
      .filter((n) => n.endsWith(".argus")).sort();
    assert.ok(names.length >= 50, "corpus record files missing");
    const failures: string[] = [];
    for (const name of names) {
      const argv = ["-r", dir + name, "-v", "-e", "x", "-s", "stime", "saddr"];
      argv.push("dport", "-n");
      const real = await run("ragrep", argv);
      const ours = await ourRagrep(argv);
      if (ours.code !== real.code || ours.out !== real.stdout) {
        failures.push(`${name}: ${firstDifference(real.stdout, ours.out)}`);
      }
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  },
});

Deno.test("compilePosixEre() follows the C locale, not Latin-1, under -i", () => {
  const re = compilePosixEre("\u00e9", true); // UTF-8 C3 A9 as two bytes
  // É is C3 89: glibc's C locale does not fold it, neither do we.
  const bytes = (s: string) =>
    String.fromCharCode(
      ...Array.from(new TextEncoder().encode(s), (b) =>
        b < 0x80 ? b : 0xe000 + b),
    );
  assert.ok(re.test(bytes("caf\u00e9")));
  assert.ok(!re.test(bytes("CAF\u00c9")));
  assert.ok(compilePosixEre("caf", true).test(bytes("CAF")));
});

Deno.test("readPatternFile() joins continued lines and skips comments", async () => {
  const f = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(f, "#c\n!x\n\na\\\nb\nc\\\n");
    assert.deepEqual(readPatternFile(f), ["ab", "c"]);
    await Deno.writeTextFile(f, "");
    assert.deepEqual(readPatternFile(f), []);
  } finally {
    await Deno.remove(f);
  }
});
