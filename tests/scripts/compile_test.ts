/**
 * `deno task compile` (scripts/compile.ts): without a usable denort it
 * fails with one line saying how to provide one and leaves no binary;
 * with DENORT_BIN set to a working denort it builds dist/argus, and the
 * binary and an `ra` link to it pass the sample end-to-end check.
 * @module
 */

import assert from "node:assert/strict";
import { haveRealArgus, run } from "../_util/oracle.ts";
import { PROGRAM_NAMES } from "../../src/programs/dispatch.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const COMPILE = `${ROOT}scripts/compile.ts`;
const PERMS = ["--allow-run", "--allow-read", "--allow-write", "--allow-env"];
const HOW =
  /set DENORT_BIN=\/path\/to\/denort \(denort 2\.9\.6 for x86_64-unknown-linux-gnu, unzipped from https:\/\/dl\.deno\.land\/release\/v2\.9\.6\/denort-x86_64-unknown-linux-gnu\.zip\) or allow network access to dl\.deno\.land$/;

async function compile(
  dist: string,
  denort: string | undefined,
  extra: string[] = [],
  envExtra: Record<string, string> = {},
): Promise<{ code: number; stderr: string; stdout: string }> {
  // A clean environment, so an inherited DENORT_BIN stays out when asked.
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  if (denort !== undefined) env.DENORT_BIN = denort;
  Object.assign(env, envExtra);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, COMPILE, "--dist", dist, ...extra],
    cwd: ROOT,
    clearEnv: true,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return decode(out);
}

function decode(o: Deno.CommandOutput) {
  const dec = new TextDecoder();
  return {
    code: o.code,
    stdout: dec.decode(o.stdout),
    stderr: dec.decode(o.stderr),
  };
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch {
    // no directory: nothing in it
  }
  return names.sort();
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected:\n${stderr}`);
  return lines[0]!;
}

Deno.test("compile: a missing or wrong DENORT_BIN is one line, no binary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cpl-bad-" });
  try {
    const missing = await compile(`${dir}/dist`, `${dir}/no-denort`);
    assert.equal(missing.code, 1);
    const line = oneLine(missing.stderr);
    assert.match(line, /^compile: DENORT_BIN=.*no-denort does not exist/);
    assert.match(line, HOW);

    // The full deno "works" as a base binary but builds a REPL, not argus.
    const full = await compile(`${dir}/dist`, Deno.execPath());
    assert.equal(full.code, 1);
    assert.match(oneLine(full.stderr), /is the full deno, not denort; set/);

    const arm = await compile(`${dir}/dist`, Deno.execPath(), [
      "--target",
      "aarch64-unknown-linux-gnu",
    ]);
    assert.equal(arm.code, 1);
    assert.match(
      oneLine(arm.stderr),
      /is not an executable for aarch64-unknown-linux-gnu; set DENORT_BIN/,
    );

    const usage = await compile(`${dir}/dist`, undefined, ["--target", "mips"]);
    assert.equal(usage.code, 2);
    assert.match(oneLine(usage.stderr), /^compile: usage: deno task compile/);
    assert.deepEqual(await listDir(`${dir}/dist`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile: without DENORT_BIN, offline, one line saying how to get denort", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cpl-offline-" });
  try {
    const out = await compile(`${dir}/dist`, undefined);
    if (out.code === 0) {
      // denort was downloaded or cached: the build must then be real.
      console.log("compile: denort obtainable without DENORT_BIN here");
      await endToEnd(`${dir}/dist`);
      return;
    }
    assert.equal(out.code, 1);
    const line = oneLine(out.stderr);
    assert.match(
      line,
      /^compile: deno compile could not get denort 2\.9\.6 for x86_64-unknown-linux-gnu \(no DENORT_BIN, and dl\.deno\.land cannot be reached\); /,
    );
    assert.match(line, HOW);
    assert.deepEqual(await listDir(`${dir}/dist`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile: a damaged denort archive in deno's cache is one line, no binary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cpl-zip-" });
  try {
    // deno looks for the archive here before downloading it (checked).
    const dl = `${dir}/deno_dir/dl/release/v2.9.6`;
    await Deno.mkdir(dl, { recursive: true });
    await Deno.writeTextFile(
      `${dl}/denort-x86_64-unknown-linux-gnu.zip`,
      "not a zip\n",
    );
    const out = await compile(`${dir}/dist`, undefined, [], {
      DENO_DIR: `${dir}/deno_dir`,
    });
    assert.equal(out.code, 1);
    const line = oneLine(out.stderr);
    assert.match(
      line,
      /^compile: deno compile could not unpack denort 2\.9\.6/,
    );
    assert.match(line, HOW);
    assert.deepEqual(await listDir(`${dir}/dist`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile: with DENORT_BIN, dist/argus and its ra link pass end to end", async () => {
  const denort = Deno.env.get("DENORT_BIN");
  if (denort === undefined) {
    console.log(
      "skipped: DENORT_BIN is not set, so dist/argus cannot be compiled here (deno compile needs denort 2.9.6)",
    );
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "cpl-e2e-" });
  try {
    const out = await compile(`${dir}/dist`, denort);
    assert.equal(out.code, 0, out.stderr);
    await endToEnd(`${dir}/dist`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Sample capture → records with the binary → ra (link and first argument). */
async function endToEnd(dist: string): Promise<void> {
  assert.deepEqual(await listDir(dist), [...PROGRAM_NAMES].sort());
  assert.equal(await Deno.readLink(`${dist}/ra`), "argus");
  const records = `${dist}/../sample.argus`;
  const argus = await run(`${dist}/argus`, [
    "-X",
    "-r",
    `${ROOT}samples/sample.pcap`,
    "-w",
    records,
  ]);
  assert.equal(argus.code, 0, argus.stderr);
  const viaLink = await run(`${dist}/ra`, ["-X", "-n", "-r", records]);
  assert.equal(viaLink.code, 0, viaLink.stderr);
  assert.match(
    viaLink.stdout,
    /192\.168\.1\.23\.43210 +-> +203\.0\.113\.80\.80 +13 +5591 +FIN/,
  );
  const viaArg = await run(`${dist}/argus`, ["ra", "-X", "-n", "-r", records]);
  assert.equal(viaArg.stdout, viaLink.stdout);
  if (haveRealArgus()) {
    const real = await run("ra", ["-X", "-n", "-r", records]);
    assert.equal(viaLink.stdout, real.stdout);
  }
}
