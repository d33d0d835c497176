/**
 * StoredFilterSubject: a FilterSubject over the bytes of one encoded
 * record, read as argus stores it. This is what the sensor filters for
 * `argus -w file "filter"`: the key as stored (no un-reversal), `dur` 0
 * and no aggregation DSR (`trans` -1), see filter/filter_subject.ts.
 * The ra clients' subject (client/client_filter_subject.ts) builds on it
 * and replaces what ra corrects before filtering.
 *
 * One instance is reused for every record: `load` fills plain numbers
 * and two preallocated address arrays, so filtering allocates nothing.
 * @module
 */

import type { FilterSubject } from "../filter/mod.ts";
import { AddrType, DsrType, RecordView } from "../record/record_view.ts";

/** A record as the sensor's output filter sees it. */
export class StoredFilterSubject implements FilterSubject {
  /** The view `load` reads; reused when loading from raw bytes. */
  readonly view: RecordView = new RecordView();

  type = 0;
  cause = 0;
  srcid = -1;
  seq = -1;
  addrType = -1;
  flowSubtype = -1;
  proto = -1;
  srcAddr = -1;
  dstAddr = -1;
  readonly srcAddr6: Uint32Array = new Uint32Array(4);
  readonly dstAddr6: Uint32Array = new Uint32Array(4);
  sport = 0;
  dport = 0;
  etherType = -1;
  igmpType = -1;
  spkts = -1;
  dpkts = -1;
  sbytes = -1;
  dbytes = -1;
  sappbytes = -1;
  dappbytes = -1;
  trans = -1;
  dur = 0;
  srate = 0;
  drate = 0;
  sload = 0;
  dload = 0;
  netSubtype = -1;
  netStatus = -1;
  tcpOptions = -1;
  srcTcpFlags = -1;
  dstTcpFlags = -1;
  icmpType = -1;
  ipAttrQual = -1;
  sttl = -1;
  dttl = -1;
  stos = -1;
  dtos = -1;
  sipid = -1;
  dipid = -1;
  svlan = -1;
  dvlan = -1;
  smpls = -1;
  dmpls = -1;
  macQual = -1;
  smacHi = -1;
  smacLo = -1;
  dmacHi = -1;
  dmacLo = -1;
  icmpMapQual = -1;
  icmpMapType = -1;

  /**
   * Loads one encoded record (header included), e.g. a fanout block's, as
   * the sensor's filter sees it. Of the IP attributes the real argus's
   * output filter reads only the source TTL: on mixed-small.pcap
   * `"dst ttl gt 0"`, `"dst ttl 0"`, `"src tos 0"`, `"src tos gt 0"`,
   * `"src ipid 0"` and `"src ipid gt 0"` keep no record, so those load as
   * absent (-1) here (a quirk of its in-memory record, kept as observed).
   */
  loadBytes(buf: Uint8Array, start: number, length: number): this {
    this.loadView(this.view.load(buf, start, length));
    if (this.ipAttrQual !== -1) {
      this.dttl =
        this.stos =
        this.dtos =
        this.sipid =
        this.dipid =
          -1;
    }
    // `"icmpmap"` keeps no record without an ICMP DSR (MARs included).
    if (this.icmpMapQual === -1) this.icmpMapQual = 0;
    // Nor does it read a TCP_INIT object's flags: every flag test is true
    // (`"syn and not fin"` keeps no such record, `"dst syn"` keeps them all).
    if (this.netSubtype === 3) this.srcTcpFlags = this.dstTcpFlags = -1;
    return this;
  }

  /** Fills every member from an indexed record, key as stored. */
  loadView(v: RecordView): this {
    const b = v.buf, d = v.view, start = v.start;
    this.type = b[start]! & 0xf0;
    this.cause = b[start + 1]!;
    this.#clear();
    if (v.isMar) return this;

    const t = v.dsr(DsrType.TRANSPORT);
    if (t >= 0) {
      this.srcid = d.getUint32(t + 4);
      this.seq = b[t + 3]! >= 3 ? d.getUint32(t + 8) : -1;
    }
    this.#key(v);

    if (v.dsr(DsrType.METER) >= 0) {
      this.spkts = v.srcPkts;
      this.dpkts = v.dstPkts;
      this.sbytes = v.srcBytes;
      this.dbytes = v.dstBytes;
      // argus writes no application byte counts; ra reads them as 0.
      this.sappbytes = this.dappbytes = 0;
    }
    this.#network(v);
    this.#attributes(v);
    return this;
  }

