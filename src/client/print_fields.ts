/**
 * The columns ra prints (`-s` names), each formatting one record the way
 * the real argus 3.0.8 clients do: their widths, alignment, truncation
 * with '*', the numbers MAR records show in flow columns, and the
 * label of each column. The time, rate and aggregation columns live in
 * metric_fields.ts, those read from attribute DSRs in attribute_fields.ts,
 * tcp_fields.ts and jitter_fields.ts, the user data ones in
 * user_data_fields.ts.
 * @module
 */

import { AddrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind, RecordKind } from "./client_record.ts";
import { indicatorFlags } from "./indicator_flags.ts";
import { directionText } from "./direction_text.ts";
import {
  ETHERTYPE_NAMES,
  IP_PROTO_NAMES,
  LLC_SAP_NAMES,
} from "./name_tables.ts";
import { tcpPortName, udpPortName } from "./service_names.ts";
import { formatTime, TIME_PARTS, timeParts } from "./time_format.ts";
import {
  etherText,
  fit,
  labelOf,
  left,
  Mar,
  marTime,
  marU32,
  marU64,
  right,
} from "./print_cell.ts";
import { countText } from "./abbreviate_metric.ts";
import { recordState, type TcpStateMode } from "./record_state.ts";
import type { TextOut } from "./text_out.ts";
import { ATTRIBUTE_FIELDS } from "./attribute_fields.ts";
import { JITTER_FIELDS } from "./jitter_fields.ts";
import { METRIC_FIELDS } from "./metric_fields.ts";
import { TCP_FIELDS } from "./tcp_fields.ts";
import { USER_DATA_FIELDS } from "./user_data_fields.ts";

/** Print options shared by the columns. */
export interface PrintOptions {
  /** ra's -n level: 1 names ports, 2 numeric ports, 3 numeric protocols too. */
  nflag: number;
  /** Fraction digits of times (-p). */
  precision: number;
  /** strftime-like time format. */
  timeFormat: string;
  /** -u: times as seconds since the epoch. */
  unixTime: boolean;
  /** Fixed-width columns (false when a field delimiter is set). */
  fixed: boolean;
  /** MAC addresses print by name where ra knows one ("Broadcast"). */
  etherNames?: boolean;
  /** -z / -Z: what the State column shows for TCP. */
  tcpState?: TcpStateMode;
  /** -H: metrics abbreviated (K, M, G ...). */
  abbreviate?: boolean;
  /** -A: load columns are labelled application loads ("AppLoad"). */
  appLoad?: boolean;
  /**
   * Notes each TCP port named (-n unset): ra's name lookup adds the port
   * to its services table (port_direction.ts).
   */
  printedTcpPorts?: Set<number>;
}

/** One printable column. */
export interface PrintField {
  readonly name: string;
  readonly width: number;
  /** Cell text as ra builds it, trailing space included. */
  print(r: ClientRecord, o: PrintOptions, width: number): string;
  label(o: PrintOptions, width: number): string;
  /** The JSON type of the value (--json); strings unless "number". */
  readonly json?: "number";
  /**
   * Writes the fixed-width cell (what print gives) straight into the
   * output: the fast path of ra's default columns. Optional.
   */
  write?(r: ClientRecord, o: PrintOptions, width: number, out: TextOut): void;
}

/** Writes what `print` gives: the slow path of a write method. */
function putPrinted(
  f: PrintField,
  r: ClientRecord,
  o: PrintOptions,
  len: number,
  out: TextOut,
): void {
  out.putText(f.print(r, o, len));
}

// --- addresses and ports ------------------------------------------------------

function ipv4(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** The eight 16-bit words of the address being printed. */
const IPV6_WORDS = new Uint16Array(8);

/** inet_ntop's text of the IPv6 address at b[at..at+16). */
function ipv6(b: Uint8Array, at: number): string {
  const w = IPV6_WORDS;
  for (let i = 0; i < 8; i++) w[i] = (b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!;
  // IPv4-mapped and -compatible forms, as inet_ntop prints them.
  const zeros5 = (w[0]! | w[1]! | w[2]! | w[3]! | w[4]!) === 0;
  if (zeros5 && w[5] === 0xffff) return `::ffff:${ipv4(b, at + 12)}`;
  if (zeros5 && w[5] === 0 && (w[6] !== 0 || w[7]! > 1)) {
    return `::${ipv4(b, at + 12)}`;
  }
  // The longest run of two or more zero words (the first of equals).
  let bestAt = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      s += "::";
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i !== bestAt + bestLen) s += ":";
    s += w[i]!.toString(16);
  }
  return s;
}

