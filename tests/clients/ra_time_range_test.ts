/**
 * ra -t: our parser and record test against the real ra 3.0.8 on corpus
 * record files (ranges around the records' times and the MARs', both
 * programs in TZ=UTC: ours in-process when the test runs in UTC, else as a
 * child process), plus parser unit cases with a fixed "now" (in the test's
 * own zone), good and bad.
 *
 * Accepted differences:
 * - bad text: ours prints one line ("ra: -t: ...") and exits 2; the real
 *   ra logs "ra[pid]: time: time syntax error TEXT" (or "invalid time
 *   range") and exits 1.
 * - zones whose DST shift is not a whole hour (Australia/Lord_Howe): the
 *   real ra's mktime with tm_isdst = 0 then its hour-only repair moves
 *   local times by the half hour; we read local times as they are.
 * @module
 */

import assert from "node:assert/strict";
import { ourRa } from "../_util/our_ra.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { ether, ipv4Packet, udp } from "../_util/packets.ts";
import { pcapFile } from "../_util/pcap_writer.ts";
import {
  inTimeRange,
  marInTimeRange,
  parseTimeRange,
  TimeStrategy,
} from "../../src/client/time_range.ts";
import { BadValueError } from "../../src/client/bad_value_error.ts";
import { Wildcard } from "../../src/client/time_range_parser.ts";

/** Whether this process runs in UTC (then our ra runs in-process). */
const IN_UTC = ["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal"].includes(
  Intl.DateTimeFormat().resolvedOptions().timeZone,
);
const ROOT = new URL("../../", import.meta.url).pathname;

/** Corpus files whose records the ranges are built around. */
const FILES = [
  "tcp-basic",
  "tcp-long",
  "udp-dns",
  "idle-timeouts",
  "arp",
].map((n) => `${CORPUS}expected/${n}.pcap.argus`);

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Epoch seconds as UTC "yyyy/mm/dd.HH:MM:SS" (with µs when given). */
function local(seconds: number, micros?: number): string {
  const d = new Date(seconds * 1000);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${
    pad(d.getUTCDate())
  }`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${
    pad(d.getUTCSeconds())
  }`;
  return `${date}.${time}${micros === undefined ? "" : "." + pad(micros, 6)}`;
}

/** UTC "HH:MM:SS" of epoch seconds. */
function clock(seconds: number): string {
  return local(seconds).slice(11);
}

// tcp-long.pcap's first status records: [T+0.123456, T+4.153456],
// [T+5.123456, T+9.153456] ... and short ones in between (T = 1700010800).
const T = 1700010800;
// The corpus MARs were written on 2026/11/23 (about 1795410700).
const MAR = 1795410700;

/** -t texts compared with the real ra. */
const RANGES: string[] = [
  // Epoch seconds: a range, a start plus a duration, a lone one (a year).
  `${T + 2}-${T + 7}`,
  `${T}+5s`,
  `${T}+1m`,
  `${T}`,
  `${T - 3600 * 3}-${T + 10}`,
  // A record spanning the whole range is not kept (start or end inside).
  `${local(T + 1)}-${clock(T + 4)}`,
  // Both ends inclusive: a range starting at a record's start, one ending
  // at a record's end, one starting at a record's end.
  `${local(T + 5, 123456)}-${clock(T + 6)}`,
  `${local(T + 1)}-${local(T + 4, 153456)}`,
  `${local(T + 4, 153456)}-${clock(T + 5)}`,
  // Strategies and negation.
  `c${local(T)}-${clock(T + 10)}`,
  `n${local(T + 1)}-${clock(T + 2)}`,
  `s${local(T + 1)}-${clock(T + 2)}`,
  `i${local(T + 1)}-${clock(T + 2)}`,
  `x${local(T + 1)}-${clock(T + 2)}`,
  `xc${local(T)}-${clock(T + 10)}`,
  // Partial times: the whole hour, minute, day, month, year.
  local(T).slice(0, 13),
  local(T).slice(0, 16),
  local(T).slice(0, 10),
  local(T).slice(0, 7),
  local(T).slice(0, 4),
  local(T + 30),
  `${local(T).slice(0, 10)}-${local(T + 86400).slice(0, 10)}`,
  `${local(T).slice(0, 7)}-${local(T + 86400 * 40).slice(0, 7)}`,
  // mm/dd and dd.HH are this year and month: the MARs' day, hour.
  local(MAR).slice(5, 10),
  `${local(MAR).slice(0, 13)}`,
  `${local(MAR)}-${clock(MAR + 20)}`,
  // %d{yMdhms}: fields, then relative to now.
  (() => {
    const d = new Date(T * 1000);
    return `${d.getUTCFullYear()}y${
      d.getUTCMonth() + 1
    }M${d.getUTCDate()}d${d.getUTCHours()}h${d.getUTCMinutes()}m`;
  })(),
  "-5000d",
  "-1d",
  "-1200d+400d",
  // Wildcards: the records' times have those fields zeroed first.
  `****${local(T).slice(4, 10)}`,
  `****/**/${local(T).slice(8, 13)}`,
  `${local(T).slice(0, 8)}**${local(T).slice(10, 13)}`,
  `${local(T).slice(0, 11)}**${local(T).slice(13, 16)}`,
  `${local(T).slice(0, 17)}**`,
  `${local(T).slice(0, 18)}*`,
  `c****${local(T).slice(4, 13)}-${clock(T + 3600).slice(0, 2)}`,
  `x****${local(T).slice(4, 10)}`,
  "**/23", // the MARs' day, any month this year
  (() => {
    const d = new Date(T * 1000);
    return `${d.getUTCFullYear()}y${
      d.getUTCMonth() + 1
    }M${d.getUTCDate()}d*h${d.getUTCMinutes()}m`;
  })(),
];

