/**
 * Builds the single binary dist/argus with `deno compile` and links the
 * program names (ra, racluster, ...) to it, busybox style. deno compile
 * needs the denort runtime: DENORT_BIN names a local one (deno reads it
 * itself); without it deno downloads one, and where that host is
 * unreachable this says so in one line instead of a backtrace.
 * @module
 */

import { PROGRAM_NAMES } from "../src/programs/dispatch.ts";

const PERMISSIONS = [
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-net",
  // argus -d starts its own binary again, detached (Deno cannot fork).
  "--allow-run",
];

async function main(): Promise<number> {
  const denort = Deno.env.get("DENORT_BIN");
  if (denort !== undefined) {
    try {
      await Deno.stat(denort);
    } catch {
      console.error(`compile: DENORT_BIN=${denort} does not exist`);
      return 1;
    }
  }
  await Deno.mkdir("dist", { recursive: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["compile", ...PERMISSIONS, "-o", "dist/argus", "main.ts"],
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    const text = new TextDecoder().decode(out.stderr);
    const offline = /dns error|failed to lookup|error sending request/i.test(
      text,
    );
    console.error(
      offline
        ? "compile: deno compile could not download its denort runtime; set DENORT_BIN to a local denort, or build the offline single file with `deno task bundle`"
        : `compile: deno compile failed: ${
          text.split("\n").find((l) => l.trim()) ?? ""
        }`,
    );
    return 1;
  }
  for (const name of PROGRAM_NAMES) {
    if (name === "argus") continue;
    const link = `dist/${name}`;
    await Deno.remove(link).catch(() => {});
    await Deno.symlink("argus", link);
  }
  console.log(`compile: dist/argus, linked as ${PROGRAM_NAMES.join(", ")}`);
  return 0;
}

Deno.exitCode = await main();
