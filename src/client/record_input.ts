/**
 * The reading loop every client shares: the files in order ("-" for
 * stdin, gzip or plain), the -N record window, MAR handling as ra does it,
 * RA_PORT_DIRECTION, the -t time range and the compiled filter. Each
 * record that passes is handed on in place (its bytes are valid during the
 * call only). Damage in a file is reported after every good record of it
 * was handed on.
 * @module
 */

import { ClientRecord, RecordKind } from "./client_record.ts";
import { ClientFilterSubject } from "./client_filter_subject.ts";
import type { FilterPredicate } from "../filter/mod.ts";
import { RecordFormatError } from "../record/record_format_error.ts";
import { readRecordFile } from "../record/record_reader.ts";
import type { PortDirection } from "./port_direction.ts";
import type { RemoteAddress } from "./remote_address.ts";
import { readRemoteRecords } from "./remote_stream.ts";
import {
  inTimeRange,
  marRecordInTimeRange,
  type TimeRange,
} from "./time_range.ts";

/** What selects records. */
export interface InputSelection {
  files: readonly string[];
  /** Records to skip and the last record to read (-N), -1 = all. */
  firstRecord: number;
  lastRecord: number;
  /** Hand on MAR records too (RA_PRINT_MAN_RECORDS). */
  printMan: boolean;
  filter?: FilterPredicate | undefined;
  timeRange?: TimeRange | undefined;
  /**
   * Called with the first stream's opening MAR, before any record; true
   * when it was used (as -w's file header) and is not a record any more.
   */
  onFirstMar?: (bytes: Uint8Array) => boolean;
  /**
   * Called with each later stream's opening MAR, which ra's
   * ArgusReadConnection makes the header of a -w file not yet begun (the
   * last opened); true when it was so used and is not a record any more.
   */
  onStreamMar?: (bytes: Uint8Array) => boolean;
  /**
   * Called after each file that held at least one record (its opening
   * MAR), as the real clients' RaArgusInputComplete is (ragrep -c, -l).
   */
  onFileDone?: (file: string) => void;
  /** -S: remote sources, read after the files, all at once. */
  remotes?: readonly RemoteAddress[];
  /** The filter text the remote servers apply too (ra sends it). */
  remoteFilter?: string | undefined;
  /** Ends reading the remote sources (SIGINT, SIGTERM). */
  signal?: AbortSignal;
  /** After each chunk read from a remote source (flush output). */
  onChunk?: () => void;
  /** Remote connection events, one line each. */
  log?: (line: string) => void;
  /**
   * The handler reads only the record's bytes (racluster): without a
   * filter or -t nothing else needs the decoded record, and it is not
   * decoded (its fields are then stale).
   * "reverseFlag": the handler reads of the decoded record only whether
   * RA_PORT_DIRECTION turned it round; records the rule cannot turn are
   * not decoded then (reverseFlag false, the other fields stale).
   * @default {true}
   */
  decode?: boolean | "reverseFlag";
  /**
   * RA_PORT_DIRECTION: applied to each decoded record before the filter,
   * as ra's ArgusHandleRecord does.
   */
  direction?: PortDirection | undefined;
}

/** Where the record being handed on is: reused, valid during the call. */
export interface RecordPlace {
  /** The input as named on the command line ("-" for stdin). */
  file: string;
  /** Byte offset of the record in the (decompressed) stream. */
  offset: number;
}

/** One passing record: decoded, and its bytes in `buf`; false stops reading. */
export type RecordHandler = (
  record: ClientRecord,
  buf: Uint8Array,
  start: number,
  length: number,
  place: RecordPlace,
) => void | boolean;

/** How the reading went. */
export interface InputResult {
  /**
   * Records that passed the filter, in range of -t or not, as ra counts
   * them for its exit status (a stream's opening MAR not counted).
   */
  matched: number;
  /** Files that held records (ra counts each in ArgusTotalRecords). */
  opened: number;
  /**
   * Records that passed the filter, MARs printed or not (the opening MAR
   * of a stream aside), up to -N's end: ra's ArgusTotalRecords, less
   * `opened`, as -A prints it.
   */
  counted: number;
  /** MAR and flow records read, before the filter (ra -A's tallies). */
  marRecords: number;
  farRecords: number;
  /** 1 when a file was damaged or unreadable, else 0. */
  status: number;
  /**
   * Files that were empty or no record stream from their first byte: ra
   * skips such a file without a word (ArgusReadConnection finds no Argus
   * MAR), and its exit status stays the rule's.
   */
  rejected: number;
}

