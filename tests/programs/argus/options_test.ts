/**
 * argus's options and argus.conf: defaults, -r/-w/filter splitting, the
 * order of /etc/argus.conf, -F and -X, source ids, report intervals, every
 * validation message, the -h snapshot, and the same command lines run
 * through the installed argus 3.0.8.2 as the oracle.
 *
 * The -h text is pinned in __snapshots__/options_test.ts.snap; after a
 * deliberate change rewrite it with `deno test -A -u tests/programs/argus/options_test.ts`.
 * @module
 */

import assert from "node:assert/strict";
import { ConfigError, UsageError } from "../../../src/cli/mod.ts";
import {
  ARGUS_OPTIONS,
  type ArgusOptions,
  type ArgusOptionsEnv,
  argusUsage,
  parseArgusOptions,
  parseSourceId,
  readsSystemConf,
  SrcIdType,
  unimplementedMessage,
} from "../../../src/programs/argus/options.ts";
import { inetAton } from "../../../src/programs/argus/source_id.ts";
import {
  flowStatusInterval,
  marInterval,
} from "../../../src/programs/argus/report_interval.ts";
import { VERSION } from "../../../src/version.ts";
import { CORPUS, haveRealArgus, run } from "../../_util/oracle.ts";
import { pcapFile } from "../../_util/pcap_writer.ts";
import { ether, ipv4Packet, udp } from "../../_util/packets.ts";

const DATA = new URL("../../testdata/cli/", import.meta.url).pathname;

/** Parses with configuration files from `files` (path → text) only. */
function parse(
  argv: string[],
  files: Record<string, string> = {},
  env: ArgusOptionsEnv = {},
): ArgusOptions {
  return parseArgusOptions(argv, {
    systemConf: "/etc/argus.conf",
    posixlyCorrect: false,
    resolveHost: (name) => name === "sensor1" ? 0xc0000201 : undefined,
    hostname: () => "sensor1.local",
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Deno.errors.NotFound(path);
      return text;
    },
    ...env,
  });
}

Deno.test("parseArgusOptions() starts from argus 3.0.8.2's values", async (t) => {
  await t.step("without -X (no /etc/argus.conf)", () => {
    const o = parse(["-r", "x.pcap", "-w", "out"]);
    assert.equal(o.statusInterval, 5);
    assert.equal(o.statusIntervalUs, 5_000_000);
    assert.equal(o.marInterval, 60);
    assert.deepEqual(o.srcid, { type: 0, value: 0 });
    assert.deepEqual(o.outputs, [{ target: "out" }]);
    assert.equal(o.filter, "");
    assert.equal(o.snaplen, 96);
    assert.equal(o.promiscuous, true);
    assert.equal(o.skipPackets, 0);
    assert.equal(o.lastPacket, Infinity);
    assert.deepEqual(o.unimplemented, []);
    // argus's optimizer flag starts at 0; only -X or the conf set it.
    assert.equal(o.optimizeFilter, false);
  });
  await t.step("-X turns the filter optimizer on", () => {
    assert.equal(parse(["-X"]).optimizeFilter, true);
  });
  await t.step("no -w means no output (argus then writes nothing)", () => {
    assert.deepEqual(parse(["-X", "-r", "x"]).outputs, []);
  });
});

Deno.test("parseArgusOptions() takes -r files as argus does", async (t) => {
  const files = (argv: string[]) => parse(["-X", ...argv]).readFiles;
  await t.step("several after one -r", () => {
    assert.deepEqual(files(["-r", "a.pcap", "b.pcapng"]), [
      "a.pcap",
      "b.pcapng",
    ]);
  });
  await t.step("in byte order of their names, whatever the order given", () => {
    assert.deepEqual(files(["-r", "z", "a", "-r", "m", "B"]), [
      "B",
      "a",
      "m",
      "z",
    ]);
  });
  await t.step("- is standard input", () => {
    assert.deepEqual(files(["-r", "-"]), ["-"]);
  });
  await t.step("a word with blanks is several files", () => {
    assert.deepEqual(files(["-r", "b a\tc"]), ["a", "b", "c"]);
  });
  await t.step("a word after the files is a file too: '-' ends them", () => {
    assert.deepEqual(files(["-r", "a", "tcp"]), ["a", "tcp"]);
    const o = parse(["-X", "-r", "a", "-", "tcp"]);
    assert.deepEqual(o.readFiles, ["a"]);
    assert.equal(o.filter, "tcp");
  });
  await t.step("empty words are no files", () => {
    assert.deepEqual(files(["-r", "a", ""]), ["a"]);
  });
});

