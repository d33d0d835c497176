/**
 * Decodes one framed Argus 3 record into its model (docs/record-format.md
 * §3): a MAR, or a flow record whose DSRs are walked by their lengths and
 * decoded into their slots. A DSR that is unknown, repeated, out of slot
 * order or laid out in a way the writer would not reproduce is kept raw,
 * so every argus record re-encodes to the same bytes.
 * @module
 */

import type { ArgusRecord } from "./argus_record.ts";
import { DsrSlot, DsrType } from "./dsr_type.ts";
import { newFlowRecord } from "./flow_record.ts";
import type { FlowRecord } from "./flow_record.ts";
import { decodeMar } from "./mar.ts";
import { RecordFormatError } from "./record_format_error.ts";
import { RecordType } from "./record_header.ts";
import { decodeEncaps } from "./dsr/encaps_dsr.ts";
import { decodeFlow } from "./dsr/flow_dsr.ts";
import { decodeIcmp } from "./dsr/icmp_dsr.ts";
import { decodeIpAttr } from "./dsr/ip_attr_dsr.ts";
import { decodeJitter } from "./dsr/jitter_dsr.ts";
import { decodeMac } from "./dsr/mac_dsr.ts";
import { decodeMetric } from "./dsr/metric_dsr.ts";
import { decodeMpls } from "./dsr/mpls_dsr.ts";
import { decodeNetwork } from "./dsr/network_dsr.ts";
import { decodePacketSize } from "./dsr/packet_size_dsr.ts";
import { decodeTime } from "./dsr/time_dsr.ts";
import { decodeTransport } from "./dsr/transport_dsr.ts";
import { decodeUserData, UserDataSubtype } from "./dsr/user_data_dsr.ts";
import { decodeVlan } from "./dsr/vlan_dsr.ts";

/**
 * Decodes the record at `b[start..start+length)`.
 * @param v a DataView over all of `b`'s bytes
 * @param name file name for errors
 * @param offset the record's offset in its file, for errors
 * @throws RecordFormatError when the DSRs do not tile the record
 */
export function decodeRecord(
  b: Uint8Array,
  v: DataView,
  start: number,
  length: number,
  name = "",
  offset = 0,
): ArgusRecord {
  if (b[start]! & RecordType.MAR) {
    return decodeMar(b, v, start, length >> 2) ??
      { kind: "raw", bytes: b.slice(start, start + length) };
  }
  const rec = newFlowRecord(b[start + 1]! & 0xf0);
  rec.type = b[start]! & 0xf0;
  rec.options = b[start + 1]! & 0x0f;
  const end = start + length;
  let lastSlot = -1;
  for (let p = start + 4, index = 0; p < end; index++) {
    const t = b[p]!;
    const len = t & 0x80
      ? 1
      : t === DsrType.DATA
      ? v.getUint16(p + 2)
      : b[p + 3]!;
    if (len === 0 || p + len * 4 > end) {
      throw new RecordFormatError(
        name,
        offset,
        `DSR 0x${t.toString(16)} at record byte ${p - start} ` +
          (len === 0 ? "has length 0" : "overruns the record"),
      );
    }
    const slot = t & 0x80 ? -1 : place(rec, b, v, p, len, lastSlot);
    if (slot < 0) {
      rec.extra.push({ type: t, index, bytes: b.slice(p, p + len * 4) });
    } else {
      lastSlot = slot;
    }
    p += len * 4;
  }
  return rec;
}

