/**
 * RecordFormatError: an Argus record file is damaged or not Argus 3. Names
 * the file and the byte offset of the bad record; the records before it
 * have been delivered when it is raised.
 * @module
 */

/** A record file could not be read (further). */
export class RecordFormatError extends SyntaxError {
  override readonly name = "RecordFormatError";
  readonly file: string;
  readonly offset: number;
  readonly reason: string;

  /** `offset` -1: the file could not be opened at all. */
  constructor(file: string, offset: number, reason: string) {
    const name = file === "-" ? "standard input" : `"${file}"`;
    const where = offset >= 0 ? ` at byte ${offset}` : "";
    super(`Cannot read ${name}: ${reason}${where}`);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }
}
