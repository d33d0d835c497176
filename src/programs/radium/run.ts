/**
 * radium(8): the argus record multiplexor. Reads every -S source (argus
 * or radium access ports, reconnecting with backoff when one drops) and
 * -r file, keeps each record as it came (its srcid included), merges them
 * into one time-ordered stream (time_merge.ts) and serves that on its own
 * -P port (the sensor's AccessServer: tcp_wrappers daemon "radium", a
 * bounded queue per client) and to its -w files, between its own opening,
 * status and closing MARs (srcid -e).
 * @module
 */

import { ConfigError, renderOptions, UsageError } from "../../cli/mod.ts";
import {
  compileFilter,
  type FilterPredicate,
  FilterSyntaxError,
} from "../../filter/mod.ts";
import { readRecordFile } from "../../record/record_reader.ts";
import { RecordFormatError } from "../../record/record_format_error.ts";
import type { RemoteAddress } from "../../client/remote_address.ts";
import {
  readRemoteRecords,
  UnknownHostError,
} from "../../client/remote_stream.ts";
import { AccessServer } from "../../output/access_server.ts";
import { HostsAccess } from "../../output/hosts_access.ts";
import { FileSink } from "../../output/file_sink.ts";
import { StdoutSink } from "../../output/stdout_sink.ts";
import type { RecordSink } from "../../output/record_sink.ts";
import {
  countRecords,
  type FanoutTarget,
  RecordFanout,
  type RecordFilter,
} from "../../output/record_fanout.ts";
import { StoredFilterSubject } from "../../output/stored_filter_subject.ts";
import type { MarFields } from "../../output/mar_encoder.ts";
import { marBytes } from "../../output/mar_encoder.ts";
import { VERSION } from "../../version.ts";
import { DebugLog } from "../argus/debug_log.ts";
import { daemonReady, maybeDaemonize } from "../argus/daemon.ts";
import { srcidStatusBits } from "../argus/source_id.ts";
import {
  parseRadiumOptions,
  RADIUM_OPTIONS,
  RADIUM_USAGE,
  type RadiumOptions,
} from "./options.ts";
import { recordTime } from "./record_time.ts";
import { wellFormed } from "./record_check.ts";
import { TimeMerge } from "./time_merge.ts";

/** radium's record limit per client is argus's: 128 clients, not 10. */
const MAX_CLIENTS = 128;
/** How often merged records go out, ms. */
const TICK_MS = 100;

