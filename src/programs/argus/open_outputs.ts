/**
 * The argus -w outputs, opened before the first packet: files (appended,
 * as argus does), standard output and argus-udp:// / udp:// datagram
 * streams, each behind its own record filter.
 * @module
 */

import { FileSink } from "../../output/file_sink.ts";
import {
  compileFilter,
  type FilterPredicate,
  FilterSyntaxError,
} from "../../filter/mod.ts";
import type { FanoutTarget, RecordFilter } from "../../output/record_fanout.ts";
import { StoredFilterSubject } from "../../output/stored_filter_subject.ts";
import type { RecordSink } from "../../output/record_sink.ts";
import { StdoutSink } from "../../output/stdout_sink.ts";
import { parseUdpTarget, UdpSink } from "../../output/udp_sink.ts";
import type { ArgusOptions } from "./options.ts";
import { log } from "./debug_log.ts";

/** Opens every -w output; a bad path fails before anything is written. */
export async function openOutputs(opts: ArgusOptions): Promise<FanoutTarget[]> {
  const targets: FanoutTarget[] = [];
  for (const out of opts.outputs) {
    let sink: RecordSink;
    try {
      sink = await openSink(out.target);
    } catch (e) {
      for (const t of targets) await t.sink.close();
      throw e;
    }
    const filter = out.filter === undefined
      ? undefined
      : outputFilter(out.target, out.filter);
    targets.push(filter === undefined ? { sink } : { sink, filter });
  }
  return targets;
}

/**
 * One -w target: "-", a udp URL, else a file.
 * @throws Error with one line when it cannot be opened
 */
async function openSink(target: string): Promise<RecordSink> {
  if (target === "-") return new StdoutSink();
  const udp = parseUdpTarget(target);
  if (udp !== null) return await UdpSink.open(target, udp);
  try {
    // A full disk is logged, not thrown: through the log, as a daemon's
    // stderr is /dev/null (its log is syslog).
    return await FileSink.open(target, {
      onError: (line) => log.error(line),
      onResume: (line) => log.debug(1, line),
    });
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such directory"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : e instanceof Error
      ? e.message
      : String(e);
    throw new Error(`Cannot write "${target}": ${why}`);
  }
}

/**
 * The record filter of one output: the flow filter language over each
 * record as stored (sensor orientation, see filter/filter_subject.ts).
 * argus 3.0.8 writes every record to an output whose filter does not
 * parse and says nothing; we do the same, with a warning.
 */
function outputFilter(
  target: string,
  text: string,
): RecordFilter | undefined {
  let pass: FilterPredicate;
  try {
    pass = compileFilter(text);
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    console.error(
      `argus: -w ${target} "${text}": ${e.message}; writing every record`,
    );
    return undefined;
  }
  if (text.trim() === "") return undefined;
  // One subject per output, reused for every record.
  const subject = new StoredFilterSubject();
  return (buf, start, length) => pass(subject.loadBytes(buf, start, length));
}