/**
 * Reads every file; `onError` gets each damage or open error (one line),
 * after the good records before it were handled.
 */
export async function readSelectedRecords(
  sel: InputSelection,
  handle: RecordHandler,
  onError: (message: string) => void,
): Promise<InputResult> {
  const record = new ClientRecord();
  const subject = new ClientFilterSubject();
  const result: InputResult = {
    matched: 0,
    opened: 0,
    counted: 0,
    marRecords: 0,
    farRecords: 0,
    status: 0,
    rejected: 0,
  };
  let sawMar = false;
  const pass = sel.filter;
  const range = sel.timeRange;
  const direction = sel.direction;
  const decode = sel.decode !== false || pass !== undefined ||
    range !== undefined;
  const turnOnly = sel.decode === "reverseFlag" && pass === undefined &&
    range === undefined && direction !== undefined;
  let total = 0;
  let done = false;
  const place: RecordPlace = { file: "", offset: 0 };
  /** Per input stream: whether its first record is still to come. */
  const stream: StreamState = {
    first: true,
    file: "",
    headerMar: false,
    remote: false,
    datagrams: false,
  };
  const visit = (
    buf: Uint8Array,
    start: number,
    length: number,
    fileOffset: number,
  ): boolean => {
    const initialMar = stream.first && (buf[start]! & 0x80) !== 0;
    stream.first = false;
    const type = buf[start]! & 0xf0;
    // A remote stream's opening MAR is read with the connection, not as
    // a record: ra -A counts it once, as a connection (`opened`).
    if (type === RecordKind.MAR) {
      if (!(initialMar && stream.remote)) result.marRecords++;
    } else if (type === RecordKind.FAR || type === RecordKind.NETFLOW) {
      result.farRecords++;
    }
    if (initialMar && !sawMar) {
      sawMar = true;
      if (sel.onFirstMar?.(buf.slice(start, start + length))) return true;
    } else if (initialMar && sel.onStreamMar !== undefined) {
      if (sel.onStreamMar(buf.slice(start, start + length))) return true;
    }
    if (turnOnly && !direction.mayTurn(buf, start, length)) {
      record.reverseFlag = record.turned = false;
    } else if (decode) {
      record.load(buf, start, length);
      direction?.apply(record);
    }
    const mar = (buf[start]! & 0xf0) === RecordKind.MAR;
    // ra takes a stream's first MAR from stdin (or -S) as its header.
    if (mar && (!sel.printMan || (initialMar && stream.headerMar))) {
      // ra counts an unprinted MAR the filter passes all the same (-A).
      if (
        !initialMar && (pass === undefined || pass(subject.load(record)))
      ) {
        result.counted++;
        // In a datagram stream -N counts it too (checked: -N 5 prints
        // the opening MAR's 4 followers, with -M man or without).
        if (stream.datagrams) {
          total++;
          if (sel.lastRecord >= 0 && total + result.opened >= sel.lastRecord) {
            done = true;
            return false;
          }
        }
      }
      return true;
    }
    // MARs go through the filter too (`- tcp` drops them).
    if (pass !== undefined && !pass(subject.load(record))) return true;
    // -N counts the records the filter passed, as ra does; the first
    // MAR of a stream describes it and is not counted.
    let last = false;
    if (!initialMar) {
      total++;
      // ra's count (ArgusTotalRecords, less one) holds the files
      // opened before this one too: with several files -N ends sooner.
      const count = total + result.opened;
      // A match (exit status) even when -N skips it; ra counts before
      // it tests the time.
      result.matched++;
      result.counted++;
      // ra stops right after the last record, before it reads another.
      last = sel.lastRecord >= 0 && count >= sel.lastRecord;
      if (last) done = true;
      if (sel.firstRecord && count < sel.firstRecord) return !last;
    } else if (total + result.opened < sel.firstRecord) {
      // The opening MAR stands at place 0 of the -N window.
      return true;
    }
    // -t: MARs by their own times (ArgusCheckTime), flows by theirs.
    if (
      range !== undefined &&
      !(mar
        ? marRecordInTimeRange(range, buf, start)
        : inTimeRange(range, record.startTime, record.lastTime))
    ) return !last;
    place.file = stream.file;
    place.offset = fileOffset;
    if (handle(record, buf, start, length, place) === false) {
      done = true;
      return false;
    }
    return !last;
  };
  for (const file of sel.files) {
    if (done) break;
    stream.first = true;
    stream.file = file;
    stream.headerMar = file === "-";
    let damaged = false;
    try {
      await readRecordFile(file, visit);
    } catch (e) {
      if (e instanceof Deno.errors.IsADirectory) {
        // ra skips a directory as it does any file that is no stream.
        onError(`Cannot read "${file}": is a directory`);
        result.rejected++;
        continue;
      }
      if (!(e instanceof RecordFormatError)) throw e;
      onError(e.message);
      // Damage after a record, or a file that would not open.
      damaged = e.offset !== 0 || !stream.first || !isThere(file);
      if (damaged) result.status = 1;
    }
    if (stream.first && !damaged) result.rejected++;
    if (!stream.first) {
      result.opened++;
      sel.onFileDone?.(file);
      // ra tests -N's end between files too (a file of one MAR can end it).
      if (sel.lastRecord >= 0 && total + result.opened > sel.lastRecord) {
        done = true;
      }
    }
  }
  const remotes = sel.remotes ?? [];
  if (!done && remotes.length > 0) {
    // Counted at the end: during reading ra's -N count of a remote
    // stream holds no opened file (checked: -N 3 prints 3 records).
    let connections = 0;
    await readRemotes(sel, remotes, stream, visit, () => {
      connections++;
    }, () => done);
    result.opened += connections;
  }
  return result;
}

