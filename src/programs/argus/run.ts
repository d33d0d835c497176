/**
 * The argus program: options, then the file-reading sensor pipeline.
 * Errors become one line on stderr and a non-zero exit; damage in a capture
 * file is reported only after every record before it has been written.
 * @module
 */

import {
  CaptureFilter,
  EmptyCaptureFile,
  RealtimePacer,
  type SavefileSource,
  savefileSource,
} from "../../capture/mod.ts";
import { UsageError } from "../../cli/mod.ts";
import { ciscoInput, CiscoRecords } from "../../netflow/mod.ts";
import type { PacketFilter } from "../../flow/sensor_stream.ts";
import type { FanoutTarget } from "../../output/record_fanout.ts";
import { openOutputs } from "./open_outputs.ts";
import {
  ARGUS_USAGE_LINE,
  type ArgusOptions,
  argusUsage,
  parseArgusOptions,
} from "./options.ts";
import { runSensor } from "./sensor_run.ts";
import { extraMetrics } from "./argus_options.ts";
import { runLive } from "./live_run.ts";
import { srcidStatusBits } from "./source_id.ts";
import { isSupportedLinkType } from "../../decode/link_decoder.ts";
import { VERSION } from "../../version.ts";
import { daemonReady, isDaemonChild, maybeDaemonize } from "./daemon.ts";
import { log } from "./debug_log.ts";
import { createPidFile, type PidFile } from "./pid_file.ts";
import {
  asOutputUser,
  checkIdentity,
  dropPrivileges,
  type Identity,
} from "./privileges.ts";

/** argus [options]: returns the exit status. */
export async function runArgus(args: string[]): Promise<number> {
  let opts: ArgusOptions;
  try {
    opts = parseArgusOptions(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`argus: ${e.message}`);
      console.error(ARGUS_USAGE_LINE);
      return e.code;
    }
    throw e;
  }
  if (opts.help) {
    console.log(argusUsage(VERSION));
    return 0;
  }
  const unsupported = opts.unimplemented;
  if (unsupported.length > 0) {
    console.error(`argus: not supported yet: ${unsupported.join(", ")}`);
    return 2;
  }
  if (opts.outputs.length === 0 && !opts.dumpFilter) {
    console.error(
      "argus: no output: give -w file (or -w - for standard output)",
    );
    return 2;
  }
  let identity: Identity;
  try {
    // Unknown -u/-g names or a missing -c directory stop argus at once.
    identity = checkIdentity(opts);
  } catch (e) {
    if (e instanceof UsageError) {
      log.error(e.message);
      return e.code;
    }
    throw e;
  }
  log.level = opts.debugLevel;
  if (opts.readFiles.length === 0) {
    const parentExit = await maybeDaemonize(args, opts);
    if (parentExit !== null) return parentExit;
    const stopWatching = log.watchSignals();
    let pidFile: PidFile | undefined;
    try {
      return await runLive(opts, {
        beforeOutputs: (names) => {
          // Before -c: the pid file stays where ARGUS_PID_PATH says.
          if (isDaemonChild() && opts.pidFile) {
            pidFile = createPidFile({
              ...(opts.pidPath !== undefined ? { dir: opts.pidPath } : {}),
              device: names[0] ?? "any",
            });
          }
        },
        outputsAs: (open) => asOutputUser(identity, open),
        afterOpen: () => dropPrivileges(identity),
        running: () => {
          if (isDaemonChild()) log.notice("started");
          daemonReady();
        },
      });
    } finally {
      pidFile?.remove();
      stopWatching();
    }
  }
  if (opts.readFiles.filter((f) => f === "-").length > 1) {
    console.error("argus: standard input can be read only once");
    return 2;
  }
  if (opts.outputs.length === 0 && !opts.dumpFilter) {
    console.error(
      "argus: no output: give -w file (or -w - for standard output)",
    );
    return 2;
  }

  const source = savefileSource(opts.readFiles.map((f) => ciscoInput(f).path), {
    checkLinkType: (lt) =>
      isSupportedLinkType(lt) ? null : `link type ${lt} is not supported`,
    follow: opts.follow,
    moatTsh: opts.moatTsh,
  });
  // -f (and -T) run until a signal, which ends them as the end of the
  // file does: the real argus -f writes the same records as without -f.
  const stoppers = [() => source.stop()];
  const stopOnSignal = () => stoppers.forEach((stop) => stop());
  const stopSignals: Deno.Signal[] = opts.follow || opts.realTime > 0
    ? ["SIGTERM", "SIGINT", "SIGHUP"]
    : [];
  for (const s of stopSignals) Deno.addSignalListener(s, stopOnSignal);
  try {
    return await readFiles(opts, source, identity, stoppers);
  } finally {
    for (const s of stopSignals) Deno.removeSignalListener(s, stopOnSignal);
  }
}

