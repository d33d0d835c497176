/**
 * The -r inputs as one pull-based stream of packet batches, file after
 * file. Damage does not error the stream (that would drop batches still
 * queued downstream): the stream ends and the error waits in `errors` for
 * the runner, which reports it after the last record is written.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import { type OpenCapture, openCapture } from "./open_capture.ts";
import { PacketBatch } from "./packet_batch.ts";

/** A savefile source and what went wrong while reading it. */
export interface SavefileSource {
  stream: ReadableStream<PacketBatch>;
  /** Errors, in the order met (reading stops at the first). */
  errors: CaptureFileError[];
  /** Link type of the first file (for management records). */
  firstLinkType: () => number;
  /** Stop reading early (e.g. -N reached). */
  stop(): void;
}

/** Options of a savefile source. */
export interface SavefileOptions {
  /** Says why a file's link type cannot be used, or null when it can. */
  checkLinkType?: (linkType: number) => string | null;
}

/** Streams the packets of `paths` in order. */
export function savefileSource(
  paths: string[],
  options: SavefileOptions = {},
): SavefileSource {
  const errors: CaptureFileError[] = [];
  // Two batches alternate: a batch stays valid until the one after it
  // has been handed out (see ChunkedInput).
  const batches = [new PacketBatch(), new PacketBatch()];
  let turn = 0;
  let index = 0;
  let current: OpenCapture | null = null;
  let linkType = -1;
  let stopped = false;
  const closeCurrent = () => {
    current?.close();
    current = null;
  };
  const stream = new ReadableStream<PacketBatch>({
    async pull(controller) {
      for (;;) {
        if (stopped) {
          closeCurrent();
          controller.close();
          return;
        }
        if (current === null) {
          if (index >= paths.length) {
            controller.close();
            return;
          }
          const path = paths[index++]!;
          try {
            current = await openCapture(path);
            const lt = current.reader.linkType;
            const why = options.checkLinkType?.(lt) ?? null;
            if (why !== null) {
              closeCurrent();
              throw new CaptureFileError(path, -1, why);
            }
            if (linkType < 0) linkType = lt;
          } catch (e) {
            if (!(e instanceof CaptureFileError)) throw e;
            errors.push(e);
            stopped = true;
            continue;
          }
        }
        const batch = batches[turn]!;
        turn ^= 1;
        if (await current.reader.next(batch)) {
          controller.enqueue(batch);
          return;
        }
        const err = current.reader.error;
        closeCurrent();
        if (err !== null) {
          errors.push(err);
          stopped = true;
        }
      }
    },
    cancel() {
      closeCurrent();
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    errors,
    firstLinkType: () => linkType,
    stop() {
      stopped = true;
    },
  };
}
