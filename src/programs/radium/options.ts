/**
 * radium(8)'s command line and radium.conf(5): the sources (-S host:port
 * of argus or radium access ports, -r record files), the access port it
 * serves (-P, -B), its -w files (each with an optional filter), its own
 * source id (-e), -d, -p (no reconnect), -D, the input filter after the
 * options, and the RADIUM_* variables read from -f/-F files (radium.conf
 * first unless -X).
 * @module
 */

import {
  ConfigError,
  getopt,
  type OptionSpec,
  parseConf,
  readConfText,
  UsageError,
} from "../../cli/mod.ts";
import {
  parseRemoteAddress,
  type RemoteAddress,
} from "../../client/remote_address.ts";
import { parseSourceId, type SourceId, SrcIdType } from "../argus/source_id.ts";

/** One -w output and its filter. */
export interface RadiumOutput {
  target: string;
  filter?: string;
}

/** What radium was asked to do. */
export interface RadiumOptions {
  sources: RemoteAddress[];
  files: string[];
  /** -P: the access port; 0 serves none. */
  port: number;
  /** -B: listen addresses (all IPv4 ones when empty). */
  bindAddresses: string[];
  outputs: RadiumOutput[];
  /** -e: the source id of radium's own management records. */
  srcid: SourceId;
  daemon: boolean;
  /** -p: give up on a source that closes instead of reconnecting. */
  noReconnect: boolean;
  debugLevel: number;
  /** Seconds between radium's status MARs (RADIUM_MAR_STATUS_INTERVAL). */
  marInterval: number;
  /** The input filter (the words after the options). */
  filter: string;
  help: boolean;
}

/** radium's options (the ra options it does not use are refused). */
export const RADIUM_OPTIONS: OptionSpec[] = [
  {
    letter: "S",
    arg: "one",
    argName: "host[:port]",
    help: "read the records of an argus or radium access port (561)",
    collect: true,
  },
  {
    letter: "r",
    arg: "many",
    argName: "file ...",
    help: "read Argus record files",
    collect: true,
  },
  {
    letter: "P",
    arg: "one",
    argName: "port",
    help: "serve the merged records on this TCP port (0: none)",
  },
  {
    letter: "B",
    arg: "one",
    argName: "addr",
    help: "listen on this address only",
  },
  {
    letter: "w",
    arg: "pair",
    argName: "file [filter]",
    help: "write the merged records to file ('-': stdout)",
    collect: true,
  },
  {
    letter: "e",
    arg: "one",
    argName: "srcid",
    help: "source id of radium's own records (number, IPv4, name)",
  },
  { letter: "d", arg: "none", help: "run as a daemon" },
  {
    letter: "p",
    arg: "none",
    help: "do not reconnect to a source that closes",
  },
  { letter: "D", arg: "one", argName: "level", help: "debug level" },
  { letter: "f", arg: "one", argName: "file", help: "read this radium.conf" },
  { letter: "F", arg: "one", argName: "file", help: "read this radium.conf" },
  { letter: "X", arg: "none", help: "do not read /etc/radium.conf" },
  { letter: "h", arg: "none", help: "print this help" },
]; // deno-fmt-ignore

export const RADIUM_USAGE = "usage: radium [options] [- filter-expression]";

function defaults(): RadiumOptions {
  return {
    sources: [],
    files: [],
    port: 0,
    bindAddresses: [],
    outputs: [],
    srcid: { type: SrcIdType.int, value: 0 },
    daemon: false,
    noReconnect: false,
    debugLevel: 0,
    marInterval: 60,
    filter: "",
    help: false,
  };
}

function portOf(text: string, what: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : -1;
  if (!(n >= 0 && n < 65536)) {
    throw new UsageError(`${what}: bad port "${text}"`);
  }
  return n;
}

/**
 * Applies one radium.conf file (radium.conf(5)); variables radium knows
 * but we do not honour are ignored, as unknown ones are.
 * @throws ConfigError or UsageError naming the file and variable
 */
