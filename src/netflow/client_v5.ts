/**
 * NetFlow v5 export packets as the Argus records a client makes of them
 * (ra -S cisco://, radium: argus-clients 3.0.8 ArgusParseCiscoRecordV5),
 * which differ from the sensor's (netflow_v5.ts): srcid without sequence,
 * no masks in the key, the MAC DSR kept, and the client's times.
 * @module
 */

import type { RecordBuffer } from "../record/mod.ts";
import { putV5Key, tcpStatus } from "./netflow_v5.ts";

/** Bytes of the v5 header and of one flow entry. */
const V5_HEADER = 24;
const V5_ENTRY = 48;

const TCP = 6;
const TH_RST = 0x04;
/** argus's TCP reset status bits (argus_def.h). */
const RESET = 0x3000;

/**
 * Appends the records of the v5 datagram `v[at..end)` from `exporter`
 * (its IPv4 address, 0 when not IPv4) to `out`. Like the client, entries
 * run to the end of the datagram whatever the header's count says; a
 * partial last entry is dropped (the client would read past the datagram).
 * @returns the number of records
 */
export function appendClientV5Records(
  out: RecordBuffer,
  v: DataView,
  at: number,
  end: number,
  exporter: number,
): number {
  if (end - at < V5_HEADER) return 0;
  const uptime = v.getUint32(at + 4) | 0;
  const unixSecs = v.getUint32(at + 8);
  const unixUsecs = Math.trunc(v.getUint32(at + 12) / 1000);
  let n = 0;
  for (let p = at + V5_HEADER; p + V5_ENTRY <= end; p += V5_ENTRY, n++) {
    const proto = v.getUint8(p + 38);
    const pkts = v.getUint32(p + 16);
    const t = clientTimes(
      unixSecs,
      unixUsecs,
      uptime,
      v.getUint32(p + 24),
      v.getUint32(p + 28),
    );
    const recordStart = out.pos;
    out.reserve(160); // a record is at most 136 bytes
    out.u8(0x33); // ARGUS_NETFLOW | version 3
    out.u8(0x20); // ARGUS_STATUS
    out.u16(0); // length, set below
    if (exporter !== 0) {
      // srcid only: the client keeps no sequence number.
      out.dsr(0x01, 0x01, 0x01, 2);
      out.u32(exporter);
    }
    out.dsr(0x02, 0x01, 0x01, 5);
    putV5Key(out, v, p, proto);
    // The client leaves the key's masks 0 (it reads no src/dst_mask).
    out.u16(0);
    out.dsr(0x03, 0x02, 0x18, 5);
    out.u32(t.startSec >>> 0);
    out.u32(t.startUsec >>> 0);
    out.u32(t.endSec >>> 0);
    out.u32(t.endUsec >>> 0);
    out.dsr(0x10, 0x01, 0x07, 3); // packets and bytes, source, 32 bits
    out.u32(pkts);
    out.u32(v.getUint32(p + 20));
    if (proto === TCP) {
      const flags = v.getUint8(p + 37);
      out.dsr(0x30, 0x04, 0x00, 3);
      out.u32(clientTcpStatus(flags, pkts));
      out.u8(flags); // the source's flags
      out.u8(0);
      out.u16(0);
    }
    out.dsr(0x48, 0x00, 0x01, 2);
    out.u8(0); // ttl
    out.u8(v.getUint8(p + 39)); // tos
    out.u16(0); // ip id
    // Ethernet addresses ending in the output and input ifIndex, as on
    // the wire (qualifier ARGUS_PORT_INDEX, as the client sets it).
    out.dsr(0x42, 0x00, 0x04, 5);
    out.u32(0);
    out.u8(v.getUint8(p + 14));
    out.u8(v.getUint8(p + 15));
    out.u32(0);
    out.u8(v.getUint8(p + 12));
    out.u8(v.getUint8(p + 13));
    out.u32(0);
    // The client stores the 16-bit AS numbers unconverted (host order),
    // so on a little-endian host their bytes come out swapped.
    out.dsr(0x32, 0x00, 0x00, 3);
    out.u32(swap16(v.getUint16(p + 40)));
    out.u32(swap16(v.getUint16(p + 42)));
    out.view.setUint16(recordStart + 2, (out.pos - recordStart) / 4);
  }
  return n;
}

function swap16(x: number): number {
  return ((x & 0xff) << 8) | (x >> 8);
}

/**
 * The client's TCP status from a flow's OR of TCP flags: the sensor's,
 * plus the reset bit the installed sensor leaves out.
 */
function clientTcpStatus(flags: number, pkts: number): number {
  return tcpStatus(flags, pkts) | (flags & TH_RST ? RESET : 0);
}

/**
 * A flow's start and end from its uptimes (ms), in the client's C int
 * arithmetic. Its quirk is kept: the end's microsecond carry moves the
 * start's second, not the end's (argus_import.c; so an end a fraction of
 * a second before the header reads one second late, the start one early).
 */
function clientTimes(
  unixSecs: number,
  unixUsecs: number,
  uptime: number,
  first: number,
  last: number,
) {
  const d1 = ((first | 0) - uptime) | 0;
  let startSec = (unixSecs + Math.trunc(d1 / 1000)) | 0;
  let u = (unixUsecs + (d1 % 1000) * 1000) | 0;
  if (u < 0) {
    startSec--;
    u += 1000000;
  } else if (u > 1000000) {
    startSec++;
    u -= 1000000;
  }
  const startUsec = u;
  const d2 = ((last | 0) - uptime) | 0;
  const endSec = (unixSecs + Math.trunc(d2 / 1000)) | 0;
  u = (unixUsecs + (d2 % 1000) * 1000) | 0;
  if (u < 0) {
    startSec--;
    u += 1000000;
  } else if (u > 1000000) {
    startSec++;
    u -= 1000000;
  }
  return { startSec, startUsec, endSec, endUsec: u };
}
