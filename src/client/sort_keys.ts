/**
 * rasort's -m sort fields (rasort(1)): the keywords the real rasort 3.0.8
 * takes, matched as it matches them (a keyword matches any argument that
 * starts with it, first in its table order), and each field's comparison
 * as argus's ArgusSort* routines make it, ascending or descending as they
 * do (times, durations, addresses, ports and TTLs ascending; counters,
 * protocols, TOS and transactions descending), with their quirks: a field
 * missing from either record compares equal, and -v turns every order.
 * Values are taken once per record, after ra's corrections, into typed
 * arrays; comparisons read only those. Checked against the real rasort on
 * every corpus file (tests/clients/rasort_test.ts).
 * @module
 */

import { AddrKey } from "./address_sort_key.ts";
import type { ClientRecord } from "./client_record.ts";
import { DstPortKey } from "./dst_port_sort_key.ts";
import { fit, type SortKey, turn } from "./sort_column.ts";
import {
  activity,
  appByteRatio,
  appBytes,
  asNumber,
  attr,
  countryCode,
  dsByte,
  duration,
  gapOf,
  inode,
  ipid,
  ipProto,
  loadOf,
  lossOf,
  macOf,
  packetSize,
  port,
  rateOf,
  seqOf,
  srcid,
  tcpValue,
  transactions,
  vlanOrMpls,
} from "./sort_values.ts";

export type { SortKey };

/** How the keys were asked for. */
export interface SortKeyOptions {
  /** -v: every field in the other order. */
  reverse: boolean;
  /** The /cidr of the last saddr/daddr field (argus keeps one for both). */
  cidr: number;
}

/** How a numeric field compares. */
const enum Order {
  /** Smaller values first. */
  Ascending,
  /** Larger values first. */
  Descending,
  /** (int)(a - b) of two unsigned 32-bit values (ArgusSortSrcId). */
  Wrapped,
  /** The sign of (int)(b - a) turned: ascending with int wrap (AS numbers). */
  IntAscending,
}

/**
 * A field that is one number per record; NaN marks it absent, and an
 * absent value on either side compares equal.
 */
class NumberKey implements SortKey {
  /** Wide values (times, counters) in doubles; small ones in 32 bits. */
  #v: Float64Array<ArrayBuffer> | Float32Array<ArrayBuffer>;
  constructor(
    readonly value: (r: ClientRecord) => number,
    readonly order: Order,
    readonly reverse: boolean,
    storage: "f64" | "f32",
  ) {
    this.#v = storage === "f64"
      ? new Float64Array(1024)
      : new Float32Array(1024);
  }

  add(r: ClientRecord, i: number): void {
    this.#v = fit(this.#v, i);
    this.#v[i] = this.value(r);
  }

  compare(a: number, b: number): number {
    const x = this.#v[a]!, y = this.#v[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return 0;
    let retn: number;
    switch (this.order) {
      case Order.Ascending:
        retn = x > y ? 1 : x < y ? -1 : 0;
        break;
      case Order.Descending:
        retn = x < y ? 1 : x > y ? -1 : 0;
        break;
      case Order.Wrapped:
        retn = (x - y) | 0;
        break;
      case Order.IntAscending: {
        const value = (y - x) | 0;
        retn = value < 0 ? 1 : value === 0 ? 0 : -1;
        break;
      }
    }
    return turn(retn, this.reverse);
  }
}

// --- the table -------------------------------------------------------------------

type Make = (o: SortKeyOptions) => SortKey;

/** A numeric key; "f32" for values a float holds exactly (ports, TTLs). */
const num = (
  value: (r: ClientRecord) => number,
  order: Order,
  storage: "f64" | "f32" = "f64",
): Make =>
(o) => new NumberKey(value, order, o.reverse, storage);

const ASC = Order.Ascending, DESC = Order.Descending;

/**
 * ArgusSortKeyWords in the real table's order (which decides prefix
 * matches), each with our key, or null where this rasort lacks it.
 */
