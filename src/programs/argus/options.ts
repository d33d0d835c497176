/**
 * argus(8)'s options: the table (for the parser and -h), their meaning, and
 * the argus.conf(5) variables that set the same things. As in argus,
 * /etc/argus.conf is read first unless -F or -X is on the command line,
 * options apply in order (-F reads a file at that point, -X clears
 * everything so far), and the first -w replaces configured outputs.
 * @module
 */

import {
  type ConfEntry,
  getopt,
  type OptionSpec,
  readConf,
  renderOptions,
  UsageError,
} from "../../cli/mod.ts";

/** argus's option table (3.0.8.2's getopt string, in help order). */
export const ARGUS_OPTIONS: OptionSpec[] = [
  { letter: "A", arg: "none", help: "Generate application byte metrics." },
  { letter: "b", arg: "none", help: "dump filter compiler output." },
  {
    letter: "B",
    arg: "one",
    argName: "addr[,addr]",
    help: "specify bind interface address(s).",
  },
  { letter: "c", arg: "one", argName: "dir", help: "daemon chroot directory." },
  { letter: "C", arg: "none", help: "run in control plane monitoring mode." },
  { letter: "d", arg: "none", help: "run Argus in daemon mode." },
  { letter: "D", arg: "one", argName: "level", help: "set debug level." },
  {
    letter: "e",
    arg: "one",
    argName: "value",
    help: "specify Argus Identifier <value>.",
  },
  {
    letter: "f",
    arg: "none",
    help: "don't stop at end of file: wait for more packets.",
  },
  {
    letter: "F",
    arg: "one",
    argName: "conffile",
    help: "read configuration from <conffile>.",
  },
  {
    letter: "g",
    arg: "one",
    argName: "groupid",
    help: "specify group id for daemon.",
  },
  { letter: "h", arg: "none", help: "print help." },
  {
    letter: "i",
    arg: "many",
    argName: "interface",
    help: "specify interface to use as a packet source.",
  },
  { letter: "J", arg: "none", help: "generate packet performance data." },
  { letter: "l", arg: "none", help: "list interfaces." },
  { letter: "m", arg: "none", help: "turn on MAC Layer Reporting." },
  {
    letter: "M",
    arg: "one",
    argName: "secs",
    help: "set MAR Status Report Time Interval (60s).",
  },
  {
    letter: "N",
    arg: "one",
    argName: "num|start-end",
    help: "process packets number or range.",
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
    help: "use packet file(s) as data source, - for stdin.",
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
    help: "play back packet files at this speed.",
  },
  {
    letter: "u",
    arg: "one",
    argName: "userid",
    help: "specify user id for daemon.",
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
    help: "write output to <file>, or '-' for stdout,",
  },
  { letter: "X", arg: "none", help: "reset argus configuration." },
  { letter: "Z", arg: "none", help: "generate packet size data." },
];

/** An output and its optional record filter. */
export interface OutputSpec {
  target: string;
  filter?: string;
}

/** A source identifier (-e / ARGUS_MONITOR_ID). */
export interface SourceId {
  /** Transport-DSR qualifier: 0 none, 0x01 IPv4, 0x20 number, 0x21 string. */
  type: number;
  /** The 32-bit value written in records. */
  value: number;
}

/** Everything the argus command line and configuration decide. */
export interface ArgusOptions {
  readFiles: string[];
  outputs: OutputSpec[];
  /** The capture filter expression, or "" for none. */
  filter: string;
  interfaces: string[];
  /** -N: packets to skip and last packet number (Infinity for all). */
  skipPackets: number;
  lastPacket: number;
  snaplen: number;
  srcid: SourceId;
  statusInterval: number;
  marInterval: number;
  dumpFilter: boolean;
  optimizeFilter: boolean;
  help: boolean;
  daemon: boolean;
  debugLevel: number;
  accessPort: number;
  bindAddresses: string[];
  promiscuous: boolean;
  follow: boolean;
  realTime: number;
  user?: string;
  group?: string;
  chroot?: string;
  pidFile: boolean;
  pidPath?: string;
  appBytes: boolean;
  jitter: boolean;
  responseTime: boolean;
  packetSize: boolean;
  macs: boolean;
  userData: number;
  controlPlane: boolean;
  moatTsh: boolean;
  listInterfaces: boolean;
  /** Recognised options this build does not implement yet. */
  unsupported: string[];
}

