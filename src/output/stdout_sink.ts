/**
 * The -w - output: records to standard output, for pipes into ra. When the
 * reader goes away (EPIPE) the output stops quietly and the sensor goes on,
 * as argus 3.0.8 does (it ignores SIGPIPE and drops the records; checked:
 * `argus -r F -w - | head -c 200` exits 0 with nothing on stderr, and
 * `argus -i lo -w - | head -c 200` keeps capturing).
 * @module
 */

import { type RecordSink, writeAll } from "./record_sink.ts";

/** Writes records to standard output. */
export class StdoutSink implements RecordSink {
  readonly name = "-";
  /** True once the reader has closed the pipe. */
  closed = false;
  readonly #out: { write(p: Uint8Array): Promise<number> };

  /** @param out the writer @default Deno.stdout */
  constructor(out: { write(p: Uint8Array): Promise<number> } = Deno.stdout) {
    this.#out = out;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    try {
      await writeAll(this.#out, bytes);
    } catch (e) {
      if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
      this.closed = true;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
