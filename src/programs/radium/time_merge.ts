/**
 * TimeMerge: radium's one time-ordered stream out of many sources. Each
 * record waits until the clock has passed its start time by the window
 * (or it has waited twice the window, for a sensor whose clock runs
 * ahead); what is due leaves in start-time order, ties in arrival order.
 * So records that arrive up to a window apart still come out in order,
 * and none waits longer than twice the window.
 * @module
 */

/** One record held back. */
interface Held {
  bytes: Uint8Array;
  /** Start time (flows) or report time (MARs), µs since the epoch. */
  time: number;
  /** Wall clock at arrival, ms. */
  arrived: number;
  seq: number;
}

/** How the merge is set up. */
export interface TimeMergeOptions {
  /** The reordering window, ms. @default 1000 */
  windowMs?: number;
  /** Records held at most; over it the oldest leave early. @default 200000 */
  maxHeld?: number;
  /** The clock, ms. @default Date.now */
  now?: () => number;
}

/** Holds records back and releases them in time order. */
export class TimeMerge {
  readonly #held: Held[] = [];
  readonly #window: number;
  readonly #maxHeld: number;
  readonly #now: () => number;
  #seq = 0;

  constructor(options: TimeMergeOptions = {}) {
    this.#window = options.windowMs ?? 1000;
    this.#maxHeld = options.maxHeld ?? 200_000;
    this.#now = options.now ?? Date.now;
  }

  /** Records waiting now. */
  get held(): number {
    return this.#held.length;
  }

  /** Takes a record (the caller gives up `bytes`) with its time in µs. */
  push(bytes: Uint8Array, time: number): void {
    this.#held.push({ bytes, time, arrived: this.#now(), seq: this.#seq++ });
  }

  /**
   * The records due now, in time order, as one block (null when none);
   * `all` releases everything (at shutdown).
   */
  release(all = false): Uint8Array | null {
    const held = this.#held;
    if (held.length === 0) return null;
    const now = this.#now();
    const watermark = (now - this.#window) * 1000;
    const oldest = now - 2 * this.#window;
    const over = held.length - this.#maxHeld;
    const due: Held[] = [];
    const keep: Held[] = [];
    // Over the bound, the earliest arrivals leave first.
    for (let i = 0; i < held.length; i++) {
      const h = held[i]!;
      if (all || i < over || h.time <= watermark || h.arrived <= oldest) {
        due.push(h);
      } else keep.push(h);
    }
    if (due.length === 0) return null;
    held.length = 0;
    for (const h of keep) held.push(h);
    due.sort((a, b) => a.time - b.time || a.seq - b.seq);
    let size = 0;
    for (const h of due) size += h.bytes.length;
    const block = new Uint8Array(size);
    let at = 0;
    for (const h of due) {
      block.set(h.bytes, at);
      at += h.bytes.length;
    }
    return block;
  }
}