/** Waits before the n-th reconnect in a row: 0.5 s doubling to 5 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 5000);
}

/** Runs radium: returns the exit status. */
export async function runRadium(args: string[]): Promise<number> {
  let o: RadiumOptions;
  try {
    o = parseRadiumOptions(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`radium: ${e.message}`);
      console.error(RADIUM_USAGE);
      return e.code;
    }
    if (e instanceof ConfigError) {
      console.error(`radium: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    console.log(
      `radium ${VERSION}\n${RADIUM_USAGE}\n${renderOptions(RADIUM_OPTIONS)}`,
    );
    return 0;
  }
  if (o.sources.length === 0 && o.files.length === 0) {
    console.error(
      "radium: No input: name sources with -S host:port or -r file",
    );
    console.error(RADIUM_USAGE);
    return 2;
  }
  let input: FilterPredicate | undefined;
  try {
    input = o.filter === "" ? undefined : compileFilter(o.filter);
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    console.error(`radium: ${e.message}`);
    return 2;
  }
  const daemon = await maybeDaemonize(args, { daemon: o.daemon }, {
    leadingArgs: ["radium"],
  });
  if (daemon !== null) return daemon;
  const log = new DebugLog({ program: "radium", level: o.debugLevel });
  const unwatch = log.watchSignals();
  try {
    return await serve(o, input, log);
  } finally {
    unwatch();
  }
}

/** Everything after the options: returns the exit status. */
async function serve(
  o: RadiumOptions,
  input: FilterPredicate | undefined,
  log: DebugLog,
): Promise<number> {
  const targets: FanoutTarget[] = [];
  try {
    for (const out of o.outputs) targets.push(await openOutput(out, log));
  } catch (e) {
    for (const t of targets) await t.sink.close();
    if (!(e instanceof Error) || e instanceof TypeError) throw e;
    log.error(e.message);
    return 1;
  }
  const startTime = Date.now() * 1000;
  let records = 0;
  let server: AccessServer | null = null;
  const mar = (cause: number, now = Date.now() * 1000): MarFields => ({
    cause,
    srcid: o.srcid.value,
    srcidStatus: srcidStatusBits(o.srcid.type),
    startTime,
    now,
    reportInterval: 0,
    marInterval: o.marInterval,
    records,
    clients: server?.clients ?? 0,
  });
  if (o.port !== 0) {
    try {
      server = new AccessServer({
        port: o.port,
        addresses: o.bindAddresses,
        openingMar: () => marBytes(mar(0x10)),
        log: (line) => log.notice(line),
        access: new HostsAccess({ daemon: "radium" }),
        maxClients: Math.max(0, MAX_CLIENTS - o.outputs.length),
      });
    } catch (e) {
      for (const t of targets) await t.sink.close();
      const why = e instanceof Deno.errors.AddrInUse
        ? "address already in use"
        : e instanceof Error
        ? e.message
        : String(e);
      log.error(`Cannot listen on port ${o.port}: ${why}`);
      return 1;
    }
    targets.push({ sink: server });
  }
  const fanout = new RecordFanout(targets);
  await fanout.mar(mar(0x10));
  daemonReady();

  const merge = new TimeMerge();
  const subject = new StoredFilterSubject();
  let malformed = 0;
  /** Takes one record of a source: checked, filtered, copied, held. */
  const take = (buf: Uint8Array, start: number, length: number): void => {
    if (!wellFormed(buf, start, length)) {
      // One line for the first, then a count with the closing MAR's log.
      if (malformed++ === 0) log.error("Dropped a malformed record");
      return;
    }
    const isMar = (buf[start]! & 0xf0) === 0x80;
    if (!isMar && input !== undefined) {
      if (!input(subject.loadBytes(buf, start, length))) return;
    }
    merge.push(
      buf.slice(start, start + length),
      recordTime(buf, start, length),
    );
  };
  // Records leave in order, one write after the other.
  let writing = Promise.resolve();
  const flush = (all: boolean) => {
    const block = merge.release(all);
    if (block === null) return;
    records += countRecords(block);
    writing = writing.then(() => fanout.write(block));
  };
  const ticker = setInterval(() => flush(false), TICK_MS);
  const status = setInterval(() => {
    writing = writing.then(() => fanout.mar(mar(0x20)));
  }, o.marInterval * 1000);

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    Deno.addSignalListener(s, onSignal);
  }
  let exit = 0;
  try {
    for (const file of o.files) {
      if (stop.signal.aborted) break;
      if (!await readFile(file, take, log)) exit = 1;
    }
    if (o.sources.length > 0) {
      await Promise.all(
        o.sources.map((addr) => readSource(addr, o, take, stop.signal, log)),
      );
    }
  } catch (e) {
    if (!(e instanceof UnknownHostError)) throw e;
    log.error(e.message);
    exit = 2;
  } finally {
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      Deno.removeSignalListener(s, onSignal);
    }
    clearInterval(ticker);
    clearInterval(status);
    flush(true);
    await writing;
    if (malformed > 1) log.error(`Dropped ${malformed} malformed records`);
    await fanout.mar(mar(0x30));
    await fanout.close();
  }
  return exit;
}

/** Reads one -r file into the merge; false when it was damaged. */
async function readFile(
  file: string,
  take: (buf: Uint8Array, start: number, length: number) => void,
  log: DebugLog,
): Promise<boolean> {
  let first = true;
  try {
    await readRecordFile(file, (buf, start, length) => {
      // The file's opening MAR describes the file, not radium's stream.
      const opening = first && (buf[start]! & 0xf0) === 0x80;
      first = false;
      if (!opening) take(buf, start, length);
    });
  } catch (e) {
    if (!(e instanceof RecordFormatError)) throw e;
    log.error(e.message);
    return false;
  }
  return true;
}

/** Reads one -S source until `signal`, reconnecting with backoff. */
function readSource(
  addr: RemoteAddress,
  o: RadiumOptions,
  take: (buf: Uint8Array, start: number, length: number) => void,
  signal: AbortSignal,
  log: DebugLog,
): Promise<void> {
  const where = `${addr.hostname}:${addr.port}`;
  return readRemoteRecords(addr, (buf, start, length) => {
    // An opening MAR (each connection's first record, an argus-udp
    // sender's first datagram) is the source's, not radium's stream.
    if ((buf[start]! & 0xf0) === 0x80 && buf[start + 1] === 0x10) return;
    take(buf, start, length);
  }, {
    signal,
    filter: o.filter === "" ? undefined : o.filter,
    log: (line) => log.notice(line),
    onConnect: () =>
      log.notice(
        addr.transport !== "tcp"
          ? `Reading datagrams at ${where}`
          : `Connected to ${where}`,
      ),
    onClose: () => log.notice(`Connection to ${where} closed`),
    retryDelay: reconnectDelay,
    once: o.noReconnect,
  });
}

/** Opens one -w output ("-" is stdout) behind its filter. */
async function openOutput(
  out: { target: string; filter?: string },
  log: DebugLog,
): Promise<FanoutTarget> {
  let sink: RecordSink;
  if (out.target === "-") sink = new StdoutSink();
  else {
    try {
      sink = await FileSink.open(out.target, {
        onError: (line) => log.error(line),
        onResume: (line) => log.notice(line),
      });
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "no such directory"
        : e instanceof Error
        ? e.message
        : String(e);
      throw new Error(`Cannot write "${out.target}": ${why}`);
    }
  }
  const filter = outputFilter(out.filter, log, out.target);
  return filter === undefined ? { sink } : { sink, filter };
}

function outputFilter(
  text: string | undefined,
  log: DebugLog,
  target: string,
): RecordFilter | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    const pass = compileFilter(text);
    const subject = new StoredFilterSubject();
    return (buf, start, length) => pass(subject.loadBytes(buf, start, length));
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    log.error(`-w ${target} "${text}": ${e.message}; writing every record`);
    return undefined;
  }
}
