/**
 * argus -T timescale: plays packet batches back in real time, each packet
 * handed on when the wall clock reaches its capture time (relative to the
 * first packet) divided by the timescale, so -T 1 is real time and -T 10
 * ten times faster. argus(8) -T; ArgusProcessPacket stalls the same way.
 * @module
 */

import type { PacketBatch } from "./packet_batch.ts";

/** The packets of a batch from one index to another, same field shapes. */
export interface PacketSlice {
  readonly data: Uint8Array;
  readonly count: number;
  readonly start: Uint32Array;
  readonly caplen: Uint32Array;
  readonly wirelen: Uint32Array;
  readonly tsSec: Float64Array;
  readonly tsUsec: Uint32Array;
  readonly linkType: Uint32Array;
}

/** Packets due within this many ms of now go on together. */
const SLACK_MS = 1;

/** Paces a stream of batches; `stop()` ends it at once. */
export class RealtimePacer {
  /** Slices of the source's batches, each handed on at its time. */
  readonly stream: ReadableStream<PacketSlice>;
  #stopped = false;
  #wake: (() => void) | null = null;

  /**
   * @param source batches in capture order
   * @param timescale playback speed, > 0 (1 is real time)
   * @param now the wall clock in ms
   */
  constructor(
    source: ReadableStream<PacketBatch>,
    timescale: number,
    now: () => number = () => performance.now(),
  ) {
    if (!(timescale > 0)) {
      throw new RangeError(
        `Cannot pace packets: the timescale must be above 0, got ${timescale}`,
      );
    }
    const reader = source.getReader();
    let batch: PacketBatch | null = null;
    let next = 0;
    // Capture time (µs) and wall clock (ms) of the first packet.
    let firstTime = NaN, firstWall = 0;
    const due = (b: PacketBatch, i: number): number => {
      const t = b.tsSec[i]! * 1e6 + b.tsUsec[i]!;
      if (Number.isNaN(firstTime)) {
        firstTime = t;
        firstWall = now();
      }
      return firstWall + (t - firstTime) / 1000 / timescale;
    };
    this.stream = new ReadableStream<PacketSlice>({
      pull: async (controller) => {
        while (batch === null || next >= batch.count) {
          const r = this.#stopped
            ? { done: true as const }
            : await reader.read();
          if (r.done) {
            controller.close();
            return;
          }
          batch = r.value;
          next = 0;
        }
        const b = batch;
        const wait = due(b, next) - now();
        if (wait > SLACK_MS) await this.#sleep(wait);
        if (this.#stopped) {
          controller.close();
          return;
        }
        const from = next;
        const limit = now() + SLACK_MS;
        next++;
        while (next < b.count && due(b, next) <= limit) next++;
        controller.enqueue({
          data: b.data,
          count: next - from,
          start: b.start.subarray(from, next),
          caplen: b.caplen.subarray(from, next),
          wirelen: b.wirelen.subarray(from, next),
          tsSec: b.tsSec.subarray(from, next),
          tsUsec: b.tsUsec.subarray(from, next),
          linkType: b.linkType.subarray(from, next),
        });
      },
      cancel: async (reason) => {
        this.stop();
        await reader.cancel(reason);
      },
    }, { highWaterMark: 0 });
  }

  /** Ends playback: a wait under way ends, the stream closes. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
