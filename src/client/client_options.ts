/**
 * The command line and resource files shared by the ra family (ra(1),
 * rarc(5)): the options every client reads, the rc variables that shape
 * its output, the filter expression after the options, our two long
 * options (--json, --csv), and each program's own letters (racluster -m,
 * ragrep -e ...) handed back to it unparsed.
 * @module
 */

import {
  getopt,
  type OptionSpec,
  type OptionUse,
  parseConf,
  UsageError,
} from "../cli/mod.ts";
import { DEFAULT_FIELDS, PRINT_FIELDS } from "./print_fields.ts";
import { RA_FIELD_NAMES } from "./ra_field_names.ts";
import { addDirectoryFiles } from "./directory_files.ts";
import { joinTimeRangeWords } from "./time_range_args.ts";
import { portRules } from "./port_direction.ts";
import { parseRemoteAddress, type RemoteAddress } from "./remote_address.ts";

/** How records leave a client. */
export type OutputFormat = "text" | "json" | "csv";

/** A client program: its name, usage line and own options. */
export interface ClientSpec {
  name: string;
  usageLine: string;
  /** Options only this program takes (interpreted by the program). */
  options?: readonly OptionSpec[];
}

/** What a client was asked to do. */
export interface ClientOptions {
  program: string;
  files: string[];
  /** -S: remote sources (argus or radium access ports). */
  remotes: RemoteAddress[];
  /** Columns and their widths. */
  fields: { name: string; width: number }[];
  /** -n level: 0 all names .. 3 no names (ra's default is 1). */
  nflag: number;
  precision: number;
  timeFormat: string;
  unixTime: boolean;
  /** Field delimiter; "" for fixed-width columns. */
  delimiter: string;
  /** Labels: -1 once at the top, 0 never, N every N records. */
  labels: number;
  printMan: boolean;
  /** Records to skip and the last record to read (-N), -1 = all. */
  firstRecord: number;
  lastRecord: number;
  quiet: boolean;
  help: boolean;
  /** The filter expression (words after the options). */
  filter: string;
  /** -w: write the records (as Argus records) here; "-" for stdout. */
  writeFile: string | null;
  /** -t: the time range text, as given. */
  timeRange: string | null;
  /** --json (NDJSON), --csv (header line + comma rows), or ra's text. */
  format: OutputFormat;
  /** Uses of the program's own options, in order. */
  programOptions: OptionUse[];
  /** -z (RA_PRINT_TCPSTATES): TCP state changes in the State column. */
  tcpStates: boolean;
  /** -Z's letter (RA_PRINT_TCPFLAGS): TCP flags in State; "" for none. */
  tcpFlags: string;
  /** -H: metrics abbreviated (K, M, G ...). */
  abbreviate: boolean;
  /** -A: ra prints its record totals at the end. */
  totals: boolean;
  /**
   * RA_PORT_DIRECTION's rules (port_direction.ts), 0 for none; each rc
   * file adds to them, as ra's do.
   */
  portDirection: number;
}

const COMMON: OptionSpec[] = [
  {
    letter: "r",
    arg: "many",
    argName: "file ...",
    help: "read Argus records from files ('-' for stdin)",
  },
  {
    letter: "R",
    arg: "many",
    argName: "dir ...",
    help: "read the record files under these directories",
  },
  {
    letter: "S",
    arg: "one",
    argName: "host[:port]",
    help: "read the live records of an argus or radium -P port (561)",
    collect: true,
  },
  {
    letter: "s",
    arg: "many",
    argName: "field ...",
    help: "print these fields (+f adds, -f removes)",
  },
  {
    letter: "n",
    arg: "none",
    help: "numeric ports (-nn: numeric protocols too)",
  },
  {
    letter: "N",
    arg: "one",
    argName: "count",
    help: "read only this many records (or start-end)",
  },
  {
    letter: "L",
    arg: "one",
    argName: "num",
    help: "print labels every num records (0: once, -1: never)",
  },
  {
    letter: "c",
    arg: "one",
    argName: "char",
    help: "separate fields with char",
  },
  {
    letter: "p",
    arg: "one",
    argName: "digits",
    help: "fraction digits of times",
  },
  {
    letter: "M",
    arg: "many",
    argName: "mode ...",
    help: "modes: man (print management records), noman",
  },
  {
    letter: "t",
    arg: "one",
    argName: "range",
    help: "only records in this time range (ra(1) -t syntax)",
  },
  {
    letter: "w",
    arg: "one",
    argName: "file",
    help: "write the records to file as Argus records ('-': stdout)",
  },
  { letter: "u", arg: "none", help: "print times as seconds since the epoch" },
  { letter: "z", arg: "none", help: "State: TCP state changes seen (sSEfFCR)" },
  {
    letter: "Z",
    arg: "one",
    argName: "s|d|b",
    help: "State: TCP flags of the source, destination or both",
  },
  { letter: "A", arg: "none", help: "print record totals at the end (ra)" },
  { letter: "H", arg: "none", help: "abbreviate metrics (K, M, G ...)" },
  { letter: "q", arg: "none", help: "print nothing" },
  { letter: "X", arg: "none", help: "do not read rc files" },
  { letter: "F", arg: "one", argName: "file", help: "read this rc file" },
  { letter: "h", arg: "none", help: "print this help" },
]; // deno-fmt-ignore

