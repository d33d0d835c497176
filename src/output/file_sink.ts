/**
 * The -w file output: opened for appending (created if missing), as the
 * real argus does, so successive runs accumulate in one file. It can tell
 * when its path no longer names the open file (cron renamed or removed
 * it) and reopen the path, which is how rotation works (issue 4).
 * @module
 */

import { type RecordSink, writeAll } from "./record_sink.ts";

/** Appends records to a file. */
export class FileSink implements RecordSink {
  readonly name: string;
  #file: Deno.FsFile;
  /** Identity of the open file, to notice a rename or removal. */
  #dev: number;
  #ino: number;

  private constructor(name: string, file: Deno.FsFile, info: Deno.FileInfo) {
    this.name = name;
    this.#file = file;
    this.#dev = info.dev;
    this.#ino = info.ino ?? 0;
  }

  /** Opens `path` for appending; throws Deno errors for bad paths. */
  static async open(path: string): Promise<FileSink> {
    const file = await openAppend(path);
    return new FileSink(path, file, await file.stat());
  }

  write(bytes: Uint8Array): Promise<void> {
    return writeAll(this.#file, bytes);
  }

  /** Whether the path was renamed away or removed since it was opened. */
  async moved(): Promise<boolean> {
    try {
      const now = await Deno.stat(this.name);
      return now.ino !== this.#ino || now.dev !== this.#dev;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return true;
      throw e;
    }
  }

  /**
   * Opens the path again (a new file if it was moved) and closes the old
   * one; records written before stay in the old file.
   */
  async reopen(): Promise<void> {
    const file = await openAppend(this.name);
    const info = await file.stat();
    this.#file.close();
    this.#file = file;
    this.#dev = info.dev;
    this.#ino = info.ino ?? 0;
  }

  close(): Promise<void> {
    this.#file.close();
    return Promise.resolve();
  }
}

function openAppend(path: string): Promise<Deno.FsFile> {
  return Deno.open(path, { write: true, append: true, create: true });
}
