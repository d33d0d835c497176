/**
 * The nine-character "Flgs" column of the argus clients
 * (ArgusGetIndicatorString): encapsulation, mapped ICMP, loss and
 * retransmission, window and congestion, fragments and IP options.
 * @module
 */

import { AddrType, DsrType } from "../record/record_view.ts";
import { type ClientRecord, FlowKind, RecordKind } from "./client_record.ts";

/** Letter per encapsulation bit, lowest bit first ("" = counted, no letter). */
const ENCAPS_LETTERS = [
  "m",
  "e",
  "v",
  "l",
  "p",
  "i",
  "G",
  "a",
  "P",
  "6",
  "H",
  "C",
  "A",
  "S",
  "F",
  "s",
  "R",
  "w",
  "z",
  "a",
  "",
  "",
  "T",
  "",
  "",
  "J",
  "E",
  "",
]; // deno-fmt-ignore

const PKTS_RETRANS = 0x300, SRC_RETRANS = 0x100, DST_RETRANS = 0x200;
const WINDOW_SHUT = 0xc00, SRC_SHUT = 0x400, DST_SHUT = 0x800;
const CONGESTED = 0xc000, SRC_CONGESTED = 0x4000, DST_CONGESTED = 0x8000;
const OUTOFORDER = 0x30000, SRC_OOO = 0x10000, DST_OOO = 0x20000;
const PKTS_DROP = 0x30, SRC_DROP = 0x10, DST_DROP = 0x20;

const NET_TCP_PERF = 0x05;
const NET_RTP = 0x0a, NET_UDT = 0x0d;
const NET_FRAG = 0x45;

const BLANK = "         ";

/** The column's letters, reused for every record. */
const letters: string[] = BLANK.split("");

/**
 * Texts made so far, by the character codes of positions 0-4 and 5-8
 * (each 7 bits: exact in a number): records share a handful of texts, so
 * the join is done once per distinct text, not once per record.
 */
const texts = new Map<number, Map<number, string>>();

function textOf(f: string[]): string {
  let head = 0, tail = 0;
  for (let i = 0; i < 5; i++) head = head * 128 + f[i]!.charCodeAt(0);
  for (let i = 5; i < 9; i++) tail = tail * 128 + f[i]!.charCodeAt(0);
  let inner = texts.get(head);
  if (inner === undefined) texts.set(head, inner = new Map());
  let text = inner.get(tail);
  if (text === undefined) inner.set(tail, text = f.join(""));
  return text;
}

/** The flags column text (9 characters) of a record. */
export function indicatorFlags(r: ClientRecord): string {
  if (r.kind === RecordKind.MAR || r.kind === RecordKind.EVENT) return BLANK;
  const f = letters;
  for (let i = 0; i < 9; i++) f[i] = " ";
  const v = r.view, b = v.buf, dv = v.view;
  if (r.kind === RecordKind.NETFLOW) f[0] = "N";
  const time = v.dsr(DsrType.TIME);
  if (time >= 0 && (b[time + 2]! & 0x01)) f[0] = "T";

  const encaps = v.dsr(DsrType.ENCAPS);
  if (encaps >= 0) {
    const types = (v.srcEncaps | v.dstEncaps) >>> 0;
    let count = 0;
    for (let i = 0; i < ENCAPS_LETTERS.length; i++) {
      if (types & (1 << i)) {
        count++;
        if (ENCAPS_LETTERS[i]) f[1] = ENCAPS_LETTERS[i]!;
      }
    }
    if (count > 1) f[1] = "*";
  } else {
    if (v.dsr(DsrType.MPLS) >= 0) f[1] = "m";
    if (v.dsr(DsrType.MAC) >= 0) f[1] = "e";
    if (v.dsr(DsrType.VLAN) >= 0) f[1] = "v";
  }
  const mac = v.dsr(DsrType.MAC);
  if (mac >= 0 && (b[mac + 2]! & 0x03)) f[1] = "M";

  const net = v.dsr(DsrType.NETWORK);
  const netSub = r.netSubtype;
  const attr = v.dsr(DsrType.IPATTR);
  if (net >= 0 && netSub === NET_UDT) {
    const status = dv.getUint32(net + 8);
    if (status & OUTOFORDER) f[3] = "i";
    if (status & (PKTS_RETRANS | PKTS_DROP)) f[3] = "s";
    if (status & WINDOW_SHUT) f[4] = "S";
    if (status & CONGESTED) f[5] = "E";
  } else if (r.flowKind === FlowKind.CLASSIC5TUPLE) {
    const fragments = (attr >= 0 && (b[attr + 2]! & 0x30) !== 0) || r.fragment;
    if (r.addrType === AddrType.IPV4) {
      if (fragments) f[6] = "F";
      if (r.proto === 6 && net >= 0) tcpFlags(r, net, f);
      else if (r.proto === 17 && net >= 0) rtpLoss(r, net, f);
      else if (r.proto === 50 && net >= 0) espLoss(r, net, f);
    } else if (r.addrType === AddrType.IPV6) {
      if (fragments) f[6] = "F";
      if (r.proto === 6 && net >= 0 && netSub === NET_TCP_PERF) {
        const srcStatus = dv.getUint32(net + 24 + 8);
        if (srcStatus & PKTS_RETRANS) {
          const status = dv.getUint32(net + 4);
          if ((status & SRC_RETRANS) && (status & DST_RETRANS)) f[3] = "*";
          else {
            if (status & SRC_RETRANS) f[3] = "s";
            if (status & DST_RETRANS) f[3] = "d";
          }
        }
      } else if (r.proto === 17 && net >= 0) rtpLoss(r, net, f);
    }
  }

  const icmp = v.dsr(DsrType.ICMP);
  if (icmp >= 0 && (b[icmp + 2]! & 0x07)) {
    f[2] = "I";
    switch (b[icmp + 4]) {
      case 3:
        f[2] = "U";
        break;
      case 5:
        f[2] = "R";
        break;
      case 11:
        f[2] = "T";
        break;
    }
  }

  if (net >= 0) {
    if (netSub === NET_FRAG) {
      f[6] = (b[net + 2]! & 0x02) ? "V" : "f";
    } else if (netSub === NET_RTP) {
      const q = b[net + 2]! & 0x03;
      if (q === 0x03) f[4] = "*";
      if (q & 0x02) f[4] = "d";
    }
  }

  if (attr >= 0) {
    const options = ipOptions(r, attr);
    switch (options) {
      case 0:
        break;
      case 0x40:
        f[7] = "A";
        break;
      case 0x02:
        f[7] = "T";
        break;
      case 0x01:
        f[7] = "R";
        break;
      case 0x04:
        f[7] = "+";
        break;
      case 0x08:
        f[7] = "L";
        break;
      case 0x20:
        f[7] = "S";
        break;
      case 0x10:
        f[7] = "D";
        break;
      default: {
        let c = 0;
        for (let x = options; x; x &= x - 1) c++;
        f[7] = c > 1 ? "O" : "U";
      }
    }
  }
  return textOf(f);
}