/** argus's built-in defaults (3.0.8.2 with -X). */
export function defaultArgusOptions(): ArgusOptions {
  return {
    readFiles: [],
    outputs: [],
    filter: "",
    interfaces: [],
    skipPackets: 0,
    lastPacket: Infinity,
    snaplen: 96,
    srcid: { type: 0, value: 0 },
    statusInterval: 5,
    marInterval: 60,
    dumpFilter: false,
    optimizeFilter: true,
    help: false,
    daemon: false,
    debugLevel: 0,
    accessPort: 0,
    bindAddresses: [],
    promiscuous: true,
    follow: false,
    realTime: 0,
    pidFile: false,
    appBytes: false,
    jitter: false,
    responseTime: false,
    packetSize: false,
    macs: false,
    userData: 0,
    controlPlane: false,
    moatTsh: false,
    listInterfaces: false,
    unsupported: [],
  };
}

/** Where parseArgusOptions reads configuration from (injectable for tests). */
export interface ConfSource {
  /** The system configuration, read unless -F or -X is given. */
  systemConf?: string;
  read?: (path: string) => ConfEntry[];
}

/** Parses argus's command line. Throws UsageError. */
export function parseArgusOptions(
  argv: string[],
  conf: ConfSource = {},
): ArgusOptions {
  const read = conf.read ?? readConf;
  const system = conf.systemConf ?? "/etc/argus.conf";
  const scanned = getopt(argv, ARGUS_OPTIONS);
  const o = defaultArgusOptions();
  if (!scanned.options.some((u) => u.letter === "F" || u.letter === "X")) {
    let exists = false;
    try {
      exists = Deno.statSync(system).isFile;
    } catch {
      exists = false;
    }
    if (exists) applyConf(o, read(system));
  }
  let commandLineW = false;
  let commandLineI = false;
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
        o.bindAddresses = v.split(",");
        break;
      case "c":
        o.chroot = v;
        break;
      case "C":
        o.controlPlane = true;
        o.snaplen = 65535;
        break;
      case "d":
        o.daemon = !o.daemon;
        break;
      case "D":
        o.debugLevel = integer(v, "-D", 0);
        break;
      case "e":
        o.srcid = parseSourceId(v, false);
        break;
      case "f":
        o.follow = true;
        break;
      case "F":
        applyConf(o, read(v));
        break;
      case "g":
        o.group = v;
        break;
      case "h":
        o.help = true;
        break;
      case "i":
        if (!commandLineI) o.interfaces = [];
        commandLineI = true;
        o.interfaces.push(...values);
        break;
      case "J":
        o.jitter = true;
        break;
      case "l":
        o.listInterfaces = true;
        break;
      case "m":
        o.macs = true;
        break;
      case "M":
        o.marInterval = seconds(v, "-M");
        break;
      case "N":
        parseRange(o, v);
        break;
      case "O":
        o.optimizeFilter = false;
        break;
      case "p":
        o.promiscuous = false;
        break;
      case "P":
        o.accessPort = integer(v, "-P", 0, 65535);
        break;
      case "r":
        o.readFiles.push(...values);
        break;
      case "R":
        o.responseTime = true;
        break;
      case "s":
        o.snaplen = integer(v, "-s", 1);
        break;
      case "S":
        o.statusInterval = seconds(v, "-S");
        break;
      case "t":
        o.moatTsh = true;
        break;
      case "T": {
        const t = Number(v);
        if (!Number.isFinite(t) || t <= 0) {
          throw new UsageError(`-T "${v}": not a positive timescale`);
        }
        o.realTime = t;
        break;
      }
      case "u":
        o.user = v;
        break;
      case "U":
        o.userData = integer(v, "-U", 0);
        break;
      case "w":
        if (!commandLineW) o.outputs = [];
        commandLineW = true;
        o.outputs.push(
          values[1] === undefined
            ? { target: v }
            : { target: v, filter: values[1] },
        );
        break;
      case "X":
        Object.assign(o, defaultArgusOptions(), {
          readFiles: o.readFiles,
          outputs: commandLineW ? o.outputs : [],
        });
        break;
      case "Z":
        o.packetSize = true;
        break;
    }
  }
  const words = scanned.operands.filter((w) => w !== "-");
  if (words.length > 0) o.filter = words.join(" ");
  noteUnsupported(o);
  return o;
}

