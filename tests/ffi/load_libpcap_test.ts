/**
 * Loading libpcap: the usual names, the $ARGUS_LIBPCAP override, one clear
 * sentence when nothing loads, and no load at import time.
 * @module
 */

import assert from "node:assert/strict";
import {
  LIBPCAP_NAMES,
  libpcapVersion,
  openLibpcap,
  PcapError,
} from "../../ffi/mod.ts";

Deno.test("openLibpcap() names every library it tried when none loads", () => {
  assert.throws(
    () => openLibpcap(["libnope.so.9", "libnope.so"]),
    (e) =>
      e instanceof PcapError && e.source === "libpcap" &&
      e.message ===
        "Cannot load libpcap: tried libnope.so.9, libnope.so (install libpcap0.8)" &&
      e.cause instanceof Error,
  );
});

Deno.test("openLibpcap() takes the first name that loads", () => {
  const lib = openLibpcap(["libnope.so", ...LIBPCAP_NAMES]);
  try {
    assert.equal(typeof lib.symbols.pcap_open_offline, "function");
  } finally {
    lib.close();
  }
  assert.deepEqual(LIBPCAP_NAMES, [
    "libpcap.so.0.8",
    "libpcap.so.1",
    "libpcap.so",
  ]);
});

Deno.test("libpcapVersion() reports the library", () => {
  assert.match(libpcapVersion(), /^libpcap version \d+\.\d+/);
});

/** Runs a script in a child Deno with exactly the given flags. */
async function child(
  script: string,
  flags: string[],
  env: Record<string, string> = {},
) {
  const path = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(path, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", ...flags, path],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout).trim() +
      new TextDecoder().decode(out.stderr).trim();
  } finally {
    await Deno.remove(path);
  }
}

const mod = new URL("../../ffi/mod.ts", import.meta.url).href;

Deno.test("$ARGUS_LIBPCAP is tried first", async () => {
  // Copy the libpcap this process loaded, point the override at the copy,
  // and look for the copy among the child's mapped files.
  libpcapVersion();
  const maps = await Deno.readTextFile("/proc/self/maps");
  const real = maps.split("\n").map((l) => l.split(/\s+/)[5] ?? "")
    .find((f) => /\/libpcap\.so/.test(f));
  assert.ok(real, "libpcap is mapped here");
  const dir = await Deno.makeTempDir();
  try {
    const copy = `${dir}/libpcap-override.so`;
    await Deno.copyFile(real, copy);
    const script = `
      import { libpcap } from "${mod}";
      libpcap();
      const maps = Deno.readTextFileSync("/proc/self/maps");
      console.log(maps.includes("${copy}") ? "override" : "usual");
    `;
    const flags = ["--allow-all"];
    assert.equal(
      await child(script, flags, { ARGUS_LIBPCAP: copy }),
      "override",
    );
    assert.equal(await child(script, flags), "usual");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without --allow-ffi the error says so", async () => {
  const script = `
    import { libpcap } from "${mod}";
    try { libpcap(); } catch (e) { console.log(e.message); }
  `;
  assert.equal(
    await child(script, []),
    "Cannot load libpcap: FFI is not allowed (run with --allow-ffi)",
  );
});

Deno.test("importing the binding loads nothing and needs no permission", async () => {
  const script = `import "${mod}"; console.log("ok");`;
  assert.equal(await child(script, []), "ok");
});
