/**
 * ClientFilterSubject: the FilterSubject ra* clients filter, a ClientRecord
 * after ra's corrections (ra runs ArgusGenerateRecordStruct and its
 * direction fixes before ArgusFilterRecord). The DSR contents come from
 * the stored record (output/stored_filter_subject.ts); the key, counters,
 * duration and rates are replaced by what ra prints, and when ra turned
 * the record round every per-side value swaps with it.
 *
 * One instance is reused for every record.
 * @module
 */

import { StoredFilterSubject } from "../output/stored_filter_subject.ts";
import { AddrType } from "../record/record_view.ts";
import type { ClientRecord } from "./client_record.ts";

/** A ClientRecord as ra's filter sees it. */
export class ClientFilterSubject extends StoredFilterSubject {
  /** Fills every member from `r`, which must be loaded. */
  load(r: ClientRecord): this {
    this.loadView(r.view);
    // Without an ICMP DSR (MARs included) ra's `icmpmap` is false on every
    // corpus file: its qualifier reads 0 there, not -1.
    if (this.icmpMapQual === -1) this.icmpMapQual = 0;
    // A MAR's duration and rates are 0 for the filter; trans is absent.
    if (this.type & 0x80) return this;
    const b = r.view.buf, d = r.view.view;

    // The key as ra prints it: un-reversed and corrected.
    if (r.addrType === AddrType.IPV4 && r.flowKind !== 0x06) {
      this.srcAddr = d.getUint32(r.srcAddrAt);
      this.dstAddr = d.getUint32(r.dstAddrAt);
    } else if (r.addrType === AddrType.IPV6) {
      for (let i = 0; i < 4; i++) {
        this.srcAddr6[i] = d.getUint32(r.srcAddrAt + 4 * i);
        this.dstAddr6[i] = d.getUint32(r.dstAddrAt + 4 * i);
      }
    }
    this.sport = r.sport;
    this.dport = r.dport;
    if (r.addrType === AddrType.IPV4 && r.proto === 1) {
      this.icmpType = this.icmpType === -1 ? -1 : r.icmpType;
    }

    if (r.hasMetric) {
      this.spkts = r.srcPkts;
      this.dpkts = r.dstPkts;
      this.sbytes = r.srcBytes;
      this.dbytes = r.dstBytes;
    }
    // ra gives every flow record an aggregation count of 1.
    this.trans = 1;
    this.cause = r.cause;
    this.netSubtype = r.netSubtype;
    if (r.netSubtype === -1 && b[r.view.start]! & 0x10) {
      // ra dropped the RTP/RTCP object (or there was none): nothing of
      // it is left to test.
      this.netStatus = this.srcTcpFlags = this.dstTcpFlags = -1;
    }
    this.#rates(r);
    if (r.turned) this.#swapSides();
    return this;
  }

  /** ra's dur, rates and loads (ArgusFetchDuration, ...SrcRate, ...). */
  #rates(r: ClientRecord): void {
    const dur = (r.lastTime - r.startTime) / 1e6;
    this.dur = dur;
    if (dur > 0 && r.hasMetric) {
      this.srate = r.srcPkts > 1 ? (r.srcPkts - 1) / dur : 0;
      this.drate = r.dstPkts > 1 ? (r.dstPkts - 1) / dur : 0;
      // ra counts the bytes after each side's first packet (3 packets of
      // 60 bytes over 2 s print as SrcLoad 480; one packet loads 0).
      this.sload = load(r.srcPkts, r.srcBytes, dur);
      this.dload = load(r.dstPkts, r.dstBytes, dur);
    } else {
      this.srate =
        this.drate =
        this.sload =
        this.dload =
          0;
    }
  }

  /** ArgusReverseRecord: the DSRs' source and destination trade places. */
  #swapSides(): void {
    [this.srcTcpFlags, this.dstTcpFlags] = [this.dstTcpFlags, this.srcTcpFlags];
    [this.sttl, this.dttl] = [this.dttl, this.sttl];
    [this.stos, this.dtos] = [this.dtos, this.stos];
    [this.sipid, this.dipid] = [this.dipid, this.sipid];
    [this.svlan, this.dvlan] = [this.dvlan, this.svlan];
    [this.smpls, this.dmpls] = [this.dmpls, this.smpls];
    [this.smacHi, this.dmacHi] = [this.dmacHi, this.smacHi];
    [this.smacLo, this.dmacLo] = [this.dmacLo, this.smacLo];
  }
}

/** Bits per second of one side, as ra computes its load. */
function load(pkts: number, bytes: number, dur: number): number {
  return pkts > 1 ? bytes * 8 * ((pkts - 1) / pkts) / dur : 0;
}