/** Source and destination IP option bits of the attributes DSR, or-ed. */
function ipOptions(r: ClientRecord, attr: number): number {
  const b = r.view.buf, dv = r.view.view;
  const q = b[attr + 2]!;
  let p = attr + 4;
  let options = 0;
  if (q & 0x01) p += 4;
  if (q & 0x04) {
    options |= dv.getUint32(p);
    p += 4;
  }
  if (q & 0x02) p += 4;
  if (q & 0x08) options |= dv.getUint32(p);
  return options & 0xff;
}

function tcpFlags(r: ClientRecord, net: number, f: string[]): void {
  // A network DSR that is not TCP's (an empty one) carries no status here.
  const sub = r.netSubtype;
  const status = sub >= 3 && sub <= 5 ? r.view.view.getUint32(net + 4) : 0;
  if (status & PKTS_RETRANS) {
    if ((status & SRC_RETRANS) && (status & DST_RETRANS)) f[3] = "*";
    else {
      if (status & SRC_RETRANS) f[3] = "s";
      if (status & DST_RETRANS) f[3] = "d";
    }
  } else if (tcpGap(r, net, 24) > 0 || tcpGap(r, net, 72) > 0) {
    f[3] = "g";
  } else if (status & OUTOFORDER) {
    if ((status & SRC_OOO) && (status & DST_OOO)) f[3] = "&";
    else {
      if (status & SRC_OOO) f[3] = "i";
      if (status & DST_OOO) f[3] = "r";
    }
  }
  if (status & WINDOW_SHUT) {
    if ((status & SRC_SHUT) && (status & DST_SHUT)) f[4] = "@";
    else {
      if (status & SRC_SHUT) f[4] = "S";
      if (status & DST_SHUT) f[4] = "D";
    }
  }
  if (status & CONGESTED) {
    if ((status & SRC_CONGESTED) && (status & DST_CONGESTED)) f[5] = "E";
    else {
      if (status & SRC_CONGESTED) f[5] = "x";
      if (status & DST_CONGESTED) f[5] = "t";
    }
  }
}

/**
 * Bytes missing from one direction of a TCP_PERF record (ArgusFetchSrcGap):
 * sequence space covered minus bytes seen. `side` is the byte offset of
 * that direction's metrics in the DSR.
 */
function tcpGap(r: ClientRecord, net: number, side: number): number {
  if (r.netSubtype !== NET_TCP_PERF) return 0;
  const dv = r.view.view;
  const s = net + side;
  const seqbase = dv.getUint32(s + 12), seq = dv.getUint32(s + 16);
  const bytes = dv.getUint32(s + 28), retrans = dv.getUint32(s + 32);
  const ackbytes = dv.getUint32(s + 36), winbytes = dv.getUint32(s + 40);
  if (seqbase === ackbytes || seq === 0) return 0;
  if (retrans) return 0;
  let gap = (seq - seqbase) >>> 0;
  if (gap === bytes || gap === ((bytes - winbytes) >>> 0)) return 0;
  gap -= bytes;
  if (gap < 0) gap = 0;
  if (gap > 0) gap--;
  return gap;
}

function rtpLoss(r: ClientRecord, net: number, f: string[]): void {
  if (r.netSubtype !== NET_RTP) return;
  const dv = r.view.view;
  const sdrop = dv.getUint16(net + 4 + 28), ddrop = dv.getUint16(net + 4 + 30);
  if (sdrop && ddrop) f[3] = "*";
  else {
    if (sdrop) f[3] = "s";
    if (ddrop) f[3] = "d";
  }
}

function espLoss(r: ClientRecord, net: number, f: string[]): void {
  if (r.netSubtype !== 0x38) return;
  const dv = r.view.view;
  const status = dv.getUint32(net + 4), lostseq = dv.getUint32(net + 16);
  if ((status & PKTS_DROP) && lostseq) {
    if ((status & SRC_DROP) && (status & DST_DROP)) f[3] = "*";
    else {
      if (status & SRC_DROP) f[3] = "s";
      if (status & DST_DROP) f[3] = "d";
    }
  }
  if (status & OUTOFORDER) {
    if ((status & SRC_OOO) && (status & DST_OOO)) f[3] = "&";
    else {
      if (status & SRC_OOO) f[3] = "i";
      if (status & DST_OOO) f[3] = "r";
    }
  }
}
