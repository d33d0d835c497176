/**
 * Where encoded Argus records go: a file (-w path, appended to as argus
 * does) or standard output (-w -). A sink takes whole records only, so a
 * reader never sees a torn one.
 * @module
 */

/** A destination for encoded records. */
export interface RecordSink {
  /** The -w target as given (path or "-"). */
  readonly name: string;
  /** Writes whole records. */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes and closes. */
  close(): Promise<void>;
  /** Files: whether the path no longer names the open file. */
  moved?(): Promise<boolean>;
  /** Files: opens the path again (after a rotation). */
  reopen?(): Promise<void>;
}

/** Writes all of `bytes` to a Deno writer. */
export async function writeAll(
  w: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await w.write(bytes.subarray(off));
}
