/**
 * poll(2) from the C library through Deno FFI, run on Deno's blocking
 * thread pool (`nonblocking: true`) so waiting for packets never blocks the
 * event loop: timers, signals and sockets keep running while the sensor
 * waits on its capture descriptors (argus(8) select()s on them the same way).
 * @module
 */

import { openLibc } from "./load_libc.ts";

/** poll's `events`/`revents` bit for "data to read". */
export const POLLIN = 0x0001;

const POLL_SYMBOLS = {
  /** int poll(struct pollfd *fds, nfds_t nfds, int timeout) */
  poll: {
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
} as const;

let loaded: Deno.DynamicLibrary<typeof POLL_SYMBOLS>["symbols"] | null = null;

function libc(): Deno.DynamicLibrary<typeof POLL_SYMBOLS>["symbols"] {
  loaded ??= openLibc(POLL_SYMBOLS);
  return loaded;
}

/**
 * A reusable set of descriptors to wait on. struct pollfd is
 * { int fd; short events; short revents; }: 8 bytes per entry.
 */
export class PollSet {
  readonly #fds: Int32Array;
  readonly #shorts: Int16Array;
  readonly #bytes: Uint8Array;
  readonly count: number;

  constructor(fds: readonly number[]) {
    this.count = fds.length;
    this.#fds = new Int32Array(fds.length * 2);
    this.#shorts = new Int16Array(this.#fds.buffer);
    this.#bytes = new Uint8Array(this.#fds.buffer);
    fds.forEach((fd, i) => {
      this.#fds[i * 2] = fd;
      this.#shorts[i * 4 + 2] = POLLIN;
    });
  }

  /**
   * Waits until a descriptor is readable or `timeoutMs` passes.
   * @returns the number of ready descriptors (0 on timeout)
   * @throws Error when poll fails for another reason than a signal
   */
  async wait(timeoutMs: number): Promise<number> {
    for (let i = 0; i < this.count; i++) this.#shorts[i * 4 + 3] = 0;
    const n = await libc().poll(this.#bytes, BigInt(this.count), timeoutMs);
    // -1 is EINTR in practice (a signal arrived): the caller just loops.
    return n < 0 ? 0 : n;
  }

  /** Whether descriptor `i` was readable (or in error) after `wait`. */
  ready(i: number): boolean {
    return this.#shorts[i * 4 + 3] !== 0;
  }
}
