/**
 * The flow engine: argus 3.0.8's modeler (ArgusModeler.c) rebuilt over our
 * decoders. Packets are matched to flows by key; flows live on a status
 * queue until their status interval (-S) passes, then a record is emitted
 * and they wait on a timeout queue for their idle timeout. Time is packet
 * time only. The queue discipline, record causes and counter resets are
 * argus's, because they decide which packets each record covers.
 * @module
 */

import { updateAppState } from "./app_state.ts";
import { NET_SUBTYPE_RTP } from "./rtp_state.ts";
import { NetType } from "../decode/encapsulation.ts";
import type { PacketContext } from "../decode/packet_context.ts";
import { dsrBit, DsrIndex } from "./dsr_index.ts";
import {
  type Flow,
  Flow as FlowClass,
  FragState,
  IcmpObject,
  OptionalDsrs,
} from "./flow.ts";
import { FlowKey } from "./flow_key.ts";
import {
  J_ACTIVE,
  J_DST,
  J_IDLE,
  J_LAST,
  J_SRC,
  JitterStore,
  T_MAX,
  T_MIN,
  T_N,
  T_SUM,
  T_SUMSQ,
} from "./jitter_store.ts";
import {
  DST_SIDE,
  S_ACKBYTES,
  S_BYTES,
  S_FLAGS,
  S_RETRANS,
  S_SEQ,
  S_SEQBASE,
  S_STATUS,
  S_WINBYTES,
  SRC_SIDE,
  TcpStore,
} from "./tcp_store.ts";
import { FlowQueue } from "./flow_queue.ts";
import {
  Cause,
  FlowQual,
  FlowSubtype,
  RECORD_WRITTEN,
  Timeout,
} from "./flow_status.ts";
import { FlowTable } from "./flow_table.ts";
import { KeyStore } from "./key_store.ts";
import { createFlowKey } from "./keys/create_flow_key.ts";
import { updateIcmpState, updateIcmpv6State } from "./icmp_state.ts";
import { updateTcpState } from "./tcp_state.ts";
import { updateArpState } from "./arp_state.ts";
import { updateEspState } from "./esp_state.ts";
import {
  NETWORK_SUBTYPE_FRAG,
  startFragments,
  updateFragState,
  updateParentFlowImpl,
} from "./frag_state.ts";

/** Where emitted flow records go. */
export interface FlowRecordSink {
  /** A record for `flow` with header cause `cause` is due now. */
  flowRecord(flow: Flow, cause: number): void;
}

/** The options that add DSRs to every record (argus -m -A -Z -J). */
export interface ExtraMetrics {
  /** Add MAC address DSRs (-m). */
  macs?: boolean;
  /** Count application bytes in the metric DSR (-A). */
  appBytes?: boolean;
  /** Add packet size DSRs (-Z). */
  packetSize?: boolean;
  /** Add jitter DSRs (-J). */
  jitter?: boolean;
  /**
   * Control-plane mode (-C): ARP flows and OpenFlow (TCP 6633) flows keep
   * all their payload as user data, whatever -U says.
   */
  controlPlane?: boolean;
}

/** Engine settings (argus options that shape the records). */
export interface FlowEngineOptions extends ExtraMetrics {
  /** Flow status interval in seconds (-S); argus's built-in default is 5. */
  statusInterval?: number;
  /** Source id type (transport DSR qualifier) and value (-e). */
  srcidType?: number;
  srcid?: number;
  /**
   * User data bytes to capture per direction and record (-U).
   * @default {0} none
   */
  userData?: number;
  /**
   * Most flows tracked at once (ARGUS_MAX_FLOWS). A new flow past it
   * evicts the longest-idle one, whose record is written first.
   * @default {DEFAULT_MAX_FLOWS}
   */
  maxFlows?: number;
}

/**
 * Flows tracked at once by default: a TCP flow costs about 1.3 KB, so
 * this keeps a flood (a SYN scan) near 90 MB of flow state, which suits
 * a 256 MB appliance. argus itself has no limit (2.2 GB for 1M flows).
 */
export const DEFAULT_MAX_FLOWS = 65536;

const MICROS = 1_000_000;
/** argus's queue manager runs every 200 ms of packet time. */
const UPDATE_INTERVAL = 200_000;
/** Highest timeout-queue index (ARGUSTIMEOUTQS). */
const MAX_TIMEOUT_QUEUE = 65534;

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMP = 1;
const IPPROTO_IGMP = 2;
const IPPROTO_ICMPV6 = 58;
const IPPROTO_ESP = 50;

/** Counters reported in management records. */
export class EngineCounters {
  packets = 0;
  bytes = 0;
  newFlows = 0;
  records = 0;
  closedFlows = 0;
  /** Flows ended early to stay within the flow limit. */
  evicted = 0;
}

/** The modeler: packets in, flow records out through a sink. */
export class FlowEngine {
  #key: FlowKey = new FlowKey();
  /** The current packet's flow key (argus ArgusThisFlow). */
  get key(): FlowKey {
    return this.#key;
  }
  readonly counters: EngineCounters = new EngineCounters();
  /** Packet time of the packet being processed, µs (ArgusGlobalTime). */
  now = 0;
  /** The packet runs in the flow's source-to-destination direction. */
  thisDir = true;
  /** The packet carries protocol progress (for -J active/idle split). */
  inProtocol = true;
  /** The current packet's context. */
  ctx!: PacketContext;

