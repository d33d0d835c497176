/**
 * What the argus command line and argus.conf decide (argus(8),
 * argus.conf(5)): the ArgusOptions record, argus 3.0.8.2's starting values,
 * and -X, which resets exactly the settings argus's
 * clearArgusConfiguration() resets (not -Z, -d, -D, -u, -g, -c, timeouts).
 * @module
 */

import { type SourceId, SrcIdType } from "./source_id.ts";
import type { ExtraMetrics } from "../../flow/flow_engine.ts";

/** An output (-w, ARGUS_OUTPUT_FILE, ARGUS_OUTPUT_STREAM). */
export interface OutputSpec {
  /** A file, "-" for standard output, or argus-udp:// / udp:// URL. */
  target: string;
  /** Record filter for this output only (ra filter language). */
  filter?: string;
}

/** Settings only argus.conf can make (no command-line option). */
export interface ConfOnlySettings {
  /** ARGUS_FLOW_TYPE: false for "Unidirectional". */
  bidirectional: boolean;
  /** ARGUS_FLOW_KEY words (CLASSIC_5_TUPLE is argus's only default). */
  flowKey: string[];
  /** ARGUS_GENERATE_START_RECORDS. */
  startRecords: boolean;
  /** ARGUS_GENERATE_TCP_PERF_METRIC (on unless set to no). */
  tcpPerformance: boolean;
  /** ARGUS_GENERATE_BIDIRECTIONAL_TIMESTAMPS. */
  bidirectionalTimestamps: boolean;
  /** ARGUS_PACKET_CAPTURE_FILE. */
  packetCaptureFile?: string;
  /** ARGUS_PACKET_CAPTURE_ON_ERROR. */
  packetCaptureOnError: boolean;
  /** ARGUS_ENV assignments, in order. */
  environment: string[];
  /** ARGUS_EVENT_DATA specifications, in order. */
  eventData: string[];
  /** ARGUS_SELF_SYNCHRONIZE. */
  selfSynchronize: boolean;
  /** ARGUS_KEYSTROKE: "tcp", "ssh" or "" (off). */
  keystroke: "" | "tcp" | "ssh";
  /** ARGUS_TUNNEL_DISCOVERY. */
  tunnelDiscovery: boolean;
  /** ARGUS_TRACK_DUPLICATES. */
  trackDuplicates: boolean;
  /** ARGUS_*_TIMEOUT in seconds; 0 means argus's built-in value. */
  timeouts: Record<TimeoutName, number>;
  /** ARGUS_PCAP_BUF_SIZE in bytes, 0 for libpcap's own. */
  pcapBufferSize: number;
  /** ARGUS_MAX_FLOWS (ours): flows tracked at once, 0 for the default. */
  maxFlows: number;
}

/** The protocols of ARGUS_<NAME>_TIMEOUT. */
export type TimeoutName =
  | "ip"
  | "tcp"
  | "icmp"
  | "igmp"
  | "frag"
  | "arp"
  | "other";

/** argus's idle timeouts when none is configured (ArgusModeler.h). */
export const DEFAULT_TIMEOUTS: Readonly<Record<TimeoutName, number>> = {
  ip: 30,
  tcp: 60,
  icmp: 5,
  igmp: 30,
  frag: 5,
  arp: 5,
  other: 30,
};

