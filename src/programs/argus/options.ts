/**
 * argus(8)'s command line: the option table (parser and -h), and
 * parseArgusOptions, which applies options in order as argus 3.0.8.2 does:
 * /etc/argus.conf first unless -X or -F appears, -F reads a file where it
 * stands, -X resets what came before it, the first -w replaces configured
 * outputs, -r files are read in name order, and the words left over form
 * the capture filter (replacing ARGUS_FILTER).
 * @module
 */

import {
  ConfigError,
  getopt,
  type OptionSpec,
  parseConf,
  readConfText,
  renderHelp,
  UsageError,
} from "../../cli/mod.ts";
import {
  type ArgusOptions,
  clearConfiguration,
  DEFAULT_TIMEOUTS,
  defaultArgusOptions,
  setControlPlane,
  setMarInterval,
  setStatusInterval,
  setUserData,
  type TimeoutName,
} from "./argus_options.ts";
import { applyArgusConf, ARGUS_CONF_VARIABLES } from "./options_from_conf.ts";
import { parseCount } from "./parse_count.ts";
import { flowStatusInterval, marInterval } from "./report_interval.ts";
import {
  etcHostsResolver,
  type HostResolver,
  parseSourceId,
} from "./source_id.ts";

export type {
  ArgusOptions,
  ConfOnlySettings,
  OutputSpec,
} from "./argus_options.ts";
export { defaultArgusOptions } from "./argus_options.ts";
export type { SourceId } from "./source_id.ts";
export { parseSourceId, SrcIdType } from "./source_id.ts";

/**
 * argus's options in its -h order; the letters are the installed 3.0.8.2's
 * getopt string "AbB:c:CdD:e:fF:g:i:JmM:N:OP:pRr:S:s:tT:u:U:w:XZh" (the
 * 3.0.8.4 sources add -l; 3.0.8.2 refuses it). Wording follows its usage(),
 * with the real defaults (its text says 300s and 60s).
 */
export const ARGUS_OPTIONS: readonly OptionSpec[] = [
  { letter: "A", arg: "none", help: "Generate application byte metrics." },
  { letter: "b", arg: "none", help: "dump filter compiler output." },
  {
    letter: "B",
    arg: "one",
    argName: "addr[,addr]",
    help: "specify bind interface address(s).",
    collect: true,
  },
  { letter: "c", arg: "one", argName: "dir", help: "daemon chroot directory." },
  { letter: "C", arg: "none", help: "run in control plane monitoring mode." },
  { letter: "d", arg: "none", help: "run Argus in daemon mode." },
  {
    letter: "D",
    arg: "one",
    argName: "level",
    help: "set debug reporting <level>.",
  },
  {
    letter: "e",
    arg: "one",
    argName: "value",
    help: "specify Argus Identifier <value>.",
  },
  {
    letter: "f",
    arg: "none",
    help: "don't stop when EOF is seen, but wait for more\n" +
      "packets to arrive in packet capture file.",
  },
  {
    letter: "F",
    arg: "one",
    argName: "conffile",
    help: "read configuration from <conffile>.",
  },
  { letter: "h", arg: "none", help: "print help." },
  {
    letter: "i",
    arg: "many",
    argName: "interface",
    help: "specify interface to use as a packet source.",
    collect: true,
    helpMore: [
      "    Supported formats:",
      "       -i ind:all                    open all as independent sources.",
      "       -i dup:en0,en1/srcid          use two as duplex sources.",
      "       -i bond:en0,en1/srcid         use two as bonded interfaces.",
      "       -i dup:[bond:en0,en1],en2     complex specification.",
      "       -i en0/srcid -i en1/srcid     equivalent to '-i ind:en0/..'",
      "       -i en0 en1                    equivalent to '-i bond:en0,en1'",
    ],
  },
  { letter: "J", arg: "none", help: "generate packet performance data." },
  {
    letter: "M",
    arg: "one",
    argName: "secs",
    help: "set MAR Status Report Time Interval (60s).",
  },
  { letter: "m", arg: "none", help: "turn on MAC Layer Reporting." },
  {
    letter: "N",
    arg: "one",
    argName: "num|start-end",
    help: "read <num> packets, or packets <start>+1 to <end>.",
  },
  { letter: "O", arg: "none", help: "turn off filter optimizer." },
  { letter: "p", arg: "none", help: "don't go into promiscuous mode." },
  {
    letter: "P",
    arg: "one",
    argName: "portnum",
    help: "enable remote access on <portnum> (561).",
  },
  {
    letter: "r",
    arg: "many",
    argName: "file file ...",
    help: "use packet file as data source.",
    collect: true,
    helpMore: [
      "    Supported formats:",
      "       -r file file     read the files in name order, discover packet formats",
      "       -r -             read packets from stdin",
      "       -r cisco:file    open files and look for netflow records in packet payload",
    ],
  },
  { letter: "R", arg: "none", help: "generate response time data." },
  {
    letter: "s",
    arg: "one",
    argName: "bytes",
    help: "set the packet snaplen size.",
  },
  {
    letter: "S",
    arg: "one",
    argName: "secs",
    help: "set FAR Status Report Time Interval (5s).",
  },
  {
    letter: "t",
    arg: "none",
    help: "indicate that packetfile is MOAT Tsh format.",
  },
  {
    letter: "T",
    arg: "one",
    argName: "timescale",
    help: "play back packet files in real time, at <timescale> speed.",
  },
  {
    letter: "u",
    arg: "one",
    argName: "userid",
    help: "specify user id for daemon.",
  },
  {
    letter: "g",
    arg: "one",
    argName: "groupid",
    help: "specify group id for daemon.",
  },
  {
    letter: "U",
    arg: "one",
    argName: "bytes",
    help: "specify the number of user bytes to capture.",
  },
  {
    letter: "w",
    arg: "pair",
    argName: 'file ["filter"]',
    help: "write output to <file>, or '-', for stdout,\n" +
      "against optional filter expression.",
    collect: true,
    helpMore: [
      '-w <stream ["filter"]>  write output to URL based stream.',
      "    Supported formats:",
      "       -w argus-udp://hostname[:port]    default port is 561.",
      "       -w udp://hostname[:port]",
      "       -w -                              write to stdout",
    ],
  },
  { letter: "X", arg: "none", help: "reset argus configuration." },
  { letter: "Z", arg: "none", help: "generate packet size data." },
];

