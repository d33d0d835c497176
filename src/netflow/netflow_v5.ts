/**
 * NetFlow v5 export packets as Argus flow records, as argus -r cisco:file
 * writes them (argus 3.0.8 ArgusParseCiscoRecord): one record per flow
 * entry, type FAR|NETFLOW, cause STATUS, source metrics only, times from
 * the header's unix time and sysUptime. Byte layout checked against the
 * real argus on softflowd's exports (tests/testdata/netflow/).
 * @module
 */

import type { RecordBuffer } from "../record/mod.ts";
import { encodeMetric } from "../record/dsr/metric_dsr.ts";

/** Bytes of the v5 header and of one flow entry. */
export const V5_HEADER = 24;
export const V5_ENTRY = 48;

/** The export packet's sender and how argus keyed its UDP flow. */
export interface Exporter {
  /** IPv4 source address of the export packet (the record's srcid). */
  addr: number;
  /** argus keyed the export packet's flow reversed (lower address first). */
  reversed: boolean;
  /** The flow key's source address (argus adds srcid only when not 0). */
  keySrc: number;
}

const TCP = 6, UDP = 17, ICMP = 1;
const TH_FIN = 0x01, TH_SYN = 0x02, TH_PUSH = 0x08;
const TH_ACK = 0x10, TH_URG = 0x20;
/** TCP status bits (argus_def.h). */
const SAW_SYN = 0x01, SAW_SYN_SENT = 0x02, CON_ESTABLISHED = 0x04;
const FIN = 0x08;

/**
 * Appends the records of the v5 packet `v[at..end)` to `out`; entries run
 * to the end of the captured bytes, as argus reads them (not `count`).
 */
export function appendV5Records(
  out: RecordBuffer,
  v: DataView,
  at: number,
  end: number,
  exporter: Exporter,
): number {
  if (end - at < V5_HEADER) return 0;
  const count = v.getUint16(at + 2);
  const uptime = v.getUint32(at + 4) | 0;
  const unixSecs = v.getUint32(at + 8);
  const unixUsecs = Math.trunc(v.getUint32(at + 12) / 1000);
  const sequence = v.getUint32(at + 16);
  let n = 0;
  for (let p = at + V5_HEADER; p + V5_ENTRY <= end; p += V5_ENTRY, n++) {
    const proto = v.getUint8(p + 38);
    const pkts = v.getUint32(p + 16);
    const start = uptimeTime(unixSecs, unixUsecs, v.getUint32(p + 24), uptime);
    const last = uptimeTime(unixSecs, unixUsecs, v.getUint32(p + 28), uptime);
    const tcp = proto === TCP;
    const srcid = exporter.keySrc !== 0;
    const recordStart = out.pos;
    out.reserve(128);
    out.u8(0x33); // ARGUS_FAR | ARGUS_NETFLOW | version 3
    out.u8(0x20); // ARGUS_STATUS
    out.u16(0); // length, set below
    if (srcid) {
      // Sequence numbers continue from flow_sequence + count (argus's
      // ArgusCounter starts at the header's count).
      out.dsr(0x01, 0x03, 0x01, 3);
      out.u32(exporter.addr);
      out.u32((sequence + count + n) >>> 0);
    }
    out.dsr(0x02, 0x01 | (exporter.reversed ? 0x40 : 0), 0x01, 5);
    putV5Key(out, v, p, proto);
    out.u8(v.getUint8(p + 44)); // src_mask
    out.u8(v.getUint8(p + 45)); // dst_mask
    const range = !start.equal(last);
    out.dsr(0x03, 0x02, 0x18, range ? 5 : 3);
    out.u32(start.sec);
    out.u32(start.usec);
    if (range) {
      out.u32(last.sec);
      out.u32(last.usec);
    }
    encodeMetric(out, {
      srcPkts: pkts,
      srcBytes: v.getUint32(p + 20),
      srcAppBytes: 0,
      dstPkts: 0,
      dstBytes: 0,
      dstAppBytes: 0,
    });
    if (tcp) {
      out.dsr(0x30, 0x04, 0x00, 3);
      out.u32(tcpStatus(v.getUint8(p + 37), pkts));
      out.u32(0);
    }
    out.dsr(0x48, 0x00, 0x01, 2);
    out.u8(0); // ttl
    out.u8(v.getUint8(p + 39)); // tos
    out.u16(0); // ip id
    // An ASN DSR that holds what argus meant for its MAC DSR: Ethernet
    // addresses ending in the output and input ifIndex, little-endian
    // (argus 3.0.8 stores them so; the AS numbers never show; checked).
    out.dsr(0x42, 0x00, 0x00, 5);
    out.u32(0);
    out.u16le(v.getUint16(p + 14)); // output
    out.u32(0);
    out.u16le(v.getUint16(p + 12)); // input
    out.u32(0);
    out.view.setUint16(recordStart + 2, (out.pos - recordStart) / 4);
  }
  return n;
}

/**
 * The addresses, protocol and ports of the v5 flow record at `p` as an
 * IPv4 5-tuple key body without its masks (exporters put ICMP type and
 * code in the destination port).
 */
export function putV5Key(
  out: RecordBuffer,
  v: DataView,
  p: number,
  proto: number,
): void {
  out.u32(v.getUint32(p));
  out.u32(v.getUint32(p + 4));
  out.u8(proto);
  out.u8(0);
  if (proto === TCP || proto === UDP) {
    out.u16(v.getUint16(p + 32));
    out.u16(v.getUint16(p + 34));
  } else if (proto === ICMP) {
    out.u8(v.getUint8(p + 34));
    out.u8(v.getUint8(p + 35));
    out.u16(0);
  } else {
    out.u32(0);
  }
}

/** argus's TCP status from a flow's OR of TCP flags. */
export function tcpStatus(flags: number, pkts: number): number {
  let s = 0;
  // ArgusNetflow.c sets ARGUS_RESET for RST, but the installed argus
  // 3.0.8.2 writes no such bit (checked with RST|ACK): we leave it out.
  if (flags & TH_FIN) s |= FIN;
  if (flags & (TH_ACK | TH_PUSH | TH_URG)) s |= CON_ESTABLISHED;
  switch (flags & (TH_SYN | TH_ACK)) {
    case TH_SYN:
      s |= SAW_SYN;
      break;
    case TH_SYN | TH_ACK:
      s |= SAW_SYN_SENT;
      if (pkts > 1) s &= ~CON_ESTABLISHED;
      break;
  }
  return s;
}

/** A time of day from an uptime in ms, as argus computes it (C ints). */
class UptimeTime {
  constructor(readonly sec: number, readonly usec: number) {}
  equal(o: UptimeTime): boolean {
    return this.sec === o.sec && this.usec === o.usec;
  }
}

function uptimeTime(
  unixSecs: number,
  unixUsecs: number,
  at: number,
  uptime: number,
): UptimeTime {
  // C int arithmetic: the difference wraps, / and % truncate toward 0.
  const diff = ((at | 0) - uptime) | 0;
  let sec = (unixSecs + Math.trunc(diff / 1000)) >>> 0;
  let usec = unixUsecs + (diff % 1000) * 1000;
  if (usec < 0) {
    sec = (sec - 1) >>> 0;
    usec += 1000000;
  } else if (usec > 1000000) {
    sec = (sec + 1) >>> 0;
    usec -= 1000000;
  }
  return new UptimeTime(sec, usec);
}
