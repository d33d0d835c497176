/**
 * ra's columns read from a flow record's attribute DSRs (record-format
 * §§5, 9, 10): source id and sequence number (transport), TTL, TOS, DS
 * byte and IP id (IP attributes), MACs, VLANs, MPLS labels, application
 * bytes, packet sizes, losses, the cause. Per-side values trade places
 * when ra turned the record round (ArgusReverseRecord). TCP columns are
 * in tcp_fields.ts, jitter ones in jitter_fields.ts.
 * @module
 */

import { countText, metricText } from "./abbreviate_metric.ts";
import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind, RecordKind } from "./client_record.ts";
import {
  cFixed,
  dsrEnd,
  dsrOf,
  etherText,
  fit,
  labelOf,
  Mar,
  marU32,
  plain,
  right,
  sided,
} from "./print_cell.ts";
import { tcpU32 } from "./tcp_fields.ts";
import type { PrintField, PrintOptions } from "./print_fields.ts";

const MAC = 0x42, VLAN = 0x40, MPLS = 0x44;

// --- IP attributes -----------------------------------------------------------------

/** Offset of one side's {ttl, tos, ip id} in the IP attributes, or -1. */
function attrAt(r: ClientRecord, src: boolean): number {
  const v = r.view;
  const p = v.dsr(DsrType.IPATTR);
  if (p < 0) return -1;
  const q = v.buf[p + 2]!;
  let at = -1;
  if (src) at = q & 0x01 ? p + 4 : -1;
  else if (q & 0x02) at = p + 4 + (q & 0x01 ? 4 : 0) + (q & 0x04 ? 4 : 0);
  return at >= 0 && at + 4 <= dsrEnd(v, p) ? at : -1;
}

function ttl(r: ClientRecord, _o: PrintOptions, src: boolean): string {
  const at = attrAt(r, src);
  return at < 0 ? "" : String(r.view.buf[at]!);
}

function tos(r: ClientRecord, _o: PrintOptions, src: boolean): string {
  const at = attrAt(r, src);
  return at < 0 ? "" : String(r.view.buf[at + 1]!);
}

/** DSCP names ra prints (its IANA table). */
const DSCP_NAMES = new Map<number, string>([
  [0x00, "cs0"],
  [0x08, "cs1"],
  [0x10, "cs2"],
  [0x18, "cs3"],
  [0x20, "cs4"],
  [0x28, "cs5"],
  [0x30, "cs6"],
  [0x38, "cs7"],
  [0x0a, "af11"],
  [0x0c, "af12"],
  [0x0e, "af13"],
  [0x12, "af21"],
  [0x14, "af22"],
  [0x16, "af23"],
  [0x1a, "af31"],
  [0x1c, "af32"],
  [0x1e, "af33"],
  [0x22, "af41"],
  [0x24, "af42"],
  [0x26, "af43"],
  [0x2e, "ef"],
]);

function dsByte(r: ClientRecord, o: PrintOptions, src: boolean): string {
  const at = attrAt(r, src);
  if (at < 0) return "";
  const code = r.view.buf[at + 1]! >> 2;
  const name = o.nflag > 2 ? undefined : DSCP_NAMES.get(code);
  return name ?? String(code).padStart(2);
}

/** IP ids: ra reads the stored (little-endian) id big-endian. */
function ipId(r: ClientRecord, len: number, o: PrintOptions, src: boolean) {
  if (r.kind === RecordKind.MAR) return fit("", len, o);
  const at = attrAt(r, src !== r.turned);
  const s = at < 0
    ? ""
    : "0x" + r.view.view.getUint16(at + 2).toString(16).padStart(4, "0");
  if (!o.fixed) return s + " ";
  // "%*.*s* ": cut one short of the width, then the star.
  return s.length > len
    ? right(s.slice(0, len - 1), len - 1).slice(0, -1) + "* "
    : right(s, len);
}

// --- transport ------------------------------------------------------------------

