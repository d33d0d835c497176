/**
 * CaptureFileError, the one error kind for unreadable or damaged capture
 * files: which file, at which byte, what is wrong. Readers deliver every
 * packet before the damage first, then report it (see savefile_source.ts).
 * @module
 */

/** A capture file could not be read, or not read further. */
export class CaptureFileError extends Error {
  override readonly name = "CaptureFileError";
  /** The -r argument ("-" for standard input). */
  readonly file: string;
  /** Byte offset of the damage; -1 when it concerns the whole file. */
  readonly offset: number;
  /** What is wrong, without file or offset ("truncated packet record"). */
  readonly reason: string;

  /**
   * The message reads `Cannot read "x.pcap": <reason> at byte <offset>`,
   * then ` (<detail>)` when there is one.
   */
  constructor(file: string, offset: number, reason: string, detail = "") {
    const name = file === "-" ? "standard input" : `"${file}"`;
    const where = offset >= 0 ? ` at byte ${offset}` : "";
    const more = detail === "" ? "" : ` (${detail})`;
    super(`Cannot read ${name}: ${reason}${where}${more}`);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }
}

/**
 * An empty capture file: no packets, nothing damaged. argus warns and goes
 * on (exit 0), so this is a warning, not a failure.
 */
export class EmptyCaptureFile extends CaptureFileError {
  constructor(file: string) {
    super(file, -1, "the file is empty");
  }
}
