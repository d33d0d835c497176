/**
 * ra's -t time range (ra(1)): the text read as the real ra 3.0.8 reads it
 * (ArgusParseTimeArg here, the times in time_range_parser.ts), and the
 * test ArgusCheckTime applies to each record (common/argus_util.c).
 * Local times are in the process's TZ.
 *
 * Syntax: `[x][i|c|n|s]time[-time|+time]` where a time is
 * `[[[yyyy/]mm/]dd.]HH[:MM[:SS[.frac]]]`, `[yyyy/]mm/dd`, `yyyy/mm`,
 * `yyyy`, epoch seconds, or `%d{yMdhms}...` (absolute fields, or relative
 * to now when negative, e.g. `-1d`; relative to the start after `+`/`-`).
 * A lone time is the whole unit it names (`2023/11` is that month, epoch
 * seconds a year). A `*` field is a wildcard: records' times have it
 * zeroed before the test (`**.14` is 14:00-15:00 on any day).
 * @module
 */

import { localTime, mkTime } from "./broken_down_time.ts";
import { parseRangeText, Wildcard } from "./time_range_parser.ts";

/** How a record's [start, last] is compared with the range. */
export const TimeStrategy = {
  /** i (default): the record starts or ends inside the range. */
  INTERSECTS: 1,
  /** n, s: the record spans the whole range. */
  SPANS: 2,
  /** c: the record lies within the range. */
  CONTAINS: 3,
} as const;

/** A parsed -t: the range in µs since the epoch, both ends inclusive. */
export interface TimeRange {
  start: number;
  end: number;
  /** One of TimeStrategy. @default TimeStrategy.INTERSECTS */
  strategy?: number;
  /** x: keep the records the test rejects. @default false */
  negate?: boolean;
  /** Wildcard fields zeroed in records' times first. @default 0 */
  wildcard?: number;
}

/**
 * Parses -t text as ra does, `nowUs` being the time "now" for relative
 * and partial times.
 * @throws BadValueError (one line, exit 2) for text ra rejects too
 */
export function parseTimeRange(text: string, nowUs: number): TimeRange {
  let arg = text;
  let negate = false;
  let strategy: number = TimeStrategy.INTERSECTS;
  let body = arg;
  if (!(arg[0]! >= "0" && arg[0]! <= "9")) {
    if (arg[0] === "x") {
      negate = true;
      arg = arg.slice(1);
    }
    body = arg;
    const letter = arg[0];
    if (letter === "i" || letter === "c" || letter === "n" || letter === "s") {
      strategy = letter === "i"
        ? TimeStrategy.INTERSECTS
        : letter === "c"
        ? TimeStrategy.CONTAINS
        : TimeStrategy.SPANS;
      body = arg.slice(1);
    }
  }
  const r = parseRangeText(body, nowUs, text);
  return {
    start: r.start,
    end: r.end,
    strategy,
    negate,
    wildcard: r.projected ? r.wildcard : 0,
  };
}

/** A record's time with the wildcard fields set to their zero values. */
function project(us: number, wildcard: number): number {
  const seconds = Math.floor(us / 1e6);
  const tm = localTime(seconds);
  if (wildcard & Wildcard.YEAR) tm.year = 70;
  if (wildcard & Wildcard.MONTH) tm.mon = 0;
  if (wildcard & Wildcard.DAY) tm.mday = 1;
  if (wildcard & Wildcard.HOUR) tm.hour = 0;
  if (wildcard & Wildcard.MIN) tm.min = 0;
  if (wildcard & Wildcard.SEC) tm.sec = 0;
  return mkTime(tm) * 1e6 + (us - seconds * 1e6);
}

/** Whether a flow record spanning [startUs, lastUs] is kept (ArgusCheckTime). */
export function inTimeRange(
  range: TimeRange,
  startUs: number,
  lastUs: number,
): boolean {
  if (range.wildcard) {
    startUs = project(startUs, range.wildcard);
    lastUs = project(lastUs, range.wildcard);
  }
  const ps = range.start, pl = range.end;
  let keep: boolean;
  switch (range.strategy ?? TimeStrategy.INTERSECTS) {
    case TimeStrategy.CONTAINS:
      keep = ps <= startUs && pl >= lastUs;
      break;
    case TimeStrategy.SPANS:
      keep = startUs <= ps && lastUs >= pl;
      break;
    default:
      // Not a plain overlap: a record that starts before the range and
      // ends after it is not kept (the real ra's two tests).
      keep = (ps <= startUs && pl >= startUs) || (ps < lastUs && pl >= lastUs);
  }
  return range.negate ? !keep : keep;
}

/**
 * Whether a MAR is kept: a start MAR when it lies within the range, any
 * other when its "now" does, in whole seconds (ArgusCheckTime).
 */
export function marInTimeRange(
  range: TimeRange,
  cause: number,
  startUs: number,
  nowUs: number,
): boolean {
  if (range.wildcard) {
    startUs = project(startUs, range.wildcard);
    nowUs = project(nowUs, range.wildcard);
  }
  const ps = Math.floor(range.start / 1e6), pl = Math.floor(range.end / 1e6);
  const s = Math.floor(startUs / 1e6), n = Math.floor(nowUs / 1e6);
  const keep = (cause & 0xf0) === 0x10
    ? s >= ps && n <= pl
    : n >= ps && n <= pl;
  return range.negate ? !keep : keep;
}

/** marInTimeRange for the MAR at `buf[start..]` (its start and now times). */
export function marRecordInTimeRange(
  range: TimeRange,
  buf: Uint8Array,
  start: number,
): boolean {
  // (A MAR is 128 bytes; a cut one at the buffer's end has no times.)
  if (start + 40 > buf.length) {
    return marInTimeRange(range, buf[start + 1]!, 0, 0);
  }
  const v = new DataView(buf.buffer, buf.byteOffset + start, 40);
  return marInTimeRange(
    range,
    buf[start + 1]!,
    v.getUint32(24) * 1e6 + v.getUint32(28),
    v.getUint32(32) * 1e6 + v.getUint32(36),
  );
}