function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** A source id by its type: IPv4 (the default), int, or 4 characters. */
function idText(r: ClientRecord, at: number, type: "ipv4" | "int" | "str") {
  const d = r.view.view;
  if (type === "int") return String(d.getInt32(at));
  if (type === "str") {
    let s = "";
    for (let i = 0; i < 4; i++) {
      const c = r.view.buf[at + i]!;
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
  return ipv4Text(d.getUint32(at));
}

function srcid(r: ClientRecord): string {
  const v = r.view;
  if (r.kind === RecordKind.MAR) {
    const status = marU32(r, Mar.status);
    const at = v.start + 4 +
      ((r.cause & 0xf0) === 0x10 ? Mar.thisid : Mar.argusid);
    const type = status & 0x00200000
      ? "str"
      : status & 0x00400000
      ? "int"
      : "ipv4";
    return idText(r, at, type);
  }
  const p = dsrOf(v, DsrType.TRANSPORT, 8);
  if (p < 0) return " ";
  const q = v.buf[p + 2]!;
  return idText(r, p + 4, q === 0x20 ? "int" : q === 0x21 ? "str" : "ipv4");
}

function seq(r: ClientRecord): string {
  if (r.kind === RecordKind.MAR) return String(marU32(r, Mar.nextSeq));
  return r.view.dsr(DsrType.TRANSPORT) < 0 ? "" : String(r.view.seq);
}

/** ra's Seq label: centred in the width. */
function seqLabel(_o: PrintOptions, len: number): string {
  const pad = " ".repeat(Math.max(1, Math.trunc((len - 3) / 2)));
  return pad + "Seq" + pad + " " + (len & 1 ? "" : " ");
}

// --- MAC, VLAN, MPLS --------------------------------------------------------------

function mac(r: ClientRecord, o: PrintOptions, src: boolean): string {
  const p = dsrOf(r.view, MAC, 16);
  return p < 0 ? "" : etherText(r.view.buf, p + (src ? 10 : 4), o);
}

function vlan(r: ClientRecord, _o: PrintOptions, src: boolean): string {
  const v = r.view;
  const p = dsrOf(v, VLAN, 8);
  if (p < 0) return "";
  const id = v.view.getUint16(p + (src ? 4 : 6));
  if (!(v.buf[p + 2]! & (src ? 0x01 : 0x02)) && id === 0) return "";
  return "0x" + id.toString(16).padStart(4, "0");
}

/** The VLAN id (the TCI's low 12 bits) of a side that has one. */
function vlanId(r: ClientRecord, _o: PrintOptions, src: boolean): string {
  const v = r.view;
  const p = dsrOf(v, VLAN, 8);
  if (p < 0 || !(v.buf[p + 2]! & (src ? 0x01 : 0x02))) return "";
  return String(v.view.getUint16(p + (src ? 4 : 6)) & 0x0fff);
}

function mpls(r: ClientRecord, _o: PrintOptions, src: boolean): string {
  const v = r.view;
  const p = v.dsr(MPLS);
  if (p < 0) return "";
  const sub = v.buf[p + 1]!;
  if (!(sub & (src ? 0x01 : 0x02))) return "";
  const at = p + 4 + (!src && sub & 0x01 ? 4 : 0);
  if (at + 4 > dsrEnd(v, p)) return "";
  return String(v.view.getUint32(at) >>> 12);
}

// --- metric: application bytes -------------------------------------------------------

function appBytes(r: ClientRecord, src: boolean): number {
  const v = r.view;
  const p = v.dsr(DsrType.METER);
  if (p < 0 || v.buf[p + 1] !== 0x04) return 0;
  const q = v.buf[p + 2]!;
  const d = v.view, b = p + 4;
  const both = q <= 0x04;
  if (!both && src !== (q >= 0x05 && q <= 0x08)) return 0;
  const slot = both ? (src ? 2 : 5) : 2;
  const size = q === 0x01 || q === 0x05 || q === 0x09
    ? 1
    : q === 0x02 || q === 0x06 || q === 0x0a
    ? 2
    : q === 0x03 || q === 0x07 || q === 0x0b
    ? 4
    : 8;
  if (b + (slot + 1) * size > dsrEnd(v, p)) return 0;
  switch (q) {
    case 0x01:
    case 0x05:
    case 0x09:
      return v.buf[b + slot]!;
    case 0x02:
    case 0x06:
    case 0x0a:
      return d.getUint16(b + slot * 2);
    case 0x03:
    case 0x07:
    case 0x0b:
      return d.getUint32(b + slot * 4);
    case 0x04:
    case 0x08:
    case 0x0c:
      return Number(d.getBigUint64(b + slot * 8));
  }
  return 0;
}

function appBytesField(name: string, label: string, src: boolean): PrintField {
  return {
    name,
    width: 12,
    print(r, o, len) {
      if (r.kind === RecordKind.MAR) {
        return fit(String(marU32(r, src ? Mar.bufs : Mar.queue)), len, o);
      }
      if (!r.hasMetric) return fit("", len, o);
      return fit(countText(appBytes(r, src !== r.turned), o), len, o);
    },
    label: labelOf(label),
    json: "number",
  };
}

// --- packet sizes (-Z) ------------------------------------------------------------------

const PSIZE = 0x12;

/** A side's smallest or largest packet; " " when 0, "" without the DSR. */
function packetSize(max: boolean) {
  return (r: ClientRecord, _o: PrintOptions, src: boolean): string => {
    const v = r.view;
    const p = v.dsr(PSIZE);
    if (p < 0) return "";
    const q = v.buf[p + 2]! & 0x0f;
    let at = -1;
    if (q === 0x02) at = p + (src ? 4 : 8);
    else if (q === 0x06 && src) at = p + 4;
    else if (q === 0x0a && !src) at = p + 4;
    if (at + 4 > dsrEnd(v, p)) at = -1;
    const value = at < 0 ? 0 : v.view.getUint16(at + (max ? 2 : 0));
    return value > 0 ? String(value) : " ";
  };
}

/** A side's mean packet size: bytes / packets (float). */
function meanSize(r: ClientRecord, o: PrintOptions, src: boolean): string {
  const pkts = src ? r.srcPkts : r.dstPkts;
  const bytes = src ? r.srcBytes : r.dstBytes;
  return metricText(
    r.kind !== RecordKind.MAR && r.hasMetric && pkts > 0
      ? Math.fround(bytes / pkts)
      : 0,
    o,
  );
}

// --- loss --------------------------------------------------------------------------------

/** Packets lost (TCP retransmissions, ESP sequence gaps, RTP drops). */
function lossOf(r: ClientRecord, side: "src" | "dst" | "both"): number {
  const v = r.view;
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) return 0;
  if (r.addrType !== AddrType.IPV4 && r.addrType !== AddrType.IPV6) return 0;
  const p = v.dsr(DsrType.NETWORK);
  if (p < 0 || v.buf[p + 1] === 0) return 0;
  const sub = v.buf[p + 1]!;
  switch (r.proto) {
    case 17:
      if (sub === 0x0a && p + 36 <= dsrEnd(v, p)) {
        const sdrop = v.view.getUint16(p + 32),
          ddrop = v.view.getUint16(p + 34);
        const [s, d] = r.turned ? [ddrop, sdrop] : [sdrop, ddrop];
        return side === "src" ? s : side === "dst" ? d : s + d;
      }
      return 0;
    case 6: {
      if (!r.hasMetric || tcpU32(r, p, 4) === 0) return 0;
      const pkts = side === "dst" ? r.dstPkts : r.srcPkts;
      if (!pkts) return 0;
      let s = tcpU32(r, p, 20 + 32), d = tcpU32(r, p, 20 + 48 + 32);
      if (r.turned) [s, d] = [d, s];
      return side === "src" ? s : side === "dst" ? d : s + d;
    }
    case 50:
      if (r.addrType !== AddrType.IPV4 || !r.hasMetric) return 0;
      if (side !== "dst" && r.srcPkts) return tcpU32(r, p, 12);
      return 0;
  }
  return 0;
}

function loss(side: "src" | "dst" | "both") {
  return (r: ClientRecord): string => {
    if (r.kind === RecordKind.MAR) {
      return side === "both" ? String(marU32(r, Mar.dropped)) : "0";
    }
    return String(Math.trunc(lossOf(r, side)));
  };
}

function ploss(r: ClientRecord, o: PrintOptions): string {
  let value = 0;
  if (r.kind !== RecordKind.MAR && r.hasMetric) {
    const lost = lossOf(r, "both");
    const pkts = r.srcPkts + r.dstPkts;
    if (pkts > 0) value = (lost * 100) / (pkts + lost);
  }
  // "%3.*f": at least three characters, even with -p 0.
  return cFixed(value, o.precision).padStart(3);
}

/** One side's loss as a percentage of its packets and losses. */
function sidePloss(src: boolean) {
  return (r: ClientRecord, o: PrintOptions): string => {
    let value = 0;
    if (r.kind !== RecordKind.MAR && r.hasMetric) {
      const lost = lossOf(r, src ? "src" : "dst");
      const pkts = src ? r.srcPkts : r.dstPkts;
      if (pkts > 0) value = (lost * 100) / (pkts + lost);
    }
    return cFixed(value, o.precision).padStart(3);
  };
}

/** The record's cause (header byte 1, high nibble), named. */
function cause(r: ClientRecord): string {
  switch (r.cause & 0xf0) {
    case 0x10:
      return "Start";
    case 0x20:
      return "Status";
    case 0x30:
      return "Stop";
    case 0x40:
      return "Timeout";
    case 0x60:
      return "Shutdown";
    case 0x80:
      return "Error";
  }
  return "Unknown";
}

/**
 * Application bytes ratio (src - dst) / (src + dst): -0 without any,
 * blank on MARs and events.
 */
function appByteRatio(r: ClientRecord, o: PrintOptions): string {
  if (r.kind !== RecordKind.FAR) return "";
  let value = 0;
  if (r.hasMetric) {
    const s = appBytes(r, !r.turned), d = appBytes(r, r.turned);
    value = s + d > 0 ? (s - d) / (s + d) : -0;
  }
  return cFixed(value, o.precision);
}

/** The columns of this file. */
export const ATTRIBUTE_FIELDS: readonly PrintField[] = [
  sided("sttl", 4, "sTtl", true, ttl, "number"),
  sided("dttl", 4, "dTtl", false, ttl, "number"),
  sided("stos", 5, "sTos", true, tos, "number"),
  sided("dtos", 5, "dTos", false, tos, "number"),
  sided("sdsb", 5, "sDSb", true, dsByte),
  sided("ddsb", 5, "dDSb", false, dsByte),
  {
    name: "sipid",
    width: 7,
    print: (r, o, len) => ipId(r, len, o, true),
    label: labelOf("sIpId"),
  },
  {
    name: "dipid",
    width: 7,
    print: (r, o, len) => ipId(r, len, o, false),
    label: labelOf("dIpId"),
  },
  sided("smac", 18, "SrcMac", true, mac),
  sided("dmac", 18, "DstMac", false, mac),
  plain("srcid", 18, "SrcId", srcid),
  { ...plain("seq", 12, "Seq", seq, "number"), label: seqLabel },
  sided("svlan", 8, "sVlan", true, vlan),
  sided("dvlan", 8, "dVlan", false, vlan),
  sided("smpls", 8, "sMpls", true, mpls, "number"),
  sided("dmpls", 8, "dMpls", false, mpls, "number"),
  appBytesField("sappbytes", "SAppBytes", true),
  appBytesField("dappbytes", "DAppBytes", false),
  plain("loss", 10, "Loss", loss("both"), "number"),
  plain("sloss", 10, "SrcLoss", loss("src"), "number"),
  plain("dloss", 10, "DstLoss", loss("dst"), "number"),
  plain("ploss", 8, "pLoss", ploss, "number"),
  {
    name: "cause",
    width: 7,
    // Cut to the width without a star (verified on the real ra).
    print: (r, o, len) => o.fixed ? right(cause(r), len) : cause(r) + " ",
    label: labelOf("Cause"),
  },
  plain("abr", 10, "ABRatio", appByteRatio, "number"),
  plain("pcr", 10, "PCRatio", appByteRatio, "number"),
  plain("sploss", 10, "pSrcLoss", sidePloss(true), "number"),
  plain("dploss", 10, "pDstLoss", sidePloss(false), "number"),
  {
    name: "appbytes",
    width: 10,
    print(r, o, len) {
      if (r.kind === RecordKind.MAR) {
        return fit(String(marU32(r, Mar.bytes)), len, o);
      }
      if (!r.hasMetric) return fit("", len, o);
      return fit(countText(appBytes(r, true) + appBytes(r, false), o), len, o);
    },
    label: labelOf("TotAppByte"),
    json: "number",
  },
  sided("svid", 6, "sVid", true, vlanId, "number"),
  sided("dvid", 6, "dVid", false, vlanId, "number"),
  // ra 3.0.8 prints nothing in these.
  plain("svpri", 6, "sVpri", () => ""),
  plain("dvpri", 6, "dVpri", () => ""),
  sided("smaxsz", 12, "sMaxPktSz", true, packetSize(true), "number"),
  sided("dmaxsz", 12, "dMaxPktSz", false, packetSize(true), "number"),
  sided("sminsz", 12, "sMinPktSz", true, packetSize(false), "number"),
  sided("dminsz", 12, "dMinPktSz", false, packetSize(false), "number"),
  plain("smeansz", 12, "sMeanPktSz", (r, o) => meanSize(r, o, true), "number"),
  plain("dmeansz", 12, "dMeanPktSz", (r, o) => meanSize(r, o, false), "number"),
];
