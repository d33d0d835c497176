/**
 * The -w file output: opened for appending (created if missing), as the
 * real argus does, so successive runs accumulate in one file. It can tell
 * when its path no longer names the open file (cron renamed or removed
 * it) and reopen the path, which is how rotation works (issue 4). A full
 * or failing disk (ENOSPC, EIO, ...) never stops the sensor and never
 * leaves a torn record: a short write is cut back to the last whole
 * record, what could not be written is counted for the next MAR, and
 * writing resumes by itself (issue 7).
 * @module
 */

import { withUnwritten } from "./mar_encoder.ts";
import { countRecords, recordBoundary } from "./record_fanout.ts";
import type { RecordSink } from "./record_sink.ts";

/** How a file output reports trouble; the defaults write to stderr. */
export interface FileSinkOptions {
  /** One line when writing starts to fail (not per record). */
  onError?: (message: string) => void;
  /** One line when writing works again. @default nothing */
  onResume?: (message: string) => void;
  /** The clock in ms, for tests. @default Date.now */
  now?: () => number;
}

/** While writes fail, try again at most this often (ms). */
export const RETRY_MS = 1000;
/** The same failure is logged again only after this long (ms). */
const RELOG_MS = 60_000;

/** Appends records to a file. */
export class FileSink implements RecordSink {
  readonly name: string;
  /** Records (MARs included) that could not be written, since the open. */
  unwritten = 0;
  /** Of those, how many a MAR in the file has reported. */
  reported = 0;
  opening: (() => Uint8Array) | null = null;
  #file: Deno.FsFile;
  /**
   * Write on this thread: a regular file (page cache) or a device such as
   * /dev/null. The asynchronous write's hop to a blocking-pool thread and
   * back idled the sensor ~0.1 s per 1M packets; a FIFO keeps it, as a
   * write there may wait for its reader.
   */
  #sync: boolean;
  /** Identity of the open file, to notice a rename or removal. */
  #dev: number;
  #ino: number;
  /** The error code of the failure in progress; null while writes work. */
  #failing: string | null = null;
  /** No write is tried before this time while failing. */
  #retryAt = 0;
  /** File length to cut back to, when cutting failed too. */
  #cutTo: number | null = null;
  /** The last failure logged, to log each condition once. */
  #logged = { code: "", at: -Infinity };
  readonly #onError: (message: string) => void;
  readonly #onResume: (message: string) => void;
  readonly #now: () => number;

  private constructor(
    name: string,
    file: Deno.FsFile,
    info: Deno.FileInfo,
    options: FileSinkOptions,
  ) {
    this.name = name;
    this.#file = file;
    this.#sync = writesAtOnce(info);
    this.#dev = info.dev;
    this.#ino = info.ino ?? 0;
    this.#onError = options.onError ??
      ((m) => console.error(`argus: ${m}`));
    this.#onResume = options.onResume ?? (() => {});
    this.#now = options.now ?? Date.now;
  }

  /** Opens `path` for appending; throws Deno errors for bad paths. */
  static async open(
    path: string,
    options: FileSinkOptions = {},
  ): Promise<FileSink> {
    const file = await openAppend(path);
    return new FileSink(path, file, await file.stat(), options);
  }

  /** Whether writes are failing now (records are being counted). */
  get failing(): boolean {
    return this.#failing !== null;
  }