Deno.test("parseArgusOptions() takes -w outputs and their filters", async (t) => {
  await t.step(
    "the man page's two streams, each with its filter, and - ip",
    () => {
      const o = parse([
        "-X",
        "-w",
        "argus-udp://224.0.20.21:561",
        "icmp",
        "-w",
        "argus-udp://224.0.20.21:562",
        "not icmp",
        "-",
        "ip",
      ]);
      assert.deepEqual(o.outputs, [
        { target: "argus-udp://224.0.20.21:561", filter: "icmp" },
        { target: "argus-udp://224.0.20.21:562", filter: "not icmp" },
      ]);
      assert.equal(o.filter, "ip");
    },
  );
  await t.step(
    "the word after a -w target is its filter, the rest the capture filter",
    () => {
      const o = parse(["-X", "-w", "x", "icmp", "tcp"]);
      assert.deepEqual(o.outputs, [{ target: "x", filter: "icmp" }]);
      assert.equal(o.filter, "tcp");
    },
  );
  await t.step("-w - and a filter", () => {
    assert.deepEqual(parse(["-X", "-w", "-", "icmp"]).outputs, [{
      target: "-",
      filter: "icmp",
    }]);
  });
  await t.step("an empty filter is none (argus writes every record)", () => {
    assert.deepEqual(parse(["-X", "-w", "x", ""]).outputs, [{ target: "x" }]);
  });
  await t.step(
    "the first -w replaces configured outputs, later ones add",
    () => {
      const conf = { "c.conf": "ARGUS_OUTPUT_FILE=/var/log/a.out\n" };
      assert.deepEqual(
        parse(["-F", "c.conf", "-w", "x", "-w", "y"], conf).outputs,
        [
          { target: "x" },
          { target: "y" },
        ],
      );
    },
  );
  await t.step("a file read after -w replaces its outputs", () => {
    const conf = { "c.conf": "ARGUS_OUTPUT_FILE=/var/log/a.out\n" };
    assert.deepEqual(
      parse(["-w", "x", "-F", "c.conf", "-w", "y"], conf).outputs,
      [
        { target: "/var/log/a.out" },
        { target: "y" },
      ],
    );
  });
  await t.step("-X drops command-line outputs too", () => {
    assert.deepEqual(parse(["-w", "a", "-X", "-w", "b"]).outputs, [{
      target: "b",
    }]);
    assert.deepEqual(parse(["-w", "a", "-X"]).outputs, []);
  });
});

Deno.test("parseArgusOptions() builds the capture filter from the words left over", async (t) => {
  const filter = (argv: string[], env: ArgusOptionsEnv = {}) =>
    parse(argv, { "f.conf": 'ARGUS_FILTER="udp"\n' }, env).filter;
  await t.step("words after a lone -", () => {
    assert.equal(
      filter(["-X", "-r", "a", "-", "tcp", "and", "not", "port", "22"]),
      "tcp and not port 22",
    );
  });
  await t.step("options after the filter still count (GNU getopt)", () => {
    const o = parse(["-X", "-r", "a", "-", "udp", "-S", "3"]);
    assert.equal(o.filter, "udp");
    assert.equal(o.statusInterval, 3);
  });
  await t.step(
    "with POSIXLY_CORRECT everything after - is filter, minus dashed words",
    () => {
      assert.equal(
        filter(["-X", "-r", "a", "-", "udp", "-S", "3"], {
          posixlyCorrect: true,
        }),
        "udp 3",
      );
    },
  );
  await t.step("words after -- , dashed ones dropped", () => {
    assert.equal(filter(["-X", "-r", "a", "--", "udp", "-S"]), "udp");
  });
  await t.step("words before the options", () => {
    assert.equal(filter(["-X", "udp", "-r", "a"]), "udp");
  });
  await t.step("ARGUS_FILTER when the command line has none", () => {
    assert.equal(filter(["-F", "f.conf", "-r", "a"]), "udp");
  });
  await t.step("a lone - replaces ARGUS_FILTER with nothing", () => {
    assert.equal(filter(["-F", "f.conf", "-r", "a", "-"]), "");
  });
  await t.step("-X clears ARGUS_FILTER", () => {
    assert.equal(filter(["-F", "f.conf", "-X", "-r", "a"]), "");
  });
  await t.step("hasFilter tells no filter from an empty one", () => {
    const has = (argv: string[]) =>
      parse(argv, { "f.conf": 'ARGUS_FILTER=""\n' }).hasFilter;
    assert.equal(has(["-X", "-r", "a"]), false);
    assert.equal(has(["-X", "-r", "a", "-"]), true);
    assert.equal(has(["-F", "f.conf"]), true);
    assert.equal(has(["-F", "f.conf", "-X"]), false);
  });
});