/** Our long options, beyond the real 3.0.8 clients. */
const LONG_HELP = [
  "--json                  print one JSON object per record (NDJSON)",
  "--csv                   print comma-separated rows after a header of field names",
];

/** The options table of a client, for help text. */
export function clientOptionTable(spec: ClientSpec): OptionSpec[] {
  const own = spec.options ?? [];
  // A program's own letter replaces the common one (ragrep -c, -L ...).
  const mine = new Set(own.map((o) => o.letter));
  return [...COMMON.filter((o) => !mine.has(o.letter)), ...own];
}

/** Lines of help for our long options. */
export function longOptionHelp(): readonly string[] {
  return LONG_HELP;
}

function defaults(program: string): ClientOptions {
  return {
    program,
    files: [],
    remotes: [],
    fields: DEFAULT_FIELDS.map((name) => ({
      name,
      width: PRINT_FIELDS.get(name)!.width,
    })),
    nflag: 1,
    precision: 6,
    timeFormat: "%T.%f",
    unixTime: false,
    delimiter: "",
    labels: -1,
    printMan: false,
    firstRecord: 0,
    lastRecord: -1,
    quiet: false,
    help: false,
    filter: "",
    writeFile: null,
    timeRange: null,
    format: "text",
    programOptions: [],
    tcpStates: false,
    tcpFlags: "",
    abbreviate: false,
    totals: false,
    portDirection: 0,
  };
}

function labelsValue(n: number): number {
  return n === 0 ? -1 : n === -1 ? 0 : n;
}

function delimiterOf(value: string): string {
  if (value.startsWith("\\")) {
    const c = {
      t: "\t",
      n: "\n",
      a: "\x07",
      b: "\b",
      v: "\v",
      f: "\f",
      r: "\r",
      "\\": "\\",
    }[value[1] ?? ""];
    return c ?? "";
  }
  return value[0] ?? "";
}

/** Applies the rc variables this ra knows; others are ignored, as ra does. */
function applyRc(o: ClientOptions, text: string, file: string): void {
  for (const e of parseConf(text, file)) {
    const yes = /^yes/i.test(e.value);
    switch (e.name) {
      case "RA_PRINT_MAN_RECORDS":
        o.printMan = yes;
        break;
      case "RA_PRINT_LABELS":
        o.labels = labelsValue(Number.parseInt(e.value, 10) || 0);
        break;
      case "RA_FIELD_DELIMITER": {
        const q = e.value.indexOf("'");
        const v = q >= 0 ? e.value.slice(q + 1) : e.value;
        if (v.startsWith("'")) break;
        o.delimiter = delimiterOf(v);
        break;
      }
      case "RA_PRINT_TCPSTATES":
        o.tcpStates = yes;
        break;
      case "RA_PRINT_TCPFLAGS":
        o.tcpFlags = e.value[0] ?? "";
        break;
      case "RA_PRINT_UNIX_TIME":
        o.unixTime = yes;
        break;
      case "RA_TIME_FORMAT":
        o.timeFormat = e.value;
        break;
      case "RA_USEC_PRECISION":
        o.precision = Math.min(
          6,
          Math.max(0, Number.parseInt(e.value, 10) || 0),
        );
        break;
      case "RA_PORT_DIRECTION":
        o.portDirection |= portRules(e.value);
        break;
      case "RA_PRINT_NAMES":
        o.nflag = /^none/i.test(e.value)
          ? 3
          : /^proto/i.test(e.value)
          ? 2
          : /^port/i.test(e.value)
          ? 1
          : /^all/i.test(e.value)
          ? 0
          : o.nflag;
        break;
    }
  }
}

function readRc(o: ClientOptions, path: string, required: boolean): void {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (!required && e instanceof Deno.errors.NotFound) return;
    if (!required && e instanceof Deno.errors.PermissionDenied) return;
    throw new UsageError(`${path}: cannot read`);
  }
  applyRc(o, text, path);
}

/** The rc files ra reads when -X is absent: /etc/ra.conf, then ~/.rarc. */
function readDefaultRc(o: ClientOptions): void {
  readRc(o, "/etc/ra.conf", false);
  const argusHome = Deno.env.get("ARGUSHOME");
  if (argusHome) readRc(o, `${argusHome}/ra.conf`, false);
  const home = Deno.env.get("HOME");
  if (home) readRc(o, `${home}/.rarc`, false);
}

/**
 * Applies one -s list. The first plain name replaces the default columns;
 * later -s options add to the list, as ra's do.
 */
