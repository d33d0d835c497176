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
  /**
   * Files: writes a status or closing MAR with the count of records this
   * output could not write since its last MAR filled in.
   */
  writeMar?(mar: Uint8Array): Promise<void>;
  /**
   * Files: makes the opening MAR a file that is empty when writing resumes
   * must start with (set by the fan-out).
   */
  opening?: (() => Uint8Array) | null;
}

/** Writes all of `bytes` to a Deno writer. */
export async function writeAll(
  w: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await w.write(bytes.subarray(off));
}
