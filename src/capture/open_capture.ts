/**
 * Opens one -r input, a path or "-" for standard input, and picks the
 * reader by the first four bytes as pcap_open_offline does: a classic pcap
 * magic in either byte order, or a pcapng section header. Then, as argus's
 * ArgusOpenInputPacketFile goes on: ERF for a name containing ".erf",
 * tsh with -t, snoop by its magic.
 * @module
 */

import { CaptureFileError, EmptyCaptureFile } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import { type ByteReader, CHUNK_BYTES, ChunkedInput } from "./chunked_input.ts";
import { isPcapMagic, PcapReader } from "./pcap_reader.ts";
import { isPcapngMagic, PcapngReader } from "./pcapng_reader.ts";
import { ErfReader, isErfName } from "./erf_reader.ts";
import { isSnoopMagic, SnoopReader } from "./snoop_reader.ts";
import { TshReader } from "./tsh_reader.ts";
import { FileByteReader } from "./file_byte_reader.ts";

/** How to read inputs that carry no magic. */
export interface CaptureFormatOptions {
  /** argus -t: a file that is no pcap or pcapng is MOAT tsh. */
  moatTsh?: boolean;
}

/** An open capture input and how to release it. */
export interface OpenCapture {
  reader: CaptureReader;
  /** Closes the file (not standard input); safe to call twice. */
  close(): void;
}

/**
 * Opens a reader over `source`, named `name` in errors.
 * @param chunk read size in bytes
 * @throws CaptureFileError when the input is empty, of an unknown format
 * or has an unusable file header
 */
export async function openCaptureReader(
  source: ByteReader,
  name: string,
  chunk: number = CHUNK_BYTES,
  formats: CaptureFormatOptions = {},
): Promise<CaptureReader> {
  const input = new ChunkedInput(source, chunk);
  const whole = await input.ensure(4);
  if (input.available === 0) throw new EmptyCaptureFile(name);
  const head = input.buf, p = input.pos;
  if (whole && isPcapMagic(head, p)) return await PcapReader.open(input, name);
  if (whole && isPcapngMagic(head, p)) {
    return await PcapngReader.open(input, name);
  }
  // Headerless formats: their readers judge a short file.
  if (isErfName(name)) return await ErfReader.open(input, name);
  if (formats.moatTsh) return await TshReader.open(input, name);
  if (!whole) {
    throw new CaptureFileError(
      name,
      0,
      "truncated file header",
      `${input.available} bytes`,
    );
  }
  if (isSnoopMagic(head, p)) return await SnoopReader.open(input, name);
  const magic = Array.from(
    head.subarray(p, p + 4),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");
  throw new CaptureFileError(
    name,
    -1,
    "not a pcap or pcapng file",
    `it starts with 0x${magic}`,
  );
}

/** An opened file (or standard input) before its format is known. */
export interface OpenInput {
  source: ByteReader;
  /** Closes the file (not standard input); safe to call twice. */
  close(): void;
}

/**
 * Opens a path for reading, or standard input for "-".
 * @throws CaptureFileError when it cannot be opened (no such file, no
 * permission, a directory)
 */
export async function openInput(path: string): Promise<OpenInput> {
  if (path === "-") return { source: Deno.stdin, close() {} };
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw isIoError(e)
      ? new CaptureFileError(path, -1, describeOpenError(e))
      : e;
  }
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      file.close();
    }
  };
  let info: Deno.FileInfo;
  try {
    info = await file.stat();
    if (info.isDirectory) {
      throw new CaptureFileError(path, -1, "it is a directory");
    }
  } catch (e) {
    close();
    throw isIoError(e)
      ? new CaptureFileError(path, -1, describeOpenError(e))
      : e;
  }
  return { source: info.isFile ? new FileByteReader(file) : file, close };
}

/**
 * Opens a path, or standard input for "-", and its reader.
 * @throws CaptureFileError when it cannot be opened or its header is bad
 */
export async function openCapture(
  path: string,
  chunk: number = CHUNK_BYTES,
  formats: CaptureFormatOptions = {},
): Promise<OpenCapture> {
  const input = await openInput(path);
  try {
    return {
      reader: await openCaptureReader(input.source, path, chunk, formats),
      close: input.close,
    };
  } catch (e) {
    input.close();
    throw isIoError(e)
      ? new CaptureFileError(path, -1, describeOpenError(e))
      : e;
  }
}

/** Whether `e` is one of Deno's I/O errors (not a bug of ours). */
export function isIoError(e: unknown): e is Error {
  return Object.values(Deno.errors).some((kind) => e instanceof kind);
}

function describeOpenError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (
    e instanceof Deno.errors.PermissionDenied ||
    e instanceof Deno.errors.NotCapable
  ) {
    return "permission denied";
  }
  return e instanceof Error ? e.message : String(e);
}
