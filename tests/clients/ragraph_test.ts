/**
 * ragraph: the SVG is well-formed XML with a title, axes and one series
 * per group; each series sums to the real racount / racluster totals of
 * the same records and filter; the PNG that rsvg-convert makes of it
 * shows every series' colour in the plot area; times are local (TZ).
 * @module
 */

import assert from "node:assert/strict";
import { runRagraph } from "../../src/programs/ragraph/run.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { runOurs } from "../_util/our_client.ts";
import { checkXml, type XmlElement } from "../_util/xml_check.ts";
import { decodePng } from "../_util/png_decode.ts";

const EXPECTED = `${CORPUS}expected/`;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const TCP_LONG = `${EXPECTED}tcp-long.pcap.argus`;
/** racount's per-protocol columns, in order. */
const ORDER = ["pkts", "spkts", "dpkts", "bytes", "sbytes", "dbytes"];
const SUM_FILES = [
  "tcp-long.pcap.argus",
  "mixed-small.pcap.argus",
  "udp-dns.pcap.argus",
  "ipv6.pcap.argus",
  "icmp.pcap.argus",
  "tcp-scans.pcap.argus",
];

function haveRsvg(): boolean {
  try {
    new Deno.Command("rsvg-convert", { args: ["--version"] }).outputSync();
    return true;
  } catch {
    return false;
  }
}

/** Our ragraph's SVG (-w -) and its elements. */
async function svgOf(
  args: string[],
): Promise<{ svg: string; els: XmlElement[] }> {
  const ours = await runOurs(runRagraph, [...args, "-w", "-"]);
  assert.equal(ours.code, 0, `ragraph ${args.join(" ")}`);
  return { svg: ours.out, els: checkXml(ours.out) };
}

/** Series of an SVG: metric -> group -> [data-total, sum of data-values]. */
function seriesSums(els: XmlElement[]): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  for (const e of els) {
    if (e.attrs.class !== "series") continue;
    const values = e.attrs["data-values"]!.split(" ").map(Number);
    const m = e.attrs["data-metric"]!;
    if (!out.has(m)) out.set(m, new Map());
    out.get(m)!.set(e.attrs["data-group"]!, [
      Number(e.attrs["data-total"]),
      values.reduce((a, b) => a + b, 0),
    ]);
  }
  return out;
}

