/**
 * FollowReader (argus -f): reads appended bytes after the end of a file,
 * and reports the end only once stopped.
 * @module
 */

import assert from "node:assert/strict";
import { FollowReader } from "../../src/capture/follow_reader.ts";

Deno.test("FollowReader waits at end of file for appended bytes until stopped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "follow-reader-" });
  const path = `${dir}/grow.bin`;
  await Deno.writeFile(path, new Uint8Array([1, 2, 3]));
  const file = await Deno.open(path, { read: true });
  try {
    const r = new FollowReader(file, 20);
    const buf = new Uint8Array(16);
    assert.equal(await r.read(buf), 3);
    // Nothing more yet: the read waits, then sees the appended bytes.
    const pending = r.read(buf);
    await new Promise((ok) => setTimeout(ok, 60));
    await Deno.writeFile(path, new Uint8Array([4, 5]), { append: true });
    assert.equal(await pending, 2);
    assert.deepEqual([...buf.subarray(0, 2)], [4, 5]);
    // A waiting read ends at once when stopped.
    const last = r.read(buf);
    r.stop();
    assert.equal(await last, null);
  } finally {
    file.close();
    await Deno.remove(dir, { recursive: true });
  }
});
