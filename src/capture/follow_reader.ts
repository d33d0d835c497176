/**
 * argus -f: a ByteReader over a capture file that does not end at end of
 * file but waits for more bytes to be appended (argus(8) -f; its
 * ArgusGetPackets sleeps 100 ms when a read finds nothing), until stopped.
 * @module
 */

import type { ByteReader } from "./chunked_input.ts";

/** How long to wait before looking for appended bytes again, ms. */
export const FOLLOW_POLL_MS = 100;

/** Reads `inner`; at its end, polls for appended bytes until `stop()`. */
export class FollowReader implements ByteReader {
  readonly #inner: ByteReader;
  readonly #pollMs: number;
  #stopped = false;
  /** Wakes a read sleeping at end of file. */
  #wake: (() => void) | null = null;

  constructor(inner: ByteReader, pollMs: number = FOLLOW_POLL_MS) {
    this.#inner = inner;
    this.#pollMs = pollMs;
  }

  /** Ends following: a read waiting at end of file reports the end. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  async read(p: Uint8Array): Promise<number | null> {
    for (;;) {
      const got = await this.#inner.read(p);
      // A FIFO whose writer went away reads 0 bytes, like a file's end.
      if (got !== null && got > 0) return got;
      if (this.#stopped) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
      if (this.#stopped) return null;
    }
  }
}
