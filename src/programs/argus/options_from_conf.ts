/**
 * argus.conf(5) onto ArgusOptions: each ARGUS_* variable sets what its
 * command-line twin sets, in file order, with argus's value rules (a
 * "yes" is any value starting yes, case-insensitively; numbers must be
 * numbers here, where argus would silently read garbage as 0). The first
 * ARGUS_OUTPUT_* (ARGUS_INTERFACE) of each file replaces earlier outputs
 * (interfaces), command-line ones included, as ArgusParseResourceFile does.
 * @module
 */

import { type ConfEntry, ConfigError, UsageError } from "../../cli/mod.ts";
import {
  type ArgusOptions,
  setControlPlane,
  setMarInterval,
  setStatusInterval,
  setUserData,
  type TimeoutName,
} from "./argus_options.ts";
import { flowStatusInterval, marInterval } from "./report_interval.ts";
import { type HostResolver, parseSourceId } from "./source_id.ts";
import { parseCount } from "./parse_count.ts";

/** Every variable argus 3.0.8.2 reads (its ArgusResourceFileStr table). */
export const ARGUS_CONF_VARIABLES: ReadonlySet<string> = new Set([
  "ARGUS_DAEMON",
  "ARGUS_MONITOR_ID",
  "ARGUS_ACCESS_PORT",
  "ARGUS_INTERFACE",
  "ARGUS_OUTPUT_FILE",
  "ARGUS_SET_PID",
  "ARGUS_PID_PATH",
  "ARGUS_GO_PROMISCUOUS",
  "ARGUS_FLOW_STATUS_INTERVAL",
  "ARGUS_MAR_STATUS_INTERVAL",
  "ARGUS_CAPTURE_DATA_LEN",
  "ARGUS_GENERATE_START_RECORDS",
  "ARGUS_GENERATE_RESPONSE_TIME_DATA",
  "ARGUS_GENERATE_JITTER_DATA",
  "ARGUS_GENERATE_MAC_DATA",
  "ARGUS_DEBUG_LEVEL",
  "ARGUS_FILTER_OPTIMIZER",
  "ARGUS_FILTER",
  "ARGUS_PACKET_CAPTURE_FILE",
  "ARGUS_PACKET_CAPTURE_ON_ERROR",
  "ARGUS_BIND_IP",
  "ARGUS_MIN_SSF",
  "ARGUS_MAX_SSF",
  "ARGUS_COLLECTOR",
  "ARGUS_FLOW_TYPE",
  "ARGUS_FLOW_KEY",
  "ARGUS_GENERATE_APPBYTE_METRIC",
  "ARGUS_CHROOT_DIR",
  "ARGUS_SETUSER_ID",
  "ARGUS_SETGROUP_ID",
  "ARGUS_GENERATE_TCP_PERF_METRIC",
  "ARGUS_GENERATE_BIDIRECTIONAL_TIMESTAMPS",
  "ARGUS_GENERATE_PACKET_SIZE",
  "ARGUS_ENV",
  "ARGUS_CAPTURE_FULL_CONTROL_DATA",
  "ARGUS_SELF_SYNCHRONIZE",
  "ARGUS_EVENT_DATA",
  "ARGUS_JITTER_HISTOGRAM",
  "ARGUS_OUTPUT_STREAM",
  "ARGUS_KEYSTROKE",
  "ARGUS_KEYSTROKE_CONF",
  "ARGUS_TUNNEL_DISCOVERY",
  "ARGUS_IP_TIMEOUT",
  "ARGUS_TCP_TIMEOUT",
  "ARGUS_ICMP_TIMEOUT",
  "ARGUS_IGMP_TIMEOUT",
  "ARGUS_FRAG_TIMEOUT",
  "ARGUS_ARP_TIMEOUT",
  "ARGUS_OTHER_TIMEOUT",
  "ARGUS_TRACK_DUPLICATES",
  "ARGUS_PCAP_BUF_SIZE",
  "ARGUS_MAX_FLOWS",
]);

/** What applying a file needs besides its entries. */
export interface ConfContext {
  /** The file, for error messages. */
  file: string;
  resolveHost: HostResolver;
  /** The host name `hostname` prints (ARGUS_MONITOR_ID=`hostname`). */
  hostname: () => string;
}

/**
 * Applies one configuration file's entries, in order.
 * @throws ConfigError naming the file and line of a refused value
 */
