/**
 * ra's -t time range (ra(1)): the text parsed as the real ra 3.0.8 parses
 * it (ArgusParseTimeArg, ArgusCheckTimeFormat and ArgusParseTime in
 * common/argus_util.c, quirks included), and the test ArgusCheckTime
 * applies to each record. Local times are in the process's TZ.
 *
 * Syntax: `[x][i|c|n|s]time[-time|+time]` where a time is
 * `[[[yyyy/]mm/]dd.]HH[:MM[:SS[.frac]]]`, `[yyyy/]mm/dd`, `yyyy/mm`,
 * `yyyy`, epoch seconds, or `%d{yMdhms}...` (absolute fields, or relative
 * to now when negative, e.g. `-1d`; relative to the start after `+`/`-`).
 * A lone time is the whole unit it names (`2023/11` is that month, epoch
 * seconds a year). Wildcards (`*`) are not supported.
 * @module
 */

import { BadValueError } from "./bad_value_error.ts";
import {
  copyTm,
  localTime,
  mkTime,
  type Tm,
  zeroTm,
} from "./broken_down_time.ts";

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
}

// ArgusParseTime's results: the finest unit the text named.
const YEAR = 1, MONTH = 2, DAY = 3, HOUR = 4, MIN = 5, SEC = 6;

const UNITS = /[yMdhms]/;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** C's atoi: leading blanks, a sign, digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1]!, 10) | 0;
}

/** C's strtod over a decimal prefix: [value, characters used]. */
function strtod(s: string): [number, number] {
  const m = /^[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s);
  return m === null ? [0, 0] : [Number(m[0]), m[0].length];
}

/** Zeroes the fields finer than `unit`, as ArgusParseTime's switch does. */
function truncate(tm: Tm, unit: number): void {
  if (unit < YEAR || unit > SEC) return;
  if (unit <= YEAR) tm.mon = 0;
  if (unit <= MONTH) tm.mday = 1;
  if (unit <= DAY) tm.hour = 0;
  if (unit <= HOUR) tm.min = 0;
  if (unit <= MIN) tm.sec = 0;
}

/** The parser's state: ra's RaStartFilter, RaLastFilter and fractions. */
class RangeParser {
  readonly start: Tm = zeroTm();
  readonly last: Tm = zeroTm();
  startFrac = 0;
  lastFrac = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  syntaxError(): never {
    throw new BadValueError(`-t: time syntax error "${this.#text}"`);
  }

  /**
   * ArgusParseTime: parses `str` into `tm` from the context `ctm`; returns
   * the unit (YEAR..SEC), or -1. `last` says which fraction it sets.
   */
  parse(tm: Tm, ctm: Tm, str: string, mode: string, last: boolean): number {
    if (!isDigit(str[0]) && str[0] !== "-") return -1;
    if (UNITS.test(str)) return this.#parseUnits(tm, ctm, str, mode);
    return this.#parseDate(tm, ctm, str, last);
  }

