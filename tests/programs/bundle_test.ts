/**
 * The offline single-file build: `deno bundle` of main.ts runs argus and
 * the ra family like main.ts does (multi-call on the first argument), so the one-file
 * path stays testable where `deno compile` cannot fetch its runtime.
 * @module
 */

import assert from "node:assert/strict";
import { haveRealArgus, run } from "../_util/oracle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("bundle: dist-style single file runs argus and the ra family", async () => {
  const dir = await Deno.makeTempDir({ prefix: "argus-ts-bundle-" });
  try {
    const bundle = `${dir}/argus.js`;
    const built = await run(Deno.execPath(), [
      "bundle",
      "--platform",
      "deno",
      "-o",
      bundle,
      `${ROOT}main.ts`,
    ]);
    assert.equal(built.code, 0, built.stderr);
    const sample = `${ROOT}samples/sample.pcap`;
    const records = `${dir}/sample.argus`;
    for (const entry of [bundle, `${ROOT}main.ts`]) {
      await Deno.remove(records).catch(() => {});
      const argus = await run(Deno.execPath(), [
        "run",
        "-A",
        entry,
        "argus",
        "-X",
        "-r",
        sample,
        "-w",
        records,
      ]);
      assert.equal(argus.code, 0, argus.stderr);
      const ra = await run(Deno.execPath(), [
        "run",
        "-A",
        entry,
        "ra",
        "-X",
        "-n",
        "-r",
        records,
      ]);
      assert.equal(ra.code, 0, ra.stderr);
      assert.match(
        ra.stdout,
        /192\.168\.1\.23\.43210 +-> +203\.0\.113\.80\.80 +13 +5591 +FIN/,
      );
      // The other clients by their first argument, as the real ones print.
      for (
        const [program, args] of [
          ["racluster", ["-m", "saddr"]],
          ["rasort", ["-m", "bytes"]],
          ["racount", []],
          ["ragrep", ["-v", "-e", "nothing"]],
        ] as const
      ) {
        const ours = await run(Deno.execPath(), [
          "run",
          "-A",
          entry,
          program,
          "-X",
          ...args,
          "-r",
          records,
        ]);
        assert.equal(ours.code, 0, `${program}: ${ours.stderr}`);
        if (haveRealArgus()) {
          const real = await run(program, ["-X", ...args, "-r", records]);
          assert.equal(ours.stdout, real.stdout, program);
        } else assert.ok(ours.stdout.length > 0, program);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