Deno.test("parseArgusOptions() reads configuration in argus's order", async (t) => {
  const files = {
    "/etc/argus.conf": "ARGUS_FLOW_STATUS_INTERVAL=30\nARGUS_MONITOR_ID=7\n",
    "f.conf":
      'ARGUS_FLOW_STATUS_INTERVAL=60\nARGUS_OUTPUT_FILE=/var/log/argus.out\nARGUS_MONITOR_ID="sens"\n',
  };
  await t.step("/etc/argus.conf without -X or -F", () => {
    const o = parse(["-r", "a"], files);
    assert.equal(o.statusInterval, 30);
    assert.deepEqual(o.srcid, { type: SrcIdType.int, value: 7 });
  });
  await t.step("not with -F", () => {
    assert.deepEqual(parse(["-F", "f.conf"], files).srcid.value, 0x73656e73);
  });
  await t.step("not with -X", () => {
    assert.equal(parse(["-X", "-r", "a"], files).statusInterval, 5);
  });
  await t.step("-F where it stands: after -S it wins", () => {
    assert.equal(parse(["-S", "10", "-F", "f.conf"], files).statusInterval, 60);
  });
  await t.step("-F where it stands: -S after it wins", () => {
    assert.equal(parse(["-F", "f.conf", "-S", "10"], files).statusInterval, 10);
  });
  await t.step("-X after -F clears what it set", () => {
    const o = parse(["-F", "f.conf", "-X"], files);
    assert.equal(o.statusInterval, 5);
    assert.deepEqual(o.outputs, []);
    assert.deepEqual(o.srcid, { type: 0, value: 0 });
  });
  await t.step("-F after -X applies", () => {
    assert.equal(parse(["-X", "-F", "f.conf"], files).statusInterval, 60);
  });
  await t.step("-X keeps what argus's reset keeps (-Z, -D, -d)", () => {
    const o = parse(["-Z", "-D", "3", "-X"], files);
    assert.equal(o.packetSize, true);
    assert.equal(o.debugLevel, 3);
    assert.equal(parse(["-d", "-X"], files).daemon, true);
  });
  await t.step("an unreadable /etc/argus.conf is skipped", () => {
    assert.equal(parse(["-r", "a"], {}).statusInterval, 5);
  });
  await t.step("a missing -F file is an error naming it", () => {
    assert.throws(
      () => parse(["-F", "nope.conf"], files),
      (e) =>
        e instanceof ConfigError && e.code === 2 &&
        e.message === 'Cannot read configuration "nope.conf": no such file',
    );
  });
  await t.step("a real file through the default reader", () => {
    const o = parseArgusOptions(["-F", `${DATA}argus.conf`], {
      systemConf: "/nonexistent",
    });
    assert.deepEqual(o.outputs, [
      { target: "/var/log/argus/argus.out" },
      { target: "/var/log/argus/icmp.out", filter: "icmp" },
    ]);
    assert.equal(o.statusInterval, 10);
    assert.equal(o.marInterval, 300);
    assert.equal(o.filter, "ip and not port 22");
    assert.equal(o.optimizeFilter, true);
    assert.deepEqual(o.srcid, { type: SrcIdType.string, value: 0x73656e73 });
  });
});

Deno.test("readsSystemConf() copies argus's pre-scan of the command line", async (t) => {
  const cases: [string, string[], boolean][] = [
    ["no options", [], true],
    ["-X", ["-r", "a", "-X"], false],
    ["-F in a cluster", ["-dF", "c"], false],
    ["X as a letter of an option argument", ["-rX.pcap"], false],
    ["-e's argument starting with F", ["-eFoo"], false],
    ["after a lone -, nothing is looked at", ["-r", "-", "-X"], true],
    ["-D's level is skipped", ["-D", "3", "-S5"], true],
    ["-DX: the X is -D's argument", ["-DX"], true],
    ["-D3X: the X is an option", ["-D3X"], false],
    ["non-letters end a cluster", ["-S5X"], true],
    ["-- does not stop the scan", ["--", "-X"], false],
  ];
  for (const [name, argv, reads] of cases) {
    await t.step(name, () => assert.equal(readsSystemConf(argv), reads));
  }
});

