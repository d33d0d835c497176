/**
 * argus on interfaces (-i, or the first interface that is up): opens the
 * capture handles and outputs, then runs the sensor until SIGTERM, SIGINT
 * or SIGHUP, which flush every active flow and a closing MAR (exit 0).
 * File outputs renamed or removed (cron rotation) are noticed within a
 * second and started afresh with a MAR; SIGWINCH reopens them at once.
 * @module
 */

import {
  compileFilter as compileLibpcapFilter,
  listDevices,
  type PcapDevice,
  PcapError,
} from "../../../ffi/mod.ts";
import { type LiveSource, openLiveSource } from "../../capture/mod.ts";
import type { FanoutTarget } from "../../output/record_fanout.ts";
import { marBytes, type MarFields } from "../../output/mar_encoder.ts";
import type { AccessServer } from "../../output/access_server.ts";
import { openAccess } from "./open_access.ts";
import { log } from "./debug_log.ts";
import { parseInterfaceSpecs } from "./interface_spec.ts";
import { openOutputs } from "./open_outputs.ts";
import type { ArgusOptions } from "./options.ts";
import { runSensor } from "./sensor_run.ts";
import { extraMetrics } from "./argus_options.ts";
import { parseSourceId, srcidStatusBits } from "./source_id.ts";

/** Signals that end a live run (argus's ArgusShutDown). */
const STOP_SIGNALS: readonly Deno.Signal[] = ["SIGTERM", "SIGINT", "SIGHUP"];
/** The signal that reopens file outputs without stopping. */
export const REOPEN_SIGNAL: Deno.Signal = "SIGWINCH";
/**
 * Kernel capture buffer when ARGUS_PCAP_BUF_SIZE is not set. libpcap's 2 MB
 * (argus's default) fills in well under a second at 200 k packets/s while
 * V8 is still optimising our packet path; 32 MB rides that out.
 */
const DEFAULT_CAPTURE_BUFFER = 32 * 1024 * 1024;
/** How often file outputs are checked for a rename, ms. */
const ROTATION_CHECK_MS = 1000;

/** Hooks of the daemon machinery, called at the right moments. */
export interface LiveHooks {
  /** After the capture handles open, before the outputs (pid file). */
  beforeOutputs?: (interfaces: readonly string[]) => void;
  /** Opens the -w outputs through `open` (asOutputUser: as -u/-g in -c). */
  outputsAs?: <T>(open: () => Promise<T>) => Promise<T>;
  /** After handles and outputs are open, before the first packet. */
  afterOpen?: () => Promise<void> | void;
  /** Once capture is running (the opening MARs are written). */
  running?: () => void;
}