/** Applies argus.conf settings (ArgusParseResourceFile). */
function applyConf(o: ArgusOptions, entries: ConfEntry[]): void {
  let outputs = 0, interfaces = 0;
  const yes = (v: string) => v.slice(0, 3).toLowerCase() === "yes";
  for (const e of entries) {
    const v = e.value;
    switch (e.name) {
      case "ARGUS_DAEMON":
        o.daemon = yes(v);
        break;
      case "ARGUS_MONITOR_ID":
        o.srcid = parseSourceId(v, e.quoted);
        break;
      case "ARGUS_ACCESS_PORT":
        o.accessPort = integer(v, e.name, 0, 65535);
        break;
      case "ARGUS_OUTPUT_FILE":
      case "ARGUS_OUTPUT_STREAM": {
        if (!outputs++) o.outputs = [];
        const space = v.indexOf(" ");
        const target = space < 0 ? v : v.slice(0, space);
        const filter = space < 0
          ? ""
          : v.slice(space + 1).replace(/^["']|["']$/g, "").trim();
        o.outputs.push(filter ? { target, filter } : { target });
        break;
      }
      case "ARGUS_INTERFACE":
        if (!interfaces++) o.interfaces = [];
        o.interfaces.push(v);
        break;
      case "ARGUS_SET_PID":
        o.pidFile = yes(v);
        break;
      case "ARGUS_PID_PATH":
        o.pidPath = v;
        break;
      case "ARGUS_GO_PROMISCUOUS":
        o.promiscuous = yes(v);
        break;
      case "ARGUS_FLOW_STATUS_INTERVAL":
        o.statusInterval = seconds(v, e.name);
        break;
      case "ARGUS_MAR_STATUS_INTERVAL":
        o.marInterval = seconds(v, e.name);
        break;
      case "ARGUS_CAPTURE_DATA_LEN":
        o.userData = integer(v, e.name, 0);
        break;
      case "ARGUS_GENERATE_RESPONSE_TIME_DATA":
        o.responseTime = yes(v);
        break;
      case "ARGUS_GENERATE_JITTER_DATA":
        o.jitter = yes(v);
        break;
      case "ARGUS_GENERATE_MAC_DATA":
        o.macs = yes(v);
        break;
      case "ARGUS_GENERATE_APPBYTE_METRIC":
        o.appBytes = yes(v);
        break;
      case "ARGUS_GENERATE_PACKET_SIZE":
        o.packetSize = yes(v);
        break;
      case "ARGUS_DEBUG_LEVEL":
        o.debugLevel = integer(v, e.name, 0);
        break;
      case "ARGUS_FILTER_OPTIMIZER":
        o.optimizeFilter = yes(v);
        break;
      case "ARGUS_FILTER":
        o.filter = v;
        break;
      case "ARGUS_BIND_IP":
        o.bindAddresses = v.split(",");
        break;
      case "ARGUS_CHROOT_DIR":
        o.chroot = v;
        break;
      case "ARGUS_SETUSER_ID":
        o.user = v;
        break;
      case "ARGUS_SETGROUP_ID":
        o.group = v;
        break;
      case "ARGUS_SNAPLEN":
        o.snaplen = integer(v, e.name, 1);
        break;
    }
  }
}

/** -e / ARGUS_MONITOR_ID: a quoted string, a number, or an IPv4 address. */
export function parseSourceId(v: string, quoted: boolean): SourceId {
  let s = v;
  if (!quoted && s.startsWith('"')) {
    s = s.slice(1).replace(/"\n?$/, "");
    quoted = true;
  }
  if (quoted) {
    // argus keeps at most four characters, padded with zeros.
    const b = new TextEncoder().encode(s.slice(0, 4));
    let value = 0;
    for (let i = 0; i < 4; i++) value = (value << 8) | (b[i] ?? 0);
    return { type: 0x21, value: value >>> 0 };
  }
  if (/^\d+$/.test(s)) return { type: 0x20, value: Number(s) >>> 0 };
  const m = s.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (m) {
    const parts = m.slice(1).map(Number);
    if (parts.every((p) => p <= 255)) {
      return {
        type: 0x01,
        value: ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) |
          parts[3]!) >>> 0,
      };
    }
  }
  if (s === "localhost") return { type: 0x01, value: 0x7f000001 };
  throw new UsageError(
    `-e "${v}": not a number, an IPv4 address or a "quoted" string (host names are not resolved)`,
  );
}

function integer(
  v: string,
  what: string,
  min: number,
  max = 2 ** 32 - 1,
): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`${what} "${v}": not a number from ${min} to ${max}`);
  }
  return Number(v);
}

