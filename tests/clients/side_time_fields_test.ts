/**
 * Records whose time DSR stores each side's start and end (racluster
 * writes them): our ra prints StartTime, LastTime and Dur as the real ra
 * does, including an aggregate with a destination start but no
 * destination end, whose LastTime is the source end alone
 * (ArgusFetchLastuSecTime), not the latest of all its times.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, run } from "../_util/oracle.ts";
import { ourRa } from "../_util/our_ra.ts";

const FIELDS = ["-s", "stime", "ltime", "dur", "saddr", "sport", "dport"];

Deno.test("ra: stime, ltime and dur of racluster's per-side times equal the real ra's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "side-time-fields-" });
  try {
    const files = [...Deno.readDirSync(`${CORPUS}expected`)]
      .map((e) => e.name)
      .filter((n) => n.endsWith(".argus"))
      .sort()
      .reverse()
      .map((n) => `${CORPUS}expected/${n}`);
    for (const key of ["sport", "saddr daddr", "proto dport"]) {
      const out = `${dir}/${key.replace(" ", "-")}.argus`;
      const rc = await run("racluster", [
        "-X",
        "-m",
        ...key.split(" "),
        "-r",
        ...files,
        "-w",
        out,
      ]);
      assert.equal(rc.code, 0, rc.stderr);
      const real = await run("ra", ["-X", "-n", "-r", out, ...FIELDS]);
      const ours = await ourRa(["-X", "-n", "-r", out, ...FIELDS]);
      assert.equal(real.code, 0, real.stderr);
      assert.equal(ours.code, 0);
      const lines = real.stdout.trim().split("\n");
      assert.ok(lines.length > 100, `racluster -m ${key}: ${lines.length}`);
      assert.deepEqual(ours.out.trim().split("\n"), lines, `-m ${key}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