/** Whether `file` is there to open (stdin is). */
function isThere(file: string): boolean {
  if (file === "-") return true;
  try {
    Deno.statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The input stream a record comes from. */
interface StreamState {
  /** Whether its first record is still to come. */
  first: boolean;
  /** Its name, for RecordPlace. */
  file: string;
  /** Its opening MAR is a header, never printed (stdin, -S). */
  headerMar: boolean;
  /** A -S source. */
  remote: boolean;
  /** An argus-udp:// source: every record counts for -N, MARs too. */
  datagrams: boolean;
}

/**
 * Reads every -S source at once into the one visitor, until the caller's
 * signal, -N's end or the handler stops it. A remote stream's opening MAR
 * is its header, never a record (ra reads it in ArgusReadConnection).
 */
async function readRemotes(
  sel: InputSelection,
  remotes: readonly RemoteAddress[],
  stream: StreamState,
  visit: (b: Uint8Array, s: number, l: number, o: number) => boolean,
  connected: () => void,
  isDone: () => boolean,
): Promise<void> {
  const stop = new AbortController();
  const outer = sel.signal;
  const onOuter = () => stop.abort();
  outer?.addEventListener("abort", onOuter, { once: true });
  if (outer?.aborted) stop.abort();
  try {
    await Promise.all(remotes.map((addr) => {
      // Records of several sources interleave; each source's own first
      // record is its opening MAR.
      let first = true;
      return readRemoteRecords(addr, (buf, start, length, offset) => {
        // A datagram stream has no header: its opening MAR is a record
        // like the others (ra prints it with -M man; -A counts it).
        stream.first = first && addr.transport === "tcp";
        stream.file = `${addr.hostname}:${addr.port}`;
        stream.headerMar = true;
        stream.remote = true;
        stream.datagrams = addr.transport === "udp";
        first = false;
        const go = visit(buf, start, length, offset);
        if (!go || isDone()) stop.abort();
        return go && !isDone();
      }, {
        signal: stop.signal,
        filter: sel.remoteFilter,
        log: sel.log ?? (() => {}),
        onConnect: () => {
          first = true;
          connected();
        },
        ...(sel.onChunk ? { onChunk: sel.onChunk } : {}),
      }).catch((e) => {
        stop.abort();
        throw e;
      });
    }));
  } finally {
    outer?.removeEventListener("abort", onOuter);
  }
}
