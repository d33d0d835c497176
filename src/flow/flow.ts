/**
 * One tracked flow: its key, queue links, and the canonical DSR state argus
 * keeps per flow (ArgusFlowStruct and its canon record) as plain numbers.
 * The engine updates it per packet; the record builder reads it when a
 * record is due.
 * @module
 */

import type { EspObject } from "./esp_state.ts";
import type { FlowQueue, QueueNode } from "./flow_queue.ts";
import type { RtcpObject, RtpObject } from "./rtp_state.ts";
import type { UdtObject } from "./udt_state.ts";
import type { UserData } from "./user_data.ts";

/** ICMP details kept in the network DSR (ArgusICMPObject). */
export class IcmpObject {
  type = 0;
  code = 0;
  cksum = 0;
  iseq = 0;
  osrcaddr = 0;
  odstaddr = 0;
  isrcaddr = 0;
  idstaddr = 0;
  igwaddr = 0;

  copyFrom(o: IcmpObject): void {
    Object.assign(this, o);
  }
}

/**
 * The DSRs a flow carries only on some links or with some options: VLAN
 * and MPLS tags, -m MAC addresses, -Z packet sizes, and the ICMP error
 * mapped onto it. Kept apart so that the flows without them (most) are
 * smaller.
 */
export class OptionalDsrs {
  vlanQual = 0;
  vlanSrc = 0;
  vlanDst = 0;
  mplsQual = 0;
  mplsSrc = 0;
  mplsDst = 0;
  macQual = 0;
  /**
   * The MAC DSR's two addresses as 48-bit numbers (the first is the key
   * source's destination) and its type, stored byte-swapped as argus does.
   */
  macFirst = 0;
  macSecond = 0;
  macType = 0;
  // Packet size DSR (-Z).
  srcSizeMin = 0xffff;
  srcSizeMax = 0;
  dstSizeMin = 0xffff;
  dstSizeMax = 0;
  mappedIcmpQual = 0;
  mappedIcmp: IcmpObject | null = null;

  /** As new, for another flow (the engine recycles these). */
  clear(): void {
    this.vlanQual = this.vlanSrc = this.vlanDst = 0;
    this.mplsQual = this.mplsSrc = this.mplsDst = 0;
    this.macQual =
      this.macFirst =
      this.macSecond =
      this.macType =
        0;
    this.srcSizeMin = this.dstSizeMin = 0xffff;
    this.srcSizeMax = this.dstSizeMax = 0;
    this.mappedIcmpQual = 0;
    this.mappedIcmp = null;
  }
}

/** A flow and everything argus keeps for it between records. */
export class Flow implements QueueNode {
  // Queue membership (ArgusQueueHeader).
  qprev: QueueNode | null = null;
  qnext: QueueNode | null = null;
  queue: FlowQueue | null = null;
  /** When the flow entered its current queue, µs. */
  qtime = 0;
  /** Slot in the flow table, -1 when not in it. */
  slot = -1;
  /** Deleted (ArgusDeleteObject): the engine may reuse the object. */
  deleted = false;

  // Key: the flow DSR; its words live in the engine's KeyStore. Set by
  // #setKey, from the constructor and from reuse.
  keySubtype!: number;
  keyQual!: number;
  keyOffset!: number;
  keySize!: number;
  keyHash!: number;
  /** IP protocol of the key (0 for non-IP flows). */
  proto!: number;

  /** Key direction of the packet that created the flow. */
  reversed!: boolean;
  /** Record cause nibble and RECORD_WRITTEN. */
  status = 0;
  trans = 0;
  /** Idle timeout in seconds. */
  timeout = 0;
  /** Which DSR slots are present (bit per DsrIndex). */
  dsrs = 0;

  // Transport DSR.
  seqnum = 0;

  // Time DSR: start/end per direction, µs (0 = unset).
  timeSubtype = 0;
  /** The time DSR's stored length: 3, or 5 once an ICMP error stretched it. */
  timeLen = 3;
  srcStart = 0;
  srcEnd = 0;
  dstStart = 0;
  dstEnd = 0;

  // Metric DSR.
  srcPkts = 0;
  srcBytes = 0;
  srcAppBytes = 0;
  dstPkts = 0;
  dstBytes = 0;
  dstAppBytes = 0;

  // Network DSR header and content.
  netSubtype = 0;
  netQual = 0;
  /** Base of the flow's row in the engine's TcpStore, -1 when it has none. */
  tcp = -1;
  icmp: IcmpObject | null = null;
  /** Fragment bookkeeping, when this flow is a fragment flow. */
  frag: FragState | null = null;
  /** Fragment flows waiting for this (parent) flow. */
  fragQueue: FlowQueue | null = null;