  /** `%d{yMdhms}...`: fields set, or moved relative to `ctm`. */
  #parseUnits(tm: Tm, ctm: Tm, str: string, mode: string): number {
    if (mode !== " " || tm !== this.last) copyTm(tm, ctm);
    let now = mkTime(tm);
    let retn = 0, sign = 1;
    let s = str;
    let at = s.search(UNITS);
    while (at >= 0) {
      let [i, used] = strtod(s);
      if (used === 0) this.syntaxError();
      const unit = s[at]!;
      if (i >= 0 && mode === " ") {
        const v = Math.trunc(i);
        if (unit === "y") [tm.year, retn] = [Math.trunc(i - 1900), YEAR];
        else if (unit === "M") [tm.mon, retn] = [Math.trunc(i - 1), MONTH];
        else if (unit === "d") [tm.mday, retn] = [v, DAY];
        else if (unit === "h") [tm.hour, retn] = [v, HOUR];
        else if (unit === "m") [tm.min, retn] = [v, MIN];
        else [tm.sec, retn] = [v, SEC];
      } else {
        // A negative first field counts one unit less ("-1d" is today).
        if (tm !== this.last) i++;
        if (mode === "-") sign = -1;
        if (unit === "y") {
          tm.year = Math.trunc(tm.year + i * sign);
          retn = YEAR;
        } else if (unit === "M") {
          while (i > tm.mon) {
            tm.year += sign;
            i -= 12;
          }
          tm.mon = Math.trunc(tm.mon + i * sign);
          now = mkTime(tm);
          retn = MONTH;
        } else {
          const scale = unit === "d"
            ? 86400
            : unit === "h"
            ? 3600
            : unit === "m"
            ? 60
            : 1;
          now = Math.trunc(now + i * scale * sign);
          localTime(now, tm);
          retn = unit === "d"
            ? DAY
            : unit === "h"
            ? HOUR
            : unit === "m"
            ? MIN
            : SEC;
        }
      }
      s = s.slice(at + 1);
      if (!isDigit(s[0])) break;
      at = s.search(UNITS);
    }
    truncate(tm, retn);
    if (sign < 0) {
      // An end before the start: the two are swapped.
      const t = zeroTm();
      copyTm(t, ctm);
      copyTm(ctm, tm);
      copyTm(tm, t);
    }
    return retn;
  }

  /** `[[[yyyy/]mm/]dd.]HH[:MM[:SS[.frac]]]`, dates, years, epoch seconds. */
  #parseDate(tm: Tm, ctm: Tm, str: string, last: boolean): number {
    copyTm(tm, ctm);
    mkTime(tm);
    let hour = tm.hour, mins = tm.min, sec = tm.sec;
    let retn = 0;
    let date = str;
    let hptr: string | null = null;
    const dot = str.indexOf(".");
    if (dot >= 0) {
      if (dot !== str.length - 1) {
        date = str.slice(0, dot);
        hptr = str.slice(dot + 1);
        if (!isDigit(hptr[0])) return -1;
      } else {
        date = str.slice(0, dot);
      }
    }
    let yptr: string | null = null, mptr: string | null = null;
    let dptr: string | null = null;
    const slash = date.lastIndexOf("/");
    if (slash >= 0) {
      dptr = date.slice(slash + 1);
      const rest = date.slice(0, slash);
      const slash2 = rest.lastIndexOf("/");
      if (slash2 >= 0) {
        mptr = rest.slice(slash2 + 1);
        yptr = rest.slice(0, slash2);
      } else if (rest.length === 4) {
        yptr = rest;
        mptr = dptr;
        dptr = null;
        tm.mday = 1;
      } else {
        mptr = rest;
      }
    } else if (hptr !== null) {
      dptr = date;
    } else {
      // A number up to this year is a year; anything else an hour (and
      // past 24, epoch seconds).
      const value = atoi(date);
      if (value > 1900 && value <= tm.year + 1900) {
        yptr = date;
        hour = 0;
      } else {
        hptr = date;
      }
    }
    const digits = (s: string) => /^\d*$/.test(s);
    if (yptr !== null) {
      if (yptr.length !== 4 || !digits(yptr)) return -1;
      tm.year = atoi(yptr) - 1900;
      retn = YEAR;
    }
    if (mptr !== null) {
      if (mptr.length !== 2 || !digits(mptr)) return -1;
      tm.mon = atoi(mptr) - 1;
      retn = MONTH;
    }
    if (dptr !== null) {
      if (dptr.length !== 2 || !digits(dptr)) return -1;
      tm.mday = atoi(dptr);
      retn = DAY;
    }
    if (hptr !== null) {
      const p = hptr.indexOf(".");
      if (p >= 0) {
        const fracText = hptr.slice(p + 1);
        // ra scales in float: 10^-n for n leading digits.
        let scale = Math.fround(1000000);
        for (const c of fracText) {
          if (!isDigit(c)) break;
          scale = Math.fround(scale / 10);
        }
        const frac = Math.trunc(Math.fround(atoi(fracText) * scale));
        if (last) this.lastFrac = frac;
        else this.startFrac = frac;
        hptr = hptr.slice(0, p);
      }
      const [hh = "", mm, ss] = splitClock(hptr);
      if (!digits(hh)) return -1;
      hour = atoi(hh);
      if (hour < 24) retn = HOUR;
      if (mm !== undefined) {
        if (!digits(mm)) return -1;
        mins = atoi(mm);
        retn = MIN;
      }
      if (ss !== undefined) {
        if (!digits(ss)) return -1;
        sec = atoi(ss);
        retn = SEC;
      }
    }
    // ArgusParseTime's fall-through switch, on the fields and the locals.
    if (retn === YEAR) tm.mon = 0;
    if (retn >= YEAR && retn <= MONTH) tm.mday = 1;
    if (retn >= YEAR && retn <= DAY) hour = 0;
    if (retn >= YEAR && retn <= HOUR) mins = 0;
    if (retn >= YEAR && retn <= MIN) sec = 0;
    if (hour > 24) {
      localTime(hour, tm);
      return YEAR;
    }
    tm.hour = hour;
    tm.min = mins;
    tm.sec = sec;
    if (
      tm.year < 0 || tm.mon > 11 || tm.mon < 0 || tm.mday > 31 ||
      tm.mday < 1 || tm.hour > 23 || tm.hour < 0 || tm.min > 60 ||
      tm.min < 0 || tm.sec > 60 || tm.sec < 0
    ) return -1;
    mkTime(tm);
    return retn;
  }
}

