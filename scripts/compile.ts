/**
 * `deno task compile [--target aarch64-unknown-linux-gnu]`: the single
 * binary dist/argus (dist/argus-aarch64) with `deno compile`, permissions
 * from baked_permissions.ts and V8 flags from baked_v8_flags.ts, and for
 * the native build the program links
 * beside it. deno compile needs denort, the runtime without the CLI, of
 * the same deno version and target: DENORT_BIN names a local one, else
 * deno downloads it. When neither works this says so in one line and
 * leaves no binary: never a fake one.
 * @module
 */

import { BAKED_PERMISSIONS } from "./baked_permissions.ts";
import { V8_FLAGS_ARG } from "./baked_v8_flags.ts";
import { installLinks } from "./program_links.ts";

/** Targets deno compile can build for Linux (glibc), and their outputs. */
const TARGETS = {
  "x86_64-unknown-linux-gnu": { out: "argus", elfMachine: 62 },
  "aarch64-unknown-linux-gnu": { out: "argus-aarch64", elfMachine: 183 },
} as const;
type Target = keyof typeof TARGETS;

const NATIVE: Target = "x86_64-unknown-linux-gnu";
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const VERSION = Deno.version.deno;
// Printed by the full deno's REPL only; denort has no REPL. Given the full
// deno as DENORT_BIN, deno compile "succeeds" with a binary that ignores
// main.ts and starts a REPL (checked with 2.9.6).
const FULL_DENO_MARKER = "exit using ctrl+d, ctrl+c, or close()";

class CompileError extends Error {}

function howToProvide(target: Target): string {
  return `set DENORT_BIN=/path/to/denort (denort ${VERSION} for ${target}, unzipped from https://dl.deno.land/release/v${VERSION}/denort-${target}.zip) or allow network access to dl.deno.land`;
}

/** `[--target T] [--dist DIR]`: the target, and where binaries go. */
function parseArgs(args: string[]): { target: Target; dist: string } {
  let target: string = NATIVE;
  let dist = "dist";
  for (let i = 0; i < args.length; i += 2) {
    const value = args[i + 1];
    if (args[i] === "--target" && value !== undefined) target = value;
    else if (args[i] === "--dist" && value !== undefined) dist = value;
    else target = "";
  }
  if (!(target in TARGETS)) {
    throw new CompileError(
      `usage: deno task compile [--target ${
        Object.keys(TARGETS).join("|")
      }] [--dist DIR]`,
    );
  }
  return { target: target as Target, dist };
}

/** Refuses a DENORT_BIN that cannot give a working binary for target. */
async function checkDenort(path: string, target: Target): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    throw new CompileError(
      `DENORT_BIN=${path} does not exist or cannot be read; ${
        howToProvide(target)
      }`,
    );
  }
  const elf = bytes.length > 20 && bytes[0] === 0x7f && bytes[1] === 0x45 &&
    bytes[2] === 0x4c && bytes[3] === 0x46;
  const machine = elf ? bytes[18]! | (bytes[19]! << 8) : -1;
  if (machine !== TARGETS[target].elfMachine) {
    throw new CompileError(
      `DENORT_BIN=${path} is not an executable for ${target}; ${
        howToProvide(target)
      }`,
    );
  }
  const text = new TextDecoder("latin1").decode(bytes);
  if (text.includes(FULL_DENO_MARKER)) {
    throw new CompileError(
      `DENORT_BIN=${path} is the full deno, not denort; ${
        howToProvide(target)
      }`,
    );
  }
}

async function compile(target: Target, partial: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "--target",
      target,
      ...BAKED_PERMISSIONS,
      V8_FLAGS_ARG,
      "-o",
      partial,
      MAIN,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (out.code === 0) return;
  const text = new TextDecoder().decode(out.stderr)
    // deno colours its report even into a pipe
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, "");
  if (/unpacking|zip archive/i.test(text)) {
    throw new CompileError(
      `deno compile could not unpack denort ${VERSION} for ${target} (a damaged archive under DENO_DIR/dl?); ${
        howToProvide(target)
      }`,
    );
  }
  if (/denort|dl\.deno\.land|base binary/i.test(text)) {
    throw new CompileError(
      `deno compile could not get denort ${VERSION} for ${target} (no DENORT_BIN, and dl.deno.land cannot be reached); ${
        howToProvide(target)
      }`,
    );
  }
  const first = text.split("\n").find((l) => /error/i.test(l)) ??
    text.split("\n").find((l) => l.trim() !== "") ?? "";
  throw new CompileError(`deno compile failed: ${first.trim()}`);
}

/** The native build must run our programs: ra -h names ra and its version. */
async function smokeTest(binary: string): Promise<void> {
  const out = await new Deno.Command(binary, {
    args: ["ra", "-h"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => null);
  const text = out ? new TextDecoder().decode(out.stdout) : "";
  if (out?.code !== 0 || !/^ra \d/.test(text)) {
    throw new CompileError(
      `the binary deno compile built does not run argus-ts (is DENORT_BIN a denort ${VERSION}?); ${
        howToProvide(NATIVE)
      }`,
    );
  }
}

async function main(args: string[]): Promise<number> {
  let partial: string | undefined;
  try {
    const { target, dist } = parseArgs(args);
    const out = `${dist}/${TARGETS[target].out}`;
    const denort = Deno.env.get("DENORT_BIN");
    if (denort !== undefined) await checkDenort(denort, target);
    await Deno.mkdir(dist, { recursive: true });
    partial = `${out}.partial`;
    await compile(target, partial);
    if (target === NATIVE) await smokeTest(partial);
    await Deno.rename(partial, out);
    partial = undefined;
    if (target === NATIVE) await installLinks(dist, out);
    const size = (await Deno.stat(out)).size / 1e6;
    console.log(
      `compile: ${out} (${target}, ${size.toFixed(1)} MB)${
        target === NATIVE ? `, linked in ${dist}/ as ra, racluster, ...` : ""
      }`,
    );
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`compile: ${message}`);
    return e instanceof CompileError && message.startsWith("usage") ? 2 : 1;
  } finally {
    if (partial !== undefined) await Deno.remove(partial).catch(() => {});
  }
}

Deno.exitCode = await main(Deno.args);