  /** Every member back to "absent" (management records keep these). */
  #clear(): void {
    this.srcid = this.seq = -1;
    this.addrType = this.flowSubtype = this.proto = -1;
    this.srcAddr = this.dstAddr = -1;
    this.srcAddr6.fill(0);
    this.dstAddr6.fill(0);
    this.sport = this.dport = 0;
    this.etherType = this.igmpType = -1;
    this.spkts =
      this.dpkts =
      this.sbytes =
      this.dbytes =
        -1;
    this.sappbytes = this.dappbytes = -1;
    this.trans = -1;
    this.dur =
      this.srate =
      this.drate =
      this.sload =
      this.dload =
        0;
    this.netSubtype = this.netStatus = this.tcpOptions = -1;
    this.srcTcpFlags = this.dstTcpFlags = this.icmpType = -1;
    this.ipAttrQual = -1;
    this.sttl =
      this.dttl =
      this.stos =
      this.dtos =
        -1;
    this.sipid = this.dipid = -1;
    this.svlan =
      this.dvlan =
      this.smpls =
      this.dmpls =
        -1;
    this.macQual =
      this.smacHi =
      this.smacLo =
      this.dmacHi =
      this.dmacLo =
        -1;
    this.icmpMapQual = this.icmpMapType = -1;
  }

  /** The flow key DSR as stored (docs/record-format.md §5). */
  #key(v: RecordView): void {
    const p = v.dsr(DsrType.FLOW);
    if (p < 0) return;
    const b = v.buf, d = v.view, k = p + 4;
    this.flowSubtype = b[p + 1]! & 0x3f;
    this.addrType = b[p + 2]! & 0x1f;
    if (this.flowSubtype === 0x06) {
      // ARP subtype: sender and target protocol addresses after the
      // hrd/pro/hln/pln/op header.
      this.srcAddr = d.getUint32(k + 8);
      this.dstAddr = d.getUint32(k + 12);
      return;
    }
    switch (this.addrType) {
      case AddrType.IPV4:
        this.srcAddr = d.getUint32(k);
        this.dstAddr = d.getUint32(k + 4);
        this.proto = b[k + 8]!;
        this.sport = d.getUint16(k + 10);
        this.dport = d.getUint16(k + 12);
        if (this.proto === 2) this.igmpType = b[k + 10]!;
        break;
      case AddrType.IPV6:
        for (let i = 0; i < 4; i++) {
          this.srcAddr6[i] = d.getUint32(k + 4 * i);
          this.dstAddr6[i] = d.getUint32(k + 16 + 4 * i);
        }
        this.proto = b[k + 32]!;
        this.sport = d.getUint16(k + 36);
        this.dport = d.getUint16(k + 38);
        break;
      case AddrType.ETHER:
        this.etherType = this.proto = d.getUint16(k + 12);
        break;
      case AddrType.ARP:
        this.srcAddr = d.getUint32(k);
        this.dstAddr = d.getUint32(k + 4);
        break;
    }
  }

  /** The network DSR's object (TCP, ESP, ICMP...) and the ICMP map DSR. */
  #network(v: RecordView): void {
    const b = v.buf, d = v.view;
    const n = v.dsr(DsrType.NETWORK);
    if (n >= 0) {
      const sub = b[n + 1]!, bytes = b[n + 3]! * 4;
      this.netSubtype = sub;
      const tcp = sub >= 3 && sub <= 5;
      // A header-only DSR holds nothing: ra's loads from it give -1.
      const ip = this.addrType === AddrType.IPV4 ||
        this.addrType === AddrType.IPV6;
      if (ip && (tcp || bytes >= 8)) {
        this.tcpOptions = bytes >= 16 ? d.getUint32(n + 12) : -1;
        if (tcp && this.proto === 6) {
          this.netStatus = d.getUint32(n + 4);
          if (sub === 5) {
            this.srcTcpFlags = b[n + 24 + 46]!;
            this.dstTcpFlags = b[n + 72 + 46]!;
          } else if (sub === 3) {
            this.srcTcpFlags = b[n + 18]!;
            this.dstTcpFlags = 0;
          } else {
            this.srcTcpFlags = b[n + 8]!;
            this.dstTcpFlags = b[n + 9]!;
          }
        } else if (sub === 0x38 && this.proto === 50) {
          this.netStatus = d.getUint32(n + 4);
        } else if (sub === 0x34 && this.proto === 1) {
          this.icmpType = b[n + 4]!;
        }
      }
    }
    const m = v.dsr(DsrType.ICMP);
    if (m >= 0) {
      this.icmpMapQual = b[m + 2]!;
      this.icmpMapType = b[m + 4]!;
    }
  }

  /** IP attribute, VLAN, MPLS and MAC DSRs (docs/record-format.md §9). */
  #attributes(v: RecordView): void {
    const b = v.buf, d = v.view;
    const a = v.dsr(DsrType.IPATTR);
    if (a >= 0) {
      const q = b[a + 2]!;
      this.ipAttrQual = q;
      // A side the DSR does not carry reads 0 in ra, not -1. The IP ids are
      // stored little-endian; ra reads (and prints) them as big-endian.
      this.sttl = this.stos = this.sipid = 0;
      this.dttl = this.dtos = this.dipid = 0;
      let p = a + 4;
      if (q & 0x01) {
        this.sttl = b[p]!;
        this.stos = b[p + 1]!;
        this.sipid = d.getUint16(p + 2);
        p += 4;
      }
      if (q & 0x04) p += 4;
      if (q & 0x02) {
        this.dttl = b[p]!;
        this.dtos = b[p + 1]!;
        this.dipid = d.getUint16(p + 2);
      }
    }
    const vl = v.dsr(DsrType.VLAN);
    if (vl >= 0) {
      this.svlan = d.getUint16(vl + 4);
      this.dvlan = d.getUint16(vl + 6);
    }
    const mp = v.dsr(DsrType.MPLS);
    if (mp >= 0) {
      // Only the sides present are stored, source first.
      const sub = b[mp + 1]!;
      let p = mp + 4;
      if (sub & 0x01) {
        this.smpls = d.getUint32(p);
        p += 4;
      }
      if (sub & 0x02) this.dmpls = d.getUint32(p);
    }
    const mac = v.dsr(DsrType.MAC);
    if (mac >= 0) {
      // As in an Ethernet header: destination first.
      this.macQual = b[mac + 2]!;
      this.dmacHi = d.getUint16(mac + 4);
      this.dmacLo = d.getUint32(mac + 6);
      this.smacHi = d.getUint16(mac + 10);
      this.smacLo = d.getUint32(mac + 12);
    }
  }
}
