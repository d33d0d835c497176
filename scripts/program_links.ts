/**
 * Busybox-style program links: argus, ra, racluster, rasort, racount and
 * ragrep in one directory, each a symlink to the one binary, which picks
 * its program from the name it was run as (src/programs/dispatch.ts).
 * @module
 */

import { PROGRAM_NAMES } from "../src/programs/dispatch.ts";

/** What installLinks did to each name. */
export interface LinkResult {
  name: string;
  state: "created" | "unchanged" | "binary";
}

/**
 * Links every program name in `dir` to `binary`: relative when the binary
 * is in `dir` (so the pair can be moved together), absolute otherwise.
 * Idempotent; checks every name before it creates any, and never replaces
 * a file or a link to something else (a real argus may live there).
 * @throws Error with one line naming the path that is in the way
 */
export async function installLinks(
  dir: string,
  binary: string,
): Promise<LinkResult[]> {
  const dirPath = await realDirectory(dir);
  let binPath: string;
  try {
    binPath = await Deno.realPath(binary);
    if (!(await Deno.stat(binPath)).isFile) throw new Error("not a file");
  } catch {
    throw new Error(`Cannot link to "${binary}": no such file`);
  }
  const slash = binPath.lastIndexOf("/");
  const target = binPath.slice(0, slash) === dirPath
    ? binPath.slice(slash + 1)
    : binPath;

  const plan: LinkResult[] = [];
  for (const name of PROGRAM_NAMES) {
    const path = `${dirPath}/${name}`;
    if (path === binPath) {
      plan.push({ name, state: "binary" });
      continue;
    }
    let info: Deno.FileInfo | null = null;
    try {
      info = await Deno.lstat(path);
    } catch {
      info = null;
    }
    if (info === null) plan.push({ name, state: "created" });
    else if (info.isSymlink && await Deno.readLink(path) === target) {
      plan.push({ name, state: "unchanged" });
    } else {
      throw new Error(
        `Cannot link "${path}": it exists and is not a link to "${target}" (remove it first)`,
      );
    }
  }
  for (const { name, state } of plan) {
    if (state === "created") await Deno.symlink(target, `${dirPath}/${name}`);
  }
  return plan;
}

async function realDirectory(dir: string): Promise<string> {
  try {
    const path = await Deno.realPath(dir);
    if ((await Deno.stat(path)).isDirectory) return path;
  } catch {
    // reported below
  }
  throw new Error(`Cannot install links in "${dir}": not a directory`);
}