function addressText(
  r: ClientRecord,
  src: boolean,
  o: PrintOptions,
): string | null {
  const at = src ? r.srcAddrAt : r.dstAddrAt;
  if (at < 0) return null;
  const b = r.view.buf;
  if (r.flowKind === FlowKind.ARP) {
    return r.addrType === AddrType.RARP ? etherText(b, at, o) : ipv4(b, at);
  }
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) return null;
  switch (r.addrType) {
    case AddrType.IPV4:
    case AddrType.ARP:
      return ipv4(b, at);
    case AddrType.IPV6:
      return ipv6(b, at);
    case AddrType.ETHER:
    case AddrType.RARP:
      return etherText(b, at, o);
  }
  return null;
}

function printAddr(
  r: ClientRecord,
  o: PrintOptions,
  len: number,
  src: boolean,
) {
  if (r.kind === RecordKind.MAR) {
    return fit(String(marU32(r, src ? Mar.queue : Mar.bufs)), len, o);
  }
  const s = addressText(r, src, o) ?? "";
  if (!o.fixed) return s + " ";
  if (len < s.length) {
    return right(s.slice(0, len - 1), len - 1).slice(0, -1) + "* ";
  }
  return right(s, len);
}

/** printAddr's fast path: a whole address right-aligned. */
function writeAddr(
  f: PrintField,
  r: ClientRecord,
  o: PrintOptions,
  len: number,
  out: TextOut,
  src: boolean,
): void {
  if (
    r.kind !== RecordKind.MAR && r.flowKind === FlowKind.CLASSIC5TUPLE &&
    r.addrType === AddrType.IPV4
  ) {
    const at = src ? r.srcAddrAt : r.dstAddrAt;
    if (at >= 0 && len >= 15) {
      out.putIpv4(r.view.buf, at, len);
      return;
    }
  }
  const s = r.kind === RecordKind.MAR ? null : addressText(r, src, o) ?? "";
  if (s === null || s.length > len) putPrinted(f, r, o, len, out);
  else out.putRight(s, len);
}

/** printPort's fast path: TCP and UDP ports of IP flows, left-aligned. */
function writePort(
  f: PrintField,
  r: ClientRecord,
  o: PrintOptions,
  len: number,
  out: TextOut,
  src: boolean,
): void {
  const proto = r.proto;
  if (
    r.kind === RecordKind.MAR || r.flowKind !== FlowKind.CLASSIC5TUPLE ||
    (r.addrType !== AddrType.IPV4 && r.addrType !== AddrType.IPV6) ||
    (proto !== 6 && proto !== 17)
  ) {
    putPrinted(f, r, o, len, out);
    return;
  }
  const value = src ? r.sport : r.dport;
  if (value > 0 && o.nflag <= 1) {
    if (proto === 6) o.printedTcpPorts?.add(value);
    const name = proto === 6 ? tcpPortName(value) : udpPortName(value);
    if (name !== undefined) {
      if (name.length > len) putPrinted(f, r, o, len, out);
      else out.putLeft(name, len);
      return;
    }
  } else if (value === 0 && o.nflag <= 1) {
    out.putLeft(" ", len);
    return;
  }
  // A number: ports have at most five digits.
  if (len >= 5) out.putNumberLeft(value, len);
  else putPrinted(f, r, o, len, out);
}

function llcSapName(sap: number): string {
  if (sap === 0) return " ";
  return LLC_SAP_NAMES.get(sap) ?? `0x${sap.toString(16).padStart(2, "0")}`;
}

/** ArgusPrintPort. */
function port(
  r: ClientRecord,
  o: PrintOptions,
  len: number,
  proto: number,
  value: number,
): string {
  const ether = r.addrType === AddrType.ETHER;
  if (o.nflag > 1) {
    const s = proto === 1 && !ether
      ? "0x" + value.toString(16).padStart(4, "0")
      : String(value);
    return o.fixed ? s.padEnd(len) + " " : s + " ";
  }
  let s: string;
  if (ether) s = llcSapName(value);
  else if (proto === 6) {
    if (value > 0) o.printedTcpPorts?.add(value);
    s = value > 0 ? tcpPortName(value) ?? String(value) : " ";
  } else if (proto === 17) {
    s = value > 0 ? udpPortName(value) ?? String(value) : " ";
  } else if (proto === 1 || proto === 58) {
    s = "0x" + value.toString(16).padStart(4, "0");
  } else return o.fixed ? String(value).padEnd(len) + " " : `${value} `;
  if (!o.fixed) return s + " ";
  return s.length > len
    ? left(s.slice(0, len - 1), len - 1).slice(0, -1) + "* "
    : left(s, len);
}