/** Everything the argus command line and configuration decide. */
export interface ArgusOptions {
  /** -r: capture files in the order argus reads them (byte order of the names); "-" is stdin. */
  readFiles: string[];
  /** -w and ARGUS_OUTPUT_*: the outputs, in the order given. */
  outputs: OutputSpec[];
  /** The capture filter expression (command line, else ARGUS_FILTER), "" for none. */
  filter: string;
  /**
   * A filter was given, even an empty one (a lone "-", ARGUS_FILTER="").
   * argus compiles, and -b prints, only then: without one, -b is ignored.
   */
  hasFilter: boolean;
  /** -i / ARGUS_INTERFACE: interface specifications, one per -i. */
  interfaces: string[];
  /** -N: packets to skip before processing. */
  skipPackets: number;
  /** -N: number of the last packet to read (Infinity for all). */
  lastPacket: number;
  /** -s / -U / -C: the packet snapshot length. */
  snaplen: number;
  /** -e / ARGUS_MONITOR_ID. */
  srcid: SourceId;
  /** -S: flow status interval, seconds (statusIntervalUs / 1e6). */
  statusInterval: number;
  /** -S: flow status interval, whole microseconds. */
  statusIntervalUs: number;
  /** -M: management record interval, seconds (marIntervalUs / 1e6). */
  marInterval: number;
  /** -M: management record interval, whole microseconds. */
  marIntervalUs: number;
  /** -b: print the compiled filter and stop. */
  dumpFilter: boolean;
  /** ARGUS_FILTER_OPTIMIZER / -O. Off until -X or the conf turns it on (argus 3.0.8.2 quirk). */
  optimizeFilter: boolean;
  /** -h. */
  help: boolean;
  /** -d / ARGUS_DAEMON (-d toggles it). */
  daemon: boolean;
  /** -D / ARGUS_DEBUG_LEVEL. */
  debugLevel: number;
  /** -P / ARGUS_ACCESS_PORT, 0 for none. */
  accessPort: number;
  /** -B / ARGUS_BIND_IP. */
  bindAddresses: string[];
  /** Not -p; ARGUS_GO_PROMISCUOUS. */
  promiscuous: boolean;
  /** -f: wait for more packets at the end of a file. */
  follow: boolean;
  /** -T: real-time playback speed, 0 for as fast as possible. */
  realTime: number;
  /** -u / ARGUS_SETUSER_ID. */
  user?: string;
  /** -g / ARGUS_SETGROUP_ID. */
  group?: string;
  /** -c / ARGUS_CHROOT_DIR. */
  chroot?: string;
  /** ARGUS_SET_PID (daemon mode only). */
  pidFile: boolean;
  /** ARGUS_PID_PATH. */
  pidPath?: string;
  /** -A / ARGUS_GENERATE_APPBYTE_METRIC. */
  appBytes: boolean;
  /** -J / ARGUS_GENERATE_JITTER_DATA. */
  jitter: boolean;
  /** -R / ARGUS_GENERATE_RESPONSE_TIME_DATA. */
  responseTime: boolean;
  /** -Z / ARGUS_GENERATE_PACKET_SIZE. */
  packetSize: boolean;
  /** -m / ARGUS_GENERATE_MAC_DATA. */
  macs: boolean;
  /** -U / ARGUS_CAPTURE_DATA_LEN: user data bytes per direction. */
  userData: number;
  /** -C / ARGUS_CAPTURE_FULL_CONTROL_DATA. */
  controlPlane: boolean;
  /** -t: the files are MOAT Tsh. */
  moatTsh: boolean;
  /** argus.conf settings without an option. */
  confOnly: ConfOnlySettings;
  /**
   * Options and variables given that argus-ts does not implement yet, as
   * the user wrote them ("-J", "-w argus-udp://h", "ARGUS_TCP_TIMEOUT").
   */
  unimplemented: string[];
  /** @deprecated the same list as `unimplemented` */
  unsupported: string[];
}

/** ARGUS_MINSNAPLEN: the snaplen argus starts with and -X restores. */
export const MIN_SNAPLEN = 96;
/** ARGUS_MAXSNAPLEN: -C's snaplen, which -U then leaves alone. */
export const MAX_SNAPLEN = 65535;
/** argus's built-in -S (ARGUS_FARSTATUSTIMER) and -M (ARGUS_MARSTATUSTIMER). */
export const DEFAULT_STATUS_INTERVAL_US = 5_000_000;
export const DEFAULT_MAR_INTERVAL_US = 60_000_000;

