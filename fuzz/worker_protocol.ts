/**
 * What the fuzz campaign and its workers say to each other: a job (one
 * target, a range of input numbers), findings as they happen, and the
 * counts at the end. Progress goes through shared memory so a stuck
 * worker can be seen and stopped.
 * @module
 */

/** A range of inputs of one target, for one worker. */
export interface FuzzJob {
  target: string;
  seed: number;
  /** Input numbers [from, to). */
  from: number;
  to: number;
  /** An input slower than this is a hang. */
  budgetMs: number;
  /**
   * Int32 slots: [0] the input being run, [1] inputs finished (both low
   * 31 bits; the watchdog only compares them).
   */
  progress: SharedArrayBuffer;
}

/** A crash (unexpected exception) or a hang (over the time budget). */
export interface Finding {
  kind: "crash" | "hang";
  target: string;
  seed: number;
  index: number;
  /** Groups findings with one cause: error kind, message, first frame. */
  signature: string;
  message: string;
  stack: string;
  ms: number;
  input: Uint8Array;
}

/** A worker's counts for its range. */
export interface JobCounts {
  inputs: number;
  /** Ran to the end without an error. */
  ok: number;
  /** Ended in an error the program reports in one line. */
  refused: number;
  maxMs: number;
}

export type WorkerMessage =
  | { type: "finding"; finding: Finding }
  | { type: "done"; counts: JobCounts };

/** A signature for grouping: digits and quoted text do not split groups. */
export function signatureOf(e: unknown): { sig: string; stack: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  const stack = err.stack ?? "";
  const frame =
    stack.split("\n").find((l) =>
      /\/(src|ffi)\//.test(l) && !l.includes("/fuzz/")
    )?.trim().replace(/:\d+:\d+\)?$/, "") ?? "";
  const msg = err.message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, "N");
  return { sig: `${err.name}: ${msg} @ ${frame}`, stack };
}