Deno.test("parseArgusOptions() maps argus.conf variables onto options", async (t) => {
  const conf = (text: string, argv: string[] = []) =>
    parse(["-F", "c", ...argv], { c: text });
  await t.step("booleans are 'yes' prefixes, any case", () => {
    const o = conf(
      "ARGUS_GENERATE_MAC_DATA=Yes please\nARGUS_GENERATE_JITTER_DATA=no\nARGUS_GO_PROMISCUOUS=nope\nARGUS_DAEMON=YES\n",
    );
    assert.equal(o.macs, true);
    assert.equal(o.jitter, false);
    assert.equal(o.promiscuous, false);
    assert.equal(o.daemon, true);
  });
  await t.step("-d toggles ARGUS_DAEMON", () => {
    assert.equal(conf("ARGUS_DAEMON=yes\n", ["-d"]).daemon, false);
  });
  await t.step("each file's first output replaces the ones before", () => {
    const o = parse(["-F", "a", "-F", "b"], {
      a: "ARGUS_OUTPUT_FILE=/x\nARGUS_OUTPUT_FILE=/y\n",
      b: "ARGUS_OUTPUT_STREAM=argus-udp://h\n",
    });
    assert.deepEqual(o.outputs, [{ target: "argus-udp://h" }]);
  });
  await t.step(
    "output filters: unquoted, quoted, single-quoted, and lost",
    () => {
      const o = conf([
        "ARGUS_OUTPUT_FILE=/a icmp and host 10.0.0.1",
        'ARGUS_OUTPUT_FILE="/b not icmp"',
        "ARGUS_OUTPUT_STREAM=\"argus-udp://h:561 'tcp and not udp'\"",
        'ARGUS_OUTPUT_FILE=/c "icmp"',
        "ARGUS_OUTPUT_FILE=/d ",
      ].join("\n"));
      assert.deepEqual(o.outputs, [
        { target: "/a", filter: "icmp and host 10.0.0.1" },
        { target: "/b", filter: "not icmp" },
        { target: "argus-udp://h:561", filter: "tcp and not udp" },
        { target: "/c" },
        { target: "/d" },
      ]);
    },
  );
  await t.step("ARGUS_INTERFACE lines add up; -i replaces them", () => {
    assert.deepEqual(
      conf("ARGUS_INTERFACE=eth0\nARGUS_INTERFACE=eth1\n").interfaces,
      ["eth0", "eth1"],
    );
    assert.deepEqual(
      conf("ARGUS_INTERFACE=eth0\n", ["-i", "en0", "en1", "-i", "en2"])
        .interfaces,
      ["en0 en1", "en2"],
    );
  });
  await t.step("ARGUS_BIND_IP lines add up", () => {
    assert.deepEqual(
      conf('ARGUS_BIND_IP="::1,127.0.0.1"\nARGUS_BIND_IP=10.0.0.1\n')
        .bindAddresses,
      ["::1", "127.0.0.1", "10.0.0.1"],
    );
  });
  await t.step("ARGUS_CAPTURE_DATA_LEN grows the snaplen", () => {
    const o = conf("ARGUS_CAPTURE_DATA_LEN=32\n");
    assert.equal(o.userData, 32);
    assert.equal(o.snaplen, 128);
  });
  await t.step("Debian's FLOW_TYPE and FLOW_KEY are the defaults", () => {
    const o = conf(
      'ARGUS_FLOW_TYPE="Bidirectional"\nARGUS_FLOW_KEY="CLASSIC_5_TUPLE"\n',
    );
    assert.equal(o.confOnly.bidirectional, true);
    assert.deepEqual(o.unimplemented, []);
  });
  await t.step("numbers may have trailing blanks", () => {
    const o = conf("ARGUS_ACCESS_PORT=561 \nARGUS_FLOW_STATUS_INTERVAL=7\t\n", [
      "-f",
      "-r",
      "a",
    ]);
    assert.equal(o.accessPort, 561);
    assert.equal(o.statusInterval, 7);
  });
  await t.step("timeouts at their defaults are not refused", () => {
    assert.deepEqual(
      conf("ARGUS_TCP_TIMEOUT=60\nARGUS_IP_TIMEOUT=0\n").unimplemented,
      [],
    );
    assert.deepEqual(conf("ARGUS_TCP_TIMEOUT=120\n").unimplemented, [
      "ARGUS_TCP_TIMEOUT",
    ]);
  });
  await t.step("ARGUS_MONITOR_ID forms", () => {
    const id = (v: string) => conf(`ARGUS_MONITOR_ID=${v}\n`).srcid;
    assert.deepEqual(id('"abcdef"'), {
      type: SrcIdType.string,
      value: 0x61626364,
    });
    assert.deepEqual(id('"ab" // two'), {
      type: SrcIdType.string,
      value: 0x61620000,
    });
    assert.deepEqual(id("1234"), { type: SrcIdType.int, value: 1234 });
    assert.deepEqual(id("5 // c"), { type: SrcIdType.int, value: 5 });
    // The blank left before a second blank makes it an inet_aton address.
    assert.deepEqual(id("1234 "), { type: SrcIdType.ipv4, value: 1234 });
    assert.deepEqual(id("5  // c"), { type: SrcIdType.ipv4, value: 5 });
    // `hostname` is this host's name without ".local", then resolved.
    assert.deepEqual(id("`hostname`"), {
      type: SrcIdType.ipv4,
      value: 0xc0000201,
    });
  });
});

Deno.test("parseArgusOptions() reads -S and -M as argus does", async (t) => {
  const us = (argv: string[]) => {
    const o = parse(["-X", ...argv]);
    return [o.statusIntervalUs, o.marIntervalUs];
  };
  // Each checked against the installed argus (see the oracle test below).
  await t.step(
    "whole seconds",
    () => assert.deepEqual(us(["-S", "2", "-M", "30"]), [2e6, 30e6]),
  );
  await t.step(
    "a half",
    () => assert.deepEqual(us(["-S", "2.5"])[0], 2_500_000),
  );
  await t.step(
    "-S 2.7 is 2.299999 s (remainderf)",
    () => assert.equal(us(["-S", "2.7"])[0], 2_299_999),
  );
  await t.step(
    "-S 0.75 is 0.25 s",
    () => assert.equal(us(["-S", "0.75"])[0], 250_000),
  );
  await t.step("-S .5 and -S 3.", () => {
    assert.equal(us(["-S", ".5"])[0], 500_000);
    assert.equal(us(["-S", "3."])[0], 3_000_000);
  });
  await t.step("a whole number keeps the fraction before it", () => {
    assert.equal(us(["-S", "0.5", "-S", "2"])[0], 2_500_000);
    assert.equal(us(["-S", "0.5", "-X"])[0], 5_500_000);
  });
  await t.step(
    "-M takes fractions as they are",
    () => assert.equal(us(["-M", "2.7"])[1], 2_700_000),
  );
  await t.step(
    "-S 0 is allowed (a record per packet)",
    () => assert.equal(us(["-S", "0"])[0], 0),
  );
  await t.step("the functions alone", () => {
    assert.equal(flowStatusInterval("3.5", 0), 3_500_000);
    assert.equal(flowStatusInterval("7", 250_000), 7_250_000);
    assert.equal(marInterval("0.000001"), 1);
  });
});

