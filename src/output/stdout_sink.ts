/**
 * The -w - output: records to standard output, for pipes into ra.
 * @module
 */

import { type RecordSink, writeAll } from "./record_sink.ts";

/** Writes records to standard output. */
export class StdoutSink implements RecordSink {
  readonly name = "-";

  write(bytes: Uint8Array): Promise<void> {
    return writeAll(Deno.stdout, bytes);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