function applyConf(o: RadiumOptions, path: string, text: string): void {
  for (const e of parseConf(text, path)) {
    const what = `${path}: ${e.name}`;
    switch (e.name) {
      case "RADIUM_DAEMON":
        o.daemon = /^yes/i.test(e.value);
        break;
      case "RADIUM_MONITOR_ID":
        o.srcid = parseSourceId(e.value, { quoted: e.quoted, what });
        break;
      case "RADIUM_ARGUS_SERVER":
        o.sources.push(parseRemoteAddress(e.value.trim()));
        break;
      case "RADIUM_INPUT_FILE":
        o.files.push(e.value.trim());
        break;
      case "RADIUM_ACCESS_PORT":
        o.port = portOf(e.value, what);
        break;
      case "RADIUM_BIND_IP":
        o.bindAddresses = [e.value.trim()];
        break;
      case "RADIUM_OUTPUT_FILE": {
        // path, then an optional "filter" in double quotes.
        const m = /^\s*(\S+)\s*(?:"([^"]*)"?)?/.exec(e.value);
        if (m) {
          o.outputs.push(
            m[2] === undefined ? { target: m[1]! } : {
              target: m[1]!,
              filter: m[2],
            },
          );
        }
        break;
      }
      case "RADIUM_MAR_STATUS_INTERVAL": {
        const n = Number.parseInt(e.value, 10);
        if (n > 0) o.marInterval = n;
        break;
      }
      case "RADIUM_DEBUG_LEVEL":
        o.debugLevel = Number.parseInt(e.value, 10) || 0;
        break;
      case "RADIUM_FILTER":
        o.filter = e.value.trim();
        break;
    }
  }
}

function readConfFile(o: RadiumOptions, path: string, required: boolean) {
  let text: string;
  try {
    text = readConfText(path);
  } catch (e) {
    if (!required && e instanceof ConfigError) return;
    throw e;
  }
  applyConf(o, path, text);
}

/**
 * Parses radium's arguments: /etc/radium.conf first (unless -X), then
 * the options in order (a -f file's settings where it stands).
 * @throws UsageError or ConfigError, one line each
 */
export function parseRadiumOptions(args: string[]): RadiumOptions {
  const o = defaults();
  const { options, operands } = getopt(args, RADIUM_OPTIONS);
  if (!options.some((u) => u.letter === "X")) {
    readConfFile(o, "/etc/radium.conf", false);
  }
  // A command-line -S, -r or -w replaces what the files named (ra's rule).
  let sources = false, files = false, outputs = false;
  for (const { letter, values } of options) {
    const v = values[0] ?? "";
    switch (letter) {
      case "S":
        if (!sources) o.sources = [];
        sources = true;
        o.sources.push(parseRemoteAddress(v));
        break;
      case "r":
        if (!files) o.files = [];
        files = true;
        o.files.push(...values);
        break;
      case "P":
        o.port = portOf(v, "-P");
        break;
      case "B":
        o.bindAddresses = v.split(",").filter(Boolean);
        break;
      case "w":
        if (!outputs) o.outputs = [];
        outputs = true;
        o.outputs.push(
          values[1] === undefined ? { target: v } : {
            target: v,
            filter: values[1],
          },
        );
        break;
      case "e":
        o.srcid = parseSourceId(v);
        break;
      case "d":
        o.daemon = true;
        break;
      case "p":
        o.noReconnect = true;
        break;
      case "D": {
        const n = Number.parseInt(v, 10);
        if (Number.isNaN(n)) throw new UsageError(`-D: not a number: "${v}"`);
        o.debugLevel = n;
        break;
      }
      case "f":
      case "F":
        readConfFile(o, v, true);
        break;
      case "h":
        o.help = true;
        break;
    }
  }
  const filter = operands.filter((w) => w !== "-").join(" ").trim();
  if (filter !== "") o.filter = filter;
  return o;
}
