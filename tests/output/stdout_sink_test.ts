/**
 * argus -w - writes the same records whatever standard output is: a
 * regular file or /dev/null (written on the main thread) or a pipe
 * (asynchronous writes), each against -w to a file.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS } from "../_util/oracle.ts";
import { firstRecordDifference, flowRecords } from "../_util/records.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CAPTURE = `${CORPUS}mixed-small.pcap`;

/** Runs `sh -c script` and asserts a clean exit. */
async function sh(script: string): Promise<void> {
  const r = await new Deno.Command("sh", {
    args: ["-c", script],
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
}

Deno.test("argus -w - into a file, /dev/null or a pipe writes every record", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stdout-sink-" });
  try {
    const argus =
      `'${Deno.execPath()}' run -A '${MAIN}' argus -X -r '${CAPTURE}'`;
    await sh(`${argus} -w '${dir}/file.argus'`);
    await sh(`${argus} -w - > '${dir}/redirected.argus'`);
    await sh(`${argus} -w - | cat > '${dir}/piped.argus'`);
    await sh(`${argus} -w - > /dev/null`);
    const want = await Deno.readFile(`${dir}/file.argus`);
    assert.ok(flowRecords(want).length > 10);
    for (const name of ["redirected", "piped"]) {
      const got = await Deno.readFile(`${dir}/${name}.argus`);
      assert.equal(firstRecordDifference(want, got), null, name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