/** Runs a command in TZ=UTC: exit status, stdout, stderr. */
async function inUtc(
  cmd: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { TZ: "UTC" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    out: text.decode(out.stdout),
    err: text.decode(out.stderr),
  };
}

/** The real ra in UTC. */
function realRa(args: string[]): Promise<{ code: number; out: string }> {
  return inUtc("ra", args);
}

/** Our ra in UTC: in-process when this process is in UTC. */
function utcRa(args: string[]): Promise<{ code: number; out: string }> {
  if (IN_UTC) return ourRa(args);
  return inUtc(Deno.execPath(), ["run", "-A", "main.ts", "ra", ...args]);
}

Deno.test({
  name: "ra -t: our ra keeps the records the real ra keeps",
  ignore: !haveRealArgus(),
  async fn(t) {
    const fields = ["-u", "-s", "stime", "ltime", "proto", "saddr", "daddr"];
    for (const range of RANGES) {
      await t.step(`-t ${range}`, async () => {
        const args = ["-r", ...FILES, ...fields, "-t", range];
        const real = await realRa(args);
        const ours = await utcRa(args);
        assert.equal(ours.code, real.code, "exit status");
        assert.equal(ours.out, real.out);
      });
    }
    // A range in several words, joined as ArgusParseTimeArg joins them.
    for (
      const words of [
        ["-t", local(T + 1), "-", clock(T + 6)],
        ["-t", local(T + 1), `-${clock(T + 6)}`],
        ["-t", local(T).slice(0, 10), "-", "udp"], // "udp" is the filter
        ["-t", `x${local(T + 1)}`, "-", clock(T + 6)],
        ["-ut", local(T + 1), "-", clock(T + 6)],
        [`-t${local(T + 1)}`, "-", clock(T + 6)],
        ["-t", `${local(T + 1)}-${clock(T + 3)}`, "-", "tcp"],
      ]
    ) {
      await t.step(`${words.join(" ")}`, async () => {
        const args = ["-r", ...FILES, ...fields, ...words];
        const real = await realRa(args);
        const ours = await utcRa(args);
        assert.equal(ours.code, real.code, "exit status");
        assert.equal(ours.out, real.out);
      });
    }
    await t.step("-t with a filter and ra's default columns", async () => {
      const args = ["-r", ...FILES, "-t", `${T}+30s`, "-", "udp"];
      const real = await realRa(args);
      const ours = await utcRa(args);
      assert.equal(ours.code, real.code, "exit status");
      assert.equal(ours.out, real.out);
    });
  },
});

/** Seconds before now of the flows made for the relative ranges. */
const AGES = [86400 * 40, 86400 * 3, 90000, 9000, 3900, 720, 300, 45, 3];

/** Relative -t texts: from now, in the units ra truncates to. */
const RELATIVE = [
  "-1d",
  "-2d",
  "-4d",
  "-1h",
  "-3h",
  "-10m",
  "-1m",
  "-30s",
  "-2h5m+5m",
  "-30m+29m",
  "-1M",
  "-1M+1d",
  "-2M",
  "-1y",
];

