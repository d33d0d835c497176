/**
 * malloc_trim through FFI: it runs on this glibc system, and where FFI is
 * not allowed the sensor carries on without it (no error, no trim).
 * @module
 */

import assert from "node:assert/strict";
import { trimMallocArenas } from "../../ffi/mod.ts";

Deno.test("trimMallocArenas() trims glibc's arenas", () => {
  assert.equal(trimMallocArenas(), true);
  // Loaded once, callable again.
  assert.equal(trimMallocArenas(), true);
});

Deno.test("trimMallocArenas() is a quiet no-op without --allow-ffi", async () => {
  const module = new URL("../../ffi/libc_malloc_trim.ts", import.meta.url).href;
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    script,
    `import { trimMallocArenas } from ${JSON.stringify(module)};
console.log(trimMallocArenas(), trimMallocArenas());`,
  );
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", script],
    env: { NO_COLOR: "1" },
  }).output().finally(() => Deno.remove(script));
  assert.equal(new TextDecoder().decode(r.stderr), "");
  assert.equal(r.code, 0);
  assert.equal(new TextDecoder().decode(r.stdout), "false false\n");
});