Deno.test("parseArgusOptions() encodes -e as argus does", async (t) => {
  const id = (v: string) => parse(["-X", "-e", v]).srcid;
  const cases: [string, string, number, number][] = [
    ["a number", "1234", SrcIdType.int, 1234],
    [
      "a number past 32 bits keeps the low ones",
      "99999999999",
      SrcIdType.int,
      1215752191,
    ],
    [
      "a number past 64 bits saturates",
      "99999999999999999999999",
      SrcIdType.int,
      0xffffffff,
    ],
    ["an address", "10.1.2.3", SrcIdType.ipv4, 0x0a010203],
    ["a short address", "10.1", SrcIdType.ipv4, 0x0a000001],
    ["a hex number is an address", "0x10", SrcIdType.ipv4, 16],
    ["an octal part", "012.1.1.1", SrcIdType.ipv4, 0x0a010101],
    ["a host name", "sensor1", SrcIdType.ipv4, 0xc0000201],
    ["a string, cut to four bytes", '"abcdef"', SrcIdType.string, 0x61626364],
    ["a short string", '"ab"', SrcIdType.string, 0x61620000],
    [
      "a string without its closing quote",
      '"abc',
      SrcIdType.string,
      0x61626300,
    ],
    ["an empty string", '""', SrcIdType.string, 0],
    ["UTF-8 bytes, not characters", '"é€"', SrcIdType.string, 0xc3a9e282],
  ];
  for (const [name, text, type, value] of cases) {
    await t.step(name, () => assert.deepEqual(id(text), { type, value }));
  }
  await t.step("inetAton() refusals", () => {
    for (
      const bad of [
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.256",
        "08",
        "0x",
        "1..2",
        "1.2.3.4x",
        "a",
      ]
    ) {
      assert.equal(inetAton(bad), undefined, bad);
    }
    assert.equal(inetAton("1.2.3.4 junk"), 0x01020304);
    assert.equal(inetAton("1.65535"), 0x0100ffff);
  });
  await t.step("the /etc/hosts resolver knows localhost", () => {
    assert.deepEqual(parseSourceId("localhost"), {
      type: SrcIdType.ipv4,
      value: 0x7f000001,
    });
  });
});

Deno.test("parseArgusOptions() turns off what reading files turns off", async (t) => {
  await t.step("-d, -B and -P with -r", () => {
    const o = parse(["-X", "-d", "-B", "127.0.0.1", "-P", "561", "-r", "a"]);
    assert.equal(o.daemon, false);
    assert.deepEqual(o.bindAddresses, []);
    assert.equal(o.accessPort, 0);
    assert.deepEqual(o.unimplemented, []);
  });
  await t.step("-f keeps -P", () => {
    assert.equal(parse(["-X", "-f", "-P", "561", "-r", "a"]).accessPort, 561);
  });
  await t.step("-T keeps them all", () => {
    const o = parse(["-X", "-T", "1", "-d", "-P", "561", "-r", "a"]);
    assert.equal(o.daemon, true);
    assert.equal(o.accessPort, 561);
  });
});

Deno.test("parseArgusOptions() snaplen follows -s, -U and -C in order", () => {
  assert.equal(parse(["-X", "-s", "1500"]).snaplen, 1500);
  assert.equal(parse(["-X", "-U", "100"]).snaplen, 196);
  assert.equal(parse(["-X", "-U", "100", "-s", "200"]).snaplen, 200);
  assert.equal(parse(["-X", "-C", "-U", "100"]).snaplen, 65535);
});

Deno.test("parseArgusOptions() -N forms", async (t) => {
  const range = (v: string) => {
    const o = parse(["-X", "-N", v]);
    return [o.skipPackets, o.lastPacket];
  };
  await t.step("a count", () => assert.deepEqual(range("10"), [0, 10]));
  await t.step("a range", () => assert.deepEqual(range("5-12"), [5, 12]));
  await t.step(
    "0 is every packet",
    () => assert.deepEqual(range("0"), [0, Infinity]),
  );
  await t.step(
    "an empty range",
    () => assert.deepEqual(range("12-5"), [12, 5]),
  );
});

Deno.test("parseArgusOptions() lists what is not implemented yet", async (t) => {
  await t.step("flags", () => {
    const o = parse([
      "-X",
      "-A",
      "-J",
      "-R",
      "-Z",
      "-m",
      "-U",
      "8",
      "-C",
      "-t",
      "-r",
      "a",
    ]);
    // -A, -C, -J, -m, -R (a no-op in argus 3.0.8), -t and -Z are
    // implemented.
    assert.deepEqual(o.unimplemented, []);
    assert.equal(o.unsupported, o.unimplemented);
  });
  await t.step(
    "live capture, UDP streams and cisco files are supported; sflow not",
    () => {
      assert.deepEqual(parse(["-X", "-i", "eth0"]).unimplemented, []);
      assert.deepEqual(
        parse(["-X", "-r", "cisco:a", "-w", "udp://h", "-w", "f", "icmp"])
          .unimplemented,
        [],
      );
      assert.deepEqual(
        parse(["-X", "-r", "sflow:a", "-w", "f"]).unimplemented,
        ["-r sflow:a"],
      );
    },
  );
  await t.step("privileges and daemon mode are supported", () => {
    assert.deepEqual(
      parse([
        "-X",
        "-u",
        "nobody",
        "-g",
        "nogroup",
        "-c",
        "/var/empty",
        "-r",
        "a",
      ]).unimplemented,
      [],
    );
    assert.deepEqual(parse(["-X", "-d", "-i", "eth0"]).unimplemented, []);
  });
  await t.step("the message", () => {
    assert.equal(
      unimplementedMessage(["-J"]),
      "option -J is not supported yet",
    );
    assert.equal(
      unimplementedMessage(["-J", "ARGUS_ENV"]),
      "not supported yet: -J, ARGUS_ENV",
    );
  });
});

