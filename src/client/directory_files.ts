/**
 * ra -R: the record files under directories, as the real ra gathers them
 * (RaDescend: every regular file whose name does not start with '.'),
 * after which ra sorts its whole input list by path, byte by byte
 * (ArgusSortFileList). Files that do not start like Argus 3 records or
 * gzip data are passed over, as ra passes over what it cannot read there.
 * @module
 */

import { UsageError } from "../cli/mod.ts";

/** Byte order of two names (strcmp), not locale order. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a file starts like Argus 3 records (or gzip data). */
function looksLikeRecords(path: string): boolean {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path);
  } catch {
    return false;
  }
  try {
    const head = new Uint8Array(4);
    const n = file.readSync(head) ?? 0;
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    return n === 4 && (head[0]! & 0x0f) === 3 && (head[2]! | head[3]!) !== 0;
  } finally {
    file.close();
  }
}

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch (e) {
    throw new UsageError(
      `-R: cannot read directory "${dir}": ${(e as Error).message}`,
    );
  }
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const path = `${dir}/${name}`;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch {
      continue;
    }
    if (info.isDirectory) walk(path, out);
    else if (info.isFile && looksLikeRecords(path)) out.push(path);
  }
}

/**
 * Adds the record files under `dirs` to `files` and sorts the whole list
 * by path, as ra does for -R.
 */
export function addDirectoryFiles(
  files: string[],
  dirs: readonly string[],
): void {
  for (const dir of dirs) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(dir);
    } catch (e) {
      throw new UsageError(`-R: cannot read "${dir}": ${(e as Error).message}`);
    }
    // ra skips a hidden path given itself ("." and "./x" are read).
    if (dir.length > 1 && dir[0] === "." && dir[1] !== "/") continue;
    if (info.isDirectory) walk(dir, files);
    else if (info.isFile) files.push(dir);
  }
  files.sort(byName);
}