  readonly statusQueue: FlowQueue = new FlowQueue();
  readonly #timeoutQueues: FlowQueue = new FlowQueue();
  readonly #timeoutQueueOf = new Map<number, FlowQueue>();
  /** Keys of all tracked flows. */
  readonly keys: KeyStore = new KeyStore();
  /** TCP state of the TCP flows, one row each. */
  readonly tcpRows: TcpStore = new TcpStore();
  /** -J state of the flows, one row each when -J is on. */
  readonly jitterRows: JitterStore = new JitterStore();
  readonly #table: FlowTable = new FlowTable(this.keys);
  readonly #sink: FlowRecordSink;
  /**
   * Deleted flows wait here until the next packet, then become free for
   * reuse: nothing from the packet that deleted them still holds them.
   */
  #dying: Flow[] = [];
  #freeFlows: Flow[] = [];
  /** Optional DSRs of recycled flows. */
  #freeOptional: OptionalDsrs[] = [];
  #statusInterval: number;
  /** -S as argus reports it to -J (the end-of-input pass leaves it be). */
  readonly #reportInterval: number;
  #updateTimer = 0;
  #seqNum = 1;
  #transNum = 0;
  readonly srcidType: number;
  readonly srcid: number;
  readonly macs: boolean;
  /** -Z: smallest and largest packet per direction. */
  readonly packetSize: boolean;
  /** -J: inter-packet time statistics. */
  readonly jitter: boolean;
  /** -C: control-plane flows keep their whole payload. */
  readonly controlPlane: boolean;
  /** -U: user data bytes per direction, 0 for none. */
  readonly userData: number;
  readonly #maxFlows: number;
  /**
   * Flows in order of creation, for early expiry of unanswered probes:
   * a ring of (flow, its trans number when queued).
   */
  #probes: (Flow | null)[] = new Array<Flow | null>(256).fill(null);
  #probeTrans: Int32Array = new Int32Array(256);
  #probeHead = 0;
  #probeCount = 0;

  constructor(sink: FlowRecordSink, options: FlowEngineOptions = {}) {
    this.#sink = sink;
    this.#statusInterval = (options.statusInterval ?? 5) * MICROS;
    this.#reportInterval = this.#statusInterval;
    this.srcidType = options.srcidType ?? 0;
    this.srcid = options.srcid ?? 0;
    this.macs = options.macs ?? false;
    this.packetSize = options.packetSize ?? false;
    this.jitter = options.jitter ?? false;
    this.controlPlane = options.controlPlane ?? false;
    this.userData = options.userData ?? 0;
    this.#maxFlows = Math.max(2, options.maxFlows ?? DEFAULT_MAX_FLOWS);
  }

  /** Number of flows being tracked. */
  get activeFlows(): number {
    return this.#table.size;
  }

  // --- packet entry points ----------------------------------------------

  /**
   * A link-layer frame decoded into `ctx` (argus ArgusProcessPacket: the
   * Ethernet and cooked-capture path).
   */
  processFrame(ctx: PacketContext, time: number): void {
    this.#begin(ctx, time);
    if (createFlowKey(ctx, this.key)) this.#packetToFlow(false);
    this.#tick();
  }

  /**
   * A raw IP packet (argus ArgusProcessIpPacket: DLT_RAW and BSD
   * loopback). Its status-interval handling differs slightly from frames.
   */
  processIp(ctx: PacketContext, time: number): void {
    this.#begin(ctx, time);
    if (ctx.ip >= 0) {
      const v = ctx.u8(ctx.ip) >> 4;
      ctx.netType = v === 4 ? NetType.IP : NetType.IPV6;
      const need = v === 4 ? 20 : 40;
      if (ctx.captured(ctx.ip, need) && createFlowKey(ctx, this.key)) {
        this.#packetToFlow(true);
      }
    }
    this.#tick();
  }

  /** A packet that makes no flow still advances time (and the queues). */
  processNothing(ctx: PacketContext, time: number): void {
    this.#begin(ctx, time);
    this.#tick();
  }

  /**
   * No packets until wall-clock `time` (µs): time moves on and the queues
   * run, so idle flows age out (argus's select() timeout path).
   */
  idle(time: number): void {
    if (time <= this.now) return;
    this.now = time;
    this.#tick();
  }

  #begin(ctx: PacketContext, time: number): void {
    if (this.#dying.length !== 0) this.#recycle();
    this.ctx = ctx;
    this.now = time;
    this.inProtocol = true;
    this.counters.packets++;
  }