Deno.test("parseArgusOptions() -h", async (t) => {
  await t.step("asks for help", () => assert.equal(parse(["-h"]).help, true));
  await t.step("wins over errors after it, as argus stops there", () => {
    assert.equal(parse(["-h", "-q", "-S", "x"]).help, true);
  });
  await t.step("loses to an error before it", () => {
    assert.throws(() => parse(["-q", "-h"]), UsageError);
    assert.throws(() => parse(["-S", "x", "-h"]), UsageError);
  });
  await t.step("text", async () => {
    // A fixed version keeps the snapshot still when VERSION moves.
    await t.assertSnapshot(argusUsage("<version>"));
    assert.ok(argusUsage(VERSION).startsWith(`Argus Version ${VERSION}\n`));
  });
});

Deno.test("parseArgusOptions() refuses bad values with one line each", async (t) => {
  const cases: [string[], string, Record<string, string>?][] = [
    [["-q"], "invalid option -- 'q'"],
    [["-l"], "invalid option -- 'l'"],
    [["-S"], "option requires an argument -- 'S'"],
    [["-S", "abc"], '-S "abc": not a number of seconds'],
    [["-S", "1m"], '-S "1m": not a number of seconds'],
    [["-S", "-5"], '-S "-5": not a number of seconds'],
    [["-S", "9999999999"], '-S "9999999999": more than 2147483647 seconds'],
    [["-M", "7x"], '-M "7x": not a number of seconds'],
    [["-N", "x"], '-N "x": not a packet count or start-end range'],
    [["-N", "5-"], '-N "5-": not a packet count or start-end range'],
    [["-P", "99999"], '-P "99999": not a number from 0 to 65535'],
    [["-s", "big"], '-s "big": not a number from 0 to 262144'],
    [["-U", "-1"], '-U "-1": not a number from 0 to 2147483647'],
    [["-D", "x"], '-D "x": not a number from 0 to 2147483647'],
    [["-T", "fast"], '-T "fast": not a timescale like 1 or 0.5'],
    [
      ["-e", "-5"],
      '-e "-5": not a number, an IPv4 address, a host name or a "string"',
    ],
    [
      ["-e", "`hostname`"],
      '-e "`hostname`": not a number, an IPv4 address, a host name or a "string"',
    ],
    [["-e", "no.such.host"], '-e "no.such.host": unknown host'],
    [["-w", "-foo"], '-w "-foo": not a file name, URL or "-"'],
    [
      ["-F", "c"],
      'Configuration "c" line 2: ARGUS_FLOW_STATUS_INTERVAL "abc": not a number of seconds',
      {
        c: "# c\nARGUS_FLOW_STATUS_INTERVAL=abc\n",
      },
    ],
    [
      ["-F", "c"],
      'Configuration "c" line 1: ARGUS_FILTER: string unterminated',
      { c: 'ARGUS_FILTER="ip\n' },
    ],
    [
      ["-F", "c"],
      'Configuration "c" line 1: ARGUS_MONITOR_ID: unsupported command `date`',
      {
        c: "ARGUS_MONITOR_ID=`date`\n",
      },
    ],
    [["-F", "c"], 'Configuration "c" line 1: ARGUS_MONITOR_ID: syntax error', {
      c: "ARGUS_MONITOR_ID=`hostname\n",
    }],
    [
      ["-F", "c"],
      'Configuration "c" line 1: ARGUS_OUTPUT_FILE: no output named',
      { c: "ARGUS_OUTPUT_FILE=\n" },
    ],
    [
      ["-F", "c"],
      'Configuration "c" line 1: ARGUS_PCAP_BUF_SIZE "lots": not a size like 8M',
      {
        c: "ARGUS_PCAP_BUF_SIZE=lots\n",
      },
    ],
    [
      ["-F", "c"],
      'Configuration "c" line 1: ARGUS_ACCESS_PORT "port": not a number from 0 to 65535',
      {
        c: "ARGUS_ACCESS_PORT=port\n",
      },
    ],
  ];
  for (const [argv, message, files] of cases) {
    await t.step(
      argv.join(" ") + (files ? ` (${Object.values(files)[0]!.trim()})` : ""),
      () => {
        assert.throws(
          () => parse(["-X", ...argv], files),
          (e) =>
            e instanceof UsageError && e.code === 2 && e.message === message,
        );
      },
    );
  }
});

Deno.test("ARGUS_OPTIONS has the installed argus's getopt letters", () => {
  let spec = "AbB:c:CdD:e:fF:g:i:JmM:N:OP:pRr:S:s:tT:u:U:w:XZh";
  if (haveRealArgus()) {
    // Read it out of the binary, so a different build shows up here.
    const bin = new TextDecoder("latin1").decode(
      Deno.readFileSync("/usr/sbin/argus"),
    );
    spec = /AbB:[A-Za-z:]+/.exec(bin)?.[0] ?? spec;
  }
  const theirs = [...spec.matchAll(/([A-Za-z])(:?)/g)].map((m) =>
    `${m[1]}${m[2]}`
  ).sort();
  const ours = ARGUS_OPTIONS.map((o) =>
    `${o.letter}${o.arg === "none" ? "" : ":"}`
  ).sort();
  assert.deepEqual(ours, theirs);
});

// ---------------------------------------------------------------------------
// The installed argus as the oracle: the same command lines, their effects
// observed through -b (the compiled filter), ra (source ids, record times)
// and the files written.

const ARGUS = "/usr/sbin/argus";
const ORACLE = { ignore: !haveRealArgus() };