/** The one-line usage printed after a usage error. */
export const ARGUS_USAGE_LINE =
  'usage: argus [options] [-i interface | -r file ...] [-w file ["filter"]] [filter-expression]';

/** argus -h: argus 3.0.8.2's usage() layout, rendered from the table. */
export function argusUsage(version: string): string {
  return renderHelp([
    `Argus Version ${version}`,
    "usage: argus [options] [-i interface] [filter-expression]",
    "usage: argus [options]  -r packetfile [filter-expression]",
  ], ARGUS_OPTIONS);
}

/** Where parseArgusOptions looks outside argv (injectable for tests). */
export interface ArgusOptionsEnv {
  /**
   * The system configuration, read before the command line unless -X or
   * -F appears in it; silently skipped if it cannot be read, as in argus.
   * @default "/etc/argus.conf"
   */
  systemConf?: string;
  /** Reads a configuration file's text; throws if it cannot. */
  readFile?: (path: string) => string;
  /**
   * glibc getopt stops at the first operand when POSIXLY_CORRECT is set.
   * @default whether POSIXLY_CORRECT is in the environment
   */
  posixlyCorrect?: boolean;
  /** Host names for -e and ARGUS_MONITOR_ID. @default /etc/hosts */
  resolveHost?: HostResolver;
  /** What `hostname` prints. @default Deno.hostname() */
  hostname?: () => string;
}

/**
 * Options and variables argus-ts does not implement yet, each with the test
 * that it was asked for. Delete a line when its feature lands.
 */