/** The slot a DSR type goes to, -1 for types this codec does not model. */
function slotOf(type: number, subtype: number): number {
  switch (type) {
    case DsrType.TRANSPORT:
      return DsrSlot.TRANSPORT;
    case DsrType.FLOW:
      return DsrSlot.FLOW;
    case DsrType.TIME:
      return DsrSlot.TIME;
    case DsrType.METER:
      return DsrSlot.METRIC;
    case DsrType.NETWORK:
      return DsrSlot.NETWORK;
    case DsrType.VLAN:
      return DsrSlot.VLAN;
    case DsrType.MPLS:
      return DsrSlot.MPLS;
    case DsrType.JITTER:
      return DsrSlot.JITTER;
    case DsrType.IPATTR:
      return DsrSlot.IPATTR;
    case DsrType.PSIZE:
      return DsrSlot.PSIZE;
    case DsrType.DATA: {
      const dir = subtype &
        (UserDataSubtype.SRC_DATA | UserDataSubtype.DST_DATA);
      return dir === UserDataSubtype.SRC_DATA
        ? DsrSlot.SRCUSERDATA
        : dir === UserDataSubtype.DST_DATA
        ? DsrSlot.DSTUSERDATA
        : -1;
    }
    case DsrType.MAC:
      return DsrSlot.MAC;
    case DsrType.ICMP:
      return DsrSlot.ICMP;
    case DsrType.ENCAPS:
      return DsrSlot.ENCAPS;
  }
  return -1;
}

/**
 * Decodes a DSR into its slot when the slot comes after `lastSlot` (so it
 * is free, and the writer's slot order reproduces the record); returns the
 * slot, or -1 to keep the DSR raw.
 */
function place(
  rec: FlowRecord,
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
  lastSlot: number,
): number {
  const slot = slotOf(b[p]!, b[p + 1]!);
  if (slot <= lastSlot) return -1;
  switch (slot) {
    case DsrSlot.TRANSPORT: {
      const d = decodeTransport(b, v, p, len);
      if (d === null) return -1;
      rec.transport = d;
      break;
    }
    case DsrSlot.FLOW: {
      const d = decodeFlow(b, v, p, len);
      if (d === null) return -1;
      rec.flow = d;
      break;
    }
    case DsrSlot.TIME: {
      const d = decodeTime(b, v, p, len);
      if (d === null) return -1;
      rec.time = d;
      break;
    }
    case DsrSlot.METRIC: {
      const d = decodeMetric(b, v, p, len);
      if (d === null) return -1;
      rec.metric = d;
      break;
    }
    case DsrSlot.NETWORK:
      rec.network = decodeNetwork(b, v, p, len);
      break;
    case DsrSlot.VLAN: {
      const d = decodeVlan(b, v, p, len);
      if (d === null) return -1;
      rec.vlan = d;
      break;
    }
    case DsrSlot.MPLS: {
      const d = decodeMpls(b, v, p, len);
      if (d === null) return -1;
      rec.mpls = d;
      break;
    }
    case DsrSlot.JITTER: {
      const d = decodeJitter(b, v, p, len);
      if (d === null) return -1;
      rec.jitter = d;
      break;
    }
    case DsrSlot.IPATTR: {
      const d = decodeIpAttr(b, v, p, len);
      if (d === null) return -1;
      rec.ipAttr = d;
      break;
    }
    case DsrSlot.PSIZE: {
      const d = decodePacketSize(b, v, p, len);
      if (d === null) return -1;
      rec.packetSize = d;
      break;
    }
    case DsrSlot.SRCUSERDATA:
    case DsrSlot.DSTUSERDATA: {
      const d = decodeUserData(b, v, p, len);
      if (d === null) return -1;
      if (slot === DsrSlot.SRCUSERDATA) rec.srcUserData = d;
      else rec.dstUserData = d;
      break;
    }
    case DsrSlot.MAC: {
      const d = decodeMac(b, v, p, len);
      if (d === null) return -1;
      rec.mac = d;
      break;
    }
    case DsrSlot.ICMP: {
      const d = decodeIcmp(b, v, p, len);
      if (d === null) return -1;
      rec.icmp = d;
      break;
    }
    case DsrSlot.ENCAPS: {
      const d = decodeEncaps(b, v, p, len);
      if (d === null) return -1;
      rec.encaps = d;
      break;
    }
  }
  return slot;
}