  /** Frees the flows deleted before this packet, unless still in use. */
  #recycle(): void {
    const dying = this.#dying, free = this.#freeFlows;
    for (let i = 0; i < dying.length; i++) {
      const f = dying[i]!;
      // A flow put back in a queue or the table after its deletion lives on.
      if (f.queue === null && f.slot < 0) {
        if (f.tcp >= 0) {
          this.tcpRows.release(f.tcp);
          f.tcp = -1;
        }
        if (f.jitter >= 0) {
          this.jitterRows.release(f.jitter);
          f.jitter = -1;
        }
        free.push(f);
      }
    }
    dying.length = 0;
  }

  #tick(): void {
    if (this.#updateTime()) this.queueManager();
  }

  #packetToFlow(ipPath: boolean): void {
    const key = this.key;
    const hash = key.hash();
    let flow = this.#table.find(key, hash);
    if (flow !== undefined) {
      const queue = flow.queue;
      if (queue !== null) {
        if (queue === this.statusQueue) {
          if (this.#timedOut(flow.qtime, this.#statusInterval)) {
            if (ipPath) {
              if (flow !== this.statusQueue.oldest()) {
                this.processQueueTimeout(this.statusQueue);
              }
              if (!(flow.status & RECORD_WRITTEN)) {
                this.sendFlowRecord(flow, flow.status);
              }
            } else {
              this.processQueueTimeout(this.statusQueue);
            }
            flow.queue?.remove(flow);
            this.statusQueue.push(flow, this.now);
          }
        } else if (ipPath || !(key.qual & FlowQual.FRAGMENT)) {
          queue.remove(flow);
          this.statusQueue.push(flow, this.now);
        }
        this.updateFlow(flow, Cause.STATUS, true);
      } else {
        // Found but queued nowhere (a finished fragment): start afresh.
        this.#table.remove(flow);
        this.keys.release(flow.keyOffset, flow.keySize);
        const fresh = this.newFlow(this.statusQueue, key, hash);
        if (fresh !== null) this.updateFlow(fresh, Cause.STATUS, true);
      }
    } else {
      flow = this.newFlow(this.statusQueue, key, hash) ?? undefined;
      if (flow !== undefined) this.updateFlow(flow, Cause.START, true);
    }
  }

  // --- time and queues ------------------------------------------------------

  /** Whether `timeout` µs have passed since `since` (ArgusCheckTimeout). */
  #timedOut(since: number, timeout: number): boolean {
    if (timeout < 0) return false;
    if (timeout === 0) return true;
    return this.now - since >= timeout;
  }

  /** The 200 ms packet-time timer that runs the queue manager. */
  #updateTime(): boolean {
    if (this.#updateTimer === 0) this.#updateTimer = this.now;
    const diff = this.now - this.#updateTimer;
    if (diff < 0) return false;
    if (diff > UPDATE_INTERVAL) this.#updateTimer = this.now;
    this.#updateTimer += UPDATE_INTERVAL;
    return true;
  }

  /** Emits due status records and expires idle flows (ArgusQueueManager). */
  queueManager(): void {
    this.processQueueTimeout(this.statusQueue);
    const list = this.#timeoutQueues;
    const n = list.count;
    for (let i = 0; i < n; i++) {
      const q = list.pop() as FlowQueue | null;
      if (q === null) break;
      this.processQueueTimeout(q);
      list.add(q, this.now);
    }
  }

  /** Works a queue from its oldest entry (ArgusProcessQueueTimeout). */
  processQueueTimeout(queue: FlowQueue): void {
    for (;;) {
      const last = queue.oldest() as Flow | null;
      if (last === null) return;
      if (queue === this.statusQueue) {
        if (!this.#timedOut(last.qtime, this.#statusInterval)) return;
        queue.remove(last);
        const fq = last.fragQueue;
        if (fq !== null && fq.start !== null) {
          // Fragments are charged to their parent; stale ones are dropped.
          let frag = fq.start as Flow;
          for (;;) {
            const next = frag.qnext as Flow;
            this.updateParentFlow(frag);
            if (this.#timedOut(frag.qtime, 2 * MICROS)) this.deleteObject(frag);
            if (fq.start === null || next === fq.start) break;
            frag = next;
          }
        }
        if (!(last.status & RECORD_WRITTEN)) {
          this.sendFlowRecord(last, last.status);
        }
        if (last.timeout > 0) {
          const t = Math.min(last.timeout, MAX_TIMEOUT_QUEUE);
          last.timeout = t;
          this.#timeoutQueue(t).push(last, this.now);
        } else {
          this.deleteObject(last);
        }
      } else {
        if (!this.#timedOut(last.qtime, queue.timeout * MICROS)) return;
        queue.remove(last);
        this.deleteObject(last);
      }
    }
  }

  #timeoutQueue(timeout: number): FlowQueue {
    let q = this.#timeoutQueueOf.get(timeout);
    if (q === undefined) {
      q = new FlowQueue(timeout);
      this.#timeoutQueueOf.set(timeout, q);
      this.#timeoutQueues.push(q, this.now);
    }
    return q;
  }

  /**
   * End of input: every active flow gets its record, then everything is
   * flushed (argus's final queue pass with a zero status interval, then
   * ArgusModelerCleanUp).
   */
  finish(): void {
    this.#statusInterval = 0;
    this.queueManager();
    this.shutdown();
  }

  /**
   * A signal stops the sensor: every flow still held gets a record with
   * cause SHUTDOWN, timeout queues first (argus ArgusModelerCleanUp, which
   * ArgusShutDown runs on SIGTERM, SIGINT and SIGHUP; checked on a veth).
   */
  shutdown(): void {
    const list = this.#timeoutQueues;
    for (
      let q = list.pop() as FlowQueue | null;
      q !== null;
      q = list.pop() as FlowQueue | null
    ) {
      this.#shutdownQueue(q);
    }
    this.#timeoutQueueOf.clear();
    this.#shutdownQueue(this.statusQueue);
  }

  #shutdownQueue(queue: FlowQueue): void {
    while (queue.count > 0) {
      const f = queue.popBack() as Flow | null;
      if (f === null) break;
      if (!(f.status & RECORD_WRITTEN)) this.sendFlowRecord(f, Cause.SHUTDOWN);
      this.deleteObject(f);
    }
  }

  // --- flows ------------------------------------------------------------------

  /**
   * Creates a flow for the current key (ArgusNewFlow); `hash` is the key's,
   * when the caller has it already.
   */
  newFlow(
    queue: FlowQueue | null,
    key: FlowKey = this.key,
    hash: number = key.hash(),
  ): Flow | null {
    if (key.size <= 0) return null;
    // Fragment flows (queued on their parent) never evict: their parent
    // may be the oldest flow, and it is in use.
    if (queue === this.statusQueue && this.#table.size >= this.#maxFlows) {
      this.#evictOne();
    }
    const subtype = key.subtype | (key.reversed ? FlowSubtype.REVERSE : 0);
    const offset = this.keys.store(key.words, key.size);
    // A recycled flow, or a new one; reuse() sets either up for this key.
    const flow = this.#freeFlows.pop() ??
      new FlowClass(0, 0, 0, 0, 0, false, 0);
    if (flow.jitter >= 0) this.jitterRows.release(flow.jitter);
    if (flow.opt !== null) this.#freeOptional.push(flow.opt);
    const tcp = flow.reuse(
      subtype,
      key.qual,
      offset,
      key.size,
      hash,
      key.reversed,
      key.proto(),
    );
    if (tcp >= 0) this.tcpRows.release(tcp);
    this.counters.newFlows++;
    flow.status = Cause.START;
    flow.trans = this.#transNum++ & 0xffff;
    flow.dsrs = dsrBit(DsrIndex.FLOW);
    this.#table.insert(flow);
    if (queue !== null) queue.push(flow, this.now);
    if (queue === this.statusQueue) this.#addProbe(flow);
    switch (this.ctx.netType & 0xffff) {
      case NetType.IP:
      case NetType.IPV6:
        flow.timeout = Timeout.IP;
        break;
      case NetType.ARP:
      case NetType.REVARP:
        flow.timeout = Timeout.ARP;
        break;
      default:
        flow.timeout = Timeout.OTHER;
    }
    return flow;
  }

  /**
   * Early expiry of unanswered probes: the oldest live flow that has never
   * been reported and has seen packets one way only (a SYN to a closed or
   * filtered port, a UDP or ICMP probe), or null. Flows enter the probe
   * ring when made and leave it here once, so under a flood each eviction
   * costs O(1) and flows that have had an answer are never the victim
   * while a probe is left.
   */
  #oldestProbe(): Flow | null {
    const ring = this.#probes, trans = this.#probeTrans, n = ring.length;
    while (this.#probeCount > 0) {
      const at = this.#probeHead;
      const f = ring[at]!;
      const t = trans[at]!;
      ring[at] = null;
      this.#probeHead = (at + 1) % n;
      this.#probeCount--;
      if (
        f !== null && !f.deleted && f.trans === t && f.seqnum === 0 &&
        f.queue === this.statusQueue && (f.srcPkts === 0 || f.dstPkts === 0)
      ) return f;
    }
    return null;
  }

  /**
   * Puts a new flow in the probe ring; a full ring grows up to the flow
   * limit, then drops its oldest entry.
   */
  #addProbe(flow: Flow): void {
    let n = this.#probes.length;
    if (this.#probeCount === n) {
      if (n < this.#maxFlows) {
        this.#growProbes(Math.min(n * 2, this.#maxFlows));
        n = this.#probes.length;
      } else {
        this.#probes[this.#probeHead] = null;
        this.#probeHead = (this.#probeHead + 1) % n;
        this.#probeCount--;
      }
    }
    const ring = this.#probes;
    const at = (this.#probeHead + this.#probeCount) % n;
    ring[at] = flow;
    this.#probeTrans[at] = flow.trans;
    this.#probeCount++;
  }

  #growProbes(size: number): void {
    const ring = new Array<Flow | null>(size).fill(null);
    const trans = new Int32Array(size);
    const old = this.#probes, n = old.length;
    for (let i = 0; i < this.#probeCount; i++) {
      const at = (this.#probeHead + i) % n;
      ring[i] = old[at]!;
      trans[i] = this.#probeTrans[at]!;
    }
    this.#probes = ring;
    this.#probeTrans = trans;
    this.#probeHead = 0;
  }

  /**
   * Makes room for one flow: the flow idle longest among those already
   * reported (the oldest entry of the timeout queues), else the oldest
   * unanswered probe, else the oldest entry of the status queue, gets its
   * record if it has unreported packets, with cause TIMEOUT, and is
   * deleted.
   */
  #evictOne(): void {
    let victim: Flow | null = null;
    const list = this.#timeoutQueues;
    let q = list.start as FlowQueue | null;
    for (let i = 0; i < list.count && q !== null; i++) {
      const old = q.oldest() as Flow | null;
      if (old !== null && (victim === null || old.qtime < victim.qtime)) {
        victim = old;
      }
      q = q.qnext as FlowQueue | null;
    }
    victim ??= this.#oldestProbe() ??
      this.statusQueue.oldest() as Flow | null;
    if (victim === null) return;
    if (!(victim.status & RECORD_WRITTEN)) {
      this.sendFlowRecord(victim, Cause.TIMEOUT);
    }
    this.deleteObject(victim);
    this.counters.evicted++;
  }

  /** Removes a flow everywhere (ArgusDeleteObject). */
  deleteObject(flow: Flow): void {
    if (!flow.deleted) {
      flow.deleted = true;
      this.#dying.push(flow);
    }
    flow.queue?.remove(flow);
    if (flow.slot >= 0) {
      this.#table.remove(flow);
      this.keys.release(flow.keyOffset, flow.keySize);
    }
    const fq = flow.fragQueue;
    if (fq !== null) {
      for (
        let f = fq.pop() as Flow | null;
        f !== null;
        f = fq.pop() as Flow | null
      ) {
        this.sendFlowRecord(f, Cause.TIMEOUT);
        this.deleteObject(f);
      }
    }
    this.counters.closedFlows++;
  }

  /** Queues a record for `flow` if it counted packets (ArgusSendFlowRecord). */
  sendFlowRecord(flow: Flow, cause: number): void {
    const fq = flow.fragQueue;
    if (fq !== null && fq.start !== null) {
      let frag = fq.start as Flow;
      do {
        this.updateParentFlow(frag);
        frag = frag.qnext as Flow;
      } while (fq.start !== null && frag !== fq.start);
    }
    if (flow.srcPkts || flow.dstPkts) {
      // A flow takes a sequence number with its first record and keeps it.
      if (flow.seqnum === 0) {
        flow.seqnum = this.#seqNum++ >>> 0;
        if (flow.seqnum === 0xffffffff) flow.seqnum = this.#seqNum++ >>> 0;
      }
      this.counters.records++;
      this.#sink.flowRecord(flow, cause & 0xf0);
      flow.status |= RECORD_WRITTEN;
    }
  }

  /**
   * Uses up `n` record sequence numbers: records made outside the flow
   * model take theirs from the same counter (argus -r cisco: gives each
   * NetFlow v9 record one).
   */
  skipSequence(n: number): void {
    for (let i = 0; i < n; i++) {
      if ((this.#seqNum++ >>> 0) === 0xffffffff) this.#seqNum++;
    }
  }

  /** Folds a fragment flow's counts into its parent (ArgusUpdateParentFlow). */
  updateParentFlow(frag: Flow): void {
    updateParentFlowImpl(this, frag);
  }

  /** Resets the per-record counters after a record (ArgusZeroRecord). */
  zeroRecord(flow: Flow): void {
    flow.status &= ~RECORD_WRITTEN & ~0xf0;
    // Most DSRs are rebuilt by the next packet; these survive a record.
    flow.dsrs &= dsrBit(DsrIndex.FLOW) | dsrBit(DsrIndex.TRANSPORT) |
      dsrBit(DsrIndex.MAC) | dsrBit(DsrIndex.JITTER) |
      dsrBit(DsrIndex.IPATTR) | dsrBit(DsrIndex.TIME) |
      dsrBit(DsrIndex.METRIC) | dsrBit(DsrIndex.NETWORK);
    flow.keyQual &= ~FlowQual.FRAGMENT;
    flow.attrQual &= ~0x30;
    flow.srcOptions = flow.dstOptions = 0;
    flow.srcStart =
      flow.srcEnd =
      flow.dstStart =
      flow.dstEnd =
        0;
    flow.srcPkts = flow.srcBytes = flow.srcAppBytes = 0;
    flow.dstPkts = flow.dstBytes = flow.dstAppBytes = 0;
    if (flow.dsrs & dsrBit(DsrIndex.NETWORK)) {
      const tcp = flow.tcp;
      if (flow.frag !== null && flow.netSubtype === NETWORK_SUBTYPE_FRAG) {
        // argus clears the whole fragment object, parent pointer included.
        flow.frag = new FragState();
      } else if (tcp >= 0 && flow.netSubtype >= 3 && flow.netSubtype <= 5) {
        resetTcpSide(this.tcpRows.words, tcp + SRC_SIDE);
        resetTcpSide(this.tcpRows.words, tcp + DST_SIDE);
      } else if (flow.rtp !== null && flow.netSubtype === NET_SUBTYPE_RTP) {
        flow.rtp.sdrop = flow.rtp.ddrop = 0;
      }
      flow.netQual = 0;
    }
    // The installed argus 3.0.8 starts the -J statistics afresh with each
    // record (checked; the published source would carry them on).
    if (flow.jitter >= 0) this.jitterRows.clearStats(flow.jitter);
    flow.sipid = flow.dipid = 0;
    const opt = flow.opt;
    if (opt !== null) {
      opt.srcSizeMin = opt.dstSizeMin = 0xffff;
      opt.srcSizeMax = opt.dstSizeMax = 0;
    }
  }

  /** Per-packet bookkeeping common to all flows (ArgusUpdateBasicFlow). */
  updateBasicFlow(flow: Flow, state: number): void {
    const ctx = this.ctx;
    if (flow.status & RECORD_WRITTEN) this.zeroRecord(flow);
    const dir = flow.reversed === this.key.reversed;
    this.thisDir = dir;

    flow.dsrs |= dsrBit(DsrIndex.TRANSPORT);

    if (!(flow.dsrs & ENCAPS_BIT)) {
      flow.dsrs |= dsrBit(DsrIndex.ENCAPS);
      flow.encapsQual = 0;
      flow.encapsSrc = dir ? ctx.encaps : 0;
      flow.encapsDst = dir ? 0 : ctx.encaps;
    } else if (dir) {
      if (flow.encapsSrc !== ctx.encaps) {
        if (flow.encapsSrc) flow.encapsQual |= 0x04;
        flow.encapsSrc |= ctx.encaps;
      }
    } else if (flow.encapsDst !== ctx.encaps) {
      if (flow.encapsDst) flow.encapsQual |= 0x08;
      flow.encapsDst |= ctx.encaps;
    }

    flow.dsrs |= dsrBit(DsrIndex.METRIC);

    const now = this.now;
    if (!(flow.dsrs & TIME_BIT)) {
      flow.dsrs |= dsrBit(DsrIndex.TIME);
      flow.timeSubtype = TIME_ABSOLUTE_TIMESTAMP;
      flow.srcStart =
        flow.srcEnd =
        flow.dstStart =
        flow.dstEnd =
          0;
      if (dir) flow.srcStart = now;
      else flow.dstStart = now;
    } else if (dir) {
      if (flow.srcStart === 0) {
        flow.srcStart = now;
        if (flow.dstStart) flow.timeSubtype = TIME_ABSOLUTE_RANGE;
      } else {
        flow.srcEnd = now;
        flow.timeSubtype = TIME_ABSOLUTE_RANGE;
      }
    } else if (flow.dstStart === 0) {
      flow.dstStart = now;
      if (flow.srcStart) flow.timeSubtype = TIME_ABSOLUTE_RANGE;
    } else {
      flow.dstEnd = now;
      flow.timeSubtype = TIME_ABSOLUTE_RANGE;
    }

    if (this.macs) this.#updateMac(flow, dir);
    // argus's jitter DSR starts with the flow's first packet and survives
    // its records (ArgusZeroRecord keeps it).
    if (this.jitter && flow.jitter < 0) {
      flow.jitter = this.jitterRows.alloc();
      flow.dsrs |= dsrBit(DsrIndex.JITTER);
    }

    if (!(flow.dsrs & NETWORK_BIT)) {
      flow.netQual = 0;
      if (state === Cause.START && (this.key.qual & FlowQual.FRAGMENT)) {
        flow.netSubtype = NETWORK_SUBTYPE_FRAG;
        flow.frag = new FragState();
      } else {
        // Every flow carries a network DSR, empty until a protocol fills it.
        flow.netSubtype = 0;
      }
      flow.dsrs |= dsrBit(DsrIndex.NETWORK);
    }

    if (ctx.encaps & 0x01) {
      const opt = this.optionalDsrs(flow);
      if (!(flow.dsrs & MPLS_BIT)) {
        flow.dsrs |= dsrBit(DsrIndex.MPLS);
        opt.mplsQual = 0;
      }
      const n = ctx.mplsLabelCount & 0x0f;
      if (dir) {
        opt.mplsQual = (n << 4) | (opt.mplsQual & 0x0f);
        opt.mplsSrc = ctx.mplsLabel;
      } else {
        opt.mplsQual = n | (opt.mplsQual & 0xf0);
        opt.mplsDst = ctx.mplsLabel;
      }
    }
    if (ctx.encaps & 0x04) {
      const opt = this.optionalDsrs(flow);
      if (!(flow.dsrs & VLAN_BIT)) {
        flow.dsrs |= dsrBit(DsrIndex.VLAN);
        opt.vlanQual = 0;
      }
      if (dir) {
        opt.vlanSrc = ctx.vlanTag;
        opt.vlanQual |= 0x01;
      } else {
        opt.vlanDst = ctx.vlanTag;
        opt.vlanQual |= 0x02;
      }
    }
  }

  #updateMac(flow: Flow, dir: boolean): void {
    const ctx = this.ctx;
    if (!ctx.hasEther) return;
    // Read in place, as numbers: no copy and nothing allocated per flow.
    const dst = etherAddress(ctx, 0), src = etherAddress(ctx, 6);
    // argus stores the type in host order and writes it as is: the
    // record holds it little-endian (checked on every link type).
    const type = (ctx.etherByte(13) << 8) | ctx.etherByte(12);
    const first = dir ? dst : src, second = dir ? src : dst;
    const opt = this.optionalDsrs(flow);
    if (!(flow.dsrs & MAC_BIT)) {
      opt.macFirst = first;
      opt.macSecond = second;
      opt.macType = type;
      opt.macQual = 0;
      flow.dsrs |= MAC_BIT;
      return;
    }
    if (
      opt.macFirst !== first || opt.macSecond !== second ||
      opt.macType !== type
    ) {
      opt.macQual |= dir ? 0x01 : 0x02;
    }
  }

  /** Updates a flow with the current packet (ArgusUpdateFlow). */
  updateFlow(flow: Flow, state: number, update: boolean): Flow | null {
    this.updateBasicFlow(flow, state);
    const ctx = this.ctx;
    if (ctx.ip < 0) return this.updateState(flow, state, update);

    flow.dsrs |= dsrBit(DsrIndex.IPATTR);
    const ip = ctx.ip;
    const dir = this.thisDir;
    if ((ctx.netType & 0xffff) === NetType.IP) {
      setAttributes(
        flow,
        dir,
        ctx.u8(ip + 8),
        ctx.u8(ip + 1),
        ctx.u16(ip + 4),
        ctx.ipOptions,
      );
      const result = this.updateState(flow, state, update);
      const off = ctx.u16(ip + 6);
      if ((off & 0x1fff) === 0 && (off & 0x2000)) {
        startFragments(this, flow, state, ip);
        // argus looks at the direction its fragment code left behind.
        flow.attrQual |= this.thisDir ? 0x10 : 0x20;
      }
      return result;
    }
    if ((ctx.netType & 0xffff) === NetType.IPV6) {
      // argus shifts the wrong half of the version/class/label word: its
      // IPv6 "tos" comes from flow-label bits 4..11 (bytes 2-3).
      const tos = (ctx.u16(ip + 2) >> 4) & 0xff;
      setAttributes(flow, dir, ctx.u8(ip + 7), tos, 0, ctx.ipOptions);
      const result = this.updateState(flow, state, update);
      // argus 3.0.8 tests the IPv6 "first fragment" condition on the
      // byte-swapped offset word, so the more-fragments bit always fails it:
      // IPv6 fragments are never tied to their first fragment. We keep that.
      return result;
    }
    return this.updateState(flow, state, update);
  }

  /** Protocol state, then counters (ArgusUpdateState). */
  updateState(flow: Flow, state: number, update: boolean): Flow | null {
    if ((flow.status & 0xf0) === 0) {
      flow.status |= state & 0xf0;
    } else {
      switch (state & 0xf0) {
        case Cause.START:
        case Cause.STOP:
        case Cause.TIMEOUT:
        case Cause.SHUTDOWN:
        case Cause.CLOSED:
        case Cause.ERROR:
          flow.status = (flow.status & ~0xf0) | (state & 0xf0);
      }
    }
    const ctx = this.ctx;
    const fragment = (this.key.qual & FlowQual.FRAGMENT) !== 0;
    switch (ctx.netType & 0xffff) {
      case NetType.IP:
      case NetType.IPV6: {
        if (fragment) {
          this.tallyStats(flow);
          if (updateFragState(this, flow, state)) {
            this.deleteObject(flow);
            return null;
          }
          break;
        }
        switch (this.flowProto(flow)) {
          case IPPROTO_TCP:
            state = updateTcpState(this, flow, state);
            flow.timeout = this.tcpTimeout(flow);
            break;
          case IPPROTO_ICMP:
            state = updateIcmpState(this, flow, state);
            flow.timeout = Timeout.ICMP;
            break;
          case IPPROTO_ICMPV6:
            state = updateIcmpv6State(this, flow, state);
            flow.timeout = Timeout.ICMP;
            break;
          case IPPROTO_UDP:
            updateUdpState(this, flow, state);
            break;
          case IPPROTO_ESP:
            updateEspState(this, flow, state);
            break;
          case IPPROTO_IGMP:
          default:
            break;
        }
        break;
      }
      case NetType.ARP:
      case NetType.REVARP:
        updateArpState(this, flow);
        break;
    }
    if (update) {
      if (!fragment) this.tallyStats(flow);
      this.updateAppState(flow, state);
    }
    return flow;
  }

  /** TCP flows idle out after 60 s, or 10 s once closed. */
  tcpTimeout(flow: Flow): number {
    return flow.timeout === Timeout.TCP_CLOSED
      ? Timeout.TCP_CLOSED
      : Timeout.TCP;
  }

  /** The IP protocol in a flow's key. */
  flowProto(flow: Flow): number {
    return flow.proto;
  }

  /** Packet and byte counters of the packet's direction (ArgusTallyStats). */
  tallyStats(flow: Flow): void {
    const bytes = this.ctx.bytes;
    if (this.thisDir) {
      flow.srcPkts++;
      flow.srcBytes += bytes;
    } else {
      flow.dstPkts++;
      flow.dstBytes += bytes;
    }
    this.counters.bytes += bytes;
    if (this.jitter && flow.jitter >= 0) this.#tallyTime(flow.jitter);
    if (this.packetSize) {
      // The DSR starts (min 0xffff, max 0) with the first packet after a
      // record: zeroRecord resets the sizes and drops the slot bit.
      flow.dsrs |= PSIZE_BIT;
      const opt = this.optionalDsrs(flow);
      if (this.thisDir) {
        if (bytes > opt.srcSizeMax) opt.srcSizeMax = bytes;
        if (bytes < opt.srcSizeMin) opt.srcSizeMin = bytes;
      } else {
        if (bytes > opt.dstSizeMax) opt.dstSizeMax = bytes;
        if (bytes < opt.dstSizeMin) opt.dstSizeMin = bytes;
      }
    }
  }

  /**
   * The gap since the direction's previous packet goes to its active or
   * idle statistics, when under twice the status interval (argus's
   * ArgusTallyStats with -J); argus's float and integer arithmetic kept.
   */
  #tallyTime(row: number): void {
    const now = this.now, w = this.jitterRows.words;
    const dir = row + (this.thisDir ? J_SRC : J_DST);
    const last = w[dir + J_LAST]!;
    if (last >= now) return;
    if (last > 0) {
      const gap = now - last;
      const limit = 2 * this.#reportInterval;
      if (gap > 0 && limit > 0 && gap < limit) {
        const s = dir + (this.inProtocol ? J_ACTIVE : J_IDLE);
        const g = Math.fround(gap);
        if (w[s + T_MIN]! > g) w[s + T_MIN] = g;
        if (w[s + T_MAX]! < g) w[s + T_MAX] = g;
        w[s + T_SUM] = Math.fround(w[s + T_SUM]! + g);
        w[s + T_SUMSQ] = Math.trunc(w[s + T_SUMSQ]! + gap * gap);
        w[s + T_N]!++;
      }
    }
    w[dir + J_LAST] = now;
  }

  /** Application-level state (ArgusUpdateAppState): RTP, RTCP, UDT, -A, -U. */
  updateAppState(flow: Flow, state: number): void {
    updateAppState(this, flow, state, this.userData);
  }

  /** Restarts a TCP flow on a new SYN (ArgusInitializeTCP). */
  initializeTcp(flow: Flow): void {
    if (!this.thisDir) {
      flow.keyQual &= ~FlowQual.DIRECTION;
      flow.keySubtype &= ~FlowSubtype.REVERSE;
    }
    if (flow.tcp >= 0) this.tcpRows.clear(flow.tcp);
    flow.reversed = this.key.reversed;
    this.thisDir = true;
    this.updateFlow(flow, Cause.START, false);
  }

  /** Runs `fn` with `key` standing in for the packet's own key. */
  withKey(key: FlowKey, fn: () => void): void {
    const saved = this.#key;
    this.#key = key;
    try {
      fn();
    } finally {
      this.#key = saved;
    }
  }

  /** Looks up a flow by an arbitrary key (used for ICMP error mapping). */
  findFlow(key: FlowKey): Flow | undefined {
    return this.#table.find(key, key.hash());
  }

  /** The flow's optional DSRs, made (or recycled, cleared) on first use. */
  optionalDsrs(flow: Flow): OptionalDsrs {
    if (flow.opt !== null) return flow.opt;
    const recycled = this.#freeOptional.pop();
    if (recycled !== undefined) recycled.clear();
    return flow.opt = recycled ?? new OptionalDsrs();
  }

  /** Icmp object factory kept here so protocol modules share one shape. */
  newIcmpObject(): IcmpObject {
    return new IcmpObject();
  }
}