Deno.test("ragraph: the SVG is well-formed, titled, with axes, legend and series", async () => {
  const { els } = await svgOf([
    "bytes",
    "proto",
    "-M",
    "1s",
    "-fill",
    "-stack",
    "-title",
    "tcp-long <&> bytes",
    "-r",
    TCP_LONG,
  ]);
  assert.equal(els[0]!.name, "svg");
  assert.equal(els[0]!.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.equal(
    els.find((e) => e.name === "title")?.text,
    "tcp-long &#60;&#38;&#62; bytes",
  );
  const series = els.filter((e) => e.attrs.class === "series");
  assert.deepEqual(series.map((e) => e.attrs["data-group"]), [
    "tcp",
    "icmp",
    "udp",
  ]);
  // Stacked and filled: one opaque polygon each, colours all different.
  for (const s of series) {
    const poly = els.filter((e) => e.name === "polygon" && e.path.length > 0)
      .find((e) => e.attrs.fill === s.attrs["data-colour"]);
    assert.ok(poly, `${s.attrs["data-group"]} has an area`);
    assert.equal(poly.attrs["fill-opacity"], "1");
  }
  assert.equal(new Set(series.map((e) => e.attrs["data-colour"])).size, 3);
  const texts = els.filter((e) => e.name === "text").map((e) => e.text);
  assert.ok(texts.includes("bytes per 1s"), "value axis unit");
  assert.ok(
    texts.some((t) =>
      /^local time \(UTC\+00:00\) from 2023-11-15 01:13:20, 1s bins$/.test(t)
    ),
  );
  assert.ok(texts.some((t) => t === "1.5 k" || t === "1 k"), "SI ticks");
  assert.ok(texts.some((t) => /^01:1[3-6]:\d\d$/.test(t)), "time ticks");
  assert.ok(texts.some((t) => t.startsWith("tcp  total 229 kbytes")), "legend");
  // Lines without -stack or -fill: no areas.
  const lines = await svgOf(["pkts", "proto", "-M", "10s", "-r", TCP_LONG]);
  assert.equal(lines.els.filter((e) => e.name === "polygon").length, 0);
  assert.equal(lines.els.filter((e) => e.name === "polyline").length, 3);
});

Deno.test({
  name:
    "ragraph: per-group series sum to the real racount and racluster totals",
  ignore: !haveRealArgus(),
  async fn(t) {
    for (const name of SUM_FILES) {
      await t.step(name, async () => {
        const file = `${EXPECTED}${name}`;
        const counted = await run("racount", ["-M", "proto", "-r", file]);
        const rows = counted.stdout.split("\n");
        const at = rows.indexOf("Protocol Summary");
        assert.ok(at > 0, counted.stdout);
        const want = new Map<string, number[]>();
        for (const row of rows.slice(at + 1)) {
          const f = row.trim().split(/\s+/);
          if (f.length < 8) continue;
          want.set(f[0]!, f.slice(2).map(Number));
        }
        const sums = new Map<string, number[]>();
        for (const [i, m] of ORDER.entries()) {
          const { els } = await svgOf([m, "proto", "-M", "1s", "-r", file]);
          for (const [g, [total, sum]] of seriesSums(els).get(m)!) {
            assert.equal(sum, total, `${name} ${m} ${g}: values sum to total`);
            // racount prints protocol names in 8 columns ("ipv6-icm").
            const key = g.slice(0, 8);
            if (!sums.has(key)) sums.set(key, [0, 0, 0, 0, 0, 0]);
            sums.get(key)![i] = total ?? NaN;
          }
        }
        assert.deepEqual(sums, want, name);
      });
    }
    await t.step(
      "dport groups under a filter, against racluster -m dport",
      async () => {
        const file = `${EXPECTED}mixed-small.pcap.argus`;
        const real = await run("racluster", [
          "-m",
          "dport",
          "-n",
          "-s",
          "dport",
          "bytes",
          "-r",
          file,
          "-",
          "tcp or udp",
        ]); // deno-fmt-ignore
        const want = new Map<string, number>();
        for (const row of real.stdout.trim().split("\n").slice(1)) {
          const [port, bytes] = row.trim().split(/\s+/);
          want.set(port!, (want.get(port!) ?? 0) + Number(bytes));
        }
        // Many ports: look at all of them through a 1000-series cut.
        const { els } = await svgOf([
          "bytes",
          "dport",
          "-M",
          "5s",
          "-n",
          "-r",
          file,
          "-",
          "tcp or udp",
        ]);
        const got = new Map<string, number>();
        for (const [g, [total]] of seriesSums(els).get("bytes")!) {
          got.set(g, total!);
        }
        // Beyond eight series the smallest are summed as "other (N)".
        const other = [...got.keys()].find((k) => k.startsWith("other ("));
        const otherTotal = other === undefined ? 0 : got.get(other)!;
        let rest = 0;
        for (const [port, bytes] of want) {
          if (got.has(port)) {
            assert.equal(got.get(port), bytes, `dport ${port}`);
          } else rest += bytes;
        }
        assert.equal(otherTotal, rest, "the other ports");
        assert.ok(want.size > 8, `${want.size} ports`);
      },
    );
  },
});

Deno.test({
  name: "ragraph -w x.png: rsvg-convert's picture shows every series",
  ignore: !haveRsvg(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ragraph-png-" });
    try {
      for (const stack of [true, false]) {
        const args = ["bytes", "proto", "-M", "1s", "-r", TCP_LONG];
        if (stack) args.push("-stack", "-fill");
        const png = `${dir}/g-${stack}.png`;
        assert.equal((await runOurs(runRagraph, [...args, "-w", png])).code, 0);
        const { els } = await svgOf(args);
        const plot = els.find((e) => e.attrs.class === "plot")!;
        const [px, py, pw, ph] = ["x", "y", "width", "height"].map((k) =>
          Number(plot.attrs[k])
        );
        const pic = await decodePng(await Deno.readFile(png));
        assert.equal(pic.width, Number(els[0]!.attrs.width));
        const series = els.filter((e) => e.attrs.class === "series");
        const colours = series.map((e) => {
          const c = e.attrs["data-colour"]!;
          return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
        });
        const counts = colours.map(() => 0);
        let ink = 0;
        for (let y = py! + 2; y < py! + ph! - 2; y++) {
          for (let x = px! + 2; x < px! + pw! - 2; x++) {
            const o = (y * pic.width + x) * 4;
            const [r, g, b] = [
              pic.rgba[o]!,
              pic.rgba[o + 1]!,
              pic.rgba[o + 2]!,
            ];
            if (r < 250 || g < 250 || b < 250) ink++;
            colours.forEach((c, k) => {
              const d = Math.abs(c[0]! - r) + Math.abs(c[1]! - g) +
                Math.abs(c[2]! - b);
              // Areas are drawn opaque: exact colours; lines may blend at edges.
              if (stack ? d === 0 : d < 40) counts[k]!++;
            });
          }
        }
        const area = (pw! - 4) * (ph! - 4);
        assert.ok(
          ink > area * (stack ? 0.3 : 0.01),
          `not blank: ${ink} of ${area}`,
        );
        counts.forEach((n, k) => {
          assert.ok(n > 20, `${series[k]!.attrs["data-group"]}: ${n} pixels`);
        });
        // tcp carries most of the bytes and covers most of the picture.
        if (stack) {
          assert.ok(
            counts[0]! > counts[1]! && counts[0]! > counts[2]!,
            String(counts),
          );
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("ragraph: local time follows TZ", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "ragraph",
      "bytes",
      "-M",
      "1m",
      "-r",
      TCP_LONG,
      "-w",
      "-",
    ],
    env: { TZ: "Asia/Kolkata" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const texts = checkXml(new TextDecoder().decode(out.stdout))
    .filter((e) => e.name === "text").map((e) => e.text);
  assert.ok(
    texts.includes("local time (UTC+05:30) from 2023-11-15 06:43:00, 1m bins"),
    texts.join("|"),
  );
  assert.ok(
    texts.some((t) => /^06:4[3-7](:\d\d)?$/.test(t)),
    "ticks in local time",
  );
});

Deno.test("ragraph: bad arguments and a missing converter are one line", async () => {
  const cases: [string[], Record<string, string>, number, RegExp][] = [
    [["octets", "-M", "1s"], {}, 2, /unknown metric "octets"/],
    [["bytes", "colour", "-M", "1s"], {}, 2, /unknown field "colour"/],
    [["bytes", "-r", TCP_LONG], {}, 2, /give the bin size/],
    [["bytes", "rate", "-M", "1s"], {}, 2, /different units/],
    [["bytes", "-M", "1s", "-rigid"], {}, 2, /-rigid: option not supported/],
    [["sbytes", "-M", "1s", "-split"], {}, 2, /-split: "sbytes" has one/],
    [["bytes", "-M", "1s", "-split", "-log"], {}, 2, /-split and -log/],
    [
      ["bytes", "-M", "1s", "-width", "wide"],
      {},
      2,
      /-width: cannot use "wide"/,
    ],
    [
      ["bytes", "-M", "1s", "-w", "/tmp/ragraph-test-nopath.png"],
      { PATH: "/nonexistent" },
      1,
      /rsvg-convert/,
    ],
  ];
  for (const [args, env, code, message] of cases) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "ragraph",
        ...args,
        ...(args.includes("-r") ? [] : ["-r", TCP_LONG]),
      ],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, code, `${args.join(" ")}: ${err}`);
    assert.match(err.split("\n")[0]!, message);
    assert.doesNotMatch(err, /at .*\.ts:\d+/);
  }
});

Deno.test("ragraph: a file without flow records gives an empty, labelled graph", async () => {
  const { els } = await svgOf([
    "bytes",
    "proto",
    "-M",
    "1s",
    "-r",
    `${EXPECTED}empty-file.pcap.argus`,
  ]);
  const texts = els.filter((e) => e.name === "text").map((e) => e.text);
  assert.equal(els.find((e) => e.name === "title")?.text, "bytes by proto");
  assert.ok(texts.includes("no flow records"));
  assert.ok(texts.includes("bytes per 1s"));
  assert.equal(els.filter((e) => e.attrs.class === "series").length, 0);
});

Deno.test({
  name:
    "ragraph -split: sources above the axis, destinations below, sums as racount's",
  ignore: !haveRealArgus(),
  async fn() {
    const counted = await run("racount", ["-M", "proto", "-r", TCP_LONG]);
    const rows = counted.stdout.split("\n");
    const want = new Map<string, number[]>();
    for (const row of rows.slice(rows.indexOf("Protocol Summary") + 1)) {
      const f = row.trim().split(/\s+/);
      if (f.length >= 8) want.set(f[0]!, [Number(f[6]), Number(f[7])]);
    }
    for (const invert of [false, true]) {
      const args = ["bytes", "proto", "-M", "1s", "-split", "-stack", "-fill"];
      if (invert) args.push("-invert");
      const { els } = await svgOf([...args, "-r", TCP_LONG]);
      const zero = Number(els.find((e) => e.attrs.class === "zero")!.attrs.y1);
      const got = new Map<string, number[]>();
      for (const e of els.filter((e) => e.attrs.class === "series")) {
        const g = e.attrs["data-group"]!, m = e.attrs["data-metric"]!;
        if (!got.has(g)) got.set(g, [0, 0]);
        got.get(g)![m === "sbytes" ? 0 : 1] = Number(e.attrs["data-total"]);
        assert.match(
          e.attrs["data-label"]!,
          m === "sbytes" ? / src$/ : / dst$/,
        );
        // The series' area lies on its side of the axis.
        const poly = els.find((p) =>
          p.name === "polygon" && p.attrs.fill === e.attrs["data-colour"] &&
          Number(p.attrs["fill-opacity"]) ===
            (m.startsWith(invert ? "s" : "d") ? 0.55 : 1)
        )!;
        const ys = poly.attrs.points!.split(" ").map((pt) =>
          Number(pt.split(",")[1])
        );
        const below = m.startsWith(invert ? "s" : "d");
        assert.ok(
          ys.every((y) => below ? y >= zero - 0.01 : y <= zero + 0.01),
          `${g} ${m} ${below ? "below" : "above"} the axis`,
        );
      }
      assert.deepEqual(got, want);
    }
  },
});