/** A scratch directory with the inputs the oracle runs share. */
async function scratch(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "argus-options-" });
  // UDP every 10 ms for 10 s: status records show the interval to 10 ms.
  const packets = [];
  for (let i = 0; i < 1000; i++) {
    const ip = ipv4Packet(
      "10.0.0.1",
      "10.0.0.2",
      17,
      udp(1000, 2000, [1, 2, 3, 4]),
    );
    packets.push({
      time: 1_700_000_000_000_000 + i * 10_000,
      data: ether("00:00:00:00:00:02", "00:00:00:00:00:01", 0x0800, ip),
    });
  }
  await Deno.writeFile(`${dir}/fine.pcap`, pcapFile(packets));
  return dir;
}

/** Runs the real argus in `dir`; its output files are relative to it. */
async function argus(dir: string, args: string[]) {
  const r = await run("/usr/bin/env", ["-C", dir, ARGUS, ...args]);
  return r;
}

/** ra's values of `field` for each flow record of a file. */
async function raField(file: string, field: string): Promise<string[]> {
  const r = await run("/usr/bin/ra", [
    "-X",
    "-n",
    "-u",
    "-r",
    file,
    "-s",
    field,
  ]);
  return r.stdout.split("\n").slice(1).map((l) => l.trim()).filter(Boolean);
}