const ENCAPS_BIT = dsrBit(DsrIndex.ENCAPS);
const TIME_BIT = dsrBit(DsrIndex.TIME);
const NETWORK_BIT = dsrBit(DsrIndex.NETWORK);
const MPLS_BIT = dsrBit(DsrIndex.MPLS);
const VLAN_BIT = dsrBit(DsrIndex.VLAN);
const MAC_BIT = dsrBit(DsrIndex.MAC);

/** The 6-byte address at `at` of the packet's Ethernet header, as a number. */
function etherAddress(ctx: PacketContext, at: number): number {
  const hi = (ctx.etherByte(at) << 8) | ctx.etherByte(at + 1);
  const lo = ((ctx.etherByte(at + 2) << 24) | (ctx.etherByte(at + 3) << 16) |
    (ctx.etherByte(at + 4) << 8) | ctx.etherByte(at + 5)) >>> 0;
  return hi * 0x1_0000_0000 + lo;
}
const PSIZE_BIT = dsrBit(DsrIndex.PSIZE);

/** What a record resets in one TCP direction (ArgusZeroRecord). */
function resetTcpSide(w: Uint32Array, side: number): void {
  w[side + S_STATUS]! &= ~(0x3000 | 0x300 | 0xc00 | 0x30000 | 0xc000);
  w[side + S_RETRANS] = w[side + S_FLAGS] = w[side + S_BYTES] = 0;
  w[side + S_WINBYTES] = w[side + S_ACKBYTES] = 0;
  w[side + S_SEQBASE] = w[side + S_SEQ]!;
}

