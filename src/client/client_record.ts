/**
 * One record as the argus clients see it after reading: the stored key
 * turned back to the originator's view, then the corrections the real
 * ra applies before printing (ArgusGenerateRecordStruct with
 * ArgusPerformCorrection): TCP flows whose SYN came from the responder are
 * reversed, unanswered ICMP replies are turned round, ARP counters follow
 * the requester, RTP needs five packets one way, a one-packet record over
 * a time range starts at its end, and a record with more than 1000 packets
 * in no time is an error with its counters cleared.
 *
 * One instance is reused for every record; fields are plain numbers and
 * offsets into the record's bytes.
 * @module
 */

import { AddrType, DsrType, RecordView } from "../record/record_view.ts";
import { onePacketStart } from "./one_packet_start.ts";

/** Record kinds (header type high nibble). */
export const RecordKind = {
  FAR: 0x10,
  NETFLOW: 0x30,
  EVENT: 0x40,
  MAR: 0x80,
} as const;

/** Flow DSR subtypes. */
export const FlowKind = {
  CLASSIC5TUPLE: 0x01,
  ARP: 0x06,
} as const;

const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04;
const SAW_SYN = 0x1, SAW_SYN_SENT = 0x2, CON_ESTABLISHED = 0x4;
const FIN = 0x8, FIN_ACK = 0x10, NORMAL_CLOSE = 0x20;
const NET_RTP = 0x0a;
const ERROR_CAUSE = 0x80;

/** ICMP types whose lone packets argus's clients take for replies. */
const ICMP_REPLIES = new Set([0, 14, 16, 18]);

/** A record decoded for printing. */
export class ClientRecord {
  readonly view: RecordView = new RecordView();
  kind = 0;
  cause = 0;

  // Flow key, originator's view after corrections.
  flowKind = 0;
  addrType = 0;
  fragment = false;
  /** DIRECTION qualifier after corrections. */
  direction = false;
  /**
   * ra's corrections turned the record round (ArgusReverseRecord): its
   * per-side DSR values (TTLs, TCP flags...) swap sides too.
   */
  turned = false;
  /**
   * The flow DSR's REVERSE bit as ra holds it after its corrections: clear,
   * until a later ArgusReverseRecord (RA_PORT_DIRECTION) sets it again,
   * and ra's port sorts then read the other side's port.
   */
  reverseFlag = false;
  proto = 0;
  /** Offsets of the source and destination addresses in `view.buf`. */
  srcAddrAt = -1;
  dstAddrAt = -1;
  sport = 0;
  dport = 0;
  /** ICMP type and code as the clients print them (mapped from the net DSR). */
  icmpType = 0;
  icmpCode = 0;
  /** ESP SPI of the key. */
  spi = 0;
  /** LLC SAPs of an ether key. */
  ssap = 0;
  dsap = 0;
  etherType = 0;

  // Counters, swapped when the record is reversed.
  hasMetric = false;
  srcPkts = 0;
  dstPkts = 0;
  srcBytes = 0;
  dstBytes = 0;

  /** Network DSR subtype, -1 when absent (or dropped, as for short RTP). */
  netSubtype = -1;
  startTime = 0;
  lastTime = 0;

  /**
   * Counts loads: values derived from a record can be cached against it
   * (the same buffer and offset may hold another record by then).
   */
  loads = 0;

  /** Decodes the record at `buf[start..start+length)`. */
  load(buf: Uint8Array, start: number, length: number): this {
    this.loads++;
    const v = this.view.load(buf, start, length);
    this.kind = buf[start]! & 0xf0;
    this.cause = buf[start + 1]!;
    this.turned = false;
    this.reverseFlag = false;
    if (v.isMar) return this;
    this.#decodeKey();
    this.hasMetric = v.dsr(DsrType.METER) >= 0;
    this.srcPkts = v.srcPkts;
    this.dstPkts = v.dstPkts;
    this.srcBytes = v.srcBytes;
    this.dstBytes = v.dstBytes;
    this.netSubtype = v.netSubtype;
    this.startTime = v.startTime;
    this.lastTime = v.lastTime;
    if (this.hasMetric) {
      const moved = onePacketStart(v, this.srcPkts, this.dstPkts);
      if (moved >= 0) this.startTime = moved;
    }
    this.#correct();
    return this;
  }

