/**
 * The source identifier (-e, ARGUS_MONITOR_ID; argus(8), argus.conf(5)):
 * its type (the transport DSR qualifier: IPv4 0x01, int 0x20, string 0x21)
 * and 32-bit value, decided as argus's ArgusParseSourceID does. Checked
 * with the installed 3.0.8.2 through `ra -s srcid`: "10.1" is 10.0.0.1 and
 * "0x10" 0.0.0.16 (inet_aton forms), 99999999999 keeps its low 32 bits,
 * "1234 " (a trailing blank) is the address 0.0.4.210, host names resolve.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";

/** Transport-DSR qualifiers of a source id (argus_def.h ARGUS_TYPE_*). */
export const SrcIdType = { none: 0, ipv4: 0x01, int: 0x20, string: 0x21 };

/** MAR status bits naming a source id's type (argus_def.h ARGUS_IDIS_*). */
export function srcidStatusBits(type: number): number {
  switch (type) {
    case SrcIdType.ipv4:
      return 0x00800000;
    case SrcIdType.int:
      return 0x00400000;
    case SrcIdType.string:
      return 0x00200000;
    default:
      return 0;
  }
}

/** A source id as records carry it. */
export interface SourceId {
  /** A SrcIdType value. */
  type: number;
  /**
   * The 32 bits: the address (a.b.c.d is a<<24|b<<16|c<<8|d), the number,
   * or a string's first 4 UTF-8 bytes big-endian, zero-padded ("ab" is
   * 0x61620000; flow records carry them in that byte order).
   */
  value: number;
}

/** An IPv4 address (host order) for a name, or undefined if unknown. */
export type HostResolver = (name: string) => number | undefined;

/** How to read the text. */
export interface SourceIdOptions {
  /** The value was double-quoted in argus.conf: a string whatever it is. */
  quoted?: boolean;
  /** Name lookup for host names. @default the /etc/hosts resolver */
  resolveHost?: HostResolver;
  /** The option or variable named in errors. @default "-e" */
  what?: string;
}

/**
 * Parses -e / ARGUS_MONITOR_ID text.
 * @throws UsageError for text argus refuses ("not appropriate") or an
 *   unknown host name
 */
export function parseSourceId(
  text: string,
  options: SourceIdOptions = {},
): SourceId {
  const what = options.what ?? "-e";
  if (options.quoted) return stringId(text);
  if (text.startsWith('"')) {
    // -e '"abc"': argus drops the opening quote, a final newline and quote.
    return stringId(text.slice(1).replace(/\n$/, "").replace(/"$/, ""));
  }
  if (!/^[A-Za-z0-9]/.test(text)) {
    throw new UsageError(
      `${what} "${text}": not a number, an IPv4 address, a host name or a "string"`,
    );
  }
  if (/^\d+$/.test(text)) {
    // atoi(): strtol saturates at LONG_MAX, then the int keeps 32 bits.
    const n = BigInt(text);
    const long = n > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : n;
    return { type: SrcIdType.int, value: Number(long & 0xffffffffn) };
  }
  const address = inetAton(text) ??
    (options.resolveHost ?? etcHostsResolver())(text);
  if (address === undefined) {
    throw new UsageError(`${what} "${text}": unknown host`);
  }
  return { type: SrcIdType.ipv4, value: address };
}

/** The string form: the first four UTF-8 bytes, zero-padded. */
function stringId(s: string): SourceId {
  const b = new TextEncoder().encode(s);
  const value = ((b[0] ?? 0) << 24 | (b[1] ?? 0) << 16 | (b[2] ?? 0) << 8 |
    (b[3] ?? 0)) >>> 0;
  return { type: SrcIdType.string, value };
}

/**
 * glibc inet_aton(): 1 to 4 parts, each decimal, octal (leading 0) or hex
 * (0x); the last part fills the remaining bytes; anything after a blank is
 * ignored. Returns the address in host order, or undefined.
 */
export function inetAton(text: string): number | undefined {
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    if (!/[0-9]/.test(text[i] ?? "")) return undefined;
    const m = /^(?:0[xX]([0-9a-fA-F]*)|0([0-7]*)|([1-9][0-9]*))/.exec(
      text.slice(i),
    )!;
    const value = m[1] !== undefined
      ? (m[1] === "" ? 0 : parseInt(m[1], 16))
      : m[2] !== undefined
      ? (m[2] === "" ? 0 : parseInt(m[2], 8))
      : Number(m[3]);
    // "0x" with no hex digits parses as 0, leaving the "x" behind.
    i += m[1] === "" ? 1 : m[0].length;
    if (value > 0xffffffff) return undefined;
    parts.push(value);
    if (text[i] !== ".") break;
    if (parts.length > 3 || value > 0xff) return undefined;
    i++;
  }
  const rest = text.slice(i);
  if (rest !== "" && !/^[ \t\n\v\f\r]/.test(rest)) return undefined;
  const last = parts.pop()!;
  const max = [0xffffffff, 0xffffff, 0xffff, 0xff][parts.length]!;
  if (last > max) return undefined;
  let address = 0;
  parts.forEach((p, k) => address |= p << (24 - 8 * k));
  return (address | last) >>> 0;
}

/**
 * A resolver reading a hosts(5) file (IPv4 entries, names compared without
 * case, first match). argus asks getaddrinfo(), which may also ask DNS;
 * parsing is synchronous, so only the file is consulted here.
 */
export function etcHostsResolver(path = "/etc/hosts"): HostResolver {
  return (name) => {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch {
      return undefined;
    }
    const wanted = name.toLowerCase();
    for (const line of text.split("\n")) {
      const [address, ...names] = line.replace(/#.*/, "").trim().split(
        /\s+/,
      );
      if (address === undefined || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) {
        continue;
      }
      if (names.some((n) => n.toLowerCase() === wanted)) {
        return inetAton(address);
      }
    }
    return undefined;
  };
}
