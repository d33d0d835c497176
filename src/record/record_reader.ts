/**
 * Reads Argus record files (plain or gzip-compressed, files or standard
 * input) record by record, in place from big chunks: the visitor gets the
 * buffer and the record's offset and length, valid during the call. Damage
 * (a cut or impossible record, Argus 2 records) is thrown as a
 * RecordFormatError after every good record has been visited.
 * @module
 */

import { type ByteReader, ChunkedInput } from "../capture/chunked_input.ts";
import { RecordFormatError } from "./record_format_error.ts";

/** Called once per record. */
export type RecordVisitor = (
  buf: Uint8Array,
  start: number,
  length: number,
  fileOffset: number,
) => void | boolean;

/** Reads every record of `source`; a visitor returning false stops early. */
export async function readRecords(
  source: ByteReader,
  name: string,
  visit: RecordVisitor,
): Promise<void> {
  let input = new ChunkedInput(source, 1 << 20);
  if (await input.ensure(2)) {
    const b = input.buf, p = input.pos;
    if (b[p] === 0x1f && b[p + 1] === 0x8b) {
      input = new ChunkedInput(gunzip(input), 1 << 20);
    }
  }
  for (;;) {
    if (input.available < 4 && !(await input.ensure(4))) {
      if (input.available === 0) return;
      throw new RecordFormatError(
        name,
        input.offset,
        "truncated record header",
      );
    }
    let b = input.buf, p = input.pos;
    const type = b[p]!;
    const version = type & 0x0f;
    if (version !== 3) {
      throw new RecordFormatError(
        name,
        input.offset,
        version === 2
          ? "Argus version 2 records are not supported"
          : `not an Argus 3 record (type byte 0x${type.toString(16)})`,
      );
    }
    const len = ((b[p + 2]! << 8) | b[p + 3]!) * 4;
    if (len < 4) {
      throw new RecordFormatError(name, input.offset, "zero-length record");
    }
    if (input.available < len) {
      if (!(await input.ensure(len))) {
        throw new RecordFormatError(
          name,
          input.offset,
          `truncated record (${len} bytes, ${input.available} left)`,
        );
      }
      b = input.buf;
      p = input.pos;
    }
    const offset = input.offset;
    input.pos = p + len;
    if (visit(b, p, len, offset) === false) return;
  }
}

/** A ByteReader over the gunzipped rest of `input`. */
function gunzip(input: ChunkedInput): ByteReader {
  const raw = new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      if (input.available === 0 && !(await input.ensure(1))) {
        controller.close();
        return;
      }
      controller.enqueue(input.buf.slice(input.pos, input.end));
      input.pos = input.end;
    },
  });
  const reader = raw.pipeThrough(new DecompressionStream("gzip")).getReader();
  let pending: Uint8Array | null = null;
  return {
    async read(p: Uint8Array): Promise<number | null> {
      if (pending === null || pending.length === 0) {
        const r = await reader.read();
        if (r.done) return null;
        pending = r.value;
      }
      const n = Math.min(p.length, pending.length);
      p.set(pending.subarray(0, n));
      pending = pending.subarray(n);
      return n;
    },
  };
}

/** Opens a record file ("-" for standard input) and reads it. */
export async function readRecordFile(
  path: string,
  visit: RecordVisitor,
): Promise<void> {
  if (path === "-") return await readRecords(Deno.stdin, "-", visit);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : e instanceof Error
      ? e.message
      : String(e);
    throw new RecordFormatError(path, -1, why);
  }
  try {
    await readRecords(file, path, visit);
  } finally {
    file.close();
  }
}