/** "HH:MM:SS" as ra splits it: hour, then minutes and seconds if there. */
function splitClock(s: string): [string, string?, string?] {
  const a = s.indexOf(":");
  if (a < 0) return [s];
  const b = s.indexOf(":", a + 1);
  if (b < 0) return [s.slice(0, a), s.slice(a + 1)];
  return [s.slice(0, a), s.slice(a + 1, b), s.slice(b + 1)];
}

/**
 * Parses -t text as ra does, `nowUs` being the time "now" for relative
 * and partial times.
 * @throws BadValueError (one line, exit 2) for text ra rejects too, and
 *   for wildcards, which we do not support
 */
export function parseTimeRange(text: string, nowUs: number): TimeRange {
  let arg = text;
  let negate = false;
  let strategy: number = TimeStrategy.INTERSECTS;
  let body = arg;
  if (!isDigit(arg[0])) {
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
  if (body.includes("*")) {
    throw new BadValueError(`-t: wildcard times are not supported: "${text}"`);
  }
  const p = new RangeParser(text);
  const now = localTime(Math.floor(nowUs / 1e6));
  if (UNITS.test(body)) copyTm(p.last, now);
  // A leading "-" is a sign, not the range's separator.
  let sep = body.indexOf("-", 1);
  if (sep < 0) sep = body.indexOf("+");
  let retn: number;
  if (sep >= 0) {
    const mode = body[sep]!;
    const from = body.slice(0, sep).replace(/[ \t\n\v\f\r]+$/, "");
    const to = body.slice(sep + 1).replace(/^[ \t\n\v\f\r]+/, "");
    retn = p.parse(p.start, now, from, " ", false);
    if (retn > 0) p.parse(p.last, p.start, to, mode, true);
  } else {
    if (body.length === 0) p.syntaxError();
    copyTm(p.start, now);
    copyTm(p.last, now);
    retn = p.parse(p.start, p.last, body, " ", false);
    if (retn > 0) {
      p.lastFrac = p.startFrac;
      if (body[0] !== "-") {
        copyTm(p.last, p.start);
        // A lone time is the whole unit it names; "2023/11/14." is not.
        if (!body.endsWith(".")) {
          if (retn === YEAR) p.last.year++;
          else if (retn === MONTH) p.last.mon++;
          else if (retn === DAY) p.last.mday++;
          else if (retn === HOUR) p.last.hour++;
          else if (retn === MIN) p.last.min++;
          else if (retn === SEC) p.last.sec++;
        }
      } else {
        p.parse(p.last, p.start, body.slice(1), "+", true);
      }
    }
  }
  if (retn < 0) p.syntaxError();
  const start = mkTime(p.start) * 1e6 + p.startFrac;
  const end = mkTime(p.last) * 1e6 + p.lastFrac;
  if (!(end > start)) {
    throw new BadValueError(
      `-t: invalid time range "${text}": its end is not after its start`,
    );
  }
  return { start, end, strategy, negate };
}

/** Whether a flow record spanning [startUs, lastUs] is kept (ArgusCheckTime). */
export function inTimeRange(
  range: TimeRange,
  startUs: number,
  lastUs: number,
): boolean {
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
  const v = new DataView(buf.buffer, buf.byteOffset + start, 40);
  return marInTimeRange(
    range,
    buf[start + 1]!,
    v.getUint32(24) * 1e6 + v.getUint32(28),
    v.getUint32(32) * 1e6 + v.getUint32(36),
  );
}
