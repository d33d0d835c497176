/**
 * The -w file output: opened for appending (created if missing), as the
 * real argus does, so successive runs accumulate in one file.
 * @module
 */

import { type RecordSink, writeAll } from "./record_sink.ts";

/** Appends records to a file. */
export class FileSink implements RecordSink {
  readonly name: string;
  readonly #file: Deno.FsFile;

  private constructor(name: string, file: Deno.FsFile) {
    this.name = name;
    this.#file = file;
  }

  /** Opens `path` for appending; throws Deno errors for bad paths. */
  static async open(path: string): Promise<FileSink> {
    const file = await Deno.open(path, {
      write: true,
      append: true,
      create: true,
    });
    return new FileSink(path, file);
  }

  write(bytes: Uint8Array): Promise<void> {
    return writeAll(this.#file, bytes);
  }

  close(): Promise<void> {
    this.#file.close();
    return Promise.resolve();
  }
}
