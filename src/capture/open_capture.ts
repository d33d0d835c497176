/**
 * Opens one -r input: a path or "-" for standard input, sniffed as classic
 * pcap or pcapng by its first bytes (as libpcap's pcap_open_offline does).
 * @module
 */

import { CaptureFileError } from "./capture_file_error.ts";
import type { CaptureReader } from "./capture_reader.ts";
import { type ByteReader, ChunkedInput } from "./chunked_input.ts";
import { isPcapMagic, PcapReader } from "./pcap_reader.ts";
import { isPcapngMagic, PcapngReader } from "./pcapng_reader.ts";

/** An open capture input and how to release it. */
export interface OpenCapture {
  reader: CaptureReader;
  close(): void;
}

/** Opens a reader over `source`; throws CaptureFileError. */
export async function openCaptureReader(
  source: ByteReader,
  name: string,
): Promise<CaptureReader> {
  const input = new ChunkedInput(source);
  if (!(await input.ensure(4))) {
    const got = input.available;
    throw new CaptureFileError(
      name,
      -1,
      got === 0 ? "the file is empty" : `truncated file header (${got} bytes)`,
    );
  }
  const head = input.buf.subarray(input.pos, input.pos + 4);
  if (isPcapMagic(head)) return await PcapReader.open(input, name);
  if (isPcapngMagic(head)) return await PcapngReader.open(input, name);
  throw new CaptureFileError(name, -1, "unknown file format");
}

/** Opens a path, or standard input for "-". */
export async function openCapture(path: string): Promise<OpenCapture> {
  if (path === "-") {
    return { reader: await openCaptureReader(Deno.stdin, "-"), close() {} };
  }
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : e instanceof Error
      ? e.message
      : String(e);
    throw new CaptureFileError(path, -1, why);
  }
  try {
    if ((await file.stat()).isDirectory) {
      throw new CaptureFileError(path, -1, "it is a directory");
    }
    return {
      reader: await openCaptureReader(file, path),
      close: () => file.close(),
    };
  } catch (e) {
    file.close();
    throw e;
  }
}