Deno.test({
  name: "oracle: -r files are read in name order",
  ...ORACLE,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "argus-options-" });
    try {
      // Corpus file n starts at 1700000000 + 3600·n s, so the hour of the
      // first record of each run of records tells which file it came from.
      const sources = ["arp.pcap", "icmp.pcap", "udp-dns.pcap"];
      const names = ["z.pcap", "a.pcap", "m.pcap"];
      const hour = new Map<number, string>();
      for (let i = 0; i < 3; i++) {
        await Deno.copyFile(`${CORPUS}${sources[i]}`, `${dir}/${names[i]}`);
        const first = await run("/usr/bin/env", [
          "-C",
          dir,
          ARGUS,
          "-X",
          "-r",
          names[i]!,
          "-w",
          `${names[i]}.argus`,
        ]);
        assert.equal(first.code, 0);
        const t = Number(
          (await raField(`${dir}/${names[i]}.argus`, "stime"))[0],
        );
        hour.set(Math.floor(t / 3600), names[i]!);
      }
      const argv = [
        "-X",
        "-r",
        "z.pcap",
        "a.pcap",
        "-r",
        "m.pcap",
        "-w",
        "all.argus",
      ];
      assert.equal((await argus(dir, argv)).code, 0);
      const order: string[] = [];
      for (const t of await raField(`${dir}/all.argus`, "stime")) {
        const name = hour.get(Math.floor(Number(t) / 3600))!;
        if (order.at(-1) !== name) order.push(name);
      }
      assert.deepEqual(order, parse(argv).readFiles);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "oracle: the capture filter and optimizer argus compiles (-b)",
  ...ORACLE,
  fn: async (t) => {
    const dir = await scratch();
    await Deno.writeTextFile(`${dir}/f.conf`, 'ARGUS_FILTER="udp"\n');
    await Deno.writeTextFile(`${dir}/empty.conf`, "# nothing\n");
    const files = {
      "f.conf": 'ARGUS_FILTER="udp"\n',
      "empty.conf": "# nothing\n",
    };
    const cases: string[][] = [
      ["-X", "-r", "fine.pcap", "-", "udp", "-S", "3"],
      ["-X", "-r", "fine.pcap", "--", "udp", "-S"],
      ["-X", "-r", "fine.pcap", "-w", "o.argus", "icmp", "udp"],
      ["-X", "udp", "and", "port", "53", "-r", "fine.pcap"],
      ["-F", "f.conf", "-r", "fine.pcap"],
      ["-F", "f.conf", "-r", "fine.pcap", "-"],
      ["-F", "f.conf", "-X", "-r", "fine.pcap"],
      // No -X: argus's optimizer stays off.
      ["-F", "empty.conf", "-r", "fine.pcap", "-", "udp"],
      ["-X", "-O", "-r", "fine.pcap", "-", "udp"],
    ];
    try {
      for (const argv of cases) {
        await t.step(argv.join(" "), async () => {
          const ours = parse(argv, files);
          const [theirs, expect] = await Promise.all([
            argus(dir, ["-b", ...argv]),
            argus(dir, [
              "-X",
              ...(ours.optimizeFilter ? [] : ["-O"]),
              "-b",
              "-r",
              "fine.pcap",
              "-",
              ...(ours.filter ? [ours.filter] : []),
            ]),
          ]);
          if (ours.hasFilter) {
            assert.match(theirs.stdout, /^\(000\)/);
            assert.equal(theirs.stdout, expect.stdout);
          } else {
            assert.equal(
              theirs.stdout,
              "",
              "argus ignores -b without a filter",
            );
          }
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** How ra prints a source id of each type. */
function raSrcid(id: { type: number; value: number }): string {
  if (id.type === SrcIdType.int) return String(id.value | 0);
  if (id.type === SrcIdType.string) {
    const bytes = [24, 16, 8, 0].map((s) => (id.value >>> s) & 0xff).filter((
      b,
    ) => b !== 0);
    return String.fromCharCode(...bytes);
  }
  return [24, 16, 8, 0].map((s) => (id.value >>> s) & 0xff).join(".");
}

Deno.test({
  name: "oracle: source ids as ra reads them",
  ...ORACLE,
  fn: async (t) => {
    const dir = await scratch();
    const confs: Record<string, string> = {
      "trailing.conf": "ARGUS_MONITOR_ID=1234 \n",
      "comment.conf": "ARGUS_MONITOR_ID=5  // two blanks\n",
      "string.conf": 'ARGUS_MONITOR_ID="sensor"\n',
      "hostname.conf": "ARGUS_MONITOR_ID=`hostname`\n",
    };
    for (const [name, text] of Object.entries(confs)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    const cases: string[][] = [
      ["-X", "-e", "10.1"],
      ["-X", "-e", "0x10"],
      ["-X", "-e", "99999999999"],
      ["-X", "-e", "4294967295"],
      ["-X", "-e", '"abcdef"'],
      ["-X", "-e", "localhost"],
      ["-X", "-e", "5", "-X"],
      ...Object.keys(confs).map((c) => ["-X", "-F", c]),
    ];
    try {
      for (const [i, argv] of cases.entries()) {
        await t.step(argv.join(" "), async () => {
          const ours = parseArgusOptions(argv, {
            systemConf: "/nonexistent",
            readFile: (p) => confs[p]!,
            hostname: () => Deno.hostname(),
          });
          const out = `id${i}.argus`;
          const r = await argus(dir, [...argv, "-r", "fine.pcap", "-w", out]);
          assert.equal(r.code, 0, r.stderr);
          const seen = new Set(await raField(`${dir}/${out}`, "srcid"));
          assert.deepEqual([...seen], [raSrcid(ours.srcid)]);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "oracle: status intervals, from record start times",
  ...ORACLE,
  fn: async (t) => {
    const dir = await scratch();
    const confs: Record<string, string> = {
      "s3.conf": "ARGUS_FLOW_STATUS_INTERVAL=3 // seconds\n",
      "s1.conf": "ARGUS_FLOW_STATUS_INTERVAL=1.25\n",
    };
    for (const [name, text] of Object.entries(confs)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    const cases: string[][] = [
      ["-X", "-S", "2.7"],
      ["-X", "-S", "0.75"],
      ["-X", "-S", "0.5", "-S", "2"],
      ["-X", "-S", "0.3", "-X"],
      ["-X", "-F", "s3.conf"],
      ["-X", "-S", "4", "-F", "s1.conf"],
      ["-X", "-F", "s1.conf", "-S", "2"],
    ];
    try {
      for (const [i, argv] of cases.entries()) {
        await t.step(argv.join(" "), async () => {
          const ours = parse(argv, confs).statusIntervalUs;
          // A fraction up to a half is one argus takes as written, so the
          // second run states our value in a form argus cannot bend.
          assert.ok(
            ours % 1e6 <= 500_000,
            `${ours} µs has a fraction argus cannot be given`,
          );
          const [a, b] = await Promise.all([
            argus(dir, [...argv, "-r", "fine.pcap", "-w", `a${i}.argus`]),
            argus(dir, [
              "-X",
              "-S",
              (ours / 1e6).toFixed(3),
              "-r",
              "fine.pcap",
              "-w",
              `b${i}.argus`,
            ]),
          ]);
          assert.equal(a.code + b.code, 0);
          const theirs = await raField(`${dir}/a${i}.argus`, "stime");
          assert.ok(theirs.length >= 2);
          assert.deepEqual(
            theirs,
            await raField(`${dir}/b${i}.argus`, "stime"),
          );
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "oracle: which outputs argus writes, and their record filters",
  ...ORACLE,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "argus-options-" });
    await Deno.copyFile(`${CORPUS}icmp.pcap`, `${dir}/icmp.pcap`);
    const confs: Record<string, string> = {
      "o.conf":
        'ARGUS_OUTPUT_FILE=c.argus\nARGUS_OUTPUT_FILE=d.argus "icmp"\nARGUS_OUTPUT_FILE="e.argus icmp"\n',
    };
    for (const [name, text] of Object.entries(confs)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    const cases: string[][] = [
      ["-X", "-w", "a.argus", "-X", "-w", "b.argus"],
      ["-X", "-w", "a.argus", "-F", "o.conf"],
      ["-X", "-F", "o.conf", "-w", "a.argus", "-w", "b.argus", "icmp"],
    ];
    const counts = async (file: string) =>
      (await raField(`${dir}/${file}`, "proto")).length;
    try {
      for (const argv of cases) {
        await t.step(argv.join(" "), async () => {
          for (const f of ["a", "b", "c", "d", "e"]) {
            await Deno.remove(`${dir}/${f}.argus`).catch(() => {});
          }
          const r = await argus(dir, [...argv, "-r", "icmp.pcap"]);
          assert.equal(r.code, 0, r.stderr);
          const written = [...Deno.readDirSync(dir)].map((e) => e.name).filter((
            n,
          ) => n.endsWith(".argus")).sort();
          const ours = parse(argv, confs).outputs;
          assert.deepEqual(written, ours.map((o) => o.target).sort());
          const all = 18; // flow records argus makes of icmp.pcap
          for (const o of ours) {
            const n = await counts(o.target);
            if (o.filter === undefined) assert.equal(n, all, o.target);
            else assert.ok(n > 0 && n < all, `${o.target} is filtered`);
          }
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
