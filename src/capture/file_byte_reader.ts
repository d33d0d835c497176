/**
 * A regular file read on the main thread. Capture files come from the page
 * cache at memory speed, so a read of 256 KiB takes tens of µs; the
 * asynchronous read hops to a blocking-pool thread and back instead, and on
 * 1M packets the sensor sat idle ~0.1 s waiting for those hops (the
 * read-ahead seldom overlaps them: a chunk parses in about a millisecond).
 * Pipes and standard input keep their asynchronous reads: they may block.
 * @module
 */

import type { ByteReader } from "./chunked_input.ts";

/** Reads `file` synchronously behind the ByteReader interface. */
export class FileByteReader implements ByteReader {
  readonly #file: Deno.FsFile;

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  read(p: Uint8Array): Promise<number | null> {
    try {
      return Promise.resolve(this.#file.readSync(p));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
