/**
 * The "State" column (ArgusPrintState and its helpers): TCP connection
 * state, ICMP message type, or request/response/connected for the rest;
 * with -z the TCP state changes seen ("sSEfF"), with -Z s|d|b the TCP
 * flags seen by the source, the destination or both ("FSPA_FSPA").
 * @module
 */

import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind, RecordKind } from "./client_record.ts";

/** argus's ICMP type abbreviations. */
const ICMP_TYPES = [
  "ECR",
  "   ",
  "   ",
  "UR",
  "SRC",
  "RED",
  "AHA",
  "   ",
  "ECO",
  "RTA",
  "RTS",
  "TXD",
  "PAR",
  "TST",
  "TSR",
  "IRQ",
  "IRR",
  "MAS",
  "MSR",
  "SEC",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "ROB",
  "TRC",
  "DCE",
  "MHR",
  "WAY",
  "IAH",
  "MRQ",
  "MRP",
  "DNQ",
  "DNP",
  "SKP",
  "PHO",
  "NRS",
  "NRA",
  "NNS",
  "NNA",
  "PTB",
]; // deno-fmt-ignore

const UNREACH_SUFFIX = [
  "N", "H", "O", "P", "F", "S", "NU", "HU", "ISO", "NPRO", "HPRO", "NTOS",
  "HTOS", "FIL", "PRE", "CUT",
]; // deno-fmt-ignore

const ISIS_PDUS = new Map([
  [15, "L1-IIH"],
  [16, "L2-IIH"],
  [18, "L1-LSP"],
  [20, "L2-LSP"],
  [24, "L1-CSNP"],
  [25, "L2-CSNP"],
  [26, "L1-PSNP"],
  [27, "L2-PSNP"],
]);

/** argus keeps one status buffer, and some paths print what it last held. */
let statusBuf = "";

/**
 * How TCP states print: "" ra's default, "z" for -z, "Z" and -Z's letter
 * (s, d, b; any other letter prints nothing, as ra's switch does).
 */
export type TcpStateMode = string;

/** ArgusTCPFlags: the letters of the flag bits, lowest first. */
const TCP_FLAG_LETTERS = "FSRPAUEC";

/** The state text of a record (`tcp`: the -z / -Z mode). */
export function recordState(r: ClientRecord, tcp: TcpStateMode = ""): string {
  if (r.kind === RecordKind.MAR) return manStatus(r.cause);
  if (r.cause === 0x80) return "ERR";
  if (r.flowKind === FlowKind.ARP) {
    if (!r.hasMetric) return "INT";
    if (r.srcPkts && r.dstPkts) return "CON";
    // argus tests the record type here, which always has the START bit.
    return r.srcPkts ? "INT" : "RSP";
  }
  if (r.flowKind !== FlowKind.CLASSIC5TUPLE) {
    return r.view.dsr(DsrType.FLOW) < 0 ? "   " : "UNK";
  }
  switch (r.addrType) {
    case AddrType.IPV4:
      if (r.proto === 6) {
        return tcp === "" ? tcpStatus(r) : tcpFlagState(r, tcp);
      }
      if (r.proto === 1) return icmpStatus(r);
      return ipStatus(r);
    case AddrType.IPV6:
      if (r.proto === 6) {
        return tcp === "" ? tcpStatus(r) : tcpFlagState(r, tcp);
      }
      if (r.proto === 58) return icmpv6Status(r);
      return ipStatus(r);
    case AddrType.ARP:
    case AddrType.RARP:
      if (!r.hasMetric) return "INT";
      if (r.srcPkts && r.dstPkts) return "CON";
      if (r.srcPkts) return (r.cause & 0x10) ? "INT" : "REQ";
      return "RSP";
    default: {
      let s = ipStatus(r);
      // The ether case falls into the IS-IS one, which reads the key's
      // first word as a PDU type.
      const k = r.view.dsr(DsrType.FLOW) + 4;
      const pdu = r.view.view.getInt32(k, true);
      const isis = ISIS_PDUS.get(pdu);
      if (isis !== undefined) s = statusBuf = isis;
      return s;
    }
  }
}

