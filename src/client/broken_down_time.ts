/**
 * C's `struct tm` with `mktime` and `localtime_r`, as ra's -t parser uses
 * them (ArgusParseTime in argus_util.c): fields out of range are
 * normalised by mktime, local time is the process's TZ (JS Date follows
 * it). DST: Date picks the offset in force, as mktime with tm_isdst = -1.
 * @module
 */

/** A broken-down local time; `year` counts from 1900, `mon` from 0. */
export interface Tm {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
}

/** The all-zero struct tm (1899-12-31 00:00:00 once normalised). */
export function zeroTm(): Tm {
  return { year: 0, mon: 0, mday: 0, hour: 0, min: 0, sec: 0 };
}

/** Copies `from` into `to`, as bcopy of a struct tm does. */
export function copyTm(to: Tm, from: Tm): void {
  to.year = from.year;
  to.mon = from.mon;
  to.mday = from.mday;
  to.hour = from.hour;
  to.min = from.min;
  to.sec = from.sec;
}

/** localtime_r: the broken-down local time of epoch seconds into `tm`. */
export function localTime(seconds: number, tm: Tm = zeroTm()): Tm {
  const d = new Date(seconds * 1000);
  tm.year = d.getFullYear() - 1900;
  tm.mon = d.getMonth();
  tm.mday = d.getDate();
  tm.hour = d.getHours();
  tm.min = d.getMinutes();
  tm.sec = d.getSeconds();
  return tm;
}

/** mktime: epoch seconds of `tm`, which is normalised in place. */
export function mkTime(tm: Tm): number {
  const d = new Date(2000, 0, 1, 0, 0, 0, 0);
  // setFullYear, not the constructor: years 0-99 are not 1900-1999 here.
  d.setFullYear(1900 + tm.year, tm.mon, tm.mday);
  d.setHours(tm.hour, tm.min, tm.sec, 0);
  const seconds = Math.floor(d.getTime() / 1000);
  localTime(seconds, tm);
  return seconds;
}
