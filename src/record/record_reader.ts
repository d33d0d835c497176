/**
 * Reads Argus 3 record streams: files ("-" = standard input), byte
 * readers, ReadableStreams or byte arrays, plain or gzip-compressed (sniffed
 * from the 1f 8b magic), ours or the real argus's (docs/record-format.md).
 * Two ways out: a visitor that sees each record in place (no allocation,
 * for ra), and decoded models (ArgusRecord) in batches, one by one or as a
 * ReadableStream. On damage every good record is delivered first, then one
 * RecordFormatError names the stream and the byte offset.
 * @module
 */

import type { ArgusRecord } from "./argus_record.ts";
import { decodeRecord } from "./record_decoder.ts";
import { RecordFormatError } from "./record_format_error.ts";
import { RecordFramer } from "./record_framer.ts";

/** A reader of bytes, as Deno.FsFile and Deno.stdin are. */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/** Where records can come from; a string is a file path, "-" stdin. */
export type RecordSource =
  | string
  | Uint8Array
  | ReadableStream<Uint8Array>
  | ByteReader
  | AsyncIterable<Uint8Array>;

/** Options of the model readers. */
export interface ReadOptions {
  /** Name used in errors. @default the path, or "-" for other sources */
  name?: string;
  /** Read size for files and byte readers. @default 1 MiB */
  chunkSize?: number;
}

/**
 * Called once per record with its bytes at `buf[start..start+length)`,
 * valid during the call only; returning false stops reading.
 */
export type RecordVisitor = (
  buf: Uint8Array,
  start: number,
  length: number,
  fileOffset: number,
) => void | boolean;

const CHUNK = 1 << 20;

/** A decompression failure, turned into a RecordFormatError by the caller. */
class GzipFailure extends Error {}

/** The stream's bytes as they come, from whatever the source is. */
async function* rawChunks(
  source: RecordSource,
  name: string,
  chunkSize: number,
): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
  } else if (typeof source === "string") {
    if (source === "-") {
      yield* readerChunks(Deno.stdin, chunkSize);
      return;
    }
    let file: Deno.FsFile;
    try {
      file = await Deno.open(source);
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "no such file"
        : e instanceof Error
        ? e.message
        : String(e);
      throw new RecordFormatError(name, 0, why);
    }
    try {
      // A regular file is read on this thread: from the page cache that
      // takes microseconds, where the asynchronous read's round trip
      // through the thread pool left the clients idle ~0.1 s per 1M
      // records. Devices and FIFOs may block: they stay asynchronous.
      if ((await file.stat()).isFile) yield* fileChunks(file, chunkSize);
      else yield* readerChunks(file, chunkSize);
    } finally {
      file.close();
    }
  } else if (source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      reader.releaseLock();
    }
  } else if ("read" in source && typeof source.read === "function") {
    yield* readerChunks(source, chunkSize);
  } else {
    yield* source as AsyncIterable<Uint8Array>;
  }
}

/** Reads into one reused buffer: each chunk is valid until the next. */
async function* readerChunks(
  reader: ByteReader,
  chunkSize: number,
): AsyncGenerator<Uint8Array> {
  const buf = new Uint8Array(chunkSize);
  for (;;) {
    const n = await reader.read(buf);
    if (n === null) return;
    if (n > 0) yield buf.subarray(0, n);
  }
}

/** readerChunks for a regular file, read synchronously. */
async function* fileChunks(
  file: Deno.FsFile,
  chunkSize: number,
): AsyncGenerator<Uint8Array> {
  const buf = new Uint8Array(chunkSize);
  for (;;) {
    const n = file.readSync(buf);
    if (n === null) return;
    if (n > 0) yield buf.subarray(0, n);
  }
}

/** The stream's record bytes: gunzipped when it starts with 1f 8b. */
async function* inputChunks(
  source: RecordSource,
  name: string,
  chunkSize: number,
): AsyncGenerator<Uint8Array> {
  const raw = rawChunks(source, name, chunkSize);
  try {
    let head: Uint8Array | null = null;
    while (head === null || head.length < 2) {
      const r = await raw.next();
      if (r.done) break;
      head = head === null ? r.value : concat(head, r.value);
    }
    if (head === null) return;
    if (head[0] === 0x1f && head[1] === 0x8b) {
      yield* gunzip(head.slice(), raw);
    } else {
      yield head;
      yield* raw;
    }
  } finally {
    await raw.return(undefined);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

async function* gunzip(
  head: Uint8Array,
  raw: AsyncGenerator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const compressed = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(head);
    },
    async pull(c) {
      const r = await raw.next();
      // Byte readers reuse their buffer; the decompressor may hold on.
      if (r.done) c.close();
      else c.enqueue(r.value.slice());
    },
  });
  const reader = compressed
    .pipeThrough(
      new DecompressionStream("gzip") as TransformStream<
        Uint8Array,
        Uint8Array
      >,
    )
    .getReader();
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch (e) {
      throw new GzipFailure(e instanceof Error ? e.message : String(e));
    }
    if (r.done) return;
    yield r.value;
  }
}

