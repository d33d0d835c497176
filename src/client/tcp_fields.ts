/**
 * ra's columns read from the TCP object of a TCP flow's network DSR
 * (record-format §9: TCP_INIT, TCP_STATUS, TCP_PERF as ra loads them into
 * one in-memory object): round-trip times, windows, initial sequence
 * numbers, sequence gaps and the options seen. Per-side values trade
 * places when ra turned the record round (ArgusReverseRecord).
 * @module
 */

import { countText, metricText } from "./abbreviate_metric.ts";
import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind, RecordKind } from "./client_record.ts";
import { dsrEnd, fit, labelOf, right, sided } from "./print_cell.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

// --- the TCP object ------------------------------------------------------------------------------

/** The network DSR of a TCP flow (IPv4 or IPv6 5-tuple), or -1. */
export function tcpNet(r: ClientRecord): number {
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE || r.proto !== 6) return -1;
  if (r.addrType !== AddrType.IPV4 && r.addrType !== AddrType.IPV6) return -1;
  const p = r.view.dsr(DsrType.NETWORK);
  return p >= 0 && r.view.buf[p + 1] !== 0 ? p : -1;
}

/**
 * A u32 of ra's in-memory TCP object at `off` (after the DSR header):
 * TCP_INIT and TCP_STATUS records fill only a few fields (the rest 0),
 * other forms are copied as they are.
 */
export function tcpU32(r: ClientRecord, p: number, off: number): number {
  const v = r.view;
  const sub = v.buf[p + 1]!;
  if (sub === 3) {
    // ArgusTCPInitStatus: status, seqbase (the source's), options.
    const at = off === 0 ? 4 : off === 32 ? 8 : off === 8 ? 12 : -1;
    return at < 0 || p + at + 4 > dsrEnd(v, p) ? 0 : v.view.getUint32(p + at);
  }
  if (sub === 4) {
    return off === 0 && p + 8 <= dsrEnd(v, p) ? v.view.getUint32(p + 4) : 0;
  }
  if (off + 8 > v.buf[p + 3]! * 4) return 0;
  return v.view.getUint32(p + 4 + off);
}

/** Round-trip parts in µs: SYN to SYN/ACK (synack), SYN/ACK to ACK. */
function rtt(r: ClientRecord, part: "synack" | "ackdat" | "both"): number {
  const p = tcpNet(r);
  if (p < 0) return 0;
  const synack = tcpU32(r, p, 12), ackdat = tcpU32(r, p, 16);
  return part === "synack"
    ? synack
    : part === "ackdat"
    ? ackdat
    : (synack + ackdat) >>> 0;
}

function rttField(
  name: string,
  label: string,
  part: "synack" | "ackdat" | "both",
): PrintField {
  return {
    name,
    width: 12,
    print: (r, o, len) =>
      fit(
        metricText(r.kind === RecordKind.MAR ? 0 : rtt(r, part) / 1e6, o),
        len,
        o,
      ),
    label: labelOf(label),
    json: "number",
  };
}

/** A TCP side's window (win << winshift); blank without its packets. */
function window(r: ClientRecord, o: PrintOptions, src: boolean): string {
  const win = windowValue(r, src);
  return win < 0 ? "" : countText(win, o);
}

/** A TCP side's window, or -1 for a blank. */
function windowValue(r: ClientRecord, src: boolean): number {
  const net = r.view.dsr(DsrType.NETWORK);
  if (src && net >= 0 && r.view.buf[net + 1] === 0x0d) {
    // A UDT flow's source buffer size (host order), whatever the key.
    return net + 72 <= net + r.view.buf[net + 3]! * 4
      ? r.view.view.getUint32(net + 68, true)
      : 0;
  }
  const p = tcpNet(r);
  if (p < 0) return -1;
  const pkts = src !== r.turned ? r.srcPkts : r.dstPkts;
  if (!r.hasMetric || pkts === 0) return -1;
  const v = r.view;
  switch (v.buf[p + 1]) {
    case 3: // TCP_INIT: the source's window only.
      if (!src || p + 20 > dsrEnd(v, p)) return 0;
      return (v.view.getUint16(p + 16) << v.buf[p + 19]!) >>> 0;
    case 4:
      return 0;
  }
  const side = p + 24 + (src ? 0 : 48);
  if (side + 48 > p + v.buf[p + 3]! * 4) return 0;
  return (v.view.getUint16(side + 44) << v.buf[side + 47]!) >>> 0;
}

