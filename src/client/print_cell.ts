/**
 * How ra lays out one cell of a -s column (sprintf "%*.*s " and friends,
 * a value cut with '*' when too wide), and the MAR fields its flow
 * columns show on management records (ArgusMarStruct, record-format §3),
 * and builders for the common column shapes. Shared by the column tables
 * (print_fields.ts and its companions).
 * @module
 */

import type { RecordView } from "../record/record_view.ts";
import { type ClientRecord, RecordKind } from "./client_record.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

/** sprintf("%*.*s ", len, len, s): right-aligned, cut to `len`. */
export function right(s: string, len: number): string {
  return (s.length > len ? s.slice(0, len) : s.padStart(len)) + " ";
}

/** sprintf("%-*.*s ", len, len, s). */
export function left(s: string, len: number): string {
  return (s.length > len ? s.slice(0, len) : s.padEnd(len)) + " ";
}

/** A value cut to `len` with a trailing '*' when too long (fixed width). */
export function fit(s: string, len: number, o: PrintOptions): string {
  if (!o.fixed) return s + " ";
  return right(s.length > len ? s.slice(0, len - 1) + "*" : s, len);
}

/** A right-aligned label. */
export function labelOf(
  text: string,
): (o: PrintOptions, width: number) => string {
  return (_o: PrintOptions, width: number) => right(text, width);
}

/**
 * Offset of the record's DSR of `type` when it holds at least `bytes`
 * (header included), else -1: a short DSR reads as absent, never past the
 * record.
 */
export function dsrOf(v: RecordView, type: number, bytes: number): number {
  const p = v.dsr(type);
  return p >= 0 && v.buf[p + 3]! * 4 >= bytes ? p : -1;
}

/** The end of the DSR at `p` (its length byte, in words). */
export function dsrEnd(v: RecordView, p: number): number {
  return p + v.buf[p + 3]! * 4;
}

/** Byte offsets of ArgusMarStruct fields after the record header. */
export const Mar = {
  status: 0,
  argusid: 4,
  nextSeq: 16,
  startSec: 20,
  nowSec: 28,
  pktsRcvd: 44,
  bytesRcvd: 52,
  records: 68,
  flows: 72,
  dropped: 76,
  queue: 80,
  output: 84,
  clients: 88,
  bufs: 92,
  bytes: 96,
  thisid: 116,
} as const;

/**
 * A u32 of the MAR body; 0 past the end of a MAR cut short (a damaged
 * record's length field can make it any size).
 */
export function marU32(r: ClientRecord, at: number): number {
  if (4 + at + 4 > r.view.length) return 0;
  return r.view.view.getUint32(r.view.start + 4 + at);
}

/** A u64 of the MAR body; 0 past the end of a MAR cut short. */
export function marU64(r: ClientRecord, at: number): bigint {
  if (4 + at + 8 > r.view.length) return 0n;
  return r.view.view.getBigUint64(r.view.start + 4 + at);
}

/** A MAR time (seconds, microseconds) in µs. */
export function marTime(r: ClientRecord, at: number): number {
  return marU32(r, at) * 1e6 + marU32(r, at + 4);
}

/**
 * printf("%.*f", p, x): like toFixed, but a value exactly halfway between
 * two results rounds to the even one, as glibc's printf does, and NaN and
 * infinities print as glibc prints them.
 */
export function cFixed(x: number, p: number): string {
  // x86's default NaN has its sign bit set: glibc prints it "-nan".
  if (Number.isNaN(x)) return "-nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  // toFixed drops the sign of a negative zero; printf keeps it.
  if (Object.is(x, -0)) return "-" + (0).toFixed(p);
  const text = x.toFixed(p);
  if (p > 70) return text;
  const exact = x.toFixed(p + 30);
  const tail = exact.slice(exact.length - 30);
  if (tail !== "5" + "0".repeat(29)) return text;
  let cut = exact.slice(0, exact.length - 30);
  if (cut.endsWith(".")) cut = cut.slice(0, -1);
  const last = cut.charCodeAt(cut.length - 1) - 48;
  return last % 2 === 0 ? cut : text;
}

/**
 * A MAC address as ra prints it (etheraddr_string): lower-case hex, or
 * its name when ra loaded names (no /etc/ethers here: only Broadcast).
 */
export function etherText(
  b: Uint8Array,
  at: number,
  o: PrintOptions,
): string {
  let s = "";
  let all = 0xff;
  for (let i = 0; i < 6; i++) {
    const x = b[at + i]!;
    all &= x;
    if (i) s += ":";
    s += x.toString(16).padStart(2, "0");
  }
  return o.etherNames && all === 0xff ? "Broadcast" : s;
}

// --- column builders ----------------------------------------------------------

/**
 * A per-side column: `value` gets the side as stored, which is the other
 * one when ra turned the record round. Blank on MARs.
 */
export function sided(
  name: string,
  width: number,
  label: string,
  src: boolean,
  value: (r: ClientRecord, o: PrintOptions, src: boolean) => string,
  json?: "number",
): PrintField {
  const field: PrintField = {
    name,
    width,
    print: (r, o, len) =>
      fit(
        r.kind === RecordKind.MAR ? "" : value(r, o, src !== r.turned),
        len,
        o,
      ),
    label: labelOf(label),
  };
  return json ? { ...field, json } : field;
}

/** Like sided, but `value` gets the side as printed (for the jitter DSR). */
export function printedSided(
  name: string,
  width: number,
  label: string,
  src: boolean,
  value: (r: ClientRecord, o: PrintOptions, src: boolean) => string,
): PrintField {
  return {
    name,
    width,
    print: (r, o, len) =>
      fit(r.kind === RecordKind.MAR ? "" : value(r, o, src), len, o),
    label: labelOf(label),
    json: "number",
  };
}

/** A column whose text is `value(r, o)`. */
export function plain(
  name: string,
  width: number,
  label: string,
  value: (r: ClientRecord, o: PrintOptions) => string,
  json?: "number",
): PrintField {
  const field: PrintField = {
    name,
    width,
    print: (r, o, len) => fit(value(r, o), len, o),
    label: labelOf(label),
  };
  return json ? { ...field, json } : field;
}