Deno.test({
  name: "ra -t: relative ranges keep what the real ra keeps, on flows of now",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "ra_time_range" });
    try {
      // One UDP flow per age, each on its own port.
      const base = Math.floor(Date.now() / 1000);
      const packets = AGES.map((age, i) => ({
        time: (base - age) * 1e6 + 500000,
        data: ether(
          "02:00:00:00:00:02",
          "02:00:00:00:00:01",
          0x0800,
          ipv4Packet("10.9.0.1", "10.9.0.2", 17, udp(40000 + i, 53, [1, 2])),
        ),
      })).sort((a, b) => a.time - b.time);
      await Deno.writeFile(`${dir}/now.pcap`, pcapFile(packets));
      const file = `${dir}/now.argus`;
      const made = await run("argus", [
        "-X",
        "-r",
        `${dir}/now.pcap`,
        "-w",
        file,
      ]);
      assert.equal(made.code, 0, made.stderr);
      for (const range of RELATIVE) {
        await t.step(`-t ${range}`, async () => {
          // "Now" is read by each program: the real ra runs before and
          // after ours, and ours must agree with one of them (a unit's end
          // may pass in between).
          const args = ["-r", file, "-u", "-s", "stime", "sport", "-t", range];
          const before = await realRa(args);
          const ours = await utcRa(args);
          const after = await realRa(args);
          const real = ours.out === after.out ? after : before;
          assert.equal(ours.code, real.code, "exit status");
          assert.equal(ours.out, real.out);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ra -t: bad ranges fail in both, ours in one line with exit 2",
  ignore: !haveRealArgus(),
  async fn() {
    for (
      const bad of [
        "2023-2024", // the end is epoch 2024: before the start
        "abc",
        "+1h",
        "2023/13/01",
        `${local(T + 1)}-${clock(T + 4)}.5`, // a fraction needs a date
        `${local(T + 5)}-${clock(T + 1)}`,
        `${T}.5-${T + 1}`, // epoch seconds take no fraction
        "-5h*m", // a wildcard cannot be relative
      ]
    ) {
      const real = await realRa(["-r", FILES[0]!, "-t", bad]);
      assert.notEqual(real.code, 0, `real ra took "${bad}"`);
      const ours = await inUtc(Deno.execPath(), [
        "run",
        "-A",
        "main.ts",
        "ra",
        "-r",
        FILES[0]!,
        "-t",
        bad,
      ]);
      assert.equal(ours.code, 2, `"${bad}"`);
      assert.match(ours.err, /^ra: -t: [^\n]+\n$/, `"${bad}"`);
      assert.equal(ours.out, "");
    }
  },
});

// Unit cases: "now" is 2026/12/03 07:30:15.25 local time.
const NOW = new Date(2026, 11, 3, 7, 30, 15, 250).getTime() * 1000;
const at = (
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  us = 0,
) => new Date(y, mo - 1, d, h, mi, s).getTime() * 1000 + us;

Deno.test("parseTimeRange() reads ra(1)'s forms", () => {
  const cases: [string, number, number][] = [
    [
      "2023/11/14.22:13:20-22:13:25",
      at(2023, 11, 14, 22, 13, 20),
      at(2023, 11, 14, 22, 13, 25),
    ],
    [
      "2023/11/14.22:13:20.5-22:13:25",
      at(2023, 11, 14, 22, 13, 20, 500000),
      at(2023, 11, 14, 22, 13, 25),
    ],
    [
      "2023/11/14.22:13:25",
      at(2023, 11, 14, 22, 13, 25),
      at(2023, 11, 14, 22, 13, 26),
    ],
    ["2023/11/14.22", at(2023, 11, 14, 22), at(2023, 11, 14, 23)],
    ["2023/11/14", at(2023, 11, 14), at(2023, 11, 15)],
    ["2023/11", at(2023, 11, 1), at(2023, 12, 1)],
    ["2023", at(2023, 1, 1), at(2024, 1, 1)],
    ["14", at(2026, 12, 3, 14), at(2026, 12, 3, 15)],
    ["15-23", at(2026, 12, 3, 15), at(2026, 12, 3, 23)],
    ["10:00", at(2026, 12, 3, 10), at(2026, 12, 3, 10, 1)],
    ["11/14", at(2026, 11, 14), at(2026, 11, 15)],
    ["23.11:10-14", at(2026, 12, 23, 11, 10), at(2026, 12, 23, 14)],
    ["2011/08-2011/10", at(2011, 8, 1), at(2011, 10, 1)],
    [
      "1700000000",
      1700000000e6,
      at(2024, 11, 14) + (1700000000e6 - at(2023, 11, 14)),
    ],
    ["1700000000+2s", 1700000000e6, 1700000002e6],
    ["1700000000-1700000060", 1700000000e6, 1700000060e6],
    // Relative: "-1d" is today, "-10m" the minutes up to the next one.
    ["-1d", at(2026, 12, 3), at(2026, 12, 4)],
    ["-2d", at(2026, 12, 2), at(2026, 12, 4)],
    ["-10m", at(2026, 12, 3, 7, 21), at(2026, 12, 3, 7, 31)],
    ["-1M+1d", at(2026, 12, 1), at(2026, 12, 2)],
    ["1999y1M23d10h", at(1999, 1, 23, 10), at(1999, 1, 23, 11)],
    // Past 24 an hour is epoch seconds (ra's quirk): "25:00" is 1970.
    ["25:00", 25e6, at(1971, 1, 1) + 25e6 - at(1970, 1, 1)],
  ]; // deno-fmt-ignore
  for (const [text, start, end] of cases) {
    const r = parseTimeRange(text, NOW);
    assert.deepEqual([r.start, r.end], [start, end], text);
  }
  const c = parseTimeRange("xc2023", NOW);
  assert.equal(c.strategy, TimeStrategy.CONTAINS);
  assert.equal(c.negate, true);
  assert.equal(parseTimeRange("n2023", NOW).strategy, TimeStrategy.SPANS);
  assert.equal(parseTimeRange("2023", NOW).strategy, TimeStrategy.INTERSECTS);
  // Wildcards: the fields' zero values in the range, and the mask.
  const w = parseTimeRange("**.14", NOW);
  assert.deepEqual([w.start, w.end], [
    at(2026, 12, 1, 14),
    at(2026, 12, 1, 15),
  ]);
  assert.equal(w.wildcard, Wildcard.DAY);
  assert.equal(parseTimeRange("2023/11/14.**:10", NOW).wildcard, Wildcard.HOUR);
  assert.equal(parseTimeRange("2023/11/14", NOW).wildcard, 0);
});

Deno.test("parseTimeRange() refuses what ra refuses", () => {
  for (
    const bad of [
      "",
      "abc",
      "+1h",
      "2023-2024",
      "2023/13/01",
      "2023/1/01",
      "24",
      "01:02:03.5",
      "22:13:25-22:13:20",
      "1700000000.5",
      "yd",
      "-1d*h",
      "2023/1x",
    ]
  ) {
    assert.throws(
      () => parseTimeRange(bad, NOW),
      BadValueError,
      JSON.stringify(bad),
    );
  }
});

Deno.test("inTimeRange() applies ra's strategies with inclusive ends", () => {
  const r = { start: 100, end: 200 };
  // Intersects: the record's start or end inside; a spanning one is not.
  assert.ok(inTimeRange(r, 100, 300));
  assert.ok(inTimeRange(r, 200, 300));
  assert.ok(inTimeRange(r, 50, 200));
  assert.ok(!inTimeRange(r, 50, 100)); // ends where the range starts
  assert.ok(!inTimeRange(r, 50, 300));
  assert.ok(!inTimeRange(r, 201, 300));
  const c = { ...r, strategy: TimeStrategy.CONTAINS };
  assert.ok(inTimeRange(c, 100, 200));
  assert.ok(!inTimeRange(c, 99, 150));
  const n = { ...r, strategy: TimeStrategy.SPANS };
  assert.ok(inTimeRange(n, 100, 200));
  assert.ok(!inTimeRange(n, 101, 300));
  assert.ok(!inTimeRange({ ...r, negate: true }, 150, 160));
  // MARs, in whole seconds: a start MAR within, others by "now".
  const m = { start: 10e6, end: 20e6 + 999999 };
  assert.ok(marInTimeRange(m, 0x10, 10.5e6, 20.9e6));
  assert.ok(!marInTimeRange(m, 0x10, 9.9e6, 15e6));
  assert.ok(marInTimeRange(m, 0x30, 1e6, 20.5e6));
  assert.ok(!marInTimeRange(m, 0x30, 15e6, 21e6));
  // A wildcard day: any day's 14:00-15:00 of that month.
  const w = { start: at(2023, 11, 1, 14), end: at(2023, 11, 1, 15) };
  const day = { ...w, wildcard: Wildcard.DAY };
  assert.ok(inTimeRange(day, at(2023, 11, 20, 14, 30), at(2023, 11, 20, 16)));
  assert.ok(!inTimeRange(w, at(2023, 11, 20, 14, 30), at(2023, 11, 20, 16)));
  assert.ok(!inTimeRange(day, at(2023, 12, 20, 14, 30), at(2023, 12, 20, 16)));
});