/** The -r pipeline once the inputs are opening. */
async function readFiles(
  opts: ArgusOptions,
  source: SavefileSource,
  identity: Identity,
  stoppers: (() => void)[],
): Promise<number> {
  const reader = source.stream.getReader();
  // Read the first batch before opening outputs: a file that cannot be
  // opened fails fast, and the link type for the filter is known.
  const first = await reader.read();
  reader.releaseLock();
  const linkType = source.firstLinkType();

  let filter: PacketFilter | undefined;
  if (opts.filter !== "" || opts.dumpFilter) {
    const { PcapError } = await import("../../../ffi/mod.ts");
    // argus compiles on its savefile handle: the file's link type, snaplen
    // and byte order shape the program (and the -b text).
    const lt = linkType < 0 ? 1 : linkType;
    try {
      const compiled = new CaptureFilter(opts.filter, lt, {
        snaplen: source.firstSnaplen() > 0 ? source.firstSnaplen() : 262144,
        bigEndian: source.files[0]?.bigEndian ?? false,
        optimize: opts.optimizeFilter,
      });
      if (opts.dumpFilter) {
        // A lone "-" is an empty filter, which argus -b prints too.
        if (opts.hasFilter || opts.filter !== "") {
          console.log(compiled.program(lt).text.join("\n"));
        }
        return 0;
      }
      filter = (data, start, caplen, wirelen, packetLinkType) =>
        compiled.matches(data, start, caplen, wirelen, packetLinkType);
    } catch (e) {
      if (e instanceof PcapError) {
        console.error(`argus: filter "${opts.filter}": ${e.message}`);
        return 2;
      }
      throw e;
    }
  }

  let targets: FanoutTarget[];
  try {
    targets = await asOutputUser(identity, () => openOutputs(opts));
    dropPrivileges(identity);
  } catch (e) {
    console.error(`argus: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  // Put the batch already read back in front of the rest.
  const rest = source.stream;
  const stream = new ReadableStream({
    start(controller) {
      if (!first.done) controller.enqueue(first.value);
    },
    async pull(controller) {
      const r = await restReader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel() {
      return restReader.cancel();
    },
  }, { highWaterMark: 0 });
  const restReader = rest.getReader();

  // -r cisco:file: NetFlow in UDP payloads becomes records too.
  const netflow = opts.readFiles.some((f) => ciscoInput(f).cisco)
    ? new CiscoRecords()
    : null;
  // -T: packets go on at their capture times, scaled.
  const pacer = opts.realTime > 0
    ? new RealtimePacer(stream, opts.realTime)
    : null;
  if (pacer !== null) stoppers.push(() => pacer.stop());

  await runSensor({
    source: pacer?.stream ?? stream,
    targets,
    ...(filter ? { filter } : {}),
    skipPackets: opts.skipPackets,
    lastPacket: opts.lastPacket,
    statusInterval: opts.statusInterval,
    marInterval: opts.marInterval,
    srcidType: opts.srcid.type,
    srcid: opts.srcid.value,
    srcidStatus: srcidStatusBits(opts.srcid.type),
    userData: opts.userData,
    maxFlows: opts.confOnly.maxFlows,
    metrics: extraMetrics(opts),
    // argus leaves the interface type 0 when it reads files.
    interfaceType: 0,
    onDone: () => source.stop(),
    ...(netflow
      ? { afterPacket: (b, i, engine) => netflow.forPacket(b, i, engine) }
      : {}),
  });

  // An empty file only warns, as argus does; damage is a failure.
  for (const e of source.errors) {
    if (e instanceof EmptyCaptureFile) console.error(`argus: ${e.message}`);
  }
  const err = source.errors.find((e) => !(e instanceof EmptyCaptureFile));
  if (err !== undefined) {
    console.error(`argus: ${err.message}`);
    return 1;
  }
  return 0;
}