/** argus's intervals: whole seconds, optionally with an s/m/h/d suffix. */
function seconds(v: string, what: string): number {
  const m = v.match(/^(\d+)([smhd]?)$/);
  if (!m) throw new UsageError(`${what} "${v}": not a number of seconds`);
  const scale = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]!] ?? 1;
  return Number(m[1]) * scale;
}

/** -N count or -N start-end (argus: skip up to start, stop after end). */
function parseRange(o: ArgusOptions, v: string): void {
  const m = v.match(/^(\d+)(?:-(\d+))?$/);
  if (!m) throw new UsageError(`-N "${v}": expected a count or start-end`);
  if (m[2] === undefined) {
    o.skipPackets = 0;
    o.lastPacket = Number(m[1]);
  } else {
    o.skipPackets = Number(m[1]);
    o.lastPacket = Number(m[2]);
  }
}

function noteUnsupported(o: ArgusOptions): void {
  const u: string[] = [];
  if (o.interfaces.length && o.readFiles.length === 0) {
    u.push("-i (live capture)");
  }
  if (o.daemon) u.push("-d");
  if (o.accessPort) u.push("-P");
  if (o.follow) u.push("-f");
  if (o.realTime) u.push("-T");
  if (o.moatTsh) u.push("-t");
  if (o.appBytes) u.push("-A");
  if (o.jitter) u.push("-J");
  if (o.responseTime) u.push("-R");
  if (o.packetSize) u.push("-Z");
  if (o.controlPlane) u.push("-C");
  if (o.listInterfaces) u.push("-l");
  for (const out of o.outputs) {
    if (/^(argus-)?udp:\/\//.test(out.target)) u.push(`-w ${out.target}`);
  }
  o.unsupported = u;
}

/** argus -h text. */
export function argusUsage(version: string): string {
  return [
    `Argus Version ${version} (argus-ts)`,
    "usage: argus [options] [-i interface] [filter-expression] ",
    "usage: argus [options]  -r packetfile [filter-expression] ",
    "",
    "options:",
    renderOptions(ARGUS_OPTIONS),
  ].join("\n");
}

/** The one-line usage printed before a usage error. */
export const ARGUS_USAGE_LINE =
  'usage: argus [options] [-i interface | -r file ...] [-w file ["filter"]] [filter-expression]';
