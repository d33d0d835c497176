/**
 * The one error kind for damaged or unreadable capture files: names the
 * file, the byte offset and what is wrong. Packets before the damage have
 * already been delivered when it is reported.
 * @module
 */

/** A capture file could not be read (further). */
export class CaptureFileError extends Error {
  override readonly name = "CaptureFileError";
  /** The -r argument ("-" for standard input). */
  readonly file: string;
  /** Byte offset of the damage, or -1 when the file could not be opened. */
  readonly offset: number;
  /** What is wrong, without the file name. */
  readonly reason: string;

  constructor(file: string, offset: number, reason: string) {
    const where = offset >= 0 ? ` at byte ${offset}` : "";
    const name = file === "-" ? "standard input" : `"${file}"`;
    super(`Cannot read ${name}: ${reason}${where}`);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }
}