/** argus 3.0.8.2's values before any configuration is read. */
export function defaultArgusOptions(): ArgusOptions {
  const unimplemented: string[] = [];
  return {
    readFiles: [],
    outputs: [],
    filter: "",
    hasFilter: false,
    interfaces: [],
    skipPackets: 0,
    lastPacket: Infinity,
    snaplen: MIN_SNAPLEN,
    srcid: { type: SrcIdType.none, value: 0 },
    statusInterval: DEFAULT_STATUS_INTERVAL_US / 1e6,
    statusIntervalUs: DEFAULT_STATUS_INTERVAL_US,
    marInterval: DEFAULT_MAR_INTERVAL_US / 1e6,
    marIntervalUs: DEFAULT_MAR_INTERVAL_US,
    dumpFilter: false,
    // argus leaves its optimizer flag at 0 until -X or the conf sets it
    // (checked: `argus -b` prints 14 instructions for "udp", -X 12).
    optimizeFilter: false,
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
    confOnly: {
      bidirectional: true,
      flowKey: [],
      startRecords: false,
      tcpPerformance: true,
      bidirectionalTimestamps: false,
      packetCaptureOnError: false,
      environment: [],
      eventData: [],
      selfSynchronize: false,
      keystroke: "",
      tunnelDiscovery: false,
      trackDuplicates: false,
      timeouts: { ip: 0, tcp: 0, icmp: 0, igmp: 0, frag: 0, arp: 0, other: 0 },
      pcapBufferSize: 0,
      maxFlows: 0,
    },
    unimplemented,
    unsupported: unimplemented,
  };
}

/** The metric options in the engine's terms. */
export function extraMetrics(o: ArgusOptions): ExtraMetrics {
  return {
    macs: o.macs,
    appBytes: o.appBytes,
    packetSize: o.packetSize,
    jitter: o.jitter,
    controlPlane: o.controlPlane,
  };
}

/** -X: argus's clearArgusConfiguration(), field by field. */
export function clearConfiguration(o: ArgusOptions): void {
  o.srcid = { type: SrcIdType.none, value: 0 };
  o.outputs = [];
  o.interfaces = [];
  o.accessPort = 0;
  o.bindAddresses = [];
  o.pidFile = false;
  o.promiscuous = true;
  // setArgusFarReportInterval("5") replaces the seconds only.
  setStatusInterval(
    o,
    DEFAULT_STATUS_INTERVAL_US + (o.statusIntervalUs % 1_000_000),
  );
  setMarInterval(o, DEFAULT_MAR_INTERVAL_US);
  o.userData = 0;
  o.snaplen = MIN_SNAPLEN;
  o.responseTime = false;
  o.jitter = false;
  o.macs = false;
  o.optimizeFilter = true;
  o.controlPlane = false;
  o.appBytes = false;
  o.confOnly.bidirectionalTimestamps = false;
  delete o.confOnly.packetCaptureFile;
  o.filter = "";
  o.hasFilter = false;
}

/** -S / ARGUS_FLOW_STATUS_INTERVAL, both units. */
export function setStatusInterval(o: ArgusOptions, us: number): void {
  o.statusIntervalUs = us;
  o.statusInterval = us / 1e6;
}

/** -M / ARGUS_MAR_STATUS_INTERVAL, both units. */
export function setMarInterval(o: ArgusOptions, us: number): void {
  o.marIntervalUs = us;
  o.marInterval = us / 1e6;
}

/** -U / ARGUS_CAPTURE_DATA_LEN: also grows the snaplen unless -C set it. */
export function setUserData(o: ArgusOptions, bytes: number): void {
  o.userData = bytes;
  if (o.snaplen !== MAX_SNAPLEN) o.snaplen = bytes + MIN_SNAPLEN;
}

/** -C / ARGUS_CAPTURE_FULL_CONTROL_DATA=yes. */
export function setControlPlane(o: ArgusOptions): void {
  o.controlPlane = true;
  o.snaplen = MAX_SNAPLEN;
}
