/**
 * The -w - output: records to standard output, for pipes into ra. When the
 * reader goes away (EPIPE) the output stops quietly and the sensor goes on,
 * as argus 3.0.8 does (it ignores SIGPIPE and drops the records; checked:
 * `argus -r F -w - | head -c 200` exits 0 with nothing on stderr, and
 * `argus -i lo -w - | head -c 200` keeps capturing).
 * @module
 */

import { writesAtOnce } from "./file_sink.ts";
import { type RecordSink, writeAll } from "./record_sink.ts";

/**
 * Whether standard output is a regular file or a device (`-w - > f`,
 * `> /dev/null`): written on this thread then, as -w files are; a pipe
 * keeps asynchronous writes (its reader may be slow).
 */
function stdoutWritesAtOnce(): boolean {
  try {
    return writesAtOnce(Deno.statSync("/dev/stdout"));
  } catch {
    return false;
  }
}

/** Writes records to standard output. */
export class StdoutSink implements RecordSink {
  readonly name = "-";
  /** True once the reader has closed the pipe. */
  closed = false;
  readonly #out: { write(p: Uint8Array): Promise<number> };
  readonly #writeSync: ((p: Uint8Array) => number) | null;

  /** @param out the writer @default Deno.stdout */
  constructor(out: { write(p: Uint8Array): Promise<number> } = Deno.stdout) {
    this.#out = out;
    this.#writeSync = out === Deno.stdout && stdoutWritesAtOnce()
      ? (p) => Deno.stdout.writeSync(p)
      : null;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    try {
      const writeSync = this.#writeSync;
      if (writeSync === null) await writeAll(this.#out, bytes);
      else {
        for (let off = 0; off < bytes.length;) {
          off += writeSync(bytes.subarray(off));
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
      this.closed = true;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