function printPort(
  r: ClientRecord,
  o: PrintOptions,
  len: number,
  src: boolean,
) {
  if (r.kind === RecordKind.MAR) {
    return fit(String(marU32(r, src ? Mar.dropped : Mar.clients)), len, o);
  }
  if (r.flowKind === FlowKind.CLASSIC5TUPLE) {
    switch (r.addrType) {
      case AddrType.IPV4:
        if (r.proto === 6 || r.proto === 17 || r.proto === 1) {
          return port(r, o, len, r.proto, src ? r.sport : r.dport);
        }
        if (r.proto === 50 && !src) return espSpi(r, o, len);
        break;
      case AddrType.IPV6:
        if (r.proto === 6 || r.proto === 17 || r.proto === 58) {
          return port(r, o, len, r.proto, src ? r.sport : r.dport);
        }
        if (r.proto === 50 && !src) return espSpi(r, o, len);
        break;
      case AddrType.ETHER:
        return port(r, o, len, 0, src ? r.ssap : r.dsap);
      case AddrType.ARP:
      case AddrType.RARP:
        return src ? left(" ", len) : right(" ", o.fixed ? len : 1);
    }
  }
  return " ".repeat(len) + " ";
}

function espSpi(r: ClientRecord, o: PrintOptions, len: number): string {
  let s = "0x" + r.spi.toString(16).padStart(8, "0");
  if (s.length > len) s = s.slice(0, len - 1) + "*";
  if (!o.fixed) return `0x${r.spi.toString(16)} `;
  return s.length > len
    ? left(s.slice(0, len - 1), len - 1).slice(0, -1) + "* "
    : left(s, len);
}

// --- protocol, direction, counters --------------------------------------------

function etherTypeName(type: number, o: PrintOptions): string {
  let name: string | undefined;
  for (const [first, last, n] of ETHERTYPE_NAMES) {
    if (type >= first && type <= last) name = n;
  }
  return name ?? (o.nflag < 2 ? "unknown" : String(type));
}

function protoText(r: ClientRecord, o: PrintOptions): string {
  if (r.kind === RecordKind.MAR) return "man";
  if (r.kind === RecordKind.EVENT) return "evt";
  const numeric = o.nflag > 2;
  if (r.flowKind === FlowKind.ARP) {
    // argus falls through to a case that names RARP "rarp" whatever -n says.
    if (r.addrType === AddrType.RARP) return "rarp";
    if (r.addrType === AddrType.ARP) return numeric ? "2054" : "arp";
    return "";
  }
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) {
    switch (r.addrType) {
      case AddrType.IPV4:
      case AddrType.IPV6:
        return "ip ";
      case AddrType.RARP:
        return "rarp";
      case AddrType.ARP:
        return numeric ? "2054" : "arp";
      case AddrType.ETHER:
        return "ether";
    }
    return "";
  }
  switch (r.addrType) {
    case AddrType.IPV4:
    case AddrType.IPV6: {
      if (numeric) return String(r.proto);
      if (r.proto === 17) {
        if (r.netSubtype === 0x0a) return "rtp";
        if (r.netSubtype === 0x09) return "rtcp";
        if (r.netSubtype === 0x0d && r.addrType === AddrType.IPV4) return "udt";
      }
      return IP_PROTO_NAMES[r.proto] ?? "unas";
    }
    case AddrType.RARP:
      return numeric ? "32821" : "rarp";
    case AddrType.ARP:
      return numeric ? "2054" : "arp";
    case 0x0a:
      return "isis";
    case 0x0b:
      return "wlan";
    case AddrType.ETHER:
      return numeric ? String(r.etherType) : etherTypeName(r.etherType, o);
  }
  return "";
}

/**
 * A counter column: the flow value, or the MAR field ra shows in its place
 * on management records.
 */
function counter(
  name: string,
  width: number,
  label: string,
  flow: (r: ClientRecord) => number,
  mar: (r: ClientRecord) => number | bigint,
): PrintField {
  return {
    name,
    width,
    // -H abbreviates a flow's count; ra prints a MAR's in full.
    print: (r, o, len) =>
      fit(
        r.kind === RecordKind.MAR ? String(mar(r)) : countText(flow(r), o),
        len,
        o,
      ),
    write(r, o, len, out) {
      if (r.kind !== RecordKind.MAR && !o.abbreviate) {
        out.putCount(flow(r), len);
      } else putPrinted(this, r, o, len, out);
    },
    label: labelOf(label),
    json: "number",
  };
}

// --- the table ------------------------------------------------------------------