/** The packet's IP attributes for the direction it runs in. */
function setAttributes(
  flow: Flow,
  dir: boolean,
  ttl: number,
  tos: number,
  ipId: number,
  options: number,
): void {
  if (dir) {
    flow.srcTtl = ttl;
    flow.srcTos = tos;
    flow.srcIpId = ipId;
    flow.srcOptions = options;
    flow.attrQual |= options !== 0 ? 0x05 : 0x01;
  } else {
    flow.dstTtl = ttl;
    flow.dstTos = tos;
    flow.dstIpId = ipId;
    flow.dstOptions = options;
    flow.attrQual |= options !== 0 ? 0x0a : 0x02;
  }
}

const TIME_ABSOLUTE_TIMESTAMP = 0x01;
const TIME_ABSOLUTE_RANGE = 0x02;

/** UDP: skip the header; a chatty flow gets the IP timeout (ArgusUpdateUDPState). */
function updateUdpState(m: FlowEngine, flow: Flow, state: number): void {
  const ctx = m.ctx;
  if (!ctx.captured(ctx.up, 8)) return;
  ctx.length -= 8;
  ctx.up += 8;
  if (state !== Cause.START && flow.srcPkts + flow.dstPkts > 2) {
    flow.timeout = Timeout.IP;
  }
}