const KEYWORDS: readonly [string, Make | null][] = [
  ["stime", num((r) => r.startTime, ASC)],
  ["ltime", num((r) => r.lastTime, ASC)],
  ["trans", num(transactions, DESC)],
  ["dur", num(duration, ASC, "f32")],
  ["mean", num((r) => activity(r, "mean"), ASC)],
  ["min", num((r) => activity(r, "min"), ASC)],
  ["max", num((r) => activity(r, "max"), ASC)],
  ["smac", num((r) => macOf(r, true), ASC)],
  ["dmac", num((r) => macOf(r, false), ASC)],
  ["saddr", (o) => new AddrKey(true, o.reverse, o.cidr)],
  ["daddr", (o) => new AddrKey(false, o.reverse, o.cidr)],
  ["proto", num(ipProto, DESC, "f32")],
  ["sipid", num((r) => ipid(r, true), DESC, "f32")],
  ["dipid", num((r) => ipid(r, false), DESC, "f32")],
  ["sport", num((r) => port(r, true), ASC, "f32")],
  ["dport", (o) => new DstPortKey(o.reverse)],
  ["stos", num((r) => attr(r, true, 1), DESC, "f32")],
  ["dtos", num((r) => attr(r, false, 1), DESC, "f32")],
  ["sttl", num((r) => attr(r, true, 0), ASC, "f32")],
  ["dttl", num((r) => attr(r, false, 0), ASC, "f32")],
  ["bytes", num((r) => r.srcBytes + r.dstBytes, DESC)],
  ["sbytes", num((r) => r.srcBytes, DESC)],
  ["dbytes", num((r) => r.dstBytes, DESC)],
  ["pkts", num((r) => r.srcPkts + r.dstPkts, DESC)],
  ["spkts", num((r) => r.srcPkts, DESC)],
  ["dpkts", num((r) => r.dstPkts, DESC)],
  ["appbytes", num((r) => appBytes(r, 0), DESC)],
  ["sappbytes", num((r) => appBytes(r, 1), DESC)],
  ["dappbytes", num((r) => appBytes(r, 2), DESC)],
  ["load", num((r) => loadOf(r, 0), DESC)],
  ["sload", num((r) => loadOf(r, 1), DESC)],
  ["dload", num((r) => loadOf(r, 2), DESC)],
  ["loss", num((r) => lossOf(r, "", false), DESC)],
  ["ploss", num((r) => lossOf(r, "", true), DESC)],
  ["rate", num((r) => rateOf(r, 0), DESC)],
  ["srate", num((r) => rateOf(r, 1), DESC)],
  ["drate", num((r) => rateOf(r, 2), DESC)],
  // ArgusSortTranRef compares nothing.
  ["tranref", num(() => 0, ASC, "f32")],
  ["seq", num(seqOf, Order.Wrapped)],
  ["smpls", num((r) => vlanOrMpls(r, true, true), DESC, "f32")],
  ["dmpls", num((r) => vlanOrMpls(r, true, false), DESC, "f32")],
  ["svlan", num((r) => vlanOrMpls(r, false, true), DESC, "f32")],
  ["dvlan", num((r) => vlanOrMpls(r, false, false), DESC, "f32")],
  ["srcid", num(srcid, Order.Wrapped)],
  ["stcpb", num((r) => tcpValue(r, "sbase"), DESC)],
  ["dtcpb", num((r) => tcpValue(r, "dbase"), DESC)],
  ["tcprtt", num((r) => tcpValue(r, "rtt"), DESC)],
  ["sloss", num((r) => lossOf(r, "s", false), DESC)],
  ["dloss", num((r) => lossOf(r, "d", false), DESC)],
  ["sploss", num((r) => lossOf(r, "s", true), DESC)],
  ["dploss", num((r) => lossOf(r, "d", true), DESC)],
  ["smaxsz", num((r) => packetSize(r, "smaxsz"), DESC, "f32")],
  ["sminsz", num((r) => packetSize(r, "sminsz"), ASC, "f32")],
  ["dmaxsz", num((r) => packetSize(r, "dmaxsz"), DESC, "f32")],
  ["dminsz", num((r) => packetSize(r, "dminsz"), ASC, "f32")],
  ["sdsb", num((r) => dsByte(r, true), DESC, "f32")],
  ["ddsb", num((r) => dsByte(r, false), DESC, "f32")],
  ["sco", num((r) => countryCode(r, true), DESC)],
  ["dco", num((r) => countryCode(r, false), DESC)],
  ["sas", num((r) => asNumber(r, true), Order.IntAscending)],
  ["das", num((r) => asNumber(r, false), Order.IntAscending)],
  ["sum", num((r) => activity(r, "sum"), ASC)],
  ["runtime", num((r) => activity(r, "sum"), ASC)],
  ["idle", null],
  // etheraddr_oui names the vendor; the real rasort has no vendor table
  // loaded and crashes when both records carry MACs, so only records
  // without a MAC DSR (all equal) are sorted alike.
  ["soui", num(() => NaN, ASC, "f32")],
  ["doui", num(() => NaN, ASC, "f32")],
  ["abr", num(appByteRatio, DESC)],
  ["pcr", num(appByteRatio, DESC)],
  ["inode", num(inode, ASC)],
  ["sgap", num((r) => gapOf(r, true), DESC)],
  ["dgap", num((r) => gapOf(r, false), DESC)],
];

/** Why a -m field cannot be used. */
export class SortFieldError extends Error {
  override name = "SortFieldError";
}

/**
 * The keys for -m's words, in order. None without -m: the real rasort
 * then leaves records in input order (rasort(1) says stime; ArgusSortQueue
 * skips qsort when no algorithm is set, checked on icmp.pcap). Throws
 * SortFieldError for a word the real rasort rejects ("sort syntax
 * error") or one this rasort does not implement.
 */
export function sortKeys(
  words: readonly string[],
  reverse: boolean,
): SortKey[] {
  const found: Make[] = [];
  let cidr = 0;
  for (const word of words) {
    const hit = KEYWORDS.find(([k]) => word.startsWith(k));
    if (hit === undefined) {
      throw new SortFieldError(`sort syntax error. '${word}' not supported`);
    }
    const [keyword, make] = hit;
    if (make === null) {
      throw new SortFieldError(
        `sort field '${keyword}' is not implemented in this rasort`,
      );
    }
    if (keyword === "saddr" || keyword === "daddr") {
      const slash = word.indexOf("/");
      if (slash >= 0) cidr = Number.parseInt(word.slice(slash + 1), 10) || 0;
    }
    found.push(make);
  }
  return found.map((make) => make({ reverse, cidr }));
}

/** ArgusSortRoutine: the first field that tells two records apart. */
export function compareBy(
  keys: readonly SortKey[],
): (a: number, b: number) => number {
  if (keys.length === 1) {
    const k = keys[0]!;
    return (a, b) => k.compare(a, b);
  }
  return (a, b) => {
    for (const k of keys) {
      const retn = k.compare(a, b);
      if (retn !== 0) return retn;
    }
    return 0;
  };
}