export function applyArgusConf(
  o: ArgusOptions,
  entries: readonly ConfEntry[],
  ctx: ConfContext,
): void {
  let outputs = 0;
  let interfaces = 0;
  for (const e of entries) {
    try {
      switch (e.name) {
        case "ARGUS_OUTPUT_FILE":
        case "ARGUS_OUTPUT_STREAM":
          if (outputs++ === 0) o.outputs = [];
          o.outputs.push(outputSpec(e));
          break;
        case "ARGUS_INTERFACE":
          if (interfaces++ === 0) o.interfaces = [];
          o.interfaces.push(e.value);
          break;
        default:
          applyEntry(o, e, ctx);
      }
    } catch (err) {
      if (err instanceof UsageError && !(err instanceof ConfigError)) {
        throw new ConfigError(ctx.file, e.line, err.message);
      }
      throw err;
    }
  }
}

function applyEntry(o: ArgusOptions, e: ConfEntry, ctx: ConfContext): void {
  const v = e.value;
  const yes = v.slice(0, 3).toLowerCase() === "yes";
  // argus's atoi() and interval readers stop at trailing blanks.
  const n = v.trimEnd();
  const c = o.confOnly;
  switch (e.name) {
    case "ARGUS_DAEMON":
      o.daemon = yes;
      break;
    case "ARGUS_MONITOR_ID":
      o.srcid = monitorId(e, ctx);
      break;
    case "ARGUS_ACCESS_PORT":
      o.accessPort = parseCount(n, e.name, 65535);
      break;
    case "ARGUS_SET_PID":
      o.pidFile = yes;
      break;
    case "ARGUS_PID_PATH":
      o.pidPath = v;
      break;
    case "ARGUS_GO_PROMISCUOUS":
      o.promiscuous = yes;
      break;
    case "ARGUS_FLOW_STATUS_INTERVAL":
      setStatusInterval(o, flowStatusInterval(n, o.statusIntervalUs, e.name));
      break;
    case "ARGUS_MAR_STATUS_INTERVAL":
      setMarInterval(o, marInterval(n, e.name));
      break;
    case "ARGUS_CAPTURE_DATA_LEN":
      setUserData(o, parseCount(n, e.name));
      break;
    case "ARGUS_GENERATE_START_RECORDS":
      c.startRecords = yes;
      break;
    case "ARGUS_GENERATE_RESPONSE_TIME_DATA":
      o.responseTime = yes;
      break;
    case "ARGUS_GENERATE_JITTER_DATA":
      o.jitter = yes;
      break;
    case "ARGUS_GENERATE_MAC_DATA":
      o.macs = yes;
      break;
    case "ARGUS_DEBUG_LEVEL":
      o.debugLevel = parseCount(n, e.name);
      break;
    case "ARGUS_FILTER_OPTIMIZER":
      o.optimizeFilter = yes;
      break;
    case "ARGUS_FILTER":
      // argus copies the value without its double quotes.
      o.filter = v.replaceAll('"', "");
      o.hasFilter = true;
      break;
    case "ARGUS_PACKET_CAPTURE_FILE":
      if (v !== "") c.packetCaptureFile = v;
      break;
    case "ARGUS_PACKET_CAPTURE_ON_ERROR":
      c.packetCaptureOnError = yes;
      break;
    case "ARGUS_BIND_IP":
      // Added to earlier ones: argus(5) allows one address per line.
      o.bindAddresses.push(...v.split(/[, \t]+/).filter(Boolean));
      break;
    case "ARGUS_FLOW_TYPE":
      if (/^uni/i.test(v)) c.bidirectional = false;
      else if (/^bi/i.test(v)) c.bidirectional = true;
      break;
    case "ARGUS_FLOW_KEY":
      c.flowKey.push(...v.split(/[ +\t]+/).filter(Boolean));
      break;
    case "ARGUS_GENERATE_APPBYTE_METRIC":
      o.appBytes = yes;
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
    case "ARGUS_GENERATE_TCP_PERF_METRIC":
      c.tcpPerformance = yes;
      break;
    case "ARGUS_GENERATE_BIDIRECTIONAL_TIMESTAMPS":
      c.bidirectionalTimestamps = yes;
      break;
    case "ARGUS_GENERATE_PACKET_SIZE":
      o.packetSize = yes;
      break;
    case "ARGUS_ENV":
      c.environment.push(v);
      break;
    case "ARGUS_CAPTURE_FULL_CONTROL_DATA":
      if (yes) setControlPlane(o);
      else o.controlPlane = false;
      break;
    case "ARGUS_SELF_SYNCHRONIZE":
      c.selfSynchronize = yes;
      break;
    case "ARGUS_EVENT_DATA":
      c.eventData.push(v);
      break;
    case "ARGUS_KEYSTROKE":
      c.keystroke = yes || /^tcp/i.test(v)
        ? "tcp"
        : /^ssh/i.test(v)
        ? "ssh"
        : "";
      break;
    case "ARGUS_TUNNEL_DISCOVERY":
      c.tunnelDiscovery = yes;
      break;
    case "ARGUS_TRACK_DUPLICATES":
      c.trackDuplicates = yes;
      break;
    case "ARGUS_IP_TIMEOUT":
    case "ARGUS_TCP_TIMEOUT":
    case "ARGUS_ICMP_TIMEOUT":
    case "ARGUS_IGMP_TIMEOUT":
    case "ARGUS_FRAG_TIMEOUT":
    case "ARGUS_ARP_TIMEOUT":
    case "ARGUS_OTHER_TIMEOUT": {
      const name = e.name.slice(6, -8).toLowerCase() as TimeoutName;
      c.timeouts[name] = parseCount(n, e.name);
      break;
    }
    case "ARGUS_PCAP_BUF_SIZE":
      c.pcapBufferSize = pcapBufferSize(n, e.name);
      break;
    case "ARGUS_MAX_FLOWS":
      // Ours (argus has no limit): flows tracked at once.
      c.maxFlows = parseCount(n, e.name);
      if (c.maxFlows < 2) {
        throw new UsageError(`${e.name} "${n}": at least 2 flows`);
      }
      break;
      // ARGUS_MIN_SSF, ARGUS_MAX_SSF (no SASL in this build),
      // ARGUS_COLLECTOR, ARGUS_JITTER_HISTOGRAM, ARGUS_KEYSTROKE_CONF: argus
      // 3.0.8.2 reads them and does nothing with them here.
  }
}