  // IP attributes DSR (ArgusIPAttrObject per direction), kept in the flow
  // itself: two objects fewer per flow. argus's attribute status is never
  // written to a record, so it is not kept.
  attrQual = 0;
  srcTtl = 0;
  srcTos = 0;
  srcIpId = 0;
  srcOptions = 0;
  dstTtl = 0;
  dstTos = 0;
  dstIpId = 0;
  dstOptions = 0;
  sipid = 0;
  dipid = 0;

  // Encapsulation DSR.
  encapsQual = 0;
  encapsSrc = 0;
  encapsDst = 0;

  /** ESP sequence state. */
  esp: EspObject | null = null;
  /** RTP, RTCP or UDT state of a recognised UDP flow. */
  rtp: RtpObject | null = null;
  rtcp: RtcpObject | null = null;
  udt: UdtObject | null = null;

  /** -U user data per direction; present while its DSR slot bit is set. */
  srcUser: UserData | null = null;
  dstUser: UserData | null = null;

  // ARP: the hardware address of the host that answered.
  arpResponder: Uint8Array | null = null;

  /** The DSRs only some flows carry; null until one is needed. */
  opt: OptionalDsrs | null = null;

  /** Base of the flow's -J row in the engine's JitterStore, -1 when none. */
  jitter = -1;

  constructor(
    subtype: number,
    qual: number,
    keyOffset: number,
    keySize: number,
    hash: number,
    reversed: boolean,
    proto: number,
  ) {
    this.#setKey(subtype, qual, keyOffset, keySize, hash, reversed, proto);
  }

  /** The key-derived fields a new (or recycled) flow starts with. */
  #setKey(
    subtype: number,
    qual: number,
    keyOffset: number,
    keySize: number,
    hash: number,
    reversed: boolean,
    proto: number,
  ): void {
    this.keySubtype = subtype;
    this.keyQual = qual;
    this.keyOffset = keyOffset;
    this.keySize = keySize;
    this.keyHash = hash;
    this.reversed = reversed;
    this.proto = proto;
  }

  /**
   * Makes a deleted flow new again for another key, exactly as the
   * constructor leaves one (the engine recycles flows so that tracking
   * many of them costs no garbage). Returns the TCP row it held, for
   * reuse, or -1.
   */
  reuse(
    subtype: number,
    qual: number,
    keyOffset: number,
    keySize: number,
    hash: number,
    reversed: boolean,
    proto: number,
  ): number {
    this.qprev = this.qnext = null;
    this.queue = null;
    this.qtime = 0;
    this.slot = -1;
    this.deleted = false;
    this.#setKey(subtype, qual, keyOffset, keySize, hash, reversed, proto);
    this.status =
      this.trans =
      this.timeout =
      this.dsrs =
        0;
    this.seqnum = 0;
    this.timeSubtype = 0;
    this.timeLen = 3;
    this.srcStart =
      this.srcEnd =
      this.dstStart =
      this.dstEnd =
        0;
    this.srcPkts = this.srcBytes = this.srcAppBytes = 0;
    this.dstPkts = this.dstBytes = this.dstAppBytes = 0;
    this.netSubtype = this.netQual = 0;
    const tcp = this.tcp;
    this.tcp = -1;
    this.icmp = null;
    this.frag = null;
    this.fragQueue = null;
    this.attrQual = 0;
    this.srcTtl =
      this.srcTos =
      this.srcIpId =
      this.srcOptions =
        0;
    this.dstTtl =
      this.dstTos =
      this.dstIpId =
      this.dstOptions =
        0;
    this.sipid = this.dipid = 0;
    this.encapsQual = this.encapsSrc = this.encapsDst = 0;
    this.esp = null;
    this.rtp = this.rtcp = this.udt = null;
    this.srcUser = this.dstUser = null;
    this.arpResponder = null;
    this.jitter = -1;
    this.opt = null;
    return tcp;
  }
}

/** State of a fragment flow (ArgusFragObject). */
export class FragState {
  fragnum = 0;
  fragId = 0;
  startbytes = 0;
  bytes = 0;
  totbytes = 0;
  totlen = 0;
  currlen = 0;
  maxfraglen = 0;
  /** The flow whose first fragment this belongs to. */
  parent: Flow | null = null;
  /** Received byte ranges, in argus's list order; [0] is the inline one. */
  offsets: { start: number; end: number }[] = [];
}
