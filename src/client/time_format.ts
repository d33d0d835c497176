/**
 * Record times as the argus clients print them (ArgusPrintTime): a
 * strftime-style format in local time where %f is the fraction of the
 * second cut to the precision, or with -u seconds since the epoch.
 * @module
 */

/** What time printing depends on. */
export interface TimeOptions {
  timeFormat: string;
  precision: number;
  unixTime: boolean;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/** English month abbreviations, as C's "%b" in the C locale. */
export const MONTHS: readonly string[] = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

const two = (n: number) => String(n).padStart(2, "0");

/** Stands for the fraction while a second's text is cached. */
const FRACTION_MARK = "\u0000";

/** Cache slots (direct-mapped by second): records come in time order. */
const SLOTS = 1024;

/**
 * The text of each second around its fraction, cached, because local-time
 * conversion costs more than the rest of a record's line.
 */
class SecondTexts {
  format = "";
  precision = -1;
  readonly secs = new Float64Array(SLOTS).fill(-1);
  readonly before: string[] = new Array(SLOTS).fill("");
  readonly after: string[] = new Array(SLOTS).fill("");
  /** 1 when the second's text has a place for the fraction. */
  readonly marked = new Uint8Array(SLOTS);

  reset(o: TimeOptions): void {
    this.format = o.timeFormat;
    this.precision = o.precision;
    this.secs.fill(-1);
  }
}

const cache = new SecondTexts();

/**
 * A time in pieces, for writers that copy bytes: the text before the
 * fraction, the fraction's digits (when `marked`), the text after it.
 * Filled by timeParts; valid until its next call.
 */
export const TIME_PARTS = {
  before: "",
  after: "",
  /** The fraction cut to the precision, as a whole number of units. */
  fraction: 0,
  /** Whether the text has the fraction (else `before` is all of it). */
  marked: false,
};

/**
 * Splits a local-time text (not -u) into TIME_PARTS; false when the caller
 * should use formatTime instead.
 */
export function timeParts(micros: number, o: TimeOptions): boolean {
  if (o.unixTime) return false;
  const sec = Math.floor(micros / 1e6);
  const slot = secondSlot(sec, o);
  TIME_PARTS.before = cache.before[slot]!;
  TIME_PARTS.after = cache.after[slot]!;
  TIME_PARTS.marked = cache.marked[slot] === 1;
  TIME_PARTS.fraction = Math.floor(
    (micros - sec * 1e6) /
      FRACTION_DIVISORS[o.precision]!,
  );
  return true;
}

/** 10 ** (6 - precision): µs per unit of the printed fraction. */
const FRACTION_DIVISORS = [1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** The cache slot holding second `sec`'s text, filled when missing. */
function secondSlot(sec: number, o: TimeOptions): number {
  if (cache.format !== o.timeFormat || cache.precision !== o.precision) {
    cache.reset(o);
  }
  const slot = sec & (SLOTS - 1);
  if (cache.secs[slot] !== sec) {
    const text = formatSecond(sec, o, FRACTION_MARK);
    const mark = text.indexOf(FRACTION_MARK);
    cache.secs[slot] = sec;
    cache.before[slot] = mark < 0 ? text : text.slice(0, mark);
    cache.after[slot] = mark < 0 ? "" : text.slice(mark + 1);
    cache.marked[slot] = mark < 0 ? 0 : 1;
  }
  return slot;
}

/** Formats `micros` (µs since the epoch). */
export function formatTime(micros: number, o: TimeOptions): string {
  const sec = Math.floor(micros / 1e6);
  const usec = micros - sec * 1e6;
  const frac = usec < 100000
    ? String(usec).padStart(6, "0").slice(0, o.precision)
    : String(usec).slice(0, o.precision);
  if (o.unixTime) return o.precision ? `${sec}.${frac}` : String(sec);
  const slot = secondSlot(sec, o);
  if (cache.marked[slot] === 0) return cache.before[slot]!;
  return cache.before[slot]! + frac + cache.after[slot]!;
}

/** The whole text of one second, `frac` standing where %f goes. */
function formatSecond(sec: number, o: TimeOptions, frac: string): string {
  const d = new Date(sec * 1000);
  let out = "";
  const f = o.timeFormat;
  for (let i = 0; i < f.length; i++) {
    const c = f[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const k = f[++i];
    switch (k) {
      case "f":
        if (o.precision) out = out.trimEnd() + frac;
        else if (out.endsWith(".")) out = out.slice(0, -1);
        break;
      case "%":
        out += "%";
        break;
      case "T":
        out += `${two(d.getHours())}:${two(d.getMinutes())}:${
          two(d.getSeconds())
        }`;
        break;
      case "H":
        out += two(d.getHours());
        break;
      case "M":
        out += two(d.getMinutes());
        break;
      case "S":
        out += two(d.getSeconds());
        break;
      case "Y":
        out += String(d.getFullYear());
        break;
      case "y":
        out += two(d.getFullYear() % 100);
        break;
      case "m":
        out += two(d.getMonth() + 1);
        break;
      case "d":
        out += two(d.getDate());
        break;
      case "e":
        out += String(d.getDate()).padStart(2);
        break;
      case "D":
        out += `${two(d.getMonth() + 1)}/${two(d.getDate())}/${
          two(d.getFullYear() % 100)
        }`;
        break;
      case "F":
        out += `${d.getFullYear()}-${two(d.getMonth() + 1)}-${
          two(d.getDate())
        }`;
        break;
      case "R":
        out += `${two(d.getHours())}:${two(d.getMinutes())}`;
        break;
      case "b":
      case "h":
        out += MONTHS[d.getMonth()];
        break;
      case "a":
        out += DAYS[d.getDay()];
        break;
      case "s":
        out += String(sec);
        break;
      case "j": {
        const start = new Date(d.getFullYear(), 0, 1);
        const day = Math.round((d.getTime() - start.getTime()) / 86400000) + 1;
        out += String(day).padStart(3, "0");
        break;
      }
      default:
        out += "%" + (k ?? "");
    }
  }
  return out;
}
