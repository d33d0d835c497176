/**
 * Live capture (argus -i) as one pull-based stream of packet batches.
 * Every interface is a non-blocking libpcap handle; when none has packets
 * the source waits on their descriptors with poll(2) on a worker thread,
 * so the event loop stays free. A wait that ends with no packets yields an
 * empty batch stamped with the wall clock: the sensor ages flows by it, as
 * argus sets its global time from gettimeofday() when select() times out.
 * @module
 */

import { PcapHandle, type PcapStats, PollSet } from "../../ffi/mod.ts";
import { linkTypeFromDlt } from "./link_type.ts";
import { PacketBatch } from "./packet_batch.ts";

/** How one interface is opened. */
export interface LiveInterfaceOptions {
  /** Bytes kept per packet (-s). */
  snaplen: number;
  /** Promiscuous mode (argus -p turns it off). */
  promiscuous: boolean;
  /** libpcap filter expression set on every handle ("" for none). */
  filter: string;
  /** Optimise the filter (argus -O turns optimisation off). */
  optimize: boolean;
  /** Kernel buffer size in bytes (ARGUS_PCAP_BUFFER_SIZE); 0 for libpcap's. */
  bufferBytes?: number;
}

/** A running live capture. */
export interface LiveSource {
  /** Batches; an empty one (count 0) means "no packets until `clock`". */
  readonly stream: ReadableStream<LiveBatch>;
  /** The interfaces, as opened. */
  readonly interfaces: readonly string[];
  /** LINKTYPE_ of the first interface. */
  readonly linkType: number;
  /** pcap_datalink() of the first interface (argus reports it in MARs). */
  readonly dlt: number;
  /** Sum of pcap_stats over the interfaces. */
  stats(): PcapStats;
  /** Ends the stream at the next wake-up (at most one poll interval). */
  stop(): void;
}

/** Longest wait for the last packets once stopped (the read timeout + 50). */
const DRAIN_MS = 150;

/** A packet batch with the wall-clock time it was read, µs. */
export class LiveBatch extends PacketBatch {
  clock = 0;
}

/**
 * Longest wait for packets before an idle tick. argus's select() waits
 * 0.5 s, and that decides when a quiet flow's status record leaves: with
 * the same wait, our records split where the real argus's do (checked on a
 * veth: a 250 ms wait reported flows near a SIGTERM as status records that
 * argus reports at shutdown).
 */
export const IDLE_TICK_MS = 500;

/**
 * Opens every interface, sets the filter, and returns the source; nothing
 * is read until the stream is pulled.
 * @throws PcapError naming the interface (no such device, no permission,
 * a filter libpcap rejects); handles already opened are closed
 */
export function openLiveSource(
  names: readonly string[],
  options: LiveInterfaceOptions,
): LiveSource {
  const handles: PcapHandle[] = [];
  try {
    for (const name of names) {
      const h = PcapHandle.openLive(name, {
        snaplen: options.snaplen,
        promiscuous: options.promiscuous,
        // argus's read timeout; poll() wakes us, this only bounds batching.
        timeoutMs: 100,
        ...(options.bufferBytes ? { bufferBytes: options.bufferBytes } : {}),
      });
      handles.push(h);
      if (options.filter.trim() !== "") {
        h.setFilter(options.filter, options.optimize);
      }
      h.setNonblocking(true);
    }
  } catch (e) {
    for (const h of handles) h.close();
    throw e;
  }
  const linkTypes = handles.map((h) => linkTypeFromDlt(h.datalink));
  const poll = new PollSet(handles.map((h) => h.selectableFd));
  // Two batches alternate: a batch stays valid while the next is in use.
  const batches = [new LiveBatch(), new LiveBatch()];
  let turn = 0;
  let next = 0; // round robin over interfaces, so none starves another
  let stopped = false;
  let drained = false;
  let stoppedAt = 0;
  const closeAll = () => {
    for (const h of handles) h.close();
  };

  const stream = new ReadableStream<LiveBatch>({
    async pull(controller) {
      try {
        for (;;) {
          // A busy link never goes quiet: the drain ends after DRAIN_MS.
          if (stopped && !drained && Date.now() - stoppedAt > DRAIN_MS) {
            drained = true;
          }
          if (stopped && drained) {
            closeAll();
            controller.close();
            return;
          }
          const batch = batches[turn]!;
          for (let k = 0; k < handles.length; k++) {
            const i = (next + k) % handles.length;
            if (handles[i]!.readBatch(batch) > 0) {
              next = (i + 1) % handles.length;
              batch.linkType.fill(linkTypes[i]!, 0, batch.count);
              batch.ifIndex.fill(i, 0, batch.count);
              batch.clock = Date.now() * 1000;
              turn ^= 1;
              controller.enqueue(batch);
              return;
            }
          }
          if (stopped) {
            // Packets that arrived before the stop may wait in a kernel
            // block until libpcap's 100 ms timeout retires it: give them
            // that long, then end (argus drops them; we lose nothing seen).
            if (await poll.wait(DRAIN_MS) === 0) drained = true;
            continue;
          }
          if (await poll.wait(IDLE_TICK_MS) === 0 && !stopped) {
            batch.count = 0;
            batch.clock = Date.now() * 1000;
            turn ^= 1;
            controller.enqueue(batch);
            return;
          }
        }
      } catch (e) {
        closeAll();
        throw e;
      }
    },
    cancel() {
      stopped = true;
      closeAll();
    },
  }, { highWaterMark: 0 });

  const lastStats: (PcapStats | undefined)[] = [];
  return {
    stream,
    interfaces: [...names],
    linkType: linkTypes[0] ?? 1,
    dlt: handles[0]?.datalink ?? 1,
    stats() {
      const sum: PcapStats = { received: 0, dropped: 0, interfaceDropped: 0 };
      handles.forEach((h, i) => {
        try {
          lastStats[i] = h.stats();
        } catch {
          // A closed handle has no counters any more: keep its last ones,
          // so that no MAR period after the close counts backwards (a
          // negative drop count would be written as 2^32 - n).
        }
        const s = lastStats[i];
        if (!s) return;
        sum.received += s.received;
        sum.dropped += s.dropped;
        sum.interfaceDropped += s.interfaceDropped;
      });
      return sum;
    },
    stop() {
      if (!stopped) stoppedAt = Date.now();
      stopped = true;
    },
  };
}
