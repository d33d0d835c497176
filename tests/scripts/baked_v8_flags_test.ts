/**
 * The V8 flags deno compile bakes into dist/argus
 * (scripts/baked_v8_flags.ts) are flags this V8 knows, and they change
 * only speed and memory: argus and ra run with them write and print what
 * they do without them.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, run } from "../_util/oracle.ts";
import { BAKED_V8_FLAGS, V8_FLAGS_ARG } from "../../scripts/baked_v8_flags.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("baked V8 flags: each one is a flag this deno's V8 knows", async () => {
  assert.ok(BAKED_V8_FLAGS.length > 0);
  for (const flag of BAKED_V8_FLAGS) {
    // deno refuses a flag V8 does not recognize ("V8 did not recognize").
    const r = await run(Deno.execPath(), [
      "eval",
      `--v8-flags=${flag}`,
      "console.log('ok')",
    ]);
    assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
    assert.equal(r.stdout, "ok\n", flag);
  }
});

Deno.test("baked V8 flags: argus -r and ra give the same flows with and without them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkv8-" });
  try {
    // Big enough (7 MB) that the hot code is optimized part way through.
    const pcap = `${CORPUS}mixed-small.pcap`;
    const flows: string[] = [];
    for (const flags of [[V8_FLAGS_ARG], []]) {
      const records = `${dir}/out${flows.length}.argus`;
      const main = (args: string[]) =>
        run(Deno.execPath(), [
          "run",
          "-A",
          ...flags,
          `${ROOT}main.ts`,
          ...args,
        ]);
      const argus = await main(["argus", "-X", "-r", pcap, "-w", records]);
      assert.equal(argus.code, 0, argus.stderr);
      const ra = await main(["ra", "-n", "-r", records]);
      assert.equal(ra.code, 0, ra.stderr);
      // Management records carry the time of the run: flows only.
      const lines = ra.stdout.split("\n").filter((l) => !/ man /.test(l));
      assert.ok(lines.length > 100, `${lines.length} flows`);
      flows.push(lines.join("\n"));
    }
    assert.equal(flows[0], flows[1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
