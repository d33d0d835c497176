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
const MONTHS = [
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

/** Formats `micros` (µs since the epoch). */
export function formatTime(micros: number, o: TimeOptions): string {
  const sec = Math.floor(micros / 1e6);
  const usec = micros - sec * 1e6;
  const frac = String(usec).padStart(6, "0").slice(0, o.precision);
  if (o.unixTime) return o.precision ? `${sec}.${frac}` : String(sec);
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