/** Runs a live capture; returns the exit status. */
export async function runLive(
  opts: ArgusOptions,
  hooks: LiveHooks = {},
): Promise<number> {
  let names: string[];
  let srcid = opts.srcid;
  try {
    const choice = parseInterfaceSpecs(opts.interfaces);
    names = resolveInterfaces(choice.names);
    if (choice.srcid !== undefined && srcid.type === 0) {
      srcid = parseSourceId(choice.srcid, {
        quoted: choice.srcidQuoted,
        what: "-i",
      });
    }
  } catch (e) {
    console.error(`argus: ${message(e)}`);
    return e instanceof PcapError ? 1 : 2;
  }

  let source: LiveSource;
  try {
    source = openLiveSource(names, {
      snaplen: opts.snaplen,
      promiscuous: opts.promiscuous,
      filter: opts.filter,
      optimize: opts.optimizeFilter,
      bufferBytes: opts.confOnly.pcapBufferSize || DEFAULT_CAPTURE_BUFFER,
    });
  } catch (e) {
    if (!(e instanceof PcapError)) throw e;
    console.error(`argus: ${pcapMessage(e, opts.filter)}`);
    return 1;
  }
  if (opts.dumpFilter) {
    try {
      if (opts.hasFilter || opts.filter !== "") {
        const program = compileLibpcapFilter(
          opts.filter,
          source.dlt,
          opts.snaplen,
          opts.optimizeFilter,
        );
        console.log(program.text.join("\n"));
      }
    } finally {
      source.stop();
      await source.stream.cancel();
    }
    return 0;
  }

  // The access port first, as argus sets up its listener before outputs.
  let opening: (() => MarFields) | null = null;
  let access: AccessServer | null;
  try {
    hooks.beforeOutputs?.(names);
    access = await openAccess(
      opts,
      () => clientOpeningMar(opening, opts, srcid.type, srcid.value),
      // Through the log: a daemon's stderr is /dev/null, its log syslog.
      (line) => log.error(line),
    );
  } catch (e) {
    await source.stream.cancel();
    console.error(`argus: ${message(e)}`);
    return 1;
  }
  let targets: FanoutTarget[];
  try {
    targets = hooks.outputsAs
      ? await hooks.outputsAs(() => openOutputs(opts))
      : await openOutputs(opts);
  } catch (e) {
    await source.stream.cancel();
    await access?.close();
    console.error(`argus: ${message(e)}`);
    return 1;
  }
  const fileTargets = targets.length;
  if (access !== null) targets.push({ sink: access });
  try {
    await hooks.afterOpen?.();
  } catch (e) {
    await source.stream.cancel();
    for (const t of targets) await t.sink.close();
    console.error(`argus: ${message(e)}`);
    return 1;
  }

  let signalled = false;
  const stop = () => {
    signalled = true;
    source.stop();
  };
  let reopenAsked = false;
  const reopen = () => {
    reopenAsked = true;
  };
  for (const s of STOP_SIGNALS) Deno.addSignalListener(s, stop);
  Deno.addSignalListener(REOPEN_SIGNAL, reopen);
  let nextCheck = Date.now() + ROTATION_CHECK_MS;
  try {
    await runSensor({
      source: source.stream,
      targets,
      ...(opts.lastPacket !== Infinity ? { lastPacket: opts.lastPacket } : {}),
      skipPackets: opts.skipPackets,
      statusInterval: opts.statusInterval,
      marInterval: opts.marInterval,
      srcidType: srcid.type,
      srcid: srcid.value,
      srcidStatus: srcidStatusBits(srcid.type),
      userData: opts.userData,
      maxFlows: opts.confOnly.maxFlows,
      metrics: extraMetrics(opts),
      // argus reports pcap_datalink() of the first interface.
      interfaceType: source.dlt,
      onDone: () => source.stop(),
      stoppedBySignal: () => signalled,
      dropped: () => source.stats().dropped,
      ...(hooks.running ? { onStarted: hooks.running } : {}),
      // argus counts its -w outputs and connected remote clients.
      clients: () => fileTargets + (access?.clients ?? 0),
      housekeeping: async (fanout, openingMar) => {
        opening = openingMar;
        const now = Date.now();
        if (!reopenAsked && now < nextCheck) return;
        nextCheck = now + ROTATION_CHECK_MS;
        const force = reopenAsked;
        reopenAsked = false;
        await fanout.rotate(openingMar(), force);
      },
    });
  } finally {
    for (const s of STOP_SIGNALS) Deno.removeSignalListener(s, stop);
    Deno.removeSignalListener(REOPEN_SIGNAL, reopen);
  }
  return 0;
}

/** The opening MAR a remote client gets on connect. */
function clientOpeningMar(
  opening: (() => MarFields) | null,
  opts: ArgusOptions,
  srcidType: number,
  srcid: number,
): Uint8Array {
  const now = Date.now() * 1000;
  const fields: MarFields = opening?.() ?? {
    cause: 0x10,
    srcid,
    srcidStatus: srcidStatusBits(srcidType),
    startTime: now,
    now,
    reportInterval: opts.statusInterval,
    marInterval: opts.marInterval,
  };
  return marBytes(fields);
}

/**
 * The interfaces to open: as named, "all" for every interface that is up,
 * none for the first one that is up and not a loopback (pcap_lookupdev).
 * @throws PcapError when nothing is up
 */
function resolveInterfaces(names: readonly string[]): string[] {
  const up = (d: PcapDevice) =>
    (d.flags & PCAP_IF_UP) !== 0 && d.name !== "any";
  if (names.length === 0) {
    const first = listDevices().find((d) =>
      up(d) && !(d.flags & PCAP_IF_LOOPBACK)
    );
    if (first === undefined) {
      throw new PcapError(
        "libpcap",
        "No interface is up to capture on; name one with -i",
      );
    }
    return [first.name];
  }
  if (names.includes("all")) {
    const all = listDevices().filter(up).map((d) => d.name);
    if (all.length === 0) {
      throw new PcapError("libpcap", "No interface is up to capture on");
    }
    return [...new Set([...names.filter((n) => n !== "all"), ...all])];
  }
  return [...names];
}

const PCAP_IF_LOOPBACK = 0x1;
const PCAP_IF_UP = 0x2;

/** One line for a libpcap failure, naming the interface or the filter. */
function pcapMessage(e: PcapError, filter: string): string {
  if (e.source === "filter") return `filter "${filter}": ${e.message}`;
  if (e.source === "libpcap") return e.message;
  return `${e.source}: ${e.message}`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
