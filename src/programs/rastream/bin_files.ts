/**
 * rastream's output files in time mode: one file per bin, named by
 * strftime(3) of the bin's start in local time (directories made as
 * needed), each starting with the input's opening MAR. With a hold time
 * (-B) a file closes once the clock is that far past its bin's end, and
 * later records for it are dropped, as the real rastream does; the rest
 * close at the end. Each closed file goes to the -f program.
 * @module
 */

import { formatTime } from "../../client/time_format.ts";
import { fileStart, type SplitPeriod } from "./split_period.ts";
import type { FileScript } from "./file_script.ts";

/** Bytes a file holds in memory before they are appended to it. */
const FLUSH_AT = 1 << 16;
/** Bytes all open files may hold together before every one is written. */
const HELD_MAX = 1 << 23;

/** One output file. */
class BinFile {
  readonly path: string;
  /** Bin start and end, seconds. */
  readonly start: number;
  readonly end: number;
  #chunks: Uint8Array[] = [];
  #size = 0;
  /** Whether the file has bytes (its header MAR was written). */
  #started = false;

  constructor(path: string, start: number, end: number) {
    this.path = path;
    this.start = start;
    this.end = end;
  }

  /** Bytes held, not yet written. */
  get held(): number {
    return this.#size;
  }

  put(bytes: Uint8Array, header: Uint8Array | null): void {
    if (!this.#started) {
      this.#started = true;
      let exists = false;
      try {
        exists = Deno.statSync(this.path).size > 0;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      if (!exists && header !== null) this.#push(header);
    }
    this.#push(bytes.slice());
    if (this.#size >= FLUSH_AT) this.flush();
  }

  #push(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#size += b.length;
  }

  /** Appends what is held (the file is opened for that write only). */
  flush(): void {
    if (this.#chunks.length === 0) return;
    const slash = this.path.lastIndexOf("/");
    if (slash > 0) {
      Deno.mkdirSync(this.path.slice(0, slash), { recursive: true });
    }
    const f = Deno.openSync(this.path, {
      write: true,
      create: true,
      append: true,
    });
    try {
      for (const c of this.#chunks) {
        let off = 0;
        while (off < c.length) off += f.writeSync(c.subarray(off));
      }
    } finally {
      f.close();
    }
    this.#chunks = [];
    this.#size = 0;
  }
}

/** The open bins and their files. */
export class BinFiles {
  readonly #template: string;
  readonly #period: SplitPeriod;
  readonly #hold: number;
  readonly #script: FileScript | null;
  /** Open files in the order they were made. */
  #open: BinFile[] = [];
  /** Open files by bin start, seconds (bins of one size never overlap). */
  readonly #openByStart = new Map<number, BinFile>();
  /** Bytes held by the open files together (roughly: reset on writes). */
  #held = 0;
  /** Every file by name, closed ones too (a name can come back). */
  readonly #byName = new Map<string, BinFile>();
  /** End of the last bin closed by the hold time, seconds (0: none). */
  #lastClosedEnd = 0;
  /** The opening MAR that starts each file. */
  header: Uint8Array | null = null;

  /**
   * `template`: strftime(3) text; `hold`: -B seconds (0: files close at
   * the end only).
   */
  constructor(
    template: string,
    period: SplitPeriod,
    hold: number,
    script: FileScript | null,
  ) {
    this.#template = template;
    this.#period = period;
    this.#hold = hold;
    this.#script = script;
  }

  /** Writes a record whose (piece's) start is `startUs` into its bin. */
  write(startUs: number, bytes: Uint8Array): void {
    const sec = Math.floor(startUs / 1e6);
    // A file closed after this record's time: the record is late.
    if (this.#lastClosedEnd > 0 && this.#lastClosedEnd >= sec) return;
    const start = fileStart(this.#period, sec);
    let file = this.#openByStart.get(start);
    if (file === undefined) {
      const path = formatTime(start * 1e6, {
        timeFormat: this.#template,
        precision: 0,
        unixTime: false,
      });
      file = this.#byName.get(path);
      if (file === undefined) {
        file = new BinFile(path, start, start + this.#period.size / 1e6);
        this.#byName.set(path, file);
      }
      // A name closed by the hold time may come back (a template coarser
      // than the bins): the file is appended to again.
      if (!this.#open.includes(file)) this.#open.push(file);
      this.#openByStart.set(start, file);
    }
    const before = file.held;
    file.put(bytes, this.header);
    this.#held += file.held - before;
    // Many bins open at once (no -B): keep memory bounded.
    if (this.#held > HELD_MAX) {
      for (const f of this.#open) f.flush();
      this.#held = 0;
    }
  }

  /** Closes the files whose bin ended `hold` seconds before `nowSec`. */
  tick(nowSec: number): void {
    if (this.#hold <= 0) return;
    const keep: BinFile[] = [];
    for (const f of this.#open) {
      if (f.end + this.#hold <= nowSec) {
        this.#lastClosedEnd = f.end;
        this.#held -= f.held;
        this.#close(f);
      } else keep.push(f);
    }
    this.#open = keep;
  }

  /** Closes every open file, in the order they were made. */
  closeAll(): void {
    for (const f of this.#open) this.#close(f);
    this.#open = [];
  }

  #close(f: BinFile): void {
    for (const [start, open] of this.#openByStart) {
      if (open === f) this.#openByStart.delete(start);
    }
    f.flush();
    this.#script?.schedule(f.path);
  }
}
