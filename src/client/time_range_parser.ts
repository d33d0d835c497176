/**
 * The parser of ra's -t text: a port of ArgusCheckTimeFormat and
 * ArgusParseTime (common/argus_util.c, ra 3.0.8), quirks included, over
 * C's struct tm (broken_down_time.ts). It yields the range's two ends and
 * the wildcard fields (`*`), which time_range.ts applies to records.
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

/** Wildcard field bits (RAWILDCARDYEAR..SEC), as `1 << n`. */
export const Wildcard = {
  YEAR: 1 << 0,
  MONTH: 1 << 1,
  DAY: 1 << 2,
  HOUR: 1 << 3,
  MIN: 1 << 4,
  SEC: 1 << 5,
} as const;

/** What the text says: both ends in µs, and how records are projected. */
export interface ParsedRange {
  start: number;
  end: number;
  /** Wildcard bits; records are projected only when `projected`. */
  wildcard: number;
  /**
   * ra projects records' times only when no parse of a part ended without
   * wildcards (RaExplicitDate stays 0).
   */
  projected: boolean;
}

// ArgusParseTime's results: the finest unit the text named.
const YEAR = 1, MONTH = 2, DAY = 3, HOUR = 4, MIN = 5, SEC = 6;

const UNITS = /[yMdhms]/;

/** A failure before ArgusParseTime's end (RaExplicitDate untouched). */
const EARLY = -2;

const WILD_OF: Record<string, number> = {
  y: Wildcard.YEAR,
  M: Wildcard.MONTH,
  d: Wildcard.DAY,
  h: Wildcard.HOUR,
  m: Wildcard.MIN,
  s: Wildcard.SEC,
};

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
  /** Wildcard bits so far (RaWildCardDate). */
  wild = 0;
  /** RaExplicitDate. */
  explicit = false;
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
    if (!isDigit(str[0]) && str[0] !== "-" && str[0] !== "*") return -1;
    const retn = UNITS.test(str)
      ? this.#parseUnits(tm, ctm, str, mode)
      : this.#parseDate(tm, ctm, str, last);
    // (ra skips this on the date form's early failures; so do we.)
    if (retn !== EARLY && this.wild === 0) this.explicit = true;
    return retn === EARLY ? -1 : retn;
  }

  /** `%d{yMdhms}...`: fields set, or moved relative to `ctm`. */
  #parseUnits(tm: Tm, ctm: Tm, str: string, mode: string): number {
    if (mode !== " " || tm !== this.last) copyTm(tm, ctm);
    let now = mkTime(tm);
    let retn = 0, sign = 1;
    let s = str;
    let at = s.search(UNITS);
    let status = 0;
    while (at >= 0) {
      const unit = s[at]!;
      let i: number;
      const wildcard = s[0] === "*";
      if (wildcard) {
        // A wildcard field takes its zero value and is projected away.
        i = unit === "y" ? 1970 : unit === "d" ? 1 : 0;
        status |= WILD_OF[unit]!;
        this.wild = status;
      } else {
        const [value, used] = strtod(s);
        if (used === 0) this.syntaxError();
        i = value;
      }
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
        if (wildcard) this.syntaxError();
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
      if (!isDigit(s[0]) && s[0] !== "*") break;
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
        if (!isDigit(hptr[0]) && hptr[0] !== "*") return EARLY;
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
    let status = this.wild;
    /** Checks a field: false when bad; a "*" sets its wildcard bit. */
    const field = (s: string, bit: number): boolean => {
      for (const c of s) {
        if (c === "*") {
          status |= bit;
          return true;
        }
        if (!isDigit(c)) return false;
      }
      return true;
    };
    if (yptr !== null) {
      if (yptr.length !== 4 || !field(yptr, Wildcard.YEAR)) return EARLY;
      tm.year = status & Wildcard.YEAR ? 70 : atoi(yptr) - 1900;
      retn = YEAR;
    }
    if (mptr !== null) {
      if (mptr.length !== 2 || !field(mptr, Wildcard.MONTH)) return EARLY;
      tm.mon = status & Wildcard.MONTH ? 0 : atoi(mptr) - 1;
      retn = MONTH;
    }
    if (dptr !== null) {
      if (dptr.length !== 2 || !field(dptr, Wildcard.DAY)) return EARLY;
      tm.mday = status & Wildcard.DAY ? 1 : atoi(dptr);
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
      if (!field(hh, Wildcard.HOUR)) return EARLY;
      if (status & Wildcard.HOUR) {
        hour = 0;
      } else {
        hour = atoi(hh);
        if (hour < 24) retn = HOUR;
      }
      if (mm !== undefined) {
        if (!field(mm, Wildcard.MIN)) return EARLY;
        if (status & Wildcard.MIN) mins = 0;
        else [mins, retn] = [atoi(mm), MIN];
      }
      if (ss !== undefined) {
        if (!field(ss, Wildcard.SEC)) return EARLY;
        if (status & Wildcard.SEC) sec = 0;
        else [sec, retn] = [atoi(ss), SEC];
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
      this.wild = 0;
      return YEAR;
    }
    tm.hour = hour;
    tm.min = mins;
    tm.sec = sec;
    this.wild = status;
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
 * ArgusCheckTimeFormat: the range that `body` (the -t text after its
 * x/i/c/n/s letters) names at `nowUs`; `text` is quoted in errors.
 * @throws BadValueError for text ra rejects too
 */
export function parseRangeText(
  body: string,
  nowUs: number,
  text: string,
): ParsedRange {
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
  return { start, end, wildcard: p.wild, projected: !p.explicit };
}