const NOT_YET: readonly [string, (o: ArgusOptions) => boolean][] = [
  ["ARGUS_FLOW_TYPE", (o) => !o.confOnly.bidirectional],
  [
    "ARGUS_FLOW_KEY",
    (o) =>
      o.confOnly.flowKey.some((k) => k.toUpperCase() !== "CLASSIC_5_TUPLE"),
  ],
  ["ARGUS_GENERATE_START_RECORDS", (o) => o.confOnly.startRecords],
  ["ARGUS_GENERATE_TCP_PERF_METRIC", (o) => !o.confOnly.tcpPerformance],
  [
    "ARGUS_GENERATE_BIDIRECTIONAL_TIMESTAMPS",
    (o) => o.confOnly.bidirectionalTimestamps,
  ],
  [
    "ARGUS_PACKET_CAPTURE_FILE",
    (o) => o.confOnly.packetCaptureFile !== undefined,
  ],
  ["ARGUS_PACKET_CAPTURE_ON_ERROR", (o) => o.confOnly.packetCaptureOnError],
  ["ARGUS_ENV", (o) => o.confOnly.environment.length > 0],
  ["ARGUS_EVENT_DATA", (o) => o.confOnly.eventData.length > 0],
  ["ARGUS_SELF_SYNCHRONIZE", (o) => o.confOnly.selfSynchronize],
  ["ARGUS_KEYSTROKE", (o) => o.confOnly.keystroke !== ""],
  ["ARGUS_TUNNEL_DISCOVERY", (o) => o.confOnly.tunnelDiscovery],
  ["ARGUS_TRACK_DUPLICATES", (o) => o.confOnly.trackDuplicates],
  ...(Object.keys(DEFAULT_TIMEOUTS) as TimeoutName[]).map((
    name,
  ): [string, (o: ArgusOptions) => boolean] => [
    `ARGUS_${name.toUpperCase()}_TIMEOUT`,
    (o) => {
      const t = o.confOnly.timeouts[name];
      return t !== 0 && t !== DEFAULT_TIMEOUTS[name];
    },
  ]),
];

/**
 * Parses argus's command line (without the program name), reading
 * configuration files as argus does.
 * @throws UsageError (ConfigError for a configuration file) with one line
 */
export function parseArgusOptions(
  argv: readonly string[],
  env: ArgusOptionsEnv = {},
): ArgusOptions {
  const readFile = env.readFile ?? readConfText;
  const resolveHost = env.resolveHost ?? etcHostsResolver();
  const ctx = (file: string) => ({
    file,
    resolveHost,
    hostname: env.hostname ?? (() => Deno.hostname()),
  });
  const readInto = (o: ArgusOptions, file: string, text: string) => {
    const entries = parseConf(text, file, { names: ARGUS_CONF_VARIABLES });
    applyArgusConf(o, entries, ctx(file));
  };

  const o = defaultArgusOptions();
  const scanned = getopt(argv, ARGUS_OPTIONS, {
    posixlyCorrect: env.posixlyCorrect ?? posixlyCorrect(),
    stopOnError: true,
  });
  if (readsSystemConf(argv)) {
    const system = env.systemConf ?? "/etc/argus.conf";
    let text: string | undefined;
    try {
      text = readFile(system);
    } catch {
      text = undefined;
    }
    if (text !== undefined) readInto(o, system, text);
  }

  let commandLineW = 0;
  let commandLineI = 0;
  for (const { letter, values } of scanned.options) {
    const v = values[0] ?? "";
    switch (letter) {
      case "A":
        o.appBytes = true;
        break;
      case "b":
        o.dumpFilter = true;
        break;
      case "B":
        o.bindAddresses.push(...v.split(/[, \t]+/).filter(Boolean));
        break;
      case "c":
        o.chroot = v;
        break;
      case "C":
        setControlPlane(o);
        break;
      case "d":
        o.daemon = !o.daemon;
        break;
      case "D":
        o.debugLevel = parseCount(v, "-D");
        break;
      case "e":
        o.srcid = parseSourceId(v, { resolveHost });
        break;
      case "f":
        o.follow = true;
        break;
      case "F": {
        let text: string;
        try {
          text = readFile(v);
        } catch (e) {
          if (e instanceof ConfigError) throw e;
          throw new ConfigError(v, undefined, readFailure(e));
        }
        readInto(o, v, text);
        break;
      }
      case "g":
        o.group = v;
        break;
      case "h":
        // argus prints its help as soon as it meets -h.
        o.help = true;
        return o;
      case "i":
        if (commandLineI++ === 0) o.interfaces = [];
        o.interfaces.push(values.join(" "));
        break;
      case "J":
        o.jitter = true;
        break;
      case "m":
        o.macs = true;
        break;
      case "M":
        setMarInterval(o, marInterval(v));
        break;
      case "N":
        packetRange(o, v);
        break;
      case "O":
        o.optimizeFilter = false;
        break;
      case "p":
        o.promiscuous = false;
        break;
      case "P":
        o.accessPort = parseCount(v, "-P", 65535);
        break;
      case "r":
        // Each word may hold several names (argus splits on blanks).
        for (const word of values) {
          o.readFiles.push(...word.split(/[ \t]+/).filter(Boolean));
        }
        break;
      case "R":
        o.responseTime = true;
        break;
      case "s":
        o.snaplen = parseCount(v, "-s", 262144);
        break;
      case "S":
        setStatusInterval(o, flowStatusInterval(v, o.statusIntervalUs));
        break;
      case "t":
        o.moatTsh = true;
        break;
      case "T":
        o.realTime = timescale(v);
        break;
      case "u":
        o.user = v;
        break;
      case "U":
        setUserData(o, parseCount(v, "-U"));
        break;
      case "w":
        if (commandLineW++ === 0) o.outputs = [];
        o.outputs.push(output(v, values[1]));
        break;
      case "X":
        clearConfiguration(o);
        break;
      case "Z":
        o.packetSize = true;
        break;
    }
  }
  if (scanned.error) throw scanned.error;

  // Any word left over, even a lone "-", replaces ARGUS_FILTER; words
  // starting with "-" are dropped (argus's ArgusCopyArgv).
  if (scanned.operands.length > 0) {
    o.filter = scanned.operands.filter((w) => !w.startsWith("-")).join(" ");
    o.hasFilter = true;
  }
  if (o.readFiles.length > 0 && o.realTime === 0) {
    // Reading files: no daemon, no bind address, no listener unless -f.
    o.daemon = false;
    o.bindAddresses = [];
    if (!o.follow) o.accessPort = 0;
  }
  o.readFiles.sort(compareBytes);
  o.unimplemented.push(...unimplementedOf(o));
  return o;
}