function manStatus(cause: number): string {
  switch (cause & 0xf0) {
    case 0x10:
      return statusBuf = "STA";
    case 0x20:
      return statusBuf = "CON";
    case 0x30:
      return statusBuf = "STP";
    case 0x60:
      return statusBuf = "SHT";
    case 0x80:
      switch (cause & 0x0f) {
        case 1:
          return statusBuf = "ADN";
        case 2:
          return statusBuf = "MAX";
      }
      return statusBuf = "ERR";
  }
  return statusBuf = "";
}

function ipStatus(r: ClientRecord): string {
  if (!r.hasMetric) return statusBuf;
  if (r.srcPkts && r.dstPkts) return statusBuf = "CON";
  if (r.srcPkts) return statusBuf = (r.cause & 0x10) ? "INT" : "REQ";
  return statusBuf = "RSP";
}

function tcpStatus(r: ClientRecord): string {
  const net = r.view.dsr(DsrType.NETWORK);
  const sub = r.netSubtype;
  const status = net >= 0 && sub >= 3 && sub <= 5
    ? r.view.view.getUint32(net + 4)
    : 0;
  let s: string;
  if (status) {
    if (status & 0x3000) s = "RST";
    else if (status & 0x8) s = "FIN";
    else if (status & 0x10) s = "FIN";
    else if (status & 0x20) s = "CLO";
    else if (r.cause & 0x40) s = "TIM";
    else if (status & 0x4) s = "CON";
    else if (status & 0x2) s = "ACC";
    else if (status & 0x1) s = "REQ";
    else s = "CON";
  } else if (r.hasMetric && r.srcPkts && r.dstPkts) s = "CON";
  else s = "INT";
  return statusBuf = s;
}

/** The letters of the flag bits set in `flags`. */
function flagLetters(flags: number): string {
  let s = "";
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += TCP_FLAG_LETTERS[i];
  return s;
}

/** ArgusGetTCPStatus under -z or -Z. */
function tcpFlagState(r: ClientRecord, mode: TcpStateMode): string {
  const status = r.view.tcpStatus;
  if (mode === "z") {
    let s = "";
    if (status & 0x1) s += "s"; // SAW_SYN
    if (status & 0x2) s += "S"; // SAW_SYN_SENT
    if (status & 0x4) s += "E"; // CON_ESTABLISHED
    if (status & 0x8) s += "f"; // FIN
    if (status & 0x10) s += "F"; // FIN_ACK
    if (status & 0x20) s += "C"; // NORMAL_CLOSE
    if (status & 0x3000) s += "R"; // RESET
    return statusBuf = s;
  }
  let src = flagLetters(r.view.tcpSrcFlags);
  let dst = flagLetters(r.view.tcpDstFlags);
  // A side with flags but no packets: ra takes the record as reversed.
  if (
    r.hasMetric &&
    ((src !== "" && r.srcPkts === 0) || (dst !== "" && r.dstPkts === 0))
  ) [src, dst] = [dst, src];
  const s = mode === "Zs"
    ? src
    : mode === "Zd"
    ? dst
    : mode === "Zb"
    ? `${src}_${dst}`
    : "";
  return statusBuf = s;
}

function icmpStatus(r: ClientRecord): string {
  const icmp = r.view.dsr(DsrType.ICMP);
  const type = icmp >= 0 ? r.view.buf[icmp + 4]! : r.icmpType;
  const code = icmp >= 0 ? r.view.buf[icmp + 5]! : r.icmpCode;
  let s = ICMP_TYPES[type] ?? "UNK";
  if (type === 3 && code < UNREACH_SUFFIX.length) s += UNREACH_SUFFIX[code];
  return statusBuf = s;
}

function icmpv6Status(r: ClientRecord): string {
  const type = r.icmpType, code = r.icmpCode;
  if (type < 128) {
    switch (type) {
      case 1:
        return ["URNR", "URAD", "URBS", "URAR", "URP", "URSF", "URRR", "URES"][
          code
        ] ?? "UNK";
      case 2:
        return "PTB";
      case 3:
        return ["TXT", "TXR"][code] ?? "UNK";
      case 4:
        return ["PPH", "PPNH", "PPO"][code] ?? "UNK";
    }
    return "UNK";
  }
  switch (type) {
    case 128:
      return "ECO";
    case 129:
      return "ECR";
    case 130:
      return "MRQ";
    case 131:
    case 143:
      return "MHR";
    case 133:
      return "NRS";
    case 134:
      return "NRA";
    case 135:
      return "NNS";
    case 136:
      return "NNA";
    case 137:
      return "RED";
  }
  return "UNK";
}