  /**
   * Appends a block of whole records. When the disk refuses, the records
   * that did not fit are counted, not thrown: capture goes on.
   */
  async write(block: Uint8Array): Promise<void> {
    if (block.length === 0) return;
    if (this.#failing !== null) {
      // Retrying on every block would cost a failed write and a cut per
      // batch while the disk stays full; once a second finds the space.
      if (this.#now() < this.#retryAt || !(await this.#prepareRetry())) {
        this.unwritten += countRecords(block);
        return;
      }
    }
    if (await this.#append(block) && this.#failing !== null) {
      const lost = this.unwritten - this.reported;
      this.#failing = null;
      this.#onResume(
        `Writing "${this.name}" again; ${lost} records not written so far`,
      );
    }
  }

  /** Writes a status or closing MAR carrying this output's losses. */
  async writeMar(mar: Uint8Array): Promise<void> {
    const pending = this.unwritten - this.reported;
    const before = this.unwritten;
    await this.write(pending > 0 ? withUnwritten(mar, pending) : mar);
    if (this.unwritten === before) this.reported += pending;
  }

  /** Whether the path was renamed away or removed since it was opened. */
  async moved(): Promise<boolean> {
    try {
      const now = await Deno.stat(this.name);
      return now.ino !== this.#ino || now.dev !== this.#dev;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return true;
      throw e;
    }
  }

  /**
   * Opens the path again (a new file if it was moved) and closes the old
   * one; records written before stay in the old file.
   */
  async reopen(): Promise<void> {
    const file = await openAppend(this.name);
    const info = await file.stat();
    await this.#cutPending();
    this.#file.close();
    this.#file = file;
    this.#sync = writesAtOnce(info);
    this.#cutTo = null;
    this.#dev = info.dev;
    this.#ino = info.ino ?? 0;
  }

  async close(): Promise<void> {
    await this.#cutPending();
    const lost = this.unwritten - this.reported;
    if (lost > 0) {
      // No MAR in the file could say so: the last word is the log's.
      this.#onError(
        `Cannot write "${this.name}": ${lost} records were lost and no MAR in the file counts them`,
      );
    }
    this.#file.close();
  }

  /**
   * Writes all of `block`, or as many whole records as fit (the rest cut
   * off the file again and counted).
   * @returns whether every record was written
   */
  async #append(block: Uint8Array): Promise<boolean> {
    let done = 0;
    try {
      while (done < block.length) {
        done += this.#sync
          ? this.#file.writeSync(block.subarray(done))
          : await this.#file.write(block.subarray(done));
      }
      return true;
    } catch (e) {
      const code = ioErrorCode(e);
      if (code === null) throw e;
      const keep = recordBoundary(block, done);
      this.unwritten += countRecords(block.subarray(keep));
      if (keep < done) await this.#cut(done - keep);
      this.#fail(code, e as Error);
      return false;
    }
  }

  /** Removes the last `extra` bytes written: a torn record's head. */
  async #cut(extra: number): Promise<void> {
    try {
      const size = (await this.#file.stat()).size;
      this.#cutTo = size - extra;
      await this.#file.truncate(this.#cutTo);
      this.#cutTo = null;
    } catch (e) {
      // Kept in #cutTo: tried again before the next write.
      if (ioErrorCode(e) === null) throw e;
    }
  }

  /** Retries an earlier cut that failed; false if it fails again. */
  async #cutPending(): Promise<boolean> {
    if (this.#cutTo === null) return true;
    try {
      await this.#file.truncate(this.#cutTo);
      this.#cutTo = null;
      return true;
    } catch (e) {
      if (ioErrorCode(e) === null) throw e;
      return false;
    }
  }

  /**
   * Before a retry: the torn tail gone, and an opening MAR first if the
   * file is empty (truncated or rotated while the disk was full), as
   * argus's ArgusWriteOutSocket does for an empty file.
   */
  async #prepareRetry(): Promise<boolean> {
    this.#retryAt = this.#now() + RETRY_MS;
    if (!(await this.#cutPending())) return false;
    if (this.opening === null) return true;
    let size: number;
    try {
      size = (await this.#file.stat()).size;
    } catch (e) {
      if (ioErrorCode(e) === null) throw e;
      return false;
    }
    if (size > 0) return true;
    const before = this.unwritten;
    const ok = await this.#append(this.opening());
    // The opening MAR is extra, not one of the sensor's records.
    this.unwritten = before;
    return ok;
  }

  #fail(code: string, e: Error): void {
    this.#failing = code;
    const now = this.#now();
    this.#retryAt = now + RETRY_MS;
    if (code === this.#logged.code && now - this.#logged.at < RELOG_MS) {
      return;
    }
    this.#logged = { code, at: now };
    this.#onError(
      `Cannot write "${this.name}": ${
        reason(e)
      }; counting records not written in MARs until it can write again`,
    );
  }
}

function openAppend(path: string): Promise<Deno.FsFile> {
  return Deno.open(path, { write: true, append: true, create: true });
}

/** The errno name of an I/O failure (ENOSPC, EIO, ...), else null. */
export function ioErrorCode(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && code !== "" ? code : null;
}

/** "No space left on device (os error 28)" → "no space left on device". */
function reason(e: Error): string {
  const text = e.message.replace(/ \(os error \d+\)$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Whether writes to a file of this kind never wait for anybody. */
export function writesAtOnce(info: Deno.FileInfo): boolean {
  return info.isFile || info.isCharDevice === true;
}