function timeField(name: string, label: string, last: boolean): PrintField {
  return {
    name,
    width: 12,
    print(r, o, len) {
      const t = r.kind === RecordKind.MAR
        ? marTime(r, last ? Mar.startSec : Mar.nowSec)
        : last
        ? r.lastTime
        : r.startTime;
      const text = formatTime(t, o);
      if (text.includes(".") || last) len += o.precision;
      if (!o.fixed) return text + " ";
      return right(
        text.length > len ? text.slice(0, len - 1) + "*" : text,
        len,
      );
    },
    write(r, o, len, out) {
      const t = r.kind === RecordKind.MAR
        ? marTime(r, last ? Mar.startSec : Mar.nowSec)
        : last
        ? r.lastTime
        : r.startTime;
      if (timeParts(t, o)) {
        const p = TIME_PARTS;
        const size = p.before.length + (p.marked ? o.precision : 0) +
          p.after.length;
        const width = last || p.before.includes(".") ||
            p.after.includes(".")
          ? len + o.precision
          : len;
        if (size <= width) {
          out.putSpaces(width - size);
          out.putText(p.before);
          if (p.marked) out.putDigits(p.fraction, o.precision);
          out.putText(p.after);
          out.putSpaces(1);
          return;
        }
      }
      putPrinted(this, r, o, len, out);
    },
    label: (o, width) => right(label, width + o.precision),
  };
}

/** Every column this ra prints, by `-s` name. */
export const PRINT_FIELDS: ReadonlyMap<string, PrintField> = new Map(
  ([
    timeField("stime", "StartTime", false),
    timeField("ltime", "LastTime", true),
    {
      name: "flgs",
      width: 9,
      print: (r, _o, len) => right(indicatorFlags(r), len),
      write: (r, _o, len, out) => out.putRight(indicatorFlags(r), len),
      label: labelOf("Flgs"),
    },
    {
      name: "proto",
      width: 6,
      print: (r, o, len) => fit(protoText(r, o), len, o),
      write(r, o, len, out) {
        const text = protoText(r, o);
        if (text.length > len) putPrinted(this, r, o, len, out);
        else out.putRight(text, len);
      },
      label: labelOf("Proto"),
    },
    {
      name: "saddr",
      width: 18,
      print: (r, o, len) => printAddr(r, o, len, true),
      write(r, o, len, out) {
        writeAddr(this, r, o, len, out, true);
      },
      label: labelOf("SrcAddr"),
    },
    {
      name: "sport",
      width: 6,
      print: (r, o, len) => printPort(r, o, len, true),
      write(r, o, len, out) {
        writePort(this, r, o, len, out, true);
      },
      label: labelOf("Sport"),
    },
    {
      name: "dir",
      width: 5,
      print: (r, _o, len) =>
        right(r.kind === RecordKind.MAR ? " " : directionText(r), len),
      write: (r, _o, len, out) =>
        out.putRight(r.kind === RecordKind.MAR ? " " : directionText(r), len),
      label: labelOf("Dir"),
    },
    {
      name: "daddr",
      width: 18,
      print: (r, o, len) => printAddr(r, o, len, false),
      write(r, o, len, out) {
        writeAddr(this, r, o, len, out, false);
      },
      label: labelOf("DstAddr"),
    },
    {
      name: "dport",
      width: 6,
      print: (r, o, len) => printPort(r, o, len, false),
      write(r, o, len, out) {
        writePort(this, r, o, len, out, false);
      },
      label: labelOf("Dport"),
    },
    counter(
      "pkts",
      8,
      "TotPkts",
      (r) => r.srcPkts + r.dstPkts,
      (r) => marU64(r, Mar.pktsRcvd),
    ),
    counter(
      "bytes",
      10,
      "TotBytes",
      (r) => r.srcBytes + r.dstBytes,
      (r) => marU32(r, Mar.bytes),
    ),
    counter(
      "spkts",
      8,
      "SrcPkts",
      (r) => r.srcPkts,
      (r) => marU64(r, Mar.pktsRcvd),
    ),
    counter(
      "dpkts",
      8,
      "DstPkts",
      (r) => r.dstPkts,
      (r) => marU32(r, Mar.records),
    ),
    counter(
      "sbytes",
      12,
      "SrcBytes",
      (r) => r.srcBytes,
      (r) => marU64(r, Mar.bytesRcvd),
    ),
    counter(
      "dbytes",
      12,
      "DstBytes",
      (r) => r.dstBytes,
      (r) => marU32(r, Mar.dropped),
    ),
    {
      name: "state",
      width: 5,
      print: (r, o, len) => fit(recordState(r, o.tcpState), len, o),
      write(r, o, len, out) {
        const text = recordState(r, o.tcpState);
        if (text.length > len) putPrinted(this, r, o, len, out);
        else out.putRight(text, len);
      },
      label: labelOf("State"),
    },
    ...METRIC_FIELDS,
    ...ATTRIBUTE_FIELDS,
    ...TCP_FIELDS,
    ...JITTER_FIELDS,
    ...USER_DATA_FIELDS,
  ] satisfies PrintField[]).map((f) => [f.name, f]),
);

/** ra's default columns. */
export const DEFAULT_FIELDS: readonly string[] = [
  "stime",
  "flgs",
  "proto",
  "saddr",
  "sport",
  "dir",
  "daddr",
  "dport",
  "pkts",
  "bytes",
  "state",
];