/**
 * Whether argus reads /etc/argus.conf: its pre-scan looks at every word
 * starting with "-" up to a lone "-", and at each letter of a cluster
 * (stopping at a non-letter; a -D level is skipped), for X or F. So
 * `-rX.pcap` skips the file while `-r - -X` does not (-X then clears it).
 */
export function readsSystemConf(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word[0] !== "-") continue;
    if (word.length === 1 || /^[ \t\n\v\f\r]/.test(word.slice(1))) break;
    let p = 1;
    do {
      const ch = word[p];
      if (ch === "X" || ch === "F") return false;
      if (ch === "D") {
        if (/[0-9]/.test(word[++p] ?? "")) {
          // The level is read where it stands.
        } else if (/^[0-9]/.test(argv[i + 1] ?? "")) {
          i++;
        }
      }
    } while (/[A-Za-z]/.test(word[++p] ?? ""));
  }
  return true;
}

/** The message for options given but not implemented. */
export function unimplementedMessage(list: readonly string[]): string {
  if (list.length === 1 && list[0]!.startsWith("-")) {
    return `option ${list[0]} is not supported yet`;
  }
  return `not supported yet: ${list.join(", ")}`;
}

function unimplementedOf(o: ArgusOptions): string[] {
  const out = NOT_YET.filter(([, asked]) => asked(o)).map(([name]) => name);
  for (const f of o.readFiles) {
    if (/sflow:/.test(f)) out.push(`-r ${f}`);
  }
  return out;
}

/** -w target [filter]. */
function output(target: string, filter: string | undefined) {
  if (target !== "-" && target.startsWith("-")) {
    // argus falls through to -X here and silently resets everything.
    throw new UsageError(`-w "${target}": not a file name, URL or "-"`);
  }
  // An empty filter passes every record (checked), like none.
  return filter === undefined || filter.trim() === ""
    ? { target }
    : { target, filter };
}

/** -N num (the first num packets) or -N start-end; 0 means all. */
function packetRange(o: ArgusOptions, v: string): void {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v);
  if (!m) {
    throw new UsageError(`-N "${v}": not a packet count or start-end range`);
  }
  const last = Number(m[2] ?? m[1]);
  o.skipPackets = m[2] === undefined ? 0 : Number(m[1]);
  o.lastPacket = last === 0 ? Infinity : last;
}

function timescale(v: string): number {
  if (!/^(?:\d+\.?\d*|\.\d+)$/.test(v)) {
    throw new UsageError(`-T "${v}": not a timescale like 1 or 0.5`);
  }
  return Number(v);
}

/** strcmp() order, which argus sorts its -r list by. */
function compareBytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

function posixlyCorrect(): boolean {
  try {
    return Deno.env.get("POSIXLY_CORRECT") !== undefined;
  } catch {
    return false; // no --allow-env: the default GNU behaviour
  }
}

function readFailure(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  return e instanceof Error ? e.message : String(e);
}