  /** The raw flow key as stored, un-reversed by its REVERSE bit. */
  #decodeKey(): void {
    const v = this.view, b = v.buf;
    const p = v.dsr(DsrType.FLOW);
    this.flowKind = 0;
    this.addrType = 0;
    this.srcAddrAt = this.dstAddrAt = -1;
    this.sport = this.dport = 0;
    this.proto = 0;
    this.icmpType = this.icmpCode = 0;
    if (p < 0) return;
    const subtype = b[p + 1]!, qual = b[p + 2]!;
    const reverse = (subtype & 0x40) !== 0;
    this.flowKind = subtype & 0x3f;
    this.addrType = qual & 0x1f;
    this.fragment = (qual & 0x80) !== 0;
    this.direction = (qual & 0x20) !== 0;
    const k = p + 4;
    // A flow DSR too short for its key (a damaged length) has no key, as
    // a too-short DSR reads as absent for the other columns.
    if (k + this.#keyBytes(b[k + 4] ?? 0) > p + b[p + 3]! * 4) {
      this.flowKind = this.addrType = 0;
      return;
    }
    if (this.flowKind === FlowKind.ARP) {
      this.#decodeArp(k);
      return;
    }
    switch (this.addrType) {
      case AddrType.IPV4: {
        this.proto = b[k + 8]!;
        // ra keeps no ports for IPv4 fragments (IPv6 ones keep theirs).
        this.#ipKey(k, 4, this.fragment ? -1 : k + 10, reverse);
        if (this.fragment) break;
        switch (this.proto) {
          case 1:
            // ra prints the type and code bytes as one host-order (little
            // endian) number, and the id in network order.
            this.icmpType = b[k + 10]!;
            this.icmpCode = b[k + 11]!;
            this.sport = this.icmpType | (this.icmpCode << 8);
            this.dport = v.view.getUint16(k + 12);
            break;
          case 50:
            // ra's key keeps the SPI where its IPv4 key has ports and masks,
            // and it sets both masks to 32 (0x20) over the SPI's top half.
            this.spi = (0x20200000 | v.view.getUint16(k + 14)) >>> 0;
            break;
        }
        break;
      }
      case AddrType.IPV6: {
        this.proto = b[k + 32]!;
        this.#ipKey(k, 16, k + 36, reverse);
        switch (this.proto) {
          case 58:
            this.icmpType = this.sport = b[k + 36]!;
            this.icmpCode = this.dport = b[k + 37]!;
            break;
          case 50:
            this.spi = v.view.getUint32(k + 36);
            break;
        }
        break;
      }
      case AddrType.ETHER:
        // struct ether_header: destination first; then dsap, ssap.
        this.srcAddrAt = k + 6;
        this.dstAddrAt = k;
        this.etherType = v.view.getUint16(k + 12);
        this.proto = this.etherType;
        this.dsap = b[k + 14]!;
        this.ssap = b[k + 15]!;
        break;
      case AddrType.ARP:
        // The legacy layout: sender and target protocol addresses.
        this.srcAddrAt = k;
        this.dstAddrAt = k + 4;
        break;
      case AddrType.RARP:
        this.srcAddrAt = k + 10;
        this.dstAddrAt = k + 4;
        break;
    }
  }

  /** Bytes of the key #decodeKey reads (`hln`: an ARP key's MAC length). */
  #keyBytes(hln: number): number {
    if (this.flowKind === FlowKind.ARP) {
      return this.addrType === AddrType.RARP ? 18 + hln : 16;
    }
    switch (this.addrType) {
      case AddrType.IPV4:
      case AddrType.ETHER:
      case AddrType.RARP:
        return 16;
      case AddrType.IPV6:
        return 40;
      case AddrType.ARP:
        return 8;
    }
    return 0;
  }

  /**
   * Addresses of an IP key (`len` bytes each) and, for TCP and UDP, the
   * ports at `portsAt` (-1: none), un-reversed by the REVERSE bit.
   */
  #ipKey(k: number, len: number, portsAt: number, reverse: boolean): void {
    this.srcAddrAt = reverse ? k + len : k;
    this.dstAddrAt = reverse ? k : k + len;
    if (portsAt < 0 || (this.proto !== 6 && this.proto !== 17)) return;
    const s = this.view.view.getUint16(portsAt);
    const d = this.view.view.getUint16(portsAt + 2);
    this.sport = reverse ? d : s;
    this.dport = reverse ? s : d;
  }

  /** ARP-subtype keys: sender and target addresses (RARP: hardware). */
  #decodeArp(k: number): void {
    const hln = this.view.buf[k + 4]!;
    if (this.addrType === AddrType.RARP) {
      this.srcAddrAt = k + 12 + hln;
      this.dstAddrAt = k + 12;
    } else {
      this.srcAddrAt = k + 8;
      this.dstAddrAt = k + 12;
    }
  }

  /** ra's corrections, in the order it applies them. */
  #correct(): void {
    const v = this.view;
    const p = v.dsr(DsrType.FLOW);
    if (p < 0) return;
    const reverseBit = (v.buf[p + 1]! & 0x40) !== 0;
    let reverse = false;
    if (this.flowKind === FlowKind.CLASSIC5TUPLE) {
      if (this.addrType === AddrType.IPV4) {
        if (this.proto === 6) reverse = this.#tcpShouldReverse();
        else if (this.proto === 1) reverse = this.#icmpShouldReverse();
      } else if (
        (this.addrType === AddrType.ARP || this.addrType === AddrType.RARP) &&
        reverseBit
      ) {
        this.#swapCounters();
      }
    } else if (this.flowKind === FlowKind.ARP && reverseBit) {
      this.#swapCounters();
    }
    if (reverse) this.#reverse();
    const pkts = this.srcPkts + this.dstPkts;
    if (pkts > 1000 && this.lastTime === this.startTime) {
      this.cause = ERROR_CAUSE;
      this.srcPkts =
        this.dstPkts =
        this.srcBytes =
        this.dstBytes =
          0;
    }
    if (this.netSubtype === NET_RTP) {
      // argus reads the IPv4 protocol byte of the canonical key here, even
      // for IPv6 keys (where it is the ninth byte of the source address).
      const proto = this.addrType === AddrType.IPV6
        ? v.buf[this.srcAddrAt + 8]!
        : this.proto;
      if (proto !== 17 || (this.srcPkts < 5 && this.dstPkts < 5)) {
        this.netSubtype = -1;
      }
    }
  }

  #tcpShouldReverse(): boolean {
    if (this.direction) return false;
    const v = this.view, b = v.buf;
    const n = v.dsr(DsrType.NETWORK);
    if (n < 0) return false;
    const sub = b[n + 1]!;
    if (sub < 3 || sub > 5) return false;
    const status = v.view.getUint32(n + 4);
    if (!(status & (SAW_SYN | SAW_SYN_SENT))) return false;
    if ((status & SAW_SYN) || !(status & SAW_SYN_SENT)) return false;
    // ra reads these through its in-memory TCP object, where a TCP_INIT
    // record's flags land nowhere it looks, and TCP_STATUS flags read 0.
    if (sub === 3) return false;
    let should = (status & (CON_ESTABLISHED | NORMAL_CLOSE | FIN | FIN_ACK)) !==
      0;
    if (sub === 4) return should;
    const sflags = this.srcPkts ? b[n + 24 + 46]! : 0;
    const dflags = this.dstPkts ? b[n + 24 + 48 + 46]! : 0;
    if ((sflags & TH_SYN) && !(dflags & TH_RST)) {
      if (this.srcPkts > 5 && this.dstPkts > 5) should = true;
      else if (
        this.srcPkts && this.dstPkts === 0 && (sflags & TH_FIN) &&
        Math.trunc(this.srcBytes / this.srcPkts) > 60
      ) should = true;
    }
    return should;
  }

  #icmpShouldReverse(): boolean {
    if (!this.direction || !this.srcPkts || this.dstPkts) return false;
    const v = this.view;
    const n = v.dsr(DsrType.NETWORK);
    // ra copies the network DSR's ICMP type and code into the key.
    this.icmpType = n >= 0 ? v.buf[n + 4]! : 0;
    this.icmpCode = n >= 0 ? v.buf[n + 5]! : 0;
    this.sport = this.icmpType | (this.icmpCode << 8);
    return ICMP_REPLIES.has(this.icmpType);
  }

  #swapCounters(): void {
    [this.srcPkts, this.dstPkts] = [this.dstPkts, this.srcPkts];
    [this.srcBytes, this.dstBytes] = [this.dstBytes, this.srcBytes];
  }

  /**
   * ArgusReverseRecord after ra's corrections (RA_PORT_DIRECTION): the
   * record turns round as a correction turns it, and its REVERSE bit,
   * which the corrections leave clear, is set.
   */
  turnRound(): void {
    const turned = this.turned;
    this.#reverse();
    this.turned = !turned;
    this.reverseFlag = !this.reverseFlag;
  }

  /** ArgusReverseRecord, as far as printed fields go. */
  #reverse(): void {
    [this.srcAddrAt, this.dstAddrAt] = [this.dstAddrAt, this.srcAddrAt];
    // argus swaps an IPv6 key's ports in the flow it then overwrites with
    // the turned copy: they stay put (checked with RA_PORT_DIRECTION).
    if (
      (this.proto === 6 || this.proto === 17) &&
      this.addrType !== AddrType.IPV6
    ) {
      [this.sport, this.dport] = [this.dport, this.sport];
    }
    this.direction = !this.direction;
    this.turned = true;
    this.#swapCounters();
  }
}
