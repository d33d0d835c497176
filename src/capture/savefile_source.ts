/**
 * The -r inputs as one pull-based stream of packet batches, file after
 * file, opened all at once before the first packet as argus(8) opens them.
 * Like argus 3.0.8.2 (checked): a file libpcap would refuse is skipped, a
 * damaged one ends early, and reading goes on with the next file. Errors
 * never error the stream (a pipe would drop batches still queued); they
 * wait in `errors` for the runner to report once the pipeline drains.
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import {
  isIoError,
  type OpenCapture,
  openCaptureReader,
  openInput,
} from "./open_capture.ts";
import { BATCH_PACKETS, PacketBatch } from "./packet_batch.ts";
import { CHUNK_BYTES } from "./chunked_input.ts";
import { FollowReader } from "./follow_reader.ts";

/** What a source knows about one opened input. */
export interface SavefileInfo {
  /** The -r argument. */
  readonly path: string;
  /** LINKTYPE_ value (pcapng: of the first interface). */
  readonly linkType: number;
  /** Snapshot length as pcap_snapshot() gives it. */
  readonly snaplen: number;
  /** Byte order (pcapng: of the first section). */
  readonly bigEndian: boolean;
}

/** A savefile source and what went wrong while reading it. */
export interface SavefileSource {
  /** Batches; one stays valid until the read after the next one. */
  readonly stream: ReadableStream<PacketBatch>;
  /** Errors in the order met: skipped files, damage that ended a file. */
  readonly errors: CaptureFileError[];
  /** The inputs opened so far (all of them once a batch has been read). */
  readonly files: readonly SavefileInfo[];
  /** Link type of the first input that opened, -1 before or if none. */
  firstLinkType(): number;
  /** Snapshot length of the first input that opened, -1 before or if none. */
  firstSnaplen(): number;
  /** Stops reading (e.g. -N reached): the stream ends, files are closed. */
  stop(): void;
}

/** Options of a savefile source. */
export interface SavefileOptions {
  /**
   * Says why an input's link type cannot be used, or null when it can. A
   * refusal is fatal, as argus's "unsupported device type": no file is
   * read at all.
   */
  checkLinkType?: (linkType: number) => string | null;
  /** Packets per batch. @default 4096 */
  batchPackets?: number;
  /** Read size in bytes. @default 1048576 */
  chunkBytes?: number;
  /**
   * argus -f: at the end of a file (not standard input), wait for more
   * packets to be appended until `stop()`. @default false
   */
  follow?: boolean;
  /** argus -t: inputs that are no pcap or pcapng are MOAT tsh. @default false */
  moatTsh?: boolean;
}

/**
 * Streams the packets of `paths` ("-" is standard input) in order.
 * @example
 * ```ts
 * const source = savefileSource(["a.pcap", "b.pcapng"]);
 * for await (const batch of source.stream) console.log(batch.count);
 * for (const e of source.errors) console.error(e.message);
 * ```
 */
export function savefileSource(
  paths: readonly string[],
  options: SavefileOptions = {},
): SavefileSource {
  const errors: CaptureFileError[] = [];
  const files: SavefileInfo[] = [];
  const batchPackets = options.batchPackets ?? BATCH_PACKETS;
  const chunk = options.chunkBytes ?? CHUNK_BYTES;
  // Two batches alternate: a batch stays valid while the next is in use.
  const batches = [
    new PacketBatch(batchPackets),
    new PacketBatch(batchPackets),
  ];
  let turn = 0;
  const open: OpenCapture[] = [];
  let current = 0;
  let opened = false;
  let stopped = false;
  let busy = false;
  const followers: FollowReader[] = [];

  const closeAll = () => {
    for (const o of open) o.close();
    current = open.length;
  };

  async function openAll(): Promise<void> {
    opened = true;
    for (const path of paths) {
      // argus stops at an input it cannot open at all, and goes on past
      // one whose contents libpcap refuses.
      let input;
      try {
        input = await openInput(path);
      } catch (e) {
        if (!(e instanceof CaptureFileError)) throw e;
        errors.push(e);
        return stop();
      }
      let bytes = input.source;
      if (options.follow && path !== "-") {
        const follower = new FollowReader(bytes);
        followers.push(follower);
        bytes = follower;
      }
      let o: OpenCapture;
      try {
        o = {
          reader: await openCaptureReader(bytes, path, chunk, {
            moatTsh: options.moatTsh ?? false,
          }),
          close: input.close,
        };
      } catch (e) {
        input.close();
        if (e instanceof CaptureFileError) errors.push(e);
        else if (isIoError(e)) {
          errors.push(new CaptureFileError(path, -1, "read error", e.message));
        } else throw e;
        continue;
      }
      open.push(o);
      const why = options.checkLinkType?.(o.reader.linkType) ?? null;
      if (why !== null) {
        errors.push(new CaptureFileError(path, -1, why));
        return stop();
      }
      files.push({
        path,
        linkType: o.reader.linkType,
        snaplen: o.reader.snaplen,
        bigEndian: o.reader.bigEndian,
      });
    }
  }

  function stop(): void {
    stopped = true;
    for (const f of followers) f.stop();
    if (!busy) closeAll();
  }

  const stream = new ReadableStream<PacketBatch>({
    async pull(controller) {
      busy = true;
      try {
        if (!opened) await openAll();
        while (!stopped && current < open.length) {
          const o = open[current]!;
          const batch = batches[turn]!;
          let more: boolean;
          try {
            more = await o.reader.next(batch);
          } catch (e) {
            if (!isIoError(e)) throw e;
            errors.push(
              new CaptureFileError(
                files[current]?.path ?? "",
                -1,
                "read error",
                e.message,
              ),
            );
            more = false;
          }
          if (more) {
            turn ^= 1;
            controller.enqueue(batch);
            return;
          }
          if (o.reader.error !== null) errors.push(o.reader.error);
          o.close();
          current++;
        }
        closeAll();
        controller.close();
      } catch (e) {
        closeAll();
        throw e;
      } finally {
        busy = false;
        if (stopped) closeAll();
      }
    },
    cancel() {
      stopped = true;
      for (const f of followers) f.stop();
      if (!busy) closeAll();
    },
  }, { highWaterMark: 0 });

  return {
    stream,
    errors,
    files,
    firstLinkType: () => files[0]?.linkType ?? -1,
    firstSnaplen: () => files[0]?.snaplen ?? -1,
    stop,
  };
}