function parseFields(
  o: ClientOptions,
  words: string[],
  state: { replaced: boolean },
): void {
  let list = o.fields;
  let replaced = state.replaced;
  for (const word of words.flatMap((w) => w.split(/[ ,]+/)).filter(Boolean)) {
    const op = word[0] === "+" || word[0] === "-" ? word[0] : "";
    const spec = op ? word.slice(1) : word;
    const [name = "", widthText] = spec.split(":");
    // A plain list replaces the default one, even of names ra ignores.
    if (op === "" && !replaced) {
      list = [];
      replaced = true;
    }
    const field = PRINT_FIELDS.get(name);
    if (field === undefined) {
      // ra ignores a name it does not know; one it knows, we must print.
      if (!RA_FIELD_NAMES.has(name)) continue;
      throw new UsageError(`-s: field "${name}" is not supported yet`);
    }
    const width = widthText === undefined
      ? field.width
      : Number.parseInt(widthText, 10);
    if (!Number.isInteger(width) || width < 0) {
      throw new UsageError(`-s: bad width in "${word}"`);
    }
    if (op === "-") {
      list = list.filter((f) => f.name !== name);
    } else if (op === "+") {
      list = [...list, { name, width }];
    } else list = [...list, { name, width }];
  }
  o.fields = list;
  state.replaced = replaced;
}

/** ra's -M modes this ra knows it cannot honour yet. */
const UNSUPPORTED_MODES = /^(disa|dsrs=|label=|oui|printer=|rmon|xml)/;

/** One -M mode of ra; modes ra does not know are ignored, as ra does. */
function applyMode(o: ClientOptions, mode: string): void {
  if (mode === "man") o.printMan = true;
  else if (mode === "noman") o.printMan = false;
  else if (UNSUPPORTED_MODES.test(mode)) {
    throw new UsageError(`-M: mode "${mode}" is not supported yet`);
  }
}

function parseCount(value: string): [number, number] {
  const v = value.replace(/^[oi]/, "");
  const num = (s: string) => {
    if (!/^-?\d+$/.test(s)) throw new UsageError(`-N: bad count "${value}"`);
    return Number(s);
  };
  const dash = v.indexOf("-", 1);
  if (dash > 0) return [num(v.slice(0, dash)), num(v.slice(dash + 1))];
  const plus = v.indexOf("+");
  if (plus > 0) {
    const s = num(v.slice(0, plus));
    return [s, s + num(v.slice(plus + 1))];
  }
  return [0, num(v)];
}

/** Parses a client's arguments (and rc files unless -X). */
export function parseClientOptions(
  spec: ClientSpec,
  args: string[],
): ClientOptions {
  const o = defaults(spec.name);
  const own = new Set((spec.options ?? []).map((s) => s.letter));
  const rest: string[] = [];
  for (const a of args) {
    if (a === "--json") o.format = "json";
    else if (a === "--csv") o.format = "csv";
    else if (a.startsWith("--") && a.length > 2) {
      throw new UsageError(`unknown option "${a}"`);
    } else rest.push(a);
  }
  // Like ra, any argument containing "-X" turns the rc files off.
  if (!rest.some((a) => a.includes("-X"))) readDefaultRc(o);
  // `-t 10 - 12` is one range to ra (ArgusParseTimeArg).
  const table = clientOptionTable(spec);
  const { options, operands } = getopt(joinTimeRangeWords(rest, table), table);
  const fieldState = { replaced: false };
  // A lone "-" only marks where the filter expression starts.
  o.filter = operands.filter((w) => w !== "-").join(" ").trim();
  for (const use of options) {
    const { letter, values } = use;
    const v = values[0] ?? "";
    if (own.has(letter)) {
      o.programOptions.push(use);
      continue;
    }
    switch (letter) {
      case "r":
        o.files.push(...values);
        break;
      case "R":
        addDirectoryFiles(o.files, values);
        break;
      case "S":
        o.remotes.push(parseRemoteAddress(v));
        break;
      case "s":
        parseFields(o, values, fieldState);
        break;
      case "n":
        o.nflag = o.nflag + 1 > 3 ? 0 : o.nflag + 1;
        break;
      case "N":
        [o.firstRecord, o.lastRecord] = parseCount(v);
        break;
      case "L": {
        const n = Number.parseInt(v, 10);
        if (Number.isNaN(n)) throw new UsageError(`-L: not a number: "${v}"`);
        o.labels = labelsValue(n);
        break;
      }
      case "c":
        o.delimiter = delimiterOf(v);
        break;
      case "p": {
        const n = Number.parseInt(v, 10);
        if (!(n >= 0 && n <= 6)) {
          throw new UsageError(`-p: precision must be 0 to 6`);
        }
        o.precision = n;
        break;
      }
      case "u":
        o.unixTime = true;
        break;
      case "z":
        o.tcpStates = true;
        break;
      case "Z":
        // ra keeps the first letter.
        o.tcpFlags = v[0] ?? "";
        break;
      case "A":
        o.totals = true;
        break;
      case "H":
        o.abbreviate = true;
        break;
      case "t":
        o.timeRange = v;
        break;
      case "M":
        for (const mode of values) applyMode(o, mode);
        break;
      case "w":
        o.writeFile = v;
        break;
      case "q":
        o.quiet = true;
        break;
      case "F":
        readRc(o, v, true);
        break;
      case "h":
        o.help = true;
        break;
    }
  }
  return o;
}
