/**
 * RecordWriter: encodes record models into Argus 3 bytes in a reusable,
 * growable buffer, laid out as the real argus 3.0.8.2 lays them out
 * (docs/record-format.md): network byte order (argus's host-order fields
 * excepted), lengths in words, DSRs in slot order, argus's choice of
 * metric and time forms. Raw DSRs go back at the position they were read.
 * @module
 */

import type { ArgusRecord } from "./argus_record.ts";
import type { FlowRecord } from "./flow_record.ts";
import { encodeMar } from "./mar.ts";
import { RecordBuffer } from "./record_buffer.ts";
import { ARGUS_VERSION } from "./record_header.ts";
import { encodeEncaps } from "./dsr/encaps_dsr.ts";
import { encodeFlow } from "./dsr/flow_dsr.ts";
import { encodeIcmp } from "./dsr/icmp_dsr.ts";
import { encodeIpAttr } from "./dsr/ip_attr_dsr.ts";
import { encodeJitter } from "./dsr/jitter_dsr.ts";
import { encodeMac } from "./dsr/mac_dsr.ts";
import { encodeMetric } from "./dsr/metric_dsr.ts";
import { encodeMpls } from "./dsr/mpls_dsr.ts";
import { encodeNetwork } from "./dsr/network_dsr.ts";
import { encodePacketSize, hasPacketSize } from "./dsr/packet_size_dsr.ts";
import { encodeTime } from "./dsr/time_dsr.ts";
import { encodeTransport } from "./dsr/transport_dsr.ts";
import { encodeUserData } from "./dsr/user_data_dsr.ts";
import { encodeVlan } from "./dsr/vlan_dsr.ts";

/** Room reserved before each fixed-size DSR (the largest is 176 bytes). */
const DSR_ROOM = 1024;

/** Number of DSR slots the writer walks. */
const SLOTS = 16;

/**
 * Appends records to one reusable buffer.
 *
 * ```ts
 * const w = new RecordWriter();
 * w.write(mar);
 * w.write(flow);
 * await file.write(w.bytes());
 * w.clear();
 * ```
 */
export class RecordWriter {
  readonly out: RecordBuffer;

  constructor(initialSize = 1 << 16) {
    this.out = new RecordBuffer(initialSize);
  }

  /** Bytes written since the last clear() (a view into the buffer). */
  bytes(): Uint8Array {
    return this.out.bytes();
  }

  /** Number of bytes written since the last clear(). */
  get length(): number {
    return this.out.pos;
  }

  /** Forgets the bytes written; the buffer is reused. */
  clear(): void {
    this.out.clear();
  }

  /** Appends one record. */
  write(rec: ArgusRecord): void {
    switch (rec.kind) {
      case "mar":
        encodeMar(this.out, rec);
        return;
      case "raw":
        this.out.reserve(rec.bytes.length);
        this.out.put(rec.bytes);
        return;
      case "flow": {
        const start = this.out.pos;
        try {
          this.#writeFlow(rec);
        } catch (e) {
          this.out.pos = start; // no half-written record stays behind
          throw e;
        }
        return;
      }
    }
  }

  #writeFlow(rec: FlowRecord): void {
    const out = this.out;
    out.reserve(4);
    const start = out.pos;
    out.u8((rec.type & 0xf0) | ARGUS_VERSION);
    out.u8((rec.cause & 0xf0) | (rec.options & 0x0f));
    out.u16(0);
    const extra = rec.extra;
    let written = 0, x = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      // Raw DSRs first, wherever they stood among the decoded ones.
      while (x < extra.length && extra[x]!.index <= written) {
        this.#raw(extra[x++]!.bytes);
        written++;
      }
      if (this.#slot(rec, slot)) written++;
    }
    while (x < extra.length) this.#raw(extra[x++]!.bytes);
    const words = (out.pos - start) >> 2;
    if (words > 0xffff) {
      throw new RangeError(
        `Cannot encode record: ${words} words is over 65535`,
      );
    }
    out.view.setUint16(start + 2, words);
  }

  #raw(bytes: Uint8Array): void {
    this.out.reserve(bytes.length);
    this.out.put(bytes);
  }

  /** Writes the DSR of `slot` if the record has one. */
  #slot(rec: FlowRecord, slot: number): boolean {
    const out = this.out;
    out.reserve(DSR_ROOM);
    switch (slot) {
      case 0:
        if (rec.transport === null) return false;
        encodeTransport(out, rec.transport);
        return true;
      case 1:
        if (rec.flow === null) return false;
        encodeFlow(out, rec.flow);
        return true;
      case 2:
        if (rec.time === null) return false;
        encodeTime(out, rec.time);
        return true;
      case 3:
        if (rec.metric === null) return false;
        encodeMetric(out, rec.metric);
        return true;
      case 5:
        if (rec.network === null) return false;
        encodeNetwork(out, rec.network);
        return true;
      case 6:
        if (rec.vlan === null) return false;
        encodeVlan(out, rec.vlan);
        return true;
      case 7:
        if (rec.mpls === null) return false;
        encodeMpls(out, rec.mpls);
        return true;
      case 8:
        if (rec.jitter === null) return false;
        encodeJitter(out, rec.jitter);
        return true;
      case 9:
        if (rec.ipAttr === null) return false;
        encodeIpAttr(out, rec.ipAttr);
        return true;
      case 10:
        if (rec.packetSize === null || !hasPacketSize(rec.packetSize)) {
          return false;
        }
        encodePacketSize(out, rec.packetSize);
        return true;
      case 11:
        if (rec.srcUserData === null) return false;
        encodeUserData(out, rec.srcUserData);
        return true;
      case 12:
        if (rec.dstUserData === null) return false;
        encodeUserData(out, rec.dstUserData);
        return true;
      case 13:
        if (rec.mac === null) return false;
        encodeMac(out, rec.mac);
        return true;
      case 14:
        if (rec.icmp === null) return false;
        encodeIcmp(out, rec.icmp);
        return true;
      case 15:
        if (rec.encaps === null) return false;
        encodeEncaps(out, rec.encaps);
        return true;
    }
    return false;
  }
}

/** Encodes records into a new byte array. */
export function encodeRecords(records: Iterable<ArgusRecord>): Uint8Array {
  const w = new RecordWriter();
  for (const r of records) w.write(r);
  return w.bytes().slice();
}