/** A TCP side's initial sequence number; blank when 0. */
function seqBase(r: ClientRecord, _o: PrintOptions, src: boolean): string {
  const p = tcpNet(r);
  if (p < 0) return "";
  const base = tcpU32(r, p, src ? 32 : 80);
  return base === 0 ? " " : String(base);
}

/** The TCP options seen, one letter per option in a fixed place. */
const TCP_OPTION_LETTERS = "MwsSeETcNOSD";

function tcpOptions(r: ClientRecord, len: number): string {
  let text = "            ";
  const p = r.kind === RecordKind.MAR ? -1 : tcpNet(r);
  if (p >= 0) {
    const options = tcpU32(r, p, 8) >>> 20;
    if (options) {
      text = "";
      for (let i = 0; i < 12; i++) {
        text += options & (1 << i) ? TCP_OPTION_LETTERS[i] : " ";
      }
    }
  }
  // Always the column's width, cut without a star, delimiter or not.
  return right(text, len);
}

/**
 * Bytes missing from a TCP side's sequence space (ArgusFetchSrcGap): blank
 * for other flows, 0 without a TCP_PERF object or with retransmissions.
 */
function gap(r: ClientRecord, o: PrintOptions, src: boolean): string {
  const value = gapValue(r, src);
  // -H abbreviates the value as it is, -1 (no TCP flow) included.
  if (o.abbreviate) return metricText(value, o);
  if (value === -1) return "";
  // ra prints it through an int: x86 turns values past INT_MAX into INT_MIN.
  return String(value > 0x7fffffff ? -0x80000000 : value);
}

/** ArgusFetchSrcGap / ArgusFetchDstGap: -1 when not a TCP flow. */
function gapValue(r: ClientRecord, src: boolean): number {
  const p = tcpNet(r);
  if (p < 0) return -1;
  const v = r.view, d = v.view;
  if (v.buf[p + 1] !== 5) return 0;
  const m = p + 24 + (src ? 0 : 48);
  if (m + 48 > p + v.buf[p + 3]! * 4) return 0;
  const seqbase = d.getUint32(m + 12), seq = d.getUint32(m + 16);
  const bytes = d.getUint32(m + 28), retrans = d.getUint32(m + 32);
  const ackbytes = d.getUint32(m + 36), winbytes = d.getUint32(m + 40);
  if (seqbase === ackbytes || seq === 0 || retrans !== 0) return 0;
  let value = (seq - seqbase) >>> 0;
  if (value === bytes || value === ((bytes - winbytes) >>> 0)) return 0;
  value -= bytes;
  if (value < 0) value = 0;
  if (value > 0) value -= 1;
  return value;
}

/** A gap column: like sided's, but -H prints a MAR's (-1) too. */
function gapField(name: string, label: string, src: boolean): PrintField {
  const field = sided(name, 8, label, src, gap, "number");
  return {
    ...field,
    print: (r, o, len) =>
      r.kind === RecordKind.MAR && o.abbreviate
        ? fit(metricText(-1, o), len, o)
        : field.print(r, o, len),
  };
}

/** The columns of this file. */
export const TCP_FIELDS: readonly PrintField[] = [
  rttField("tcprtt", "TcpRtt", "both"),
  rttField("synack", "SynAck", "synack"),
  rttField("ackdat", "AckDat", "ackdat"),
  sided("swin", 6, "SrcWin", true, window, "number"),
  sided("dwin", 6, "DstWin", false, window, "number"),
  gapField("sgap", "SrcGap", true),
  gapField("dgap", "DstGap", false),
  {
    name: "tcpopt",
    width: 12,
    print: (r, _o, len) => tcpOptions(r, len),
    label: labelOf("TcpOpt"),
  },
  sided("stcpb", 12, "SrcTCPBase", true, seqBase, "number"),
  sided("dtcpb", 12, "DstTCPBase", false, seqBase, "number"),
];