function gzipError(framer: RecordFramer, e: GzipFailure): RecordFormatError {
  return new RecordFormatError(
    framer.name,
    framer.position + framer.pending,
    `corrupt or truncated gzip data (${e.message})`,
  );
}

/**
 * Visits every record of `source` in place; stops early when the visitor
 * returns false.
 * @throws RecordFormatError after the good records, on damage
 */
export async function readRecords(
  source: RecordSource,
  name: string,
  visit: RecordVisitor,
): Promise<void> {
  const framer = new RecordFramer(name);
  try {
    for await (const chunk of inputChunks(source, name, CHUNK)) {
      framer.push(chunk);
      if (!framer.drain(visit)) return;
    }
  } catch (e) {
    throw e instanceof GzipFailure ? gzipError(framer, e) : e;
  }
  framer.finish();
}

/** Visits every record of a file ("-" for standard input). */
export async function readRecordFile(
  path: string,
  visit: RecordVisitor,
): Promise<void> {
  await readRecords(path, path, visit);
}

/**
 * Decoded records of `source`, one batch per chunk read.
 * @throws RecordFormatError after yielding every good record, on damage
 */
export async function* readRecordBatches(
  source: RecordSource,
  options: ReadOptions = {},
): AsyncGenerator<ArgusRecord[]> {
  const name = options.name ?? (typeof source === "string" ? source : "-");
  const framer = new RecordFramer(name);
  try {
    for await (
      const chunk of inputChunks(source, name, options.chunkSize ?? CHUNK)
    ) {
      framer.push(chunk);
      const batch: ArgusRecord[] = [];
      try {
        while (framer.next()) {
          batch.push(
            decodeRecord(
              framer.buf,
              framer.view,
              framer.start,
              framer.length,
              name,
              framer.offset,
            ),
          );
        }
      } catch (e) {
        if (batch.length > 0) yield batch;
        throw e;
      }
      if (batch.length > 0) yield batch;
    }
  } catch (e) {
    throw e instanceof GzipFailure ? gzipError(framer, e) : e;
  }
  framer.finish();
}

/**
 * Decoded records of `source`, one by one.
 * @throws RecordFormatError after yielding every good record, on damage
 */
export async function* readArgusRecords(
  source: RecordSource,
  options: ReadOptions = {},
): AsyncGenerator<ArgusRecord> {
  for await (const batch of readRecordBatches(source, options)) yield* batch;
}

/**
 * Decoded record batches as a ReadableStream. It errors (RecordFormatError)
 * only when asked for more after the last good batch was taken, so no
 * record is lost to the error.
 */
export function recordStream(
  source: RecordSource,
  options: ReadOptions = {},
): ReadableStream<ArgusRecord[]> {
  const batches = readRecordBatches(source, options);
  return new ReadableStream<ArgusRecord[]>({
    async pull(controller) {
      const r = await batches.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel() {
      await batches.return(undefined);
    },
  }, { highWaterMark: 0 });
}

/** What decodeRecordBytes found: the good records, then the damage if any. */
export interface DecodedBytes {
  records: ArgusRecord[];
  error: RecordFormatError | null;
}

/** Decodes a whole uncompressed record stream held in memory. */
export function decodeRecordBytes(bytes: Uint8Array, name = "-"): DecodedBytes {
  const framer = new RecordFramer(name);
  const records: ArgusRecord[] = [];
  try {
    framer.push(bytes);
    while (framer.next()) {
      records.push(
        decodeRecord(
          framer.buf,
          framer.view,
          framer.start,
          framer.length,
          name,
          framer.offset,
        ),
      );
    }
    framer.finish();
  } catch (e) {
    if (!(e instanceof RecordFormatError)) throw e;
    return { records, error: e };
  }
  return { records, error: null };
}
