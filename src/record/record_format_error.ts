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

  constructor(file: string, offset: number, reason: string) {
    const name = file === "-" ? "standard input" : `"${file}"`;
    super(`Cannot read ${name}: ${reason} at byte ${offset}`);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }
}