/**
 * ARGUS_OUTPUT_FILE / _STREAM: argus cuts the value at its first double
 * quote, then splits target and filter at the first blank. So
 * `file "icmp"` loses its filter (checked: all records are written), while
 * `"file icmp"` and `file icmp` keep it. A filter in single quotes, the
 * form argus.conf(5) shows, has them removed (argus 3.0.8.2 fails on it).
 */
function outputSpec(e: ConfEntry): { target: string; filter?: string } {
  const value = e.value.split('"')[0]!;
  const blank = value.indexOf(" ");
  const target = blank < 0 ? value : value.slice(0, blank);
  if (target === "") throw new UsageError(`${e.name}: no output named`);
  let filter = blank < 0 ? "" : value.slice(blank + 1).trim();
  const quoted = /^'(.*)'$/s.exec(filter);
  if (quoted) filter = quoted[1]!.trim();
  // An empty filter passes every record, as no filter does.
  return filter === "" ? { target } : { target, filter };
}

/**
 * ARGUS_MONITOR_ID: quoted is a string, `hostname` is this host's name
 * (without a final ".local"), anything else reads as -e does.
 */
function monitorId(e: ConfEntry, ctx: ConfContext) {
  const what = e.name;
  if (e.quoted) return parseSourceId(e.value, { quoted: true, what });
  let text = e.value;
  if (text.startsWith("`")) {
    const end = text.indexOf("`", 1);
    if (end < 0) throw new UsageError(`${what}: syntax error`);
    const command = text.slice(1, end);
    if (command !== "hostname") {
      throw new UsageError(`${what}: unsupported command \`${command}\``);
    }
    text = ctx.hostname();
    const local = text.indexOf(".local");
    if (local >= 0 && local === text.length - 6) text = text.slice(0, local);
  }
  return parseSourceId(text, { what, resolveHost: ctx.resolveHost });
}

/** ARGUS_PCAP_BUF_SIZE: a count, times 1000 per K, M or G in it. */
function pcapBufferSize(v: string, what: string): number {
  const m = /^(\d+)([KMG]?)$/.exec(v);
  if (!m) throw new UsageError(`${what} "${v}": not a size like 8M`);
  const scale = { "": 1, K: 1e3, M: 1e6, G: 1e9 }[m[2] as "" | "K"];
  return Number(m[1]) * scale;
}
